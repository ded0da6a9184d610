"""The local server's API through a real server on a loopback port, with urllib.

/api/check must print what `whiteboard check - --format json` prints for the same text (same
bytes); /api/render gives our SVG with labels escaped; every bad request is a 4xx JSON error,
quickly, and nothing ever reaches the server's last-resort 500.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serve_helpers import ROOT, Server, cli_check, request

from whiteboard.problems import list_problems, load_problem
from whiteboard.serve import EXTRA_HINT
from whiteboard.serve.inputs import MAX_BODY_BYTES

EXAMPLES = ROOT / "examples"
SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")


def _example_cases() -> list:
    cases = [pytest.param(path, None, id=str(path.relative_to(EXAMPLES)))
             for path in sorted(EXAMPLES.glob("*.mmd")) + sorted((EXAMPLES / "bad").glob("*.mmd"))]
    for name in list_problems():
        cases += [pytest.param(path, name, id=str(path.relative_to(EXAMPLES)))
                  for path in sorted((EXAMPLES / name).glob("*.mmd"))]
    return cases


def _query(problem: str | None = None, sla: str | None = None) -> str:
    from urllib.parse import urlencode

    params = {key: value for key, value in (("problem", problem), ("sla", sla)) if value is not None}
    return f"?{urlencode(params)}" if params else ""


def _cli_args(problem: str | None = None, sla: str | None = None) -> list[str]:
    return [*(["--problem", problem] if problem else []), *(["--sla", sla] if sla else [])]


def _check_both(server, text: bytes | str, problem: str | None = None, sla: str | None = None) -> tuple[str, str]:
    answer = request(server, "POST", f"/api/check{_query(problem, sla)}", text)
    assert answer.status == 200, answer.body
    assert answer.headers["content-type"].startswith("application/json")
    return answer.body.decode("utf-8"), cli_check(text, *_cli_args(problem, sla), cwd=server.cwd)


# -- /api/check is the command line's JSON ----------------------------------------------------

@pytest.mark.parametrize(("path", "problem"), _example_cases())
def test_check_prints_what_the_cli_prints(server, path: Path, problem: str | None):
    served, printed = _check_both(server, path.read_bytes(), problem)
    assert served == printed


@pytest.mark.parametrize(("text", "problem", "sla"), [
    pytest.param("", None, None, id="empty"),
    pytest.param("   \n\n", None, None, id="blank"),
    pytest.param((EXAMPLES / "bad" / "ends_at_serving.mmd").read_text(), None, "20ms", id="sla-over"),
    pytest.param((EXAMPLES / "recsys.mmd").read_text(), "RecSys", "0.2s", id="problem-upper-case"),
    pytest.param("\ufeffflowchart LR\n  A --> B\n", None, None, id="bom"),
    pytest.param("flowchart LR\r\n  A --> B\r\n", None, None, id="crlf"),
    pytest.param("sequenceDiagram\n  A->>B: hi\n", None, None, id="other-diagram"),
    pytest.param("flowchart LR\n  A[unclosed --> B\n", None, None, id="syntax-error"),
    pytest.param("flowchart LR\n  A --> B\x00\n", None, None, id="nul-byte"),
    pytest.param("flowchart LR\n  Ü[\"Grüße, 日本語 🚀\"] --> B\n", None, None, id="unicode"),
])
def test_check_edge_cases_print_what_the_cli_prints(server, text: str, problem, sla):
    served, printed = _check_both(server, text, problem, sla)
    assert served == printed


def test_a_syntax_error_is_a_finding_not_a_refusal(server):
    answer = request(server, "POST", "/api/check", (EXAMPLES / "bad" / "syntax_error.mmd").read_bytes())
    assert answer.status == 200
    document = answer.json()
    (finding,) = document["files"][0]["diagrams"][0]["findings"]
    assert finding["code"] == "WB001" and finding["line"] == 2
    assert document["summary"]["exit_code"] == 2
    assert document["files"][0]["path"] == "<stdin>"


def test_the_configuration_where_it_runs_counts_as_for_the_cli(tmp_path: Path):
    """Run in a directory with a whiteboard.toml, both read it: still the same document."""
    (tmp_path / "whiteboard.toml").write_text('ignore = ["WB95"]\nsla = "100ms"\n\n[severity]\nWB705 = "error"\n')
    configured = Server(tmp_path)
    try:
        text = (EXAMPLES / "bad" / "ends_at_serving.mmd").read_bytes()
        served, printed = _check_both(configured, text)
        assert served == printed
        codes = {f["code"]: f["severity"] for f in json.loads(served)["files"][0]["diagrams"][0]["findings"]}
        assert codes["WB705"] == "error" and not any(code.startswith("WB95") for code in codes)
    finally:
        assert "Traceback" not in configured.stop()


def test_own_problem_specs_count_as_for_the_cli(tmp_path: Path):
    """`--templates DIR`: the picker lists its problems and the check uses them, as `check --templates` does."""
    specs = tmp_path / "specs"
    specs.mkdir()
    shipped = ROOT / "templates" / "problems"
    toml = (shipped / "rag.toml").read_text().replace('name = "rag"', 'name = "myrag"')
    (specs / "myrag.toml").write_text(toml)
    (specs / "myrag.mmd").write_text((shipped / "rag.mmd").read_text().replace("problem: rag", "problem: myrag"))
    own = Server(tmp_path, "--templates", str(specs))
    try:
        assert "myrag" in [entry["name"] for entry in request(own, "GET", "/api/problems").json()]
        text = (EXAMPLES / "rag" / "flawed-vector-only.mmd").read_bytes()
        answer = request(own, "POST", "/api/check?problem=myrag", text)
        assert answer.status == 200
        assert answer.body.decode() == cli_check(text, "--problem", "myrag", "--templates", str(specs), cwd=tmp_path)
        assert "RAG102" in answer.body.decode()
    finally:
        assert "Traceback" not in own.stop()


# -- /api/render ------------------------------------------------------------------------------

def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join(" ".join(t.text or "" for t in root.iter(f"{SVG}text")).replace("\xa0", " ").split())


@needs_dot
def test_render_draws_the_diagram_with_the_overlay(server):
    answer = request(server, "POST", "/api/render?sla=200ms", (EXAMPLES / "recsys.mmd").read_bytes())
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    text = _svg_text(answer.body)
    assert "Kafka" in text and "MLflow registry" in text
    assert "critical path" in text and "coverage" in text  # the overlay's caption

    plain = request(server, "POST", "/api/render?overlay=0", (EXAMPLES / "recsys.mmd").read_bytes())
    assert plain.status == 200 and "Kafka" in _svg_text(plain.body) and "coverage" not in _svg_text(plain.body)


@needs_dot
def test_render_escapes_labels(server):
    text = ('flowchart LR\n  A["<script>alert(1)</script>"] --> B["Tom & Jerry <b>bold</b>"]\n'
            '  B --> C["<img src=x onerror=alert(1)>"]\n  C --> D["x < y && y > z"]\n')
    answer = request(server, "POST", "/api/render", text)
    assert answer.status == 200
    root = ET.fromstring(answer.body)  # well-formed XML
    tags = {element.tag.split("}")[-1] for element in root.iter()}
    assert not tags & {"script", "img", "foreignObject", "b"}
    assert b"<script" not in answer.body.lower() and b"onerror" not in answer.body.lower()
    shown = _svg_text(answer.body)
    assert "Tom & Jerry" in shown and "x < y && y > z" in shown
    assert b"Tom &amp; Jerry" in answer.body and b"x &lt; y &amp;&amp; y &gt; z" in answer.body


def test_render_of_a_syntax_error_is_422_with_the_position(server):
    answer = request(server, "POST", "/api/render", (EXAMPLES / "bad" / "syntax_error.mmd").read_bytes())
    assert answer.status == 422
    error = answer.json()["error"]
    assert error["status"] == 422 and (error["line"], error["column"]) == (2, 32)
    assert "expected ']'" in error["message"]


def test_render_without_graphviz_is_503(tmp_path: Path):
    no_dot = tmp_path / "empty-bin"
    no_dot.mkdir()
    server = Server(tmp_path, env={"PATH": str(no_dot)})
    try:
        answer = request(server, "POST", "/api/render", (EXAMPLES / "recsys.mmd").read_bytes())
        assert answer.status == 503
        assert "Graphviz" in answer.json()["error"]["message"]
        assert request(server, "POST", "/api/check", "flowchart LR\n  A --> B\n").status == 200
    finally:
        assert "Traceback" not in server.stop()


# -- the page's other endpoints ---------------------------------------------------------------

def test_problems_lists_every_problem(server):
    answer = request(server, "GET", "/api/problems")
    assert answer.status == 200
    entries = answer.json()
    assert [entry["name"] for entry in entries] == list_problems()
    rag = next(entry for entry in entries if entry["name"] == "rag")
    spec = load_problem("rag")
    assert rag == {"name": "rag", "title": spec.title, "summary": spec.summary, "sla_ms": spec.sla_ms}


def test_skeleton_is_the_problems_starting_board(server):
    answer = request(server, "GET", "/api/skeleton?problem=rag&stage=3")
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/plain")
    assert answer.body.decode() == load_problem("rag").skeleton(stage=3)
    assert request(server, "GET", "/api/skeleton").body.decode() == load_problem("framework").skeleton()


def test_no_round_is_running_until_rounds_exist(server):
    answer = request(server, "GET", "/api/round")
    assert answer.status == 200 and answer.json() == {"running": False}


def test_the_page_and_its_files_are_served_with_a_strict_policy(server):
    page = request(server, "GET", "/")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert b'src="/static/app.js"' in page.body and b"http" not in page.body.replace(b"http-equiv", b"")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    for path, kind in (("/static/app.js", "text/javascript"), ("/static/style.css", "text/css")):
        answer = request(server, "GET", path)
        assert answer.status == 200 and answer.headers["content-type"].startswith(kind)
    assert b"innerHTML" not in request(server, "GET", "/static/app.js").body


# -- bad requests: 4xx JSON, never a 500, never a hang ----------------------------------------

def _chunks(total: int, size: int = 64 * 1024):
    """A body sent with Transfer-Encoding: chunked (no Content-Length to refuse it by)."""
    sent = 0
    while sent < total:
        part = min(size, total - sent)
        sent += part
        yield b"a" * part


BAD_REQUESTS = [
    # (id, method, path, body, headers, status, words in the message)
    ("lone-continuation-byte", "POST", "/api/check", b"flowchart LR\n  A --> B\x80\n", {}, 400, "not UTF-8"),
    ("overlong-slash", "POST", "/api/check", b"flowchart LR\n  A[\xc0\xaf] --> B\n", {}, 400, "line 2, column 5"),
    ("surrogate", "POST", "/api/check", b"flowchart LR\n  A[\xed\xa0\x80]\n", {}, 400, "not UTF-8"),
    ("truncated-sequence", "POST", "/api/render", b"flowchart LR\n  A[\xe2\x82]\n", {}, 400, "not UTF-8"),
    ("latin-1", "POST", "/api/render", "flowchart LR\n  A[Café]\n".encode("latin-1"), {}, 400, "not UTF-8"),
    ("too-large", "POST", "/api/check", b"a" * (MAX_BODY_BYTES + 1), {}, 413, "limit"),
    ("too-large-render", "POST", "/api/render", b"a" * (MAX_BODY_BYTES + 1), {}, 413, "limit"),
    ("too-large-chunked", "POST", "/api/check", "chunked", {}, 413, "limit"),
    ("unknown-problem", "POST", "/api/check?problem=ragg", b"flowchart LR\n  A --> B\n", {}, 400, "did you mean 'rag'"),
    ("unknown-problem-render", "POST", "/api/render?problem=recsis", b"flowchart LR\n  A --> B\n", {}, 400,
     "did you mean 'recsys'"),
    ("unknown-problem-skeleton", "GET", "/api/skeleton?problem=frod", None, {}, 400, "did you mean 'fraud'"),
    ("undecodable-problem", "POST", "/api/check?problem=%ff", b"flowchart LR\n", {}, 400, "unknown problem"),
    ("nul-sla", "POST", "/api/check?sla=%00", b"flowchart LR\n", {}, 400, "expected a latency"),
    ("bad-sla", "POST", "/api/check?sla=fast", b"flowchart LR\n  A --> B\n", {}, 400, "expected a latency"),
    ("sla-unit", "POST", "/api/check?sla=200%20parsecs", b"flowchart LR\n  A --> B\n", {}, 400, "expected a latency"),
    ("sla-too-long", "POST", "/api/check?sla=" + "9" * 400, b"flowchart LR\n  A --> B\n", {}, 400, "at most 40"),
    ("sla-many-latencies", "POST", "/api/check?sla=" + "1ms%20" * 5000, b"flowchart LR\n", {}, 400, "at most 40"),
    ("bad-overlay", "POST", "/api/render?overlay=maybe", b"flowchart LR\n  A --> B\n", {}, 400, "expected 1 or 0"),
    ("bad-stage", "GET", "/api/skeleton?stage=9", None, {}, 400, "from 1 to 7"),
    ("unknown-parameter", "POST", "/api/check?problen=rag", b"flowchart LR\n", {}, 400, "did you mean 'problem'"),
    ("get-check", "GET", "/api/check", None, {}, 405, "use POST"),
    ("put-render", "PUT", "/api/render", b"x", {}, 405, "not allowed"),
    ("post-problems", "POST", "/api/problems", b"x", {}, 405, "not allowed"),
    ("delete-page", "DELETE", "/", None, {}, 405, "not allowed"),
    ("no-such-endpoint", "GET", "/api/nothing", None, {}, 404, "/api/nothing"),
    ("path-traversal", "GET", "/static/../../pyproject.toml", None, {}, 404, "no such page"),
    ("foreign-host", "GET", "/", None, {"Host": "evil.example"}, 400, "127.0.0.1"),
    ("rebinding-host", "POST", "/api/check", b"flowchart LR\n", {"Host": "localhost.evil.example"}, 400, "Host"),
    ("wrong-port-host", "GET", "/api/problems", None, {"Host": "127.0.0.1:1"}, 400, "Host"),
    ("foreign-origin", "POST", "/api/check", b"flowchart LR\n", {"Origin": "http://evil.example"}, 403, "refusing"),
    ("null-origin", "POST", "/api/round/save", b"flowchart LR\n", {"Origin": "null"}, 403, "refusing"),
    ("cross-site-fetch", "POST", "/api/round/start", b"{}", {"Sec-Fetch-Site": "cross-site"}, 403, "cross-site"),
]


@pytest.mark.parametrize(("method", "path", "body", "headers", "status", "words"),
                         [pytest.param(*case[1:], id=case[0]) for case in BAD_REQUESTS])
def test_bad_requests_get_a_json_4xx(server, method, path, body, headers, status, words):
    if body == "chunked":
        body = _chunks(MAX_BODY_BYTES + 1)
    answer = request(server, method, path, body, headers, timeout=30)
    assert answer.status == status, answer.body
    assert answer.headers["content-type"].startswith("application/json")
    error = answer.json()["error"]
    assert error["status"] == status
    assert words in error["message"]


def test_the_bad_requests_never_reached_the_last_resort(server):
    for case in BAD_REQUESTS:
        body = _chunks(MAX_BODY_BYTES + 1) if case[3] == "chunked" else case[3]
        assert request(server, case[1], case[2], body, case[4], timeout=30).status < 500, case[0]
    assert "Traceback" not in server.errors() and "internal error" not in server.errors()


@pytest.mark.parametrize("endpoint", ["/api/check", "/api/render"])
def test_an_oversized_body_is_refused_every_time(server, endpoint: str):
    """The 413 reaches a client that sends its whole body before reading (urllib does), each time."""
    for _ in range(5):
        for body in (b"a" * (MAX_BODY_BYTES + 1), b"a" * (3 * MAX_BODY_BYTES), _chunks(2 * MAX_BODY_BYTES)):
            answer = request(server, "POST", endpoint, body, timeout=30)
            assert answer.status == 413 and answer.json()["error"]["status"] == 413


@pytest.mark.parametrize("length", [MAX_BODY_BYTES + 1, 100 * MAX_BODY_BYTES, 10**19])
def test_an_announced_oversized_body_is_refused_before_it_is_sent(server, length: int):
    """Only the headers go out, with a Content-Length over the limit: the 413 comes without the body."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.putrequest("POST", "/api/check")
        connection.putheader("Content-Length", str(length))
        connection.endheaders()
        started = time.monotonic()
        response = connection.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["error"]["status"] == 413
        assert time.monotonic() - started < 20
    finally:
        connection.close()


def test_the_page_itself_may_post(server):
    """The Origin of the page the server serves is its own: allowed."""
    answer = request(server, "POST", "/api/check", b"flowchart LR\n  A --> B\n",
                     {"Origin": server.url.rstrip("/"), "Sec-Fetch-Site": "same-origin"})
    assert answer.status == 200


@settings(max_examples=60)
@given(body=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8")),
                      st.lists(st.sampled_from(["flowchart LR", "A --> B", "A[", "]", "%% wb: disable", "-->|x|",
                                                "subgraph S", "end", "\n", "\x00", "\ufeff", "é"]))
                      .map(lambda parts: " ".join(parts).encode("utf-8"))),
       endpoint=st.sampled_from(["/api/check", "/api/render?overlay=1", "/api/render?overlay=0"]))
def test_any_body_gets_an_answer_below_500(server, body: bytes, endpoint: str):
    answer = request(server, "POST", endpoint, body, timeout=30)
    assert answer.status in (200, 400, 422) or (answer.status == 503 and shutil.which("dot") is None)
    if answer.status != 200 or endpoint == "/api/check":
        json.loads(answer.body)


# -- starting the server ----------------------------------------------------------------------

def test_a_port_in_use_is_one_clear_error(server):
    done = subprocess.run([sys.executable, "-m", "whiteboard.serve", "--port", str(server.port)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "already in use" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_without_the_extra_the_error_says_how_to_install_it():
    code = ("import sys; sys.modules['uvicorn'] = None; sys.modules['starlette'] = None\n"
            "from whiteboard.serve.__main__ import main; sys.exit(main(['--port', '0']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert EXTRA_HINT in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="127.0.0.2 is a loopback address on Linux only")
def test_it_listens_on_127_0_0_1_alone(server):
    """Bound to 127.0.0.1 itself, not to every address: another address of this machine is refused."""
    with socket.socket() as probe:
        probe.settimeout(5)
        assert probe.connect_ex(("127.0.0.2", server.port)) != 0
    with socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass
