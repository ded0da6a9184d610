"""`whiteboard parse` as a user runs it: typer's CliRunner for most cases, the installed
console script and `python -m whiteboard` (real processes) for a few.

Every expected value below is written out by hand from mermaid-js's flowchart semantics
(FlowDB: vertex shapes, destructLink's type/stroke/length, subgraph members) and from
counting columns in the test's own text; none is computed by the code under test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whiteboard.cli import app

# ---------------------------------------------------------------------------------------
# The diagram and what mermaid makes of it (Contract 1).

# Columns (1-based) used below:
#   line 2 "  A[Start] -->|go| B(Round)"   A at 3, B at 20
#   line 3 "  B -.-> C{Decide}"            B at 3, C at 10
#   line 4 "  C ==> D"                     C at 3, D at 9
#   line 5 "  D ---> E"                    D at 3, E at 10
#   line 6 "  E --- A"                     E at 3
SMALL = """\
flowchart LR
  A[Start] -->|go| B(Round)
  B -.-> C{Decide}
  C ==> D
  D ---> E
  E --- A
  subgraph S1 [My Sub]
    direction TB
    C
    D
  end
  classDef hot fill:#f00,color:#fff
  class A hot
"""

SMALL_CONTRACT = {
    "direction": "LR",
    "nodes": [
        {"id": "A", "label": "Start", "shape": "square", "classes": ["hot"], "line": 2, "column": 3},
        {"id": "B", "label": "Round", "shape": "round", "classes": [], "line": 2, "column": 20},
        {"id": "C", "label": "Decide", "shape": "diamond", "classes": [], "line": 3, "column": 10},
        {"id": "D", "label": "D", "shape": None, "classes": [], "line": 4, "column": 9},
        {"id": "E", "label": "E", "shape": None, "classes": [], "line": 5, "column": 10},
    ],
    "edges": [
        {"source": "A", "target": "B", "label": "go", "type": "arrow_point", "stroke": "normal",
         "length": 1, "line": 2, "column": 3},
        {"source": "B", "target": "C", "label": "", "type": "arrow_point", "stroke": "dotted",
         "length": 1, "line": 3, "column": 3},
        {"source": "C", "target": "D", "label": "", "type": "arrow_point", "stroke": "thick",
         "length": 1, "line": 4, "column": 3},
        {"source": "D", "target": "E", "label": "", "type": "arrow_point", "stroke": "normal",
         "length": 2, "line": 5, "column": 3},
        {"source": "E", "target": "A", "label": "", "type": "arrow_open", "stroke": "normal",
         "length": 1, "line": 6, "column": 3},
    ],
    "subgraphs": [{"id": "S1", "title": "My Sub", "nodes": ["C", "D"], "direction": "TB"}],
    "class_defs": {"hot": ["fill:#f00", "color:#fff"]},
}

NODE_KEYS = {"id", "label", "shape", "classes", "line", "column"}
EDGE_KEYS = {"source", "target", "label", "type", "stroke", "length", "line", "column"}
SUBGRAPH_KEYS = {"id", "title", "nodes", "direction"}

TINY = "graph TD\nA --> B\n"          # A at 2:1, B at 2:7
TINY_CONTRACT = {
    "direction": "TB",
    "nodes": [
        {"id": "A", "label": "A", "shape": None, "classes": [], "line": 2, "column": 1},
        {"id": "B", "label": "B", "shape": None, "classes": [], "line": 2, "column": 7},
    ],
    "edges": [
        {"source": "A", "target": "B", "label": "", "type": "arrow_point", "stroke": "normal",
         "length": 1, "line": 2, "column": 1},
    ],
    "subgraphs": [],
    "class_defs": {},
}

# A stray ']' at line 2, column 10: "  A --> B]" (A 3, arrow 5-7, B 9, ']' 10).
BAD = "flowchart TD\n  A --> B]\n"

LOCATION = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): ", re.MULTILINE)


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path as the working directory, so file names show as given."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def put(directory: Path, name: str, content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    (directory / name).write_bytes(data)
    return name


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(app, list(args), input=input)


def assert_clean_failure(result, code: int = 2) -> None:
    """Failed the way the CLI promises: the exit code, and a message rather than a traceback."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout
    assert result.stderr.strip(), "a failure must say why on stderr"
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)


def assert_caret_under(stderr: str, source: str, column: int) -> None:
    """stderr shows the offending line *source* and, below it, a caret under *column*."""
    lines = stderr.splitlines()
    rows = [i for i, line in enumerate(lines) if line.strip() == "^"]
    assert rows, f"no caret line in {stderr!r}"
    shown, caret = lines[rows[0] - 1], lines[rows[0]]
    assert shown.endswith(source), (shown, source)
    indent = len(shown) - len(source)
    assert caret.index("^") - indent == column - 1, (shown, caret)


# ---------------------------------------------------------------------------------------
# json (Contract 1)


def test_json_for_one_file_is_contract_1(workdir: Path) -> None:
    name = put(workdir, "small.mmd", SMALL)
    result = invoke("parse", name)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert set(data) == {"direction", "nodes", "edges", "subgraphs", "class_defs"}
    assert all(set(node) == NODE_KEYS for node in data["nodes"])
    assert all(set(edge) == EDGE_KEYS for edge in data["edges"])
    assert all(set(subgraph) == SUBGRAPH_KEYS for subgraph in data["subgraphs"])
    assert data["direction"] == "LR"
    assert data["nodes"][0] == {"id": "A", "label": "Start", "shape": "square", "classes": ["hot"],
                                "line": 2, "column": 3}
    assert data["edges"][3]["length"] == 2
    assert data["subgraphs"][0]["nodes"] == ["C", "D"]
    assert data == SMALL_CONTRACT


def test_json_is_the_default_for_one_file_and_explicit_json_is_the_same(workdir: Path) -> None:
    name = put(workdir, "small.mmd", SMALL)
    default = invoke("parse", name)
    explicit = invoke("parse", "--format", "json", name)
    short = invoke("parse", "-f", "json", name)
    assert default.exit_code == explicit.exit_code == short.exit_code == 0
    assert json.loads(default.stdout) == json.loads(explicit.stdout) == SMALL_CONTRACT
    assert explicit.stdout == short.stdout
    assert default.stdout.endswith("}\n")


def test_json_keeps_non_ascii_labels(workdir: Path) -> None:
    name = put(workdir, "u.mmd", 'flowchart LR\n  A["Caf\u00e9 \u2192 \u6a21\u578b"] --> B\n')
    result = invoke("parse", name)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["nodes"][0]["label"] == "Caf\u00e9 \u2192 \u6a21\u578b"


def test_json_with_several_files_is_a_usage_error(workdir: Path) -> None:
    a = put(workdir, "a.mmd", TINY)
    b = put(workdir, "b.mmd", TINY)
    result = invoke("parse", "--format", "json", a, b)
    assert_clean_failure(result)
    assert result.stdout == ""
    assert "jsonl" in result.stderr


# ---------------------------------------------------------------------------------------
# jsonl


def test_jsonl_one_line_per_file_in_order_and_a_failure_keeps_the_others(workdir: Path) -> None:
    good = put(workdir, "good.mmd", SMALL)
    bad = put(workdir, "bad.mmd", BAD)
    tiny = put(workdir, "tiny.mmd", TINY)
    result = invoke("parse", "--format", "jsonl", good, bad, tiny)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    first, second, third = (json.loads(line) for line in lines)

    assert first == {"path": "good.mmd", **SMALL_CONTRACT}
    assert third == {"path": "tiny.mmd", **TINY_CONTRACT}

    assert set(second) == {"path", "error"}
    assert second["path"] == "bad.mmd"
    assert set(second["error"]) == {"line", "column", "message"}
    assert second["error"]["line"] == 2
    assert second["error"]["column"] == 10
    assert isinstance(second["error"]["message"], str) and second["error"]["message"]
    # The human-readable error still goes to stderr, with its location.
    assert "bad.mmd:2:10:" in result.stderr
    assert "Traceback" not in result.stderr


def test_jsonl_is_the_default_for_several_files(workdir: Path) -> None:
    a = put(workdir, "a.mmd", TINY)
    b = put(workdir, "b.mmd", SMALL)
    result = invoke("parse", a, b)
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows == [{"path": "a.mmd", **TINY_CONTRACT}, {"path": "b.mmd", **SMALL_CONTRACT}]


def test_jsonl_with_all_files_good_exits_0(workdir: Path) -> None:
    a = put(workdir, "a.mmd", TINY)
    result = invoke("parse", "--format", "jsonl", a)
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1
    assert json.loads(result.stdout) == {"path": "a.mmd", **TINY_CONTRACT}


def test_jsonl_missing_file_is_an_error_row(workdir: Path) -> None:
    a = put(workdir, "a.mmd", TINY)
    result = invoke("parse", "--format", "jsonl", "missing.mmd", a)
    assert result.exit_code == 2
    missing, good = (json.loads(line) for line in result.stdout.splitlines())
    assert missing["path"] == "missing.mmd"
    assert set(missing["error"]) == {"line", "column", "message"}
    assert missing["error"]["message"]
    assert good == {"path": "a.mmd", **TINY_CONTRACT}
    assert "missing.mmd" in result.stderr


# ---------------------------------------------------------------------------------------
# text


def test_text_format_summarises_the_diagram(workdir: Path) -> None:
    name = put(workdir, "small.mmd", SMALL)
    result = invoke("parse", "--format", "text", name)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    header = lines[0]
    assert "LR" in header
    assert "5 nodes" in header and "5 edges" in header and "1 subgraph" in header
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)
    node_lines = [line for line in lines if line.strip().startswith("node ")]
    edge_lines = [line for line in lines if line.strip().startswith("edge ")]
    assert len(node_lines) == 5 and len(edge_lines) == 5
    assert "Start" in node_lines[0] and "square" in node_lines[0] and "2:3" in node_lines[0]
    assert "Round" in node_lines[1] and "2:20" in node_lines[1]
    assert "dotted" in edge_lines[1] and "3:3" in edge_lines[1]
    assert "go" in edge_lines[0]
    assert any("S1" in line and "My Sub" in line for line in lines)


def test_text_format_for_several_files_names_each(workdir: Path) -> None:
    a = put(workdir, "a.mmd", TINY)
    b = put(workdir, "b.mmd", SMALL)
    result = invoke("parse", "-f", "text", a, b)
    assert result.exit_code == 0
    assert "a.mmd" in result.stdout and "b.mmd" in result.stdout
    assert result.stdout.index("a.mmd") < result.stdout.index("b.mmd")


# ---------------------------------------------------------------------------------------
# stdin


def test_stdin_dash_reads_standard_input(workdir: Path) -> None:
    result = invoke("parse", "-", input=TINY)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == TINY_CONTRACT


def test_stdin_in_jsonl_is_named_stdin(workdir: Path) -> None:
    result = invoke("parse", "--format", "jsonl", "-", input=TINY.encode())
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"path": "<stdin>", **TINY_CONTRACT}


def test_stdin_parse_error_names_stdin(workdir: Path) -> None:
    result = invoke("parse", "-", input=BAD)
    assert_clean_failure(result)
    assert result.stdout == ""
    assert result.stderr.startswith("<stdin>:2:10: ")


def test_stdin_bom_and_crlf(workdir: Path) -> None:
    result = invoke("parse", "-", input=b"\xef\xbb\xbf" + TINY.replace("\n", "\r\n").encode())
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == TINY_CONTRACT


# ---------------------------------------------------------------------------------------
# Exit codes and error reports


def test_parse_error_reports_file_line_column_and_a_caret(workdir: Path) -> None:
    name = put(workdir, "bad.mmd", BAD)
    result = invoke("parse", name)
    assert_clean_failure(result)
    assert result.stdout == ""
    match = LOCATION.match(result.stderr)
    assert match, result.stderr
    assert (match["path"], match["line"], match["column"]) == ("bad.mmd", "2", "10")
    assert "  A --> B]" in result.stderr
    assert_caret_under(result.stderr, "  A --> B]", 10)


def test_parse_error_in_text_format_prints_nothing_on_stdout(workdir: Path) -> None:
    name = put(workdir, "bad.mmd", BAD)
    result = invoke("parse", "--format", "text", name)
    assert_clean_failure(result)
    assert result.stdout == ""


def test_unclosed_subgraph_is_an_error(workdir: Path) -> None:
    name = put(workdir, "open.mmd", "flowchart TD\n  subgraph S\n    A --> B\n")
    result = invoke("parse", name)
    assert_clean_failure(result)
    assert result.stdout == ""
    assert LOCATION.match(result.stderr), result.stderr


def test_missing_file_exits_2(workdir: Path) -> None:
    result = invoke("parse", "does-not-exist.mmd")
    assert_clean_failure(result)
    assert result.stdout == ""
    assert "does-not-exist.mmd" in result.stderr


def test_directory_instead_of_file_exits_2(workdir: Path) -> None:
    (workdir / "folder.mmd").mkdir()
    result = invoke("parse", "folder.mmd")
    assert_clean_failure(result)
    assert "folder.mmd" in result.stderr


def test_unknown_option_is_a_usage_error(workdir: Path) -> None:
    name = put(workdir, "a.mmd", TINY)
    result = invoke("parse", "--no-such-option", name)
    assert_clean_failure(result)
    assert result.stdout == ""
    assert "--no-such-option" in result.stderr


def test_unknown_format_is_a_usage_error(workdir: Path) -> None:
    name = put(workdir, "a.mmd", TINY)
    result = invoke("parse", "--format", "yaml", name)
    assert_clean_failure(result)
    assert result.stdout == ""


def test_parse_without_files_is_a_usage_error(workdir: Path) -> None:
    result = invoke("parse")
    assert_clean_failure(result)
    assert result.stdout == ""


def test_unknown_command_is_a_usage_error(workdir: Path) -> None:
    result = invoke("frobnicate")
    assert_clean_failure(result)


def test_good_file_exits_0_with_empty_stderr(workdir: Path) -> None:
    name = put(workdir, "a.mmd", TINY)
    result = invoke("parse", name)
    assert result.exit_code == 0
    assert result.stderr == ""


# ---------------------------------------------------------------------------------------
# Odd inputs


def test_empty_file(workdir: Path) -> None:
    name = put(workdir, "empty.mmd", b"")
    result = invoke("parse", name)
    assert_clean_failure(result)
    assert result.stdout == ""
    assert "empty.mmd" in result.stderr


def test_whitespace_only_file(workdir: Path) -> None:
    name = put(workdir, "blank.mmd", "\n   \n\t\n")
    result = invoke("parse", name)
    assert_clean_failure(result)
    assert result.stdout == ""


def test_binary_file_with_nul_bytes(workdir: Path) -> None:
    name = put(workdir, "image.mmd", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    result = invoke("parse", name)
    assert_clean_failure(result)
    assert result.stdout == ""
    assert "image.mmd" in result.stderr
    assert "binary" in result.stderr.lower()


def test_invalid_utf8_is_reported_where_the_bad_byte_is(workdir: Path) -> None:
    # Line 2 is '  A["' + 0xFF + '"]': the bad byte is the 6th character.
    name = put(workdir, "latin1.mmd", b'flowchart TD\n  A["\xff"]\n')
    result = invoke("parse", name)
    assert_clean_failure(result)
    assert result.stdout == ""
    assert result.stderr.startswith("latin1.mmd:2:6: ")
    assert "UTF-8" in result.stderr
    assert "UnicodeDecodeError" not in result.stderr


def test_bom_does_not_shift_positions(workdir: Path) -> None:
    name = put(workdir, "bom.mmd", b"\xef\xbb\xbf" + TINY.encode())
    result = invoke("parse", name)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == TINY_CONTRACT
    assert (data["nodes"][0]["line"], data["nodes"][0]["column"]) == (2, 1)


def test_bom_does_not_shift_columns_on_the_first_line(workdir: Path) -> None:
    # "graph LR; X-->Y": X is the 11th character, Y the 15th.
    name = put(workdir, "bom1.mmd", b"\xef\xbb\xbfgraph LR; X-->Y\n")
    result = invoke("parse", name)
    assert result.exit_code == 0, result.stderr
    nodes = json.loads(result.stdout)["nodes"]
    assert [(n["id"], n["line"], n["column"]) for n in nodes] == [("X", 1, 11), ("Y", 1, 15)]


def test_bom_does_not_shift_error_positions(workdir: Path) -> None:
    name = put(workdir, "bombad.mmd", b"\xef\xbb\xbf" + BAD.encode())
    result = invoke("parse", name)
    assert_clean_failure(result)
    assert result.stderr.startswith("bombad.mmd:2:10: ")


def test_crlf_gives_the_same_positions_as_lf(workdir: Path) -> None:
    lf = put(workdir, "lf.mmd", SMALL)
    crlf = put(workdir, "crlf.mmd", SMALL.replace("\n", "\r\n").encode())
    lf_result = invoke("parse", lf)
    crlf_result = invoke("parse", crlf)
    assert lf_result.exit_code == crlf_result.exit_code == 0, crlf_result.stderr
    assert json.loads(crlf_result.stdout) == SMALL_CONTRACT
    assert json.loads(crlf_result.stdout) == json.loads(lf_result.stdout)
    assert "\r" not in crlf_result.stdout


def test_crlf_error_position_and_source_line(workdir: Path) -> None:
    name = put(workdir, "crlfbad.mmd", BAD.replace("\n", "\r\n").encode())
    result = invoke("parse", name)
    assert_clean_failure(result)
    assert result.stderr.startswith("crlfbad.mmd:2:10: ")
    assert "\r" not in result.stderr
    assert_caret_under(result.stderr, "  A --> B]", 10)


def test_sequence_diagram_is_named_as_such(workdir: Path) -> None:
    name = put(workdir, "seq.mmd", "sequenceDiagram\n  Alice->>Bob: Hello\n")
    result = invoke("parse", name)
    assert_clean_failure(result)
    assert result.stdout == ""
    assert "sequence diagram" in result.stderr.lower()
    assert "seq.mmd" in result.stderr


# ---------------------------------------------------------------------------------------
# --output


def test_output_writes_the_full_result_and_leaves_no_temporary_files(workdir: Path) -> None:
    name = put(workdir, "small.mmd", SMALL)
    out_dir = workdir / "out"
    out_dir.mkdir()
    result = invoke("parse", name, "--output", str(out_dir / "result.json"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in out_dir.iterdir()) == ["result.json"]
    text = (out_dir / "result.json").read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert json.loads(text) == SMALL_CONTRACT
    # Same bytes as the stdout form.
    assert text == invoke("parse", name).stdout


def test_output_replaces_an_existing_file_completely(workdir: Path) -> None:
    name = put(workdir, "tiny.mmd", TINY)
    target = workdir / "result.jsonl"
    target.write_text("x" * 100_000, encoding="utf-8")
    result = invoke("parse", "-f", "jsonl", name, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == {"path": "tiny.mmd", **TINY_CONTRACT}
    leftovers = sorted(p.name for p in workdir.iterdir())
    assert leftovers == ["result.jsonl", "tiny.mmd"]


def test_output_is_not_touched_when_the_only_file_fails(workdir: Path) -> None:
    name = put(workdir, "bad.mmd", BAD)
    target = workdir / "result.json"
    target.write_text("previous\n", encoding="utf-8")
    result = invoke("parse", name, "-o", str(target))
    assert_clean_failure(result)
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in workdir.iterdir()) == ["bad.mmd", "result.json"]


def test_output_into_a_missing_directory_is_a_clean_error(workdir: Path) -> None:
    name = put(workdir, "tiny.mmd", TINY)
    result = invoke("parse", name, "-o", str(workdir / "nowhere" / "result.json"))
    assert_clean_failure(result)
    assert not (workdir / "nowhere").exists()
    assert "result.json" in result.stderr


def test_output_file_gets_the_usual_permissions(workdir: Path) -> None:
    name = put(workdir, "tiny.mmd", TINY)
    old = os.umask(0o022)
    try:
        result = invoke("parse", name, "-o", "result.json")
    finally:
        os.umask(old)
    assert result.exit_code == 0
    assert (workdir / "result.json").stat().st_mode & 0o777 == 0o644


# ---------------------------------------------------------------------------------------
# --version and help


def test_version(workdir: Path) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"whiteboard {installed_version('whiteboard')}"
    assert re.fullmatch(r"whiteboard \d+\.\d+\.\d+\S*\n", result.stdout)


def test_parse_help_mentions_the_formats(workdir: Path) -> None:
    result = invoke("parse", "--help")
    assert result.exit_code == 0
    for word in ("--format", "--output", "json", "jsonl", "text"):
        assert word in result.stdout


# ---------------------------------------------------------------------------------------
# Real processes: the installed console script and `python -m whiteboard`.


def console_script() -> list[str]:
    """The `whiteboard` script of the interpreter running the tests, else PATH's, else -m."""
    beside = Path(sys.executable).with_name("whiteboard")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("whiteboard")
    if found:
        return [found]
    return [sys.executable, "-m", "whiteboard"]


def run(command: list[str], cwd: Path, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONHASHSEED"}
    environment.update(env)
    return subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, timeout=120,
                          env=environment)


def test_console_script_parses_a_file(tmp_path: Path) -> None:
    put(tmp_path, "small.mmd", SMALL)
    result = run([*console_script(), "parse", "small.mmd"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert json.loads(result.stdout) == SMALL_CONTRACT


def test_console_script_reads_stdin(tmp_path: Path) -> None:
    result = run([*console_script(), "parse", "-", "--format", "jsonl"], tmp_path, stdin=TINY.encode())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"path": "<stdin>", **TINY_CONTRACT}


def test_console_script_parse_error(tmp_path: Path) -> None:
    put(tmp_path, "bad.mmd", BAD)
    result = run([*console_script(), "parse", "bad.mmd"], tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    stderr = result.stderr.decode("utf-8")
    assert stderr.startswith("bad.mmd:2:10: ")
    assert "Traceback" not in stderr
    assert_caret_under(stderr, "  A --> B]", 10)


def test_console_script_usage_error_and_missing_file(tmp_path: Path) -> None:
    usage = run([*console_script(), "parse", "--bogus"], tmp_path)
    assert usage.returncode == 2
    assert b"Traceback" not in usage.stderr
    missing = run([*console_script(), "parse", "nope.mmd"], tmp_path)
    assert missing.returncode == 2
    assert b"nope.mmd" in missing.stderr and b"Traceback" not in missing.stderr


def test_console_script_version(tmp_path: Path) -> None:
    result = run([*console_script(), "--version"], tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"whiteboard {installed_version('whiteboard')}"


def test_python_dash_m_whiteboard(tmp_path: Path) -> None:
    put(tmp_path, "tiny.mmd", TINY)
    version = run([sys.executable, "-m", "whiteboard", "--version"], tmp_path)
    assert version.returncode == 0
    assert version.stdout.decode().strip() == f"whiteboard {installed_version('whiteboard')}"
    parsed = run([sys.executable, "-m", "whiteboard", "parse", "tiny.mmd", "-f", "text"], tmp_path)
    assert parsed.returncode == 0, parsed.stderr
    assert parsed.stdout.decode().splitlines()[0].startswith("flowchart TB")
    failed = run([sys.executable, "-m", "whiteboard", "parse", "missing.mmd"], tmp_path)
    assert failed.returncode == 2
    assert b"Traceback" not in failed.stderr


def test_closed_stdout_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    # Enough output to fill a pipe buffer many times over, then the reader goes away
    # (as with `whiteboard parse big.mmd | head -c 100`).
    lines = ["flowchart LR"] + [f"  N{i}[Node number {i}] --> N{i + 1}" for i in range(3000)]
    put(tmp_path, "big.mmd", "\n".join(lines) + "\n")
    process = subprocess.Popen([*console_script(), "parse", "big.mmd"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(100)
        process.stdout.close()
        stderr = process.stderr.read()
        returncode = process.wait(timeout=120)
    finally:
        process.kill()
        process.wait()
    assert b"Traceback" not in stderr
    assert returncode == 0


def test_error_messages_do_not_depend_on_hash_seed(tmp_path: Path) -> None:
    # "expected ..." lists come from sets of terminals; their order must be fixed.
    put(tmp_path, "eof.mmd", "flowchart TD\n  A -->\n")
    put(tmp_path, "bad.mmd", BAD)
    outputs = {
        run([*console_script(), "parse", "-f", "jsonl", "eof.mmd", "bad.mmd"], tmp_path,
            PYTHONHASHSEED=seed).stderr
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1, outputs
