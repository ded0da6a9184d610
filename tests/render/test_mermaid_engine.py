"""--engine mermaid: the real mermaid-cli where it runs here, and the mermaid.ink path.

mermaid.ink itself cannot run here (no internet), so the server tests use a small HTTP
server on 127.0.0.1 that speaks its protocol (GET /svg/<base64url of the diagram> and
/img/...): it checks what whiteboard sends, not how mermaid draws.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from test_render_cli import ROOT, run

RECSYS = ROOT / "examples" / "recsys.mmd"


def _browser() -> str | None:
    if os.environ.get("PUPPETEER_EXECUTABLE_PATH"):
        return os.environ["PUPPETEER_EXECUTABLE_PATH"]
    return next((found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))),
                None)


needs_mmdc = pytest.mark.skipif(
    shutil.which("mmdc") is None or _browser() is None,
    reason="mermaid-cli is not installed here (npm install -g @mermaid-js/mermaid-cli, and apt-get install chromium)")


def xml_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join(" ".join(root.itertext()).split())


@needs_mmdc
def test_mmdc_draws_the_diagram_the_same_way_twice(tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = run(["render", str(RECSYS), "--engine", "mermaid", "-o", f"{name}.svg"], tmp_path)
        assert result.returncode == 0, result.stderr
    data = (tmp_path / "a.svg").read_bytes()
    assert data == (tmp_path / "b.svg").read_bytes()
    text = xml_text(data)
    for label in ("Online store: Redis", "Mobile app", "MLflow registry", "Feature store"):
        assert label in text
    assert b'aria-roledescription="flowchart-v2"' in data, "mermaid-js drew it"


@needs_mmdc
def test_mmdc_overlay_and_png(tmp_path: Path) -> None:
    bad = ROOT / "examples" / "bad" / "ends_at_serving.mmd"
    result = run(["render", str(bad), "--engine", "mermaid", "--overlay", "-o", "o.svg"], tmp_path)
    assert result.returncode == 0, result.stderr
    text = xml_text((tmp_path / "o.svg").read_bytes())
    assert "WB701" in text and "missing: monitoring: drift, alerts" in text
    assert "critical path 25 ms / SLA 150 ms" in text
    result = run(["render", str(bad), "--engine", "mermaid", "-o", "o.png"], tmp_path)
    assert result.returncode == 0 and (tmp_path / "o.png").read_bytes().startswith(b"\x89PNG")


@needs_mmdc
def test_mmdc_shows_hostile_labels_as_text(tmp_path: Path) -> None:
    (tmp_path / "x.mmd").write_text('flowchart LR\n  A["#lt;script#gt;alert(1)#lt;/script#gt; & co"] --> B\n',
                                    encoding="utf-8")
    result = run(["render", "x.mmd", "--engine", "mermaid", "-o", "x.svg"], tmp_path)
    assert result.returncode == 0, result.stderr
    root = ET.fromstring((tmp_path / "x.svg").read_bytes())
    assert not [e for e in root.iter() if str(e.tag).split("}")[-1].lower() == "script"]
    assert "<script>alert(1)</script> & co" in " ".join(root.itertext())


def _no_mmdc_env(tmp_path: Path, server: str) -> dict[str, str]:
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    return {**os.environ, "PATH": str(empty), "MERMAID_INK_SERVER": server}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_server_fails_fast_and_clearly(tmp_path: Path) -> None:
    server = f"http://127.0.0.1:{_closed_port()}"
    start = time.monotonic()
    result = run(["render", str(RECSYS), "--engine", "mermaid", "-o", "x.svg"], tmp_path,
                 env=_no_mmdc_env(tmp_path, server))
    assert time.monotonic() - start < 10
    assert result.returncode == 2
    message = result.stderr.decode()
    assert message.count("\n") == 1 and message.startswith(
        f"whiteboard: error: cannot render with the mermaid.ink server at {server}: ")
    assert "npm install -g @mermaid-js/mermaid-cli" in message and "--engine graphviz" in message
    assert not (tmp_path / "x.svg").exists()


class _InkHandler(BaseHTTPRequestHandler):
    """mermaid.ink's two endpoints: the SVG carries the decoded diagram text back."""

    status = 200

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        kind, _, rest = self.path.lstrip("/").partition("/")
        code = rest.split("?", 1)[0]
        text = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)).decode("utf-8")
        if self.status != 200:
            body, kind_type = b"Syntax error in text", "text/plain"
        elif kind == "svg":
            body = ('<svg xmlns="http://www.w3.org/2000/svg"><text>'
                    + text.replace("&", "&amp;").replace("<", "&lt;") + "</text></svg>").encode()
            kind_type = "image/svg+xml"
        else:
            body, kind_type = b"\x89PNG\r\n\x1a\n" + b"0" * 16, "image/png"
        self.send_response(self.status)
        self.send_header("Content-Type", kind_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def ink_server():
    servers = []

    def start(status: int = 200) -> str:
        handler = type("Handler", (_InkHandler,), {"status": status})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_self_hosted_server_gets_the_diagram_and_its_svg_is_written(tmp_path: Path, ink_server) -> None:
    server = ink_server()
    result = run(["render", str(RECSYS), "--engine", "mermaid", "-o", "x.svg"], tmp_path,
                 env=_no_mmdc_env(tmp_path, server))
    assert result.returncode == 0, result.stderr
    assert xml_text((tmp_path / "x.svg").read_bytes()) == " ".join(RECSYS.read_text(encoding="utf-8").split())
    result = run(["render", str(RECSYS), "--engine", "mermaid", "-o", "x.png"], tmp_path,
                 env=_no_mmdc_env(tmp_path, server))
    assert result.returncode == 0 and (tmp_path / "x.png").read_bytes().startswith(b"\x89PNG")


def test_a_server_error_is_one_line(tmp_path: Path, ink_server) -> None:
    server = ink_server(status=400)
    result = run(["render", str(RECSYS), "--engine", "mermaid", "-o", "x.svg"], tmp_path,
                 env=_no_mmdc_env(tmp_path, server))
    assert result.returncode == 2
    assert result.stderr.decode().startswith(
        f"whiteboard: error: cannot render with the mermaid.ink server at {server}: Mermaid API Error [400]")
    assert result.stderr.decode().count("\n") == 1


def test_dot_format_is_graphviz_only(tmp_path: Path) -> None:
    result = run(["render", str(RECSYS), "--engine", "mermaid", "-f", "dot"], tmp_path)
    assert result.returncode == 2 and "--engine graphviz" in result.stderr.decode()
