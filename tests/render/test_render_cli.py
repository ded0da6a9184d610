"""`whiteboard render` and `whiteboard notes` as a user runs them: the installed console
script as a real process, with the real `dot`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from render_helpers import all_text, needs_dot, svg_groups

ROOT = Path(__file__).resolve().parents[2]
RECSYS = ROOT / "examples" / "recsys.mmd"


def console_script() -> list[str]:
    beside = Path(sys.executable).with_name("whiteboard")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("whiteboard")
    return [found] if found else [sys.executable, "-m", "whiteboard"]


def run(args: list[str], cwd: Path, stdin: bytes | None = None, env: dict | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*console_script(), *args], cwd=cwd, input=stdin, capture_output=True,
                          env=env, timeout=timeout, check=False)


@needs_dot
def test_render_writes_an_svg(tmp_path: Path) -> None:
    result = run(["render", str(RECSYS), "-o", "recsys.svg"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"" and result.stderr == b""
    data = (tmp_path / "recsys.svg").read_bytes()
    ET.fromstring(data)
    assert "Online store: Redis" in svg_groups(data, "node").values()


@needs_dot
def test_two_runs_give_the_same_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert run(["render", str(RECSYS), "--overlay", "-o", f"{name}.svg"], tmp_path).returncode == 0
        assert run(["render", str(RECSYS), "--overlay", "-o", f"{name}.png"], tmp_path).returncode == 0
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.png").read_bytes().startswith(b"\x89PNG")


@needs_dot
def test_stdin_to_stdout_and_default_output_name(tmp_path: Path) -> None:
    result = run(["render", "-", "--format", "dot"], tmp_path, stdin=b"flowchart LR\n  A --> B\n")
    assert result.returncode == 0 and result.stdout.startswith(b"digraph whiteboard {")
    (tmp_path / "design.mmd").write_text("flowchart LR\n  A[Kafka] --> B[Flink]\n", encoding="utf-8")
    result = run(["render", "design.mmd"], tmp_path)
    assert result.returncode == 0
    assert result.stderr.decode().strip() == "wrote design.svg"
    assert all_text((tmp_path / "design.svg").read_bytes()) == "Kafka Flink"


def test_a_syntax_error_is_one_message_and_no_file(tmp_path: Path) -> None:
    result = run(["render", str(ROOT / "examples/bad/syntax_error.mmd"), "-o", "out.svg"], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert lines[0].endswith("syntax_error.mmd:2:32: unexpected '['; expected ']' to close the node text or "
                             "more text")
    assert lines[2].strip() == "^" and "Traceback" not in result.stderr.decode()
    assert list(tmp_path.iterdir()) == []


def test_without_dot_one_line_says_how_to_install_it(tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    result = run(["render", str(RECSYS), "-o", "x.svg"], tmp_path, env=env)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "whiteboard: error: Graphviz's 'dot' program is not installed (needed for --engine graphviz): install "
        "it with 'apt-get install graphviz' (Debian/Ubuntu) or 'brew install graphviz' (macOS)\n")
    assert not (tmp_path / "x.svg").exists()
    # --format dot needs no Graphviz program at all
    assert run(["render", str(RECSYS), "-f", "dot", "-o", "x.dot"], tmp_path, env=env).returncode == 0


def test_usage_errors(tmp_path: Path) -> None:
    result = run(["render", str(RECSYS), "--problem", "recsyss"], tmp_path)
    assert result.returncode == 2 and "did you mean 'recsys'?" in result.stderr.decode()
    result = run(["render", str(RECSYS), "--sla", "fast"], tmp_path)
    assert result.returncode == 2 and "--sla 'fast'" in result.stderr.decode()
    result = run(["render", "missing.mmd"], tmp_path)
    assert result.returncode == 2 and result.stderr.decode() == "missing.mmd: no such file\n"


NOTES = """\
# My notes

```mermaid
flowchart LR
  A[Kafka] --> B[Flink]
```

Some text.

```mermaid
sequenceDiagram
  A->>B: hi
```

- a list item

  ```mermaid
  flowchart TD
    C([User]) -->|~10ms| D[Model serving]
  ```

```mermaid
flowchart LR
  E[broken --> F
```
"""


@needs_dot
def test_inline_draws_every_fence_next_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "NOTES.md").write_text(NOTES, encoding="utf-8")
    result = run(["render", "NOTES.md", "--inline"], tmp_path)
    assert result.returncode == 2, "the broken fence makes it fail, after drawing the others"
    err = result.stderr.decode().splitlines()
    assert err[0] == "wrote NOTES-1.svg"
    assert err[1].startswith("NOTES.md:10: fence 2 skipped: this is a Mermaid sequence diagram")
    assert err[2] == "wrote NOTES-3.svg"
    assert err[3].startswith("NOTES.md:24:4: unexpected end of file: the '[' that opens")  # its place in the .md
    assert sorted(p.name for p in tmp_path.iterdir()) == ["NOTES-1.svg", "NOTES-3.svg", "NOTES.md"]
    assert all_text((tmp_path / "NOTES-1.svg").read_bytes()) == "Kafka Flink"
    assert sorted(svg_groups((tmp_path / "NOTES-3.svg").read_bytes(), "node").values()) == ["Model serving", "User"]
    out = tmp_path / "pictures"
    assert run(["render", "NOTES.md", "--inline", "--overlay", "-f", "png", "-o", str(out)], tmp_path).returncode == 2
    assert sorted(p.name for p in out.iterdir()) == ["NOTES-1.png", "NOTES-3.png"]


@needs_dot
def test_a_markdown_file_with_one_fence_renders_without_inline(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text("# x\n\n```mermaid\nflowchart LR\n  A --> B\n```\n", encoding="utf-8")
    assert run(["render", "one.md", "-o", "one.svg"], tmp_path).returncode == 0
    (tmp_path / "two.md").write_text(NOTES, encoding="utf-8")
    result = run(["render", "two.md", "-o", "two.svg"], tmp_path)
    assert result.returncode == 2 and "use --inline" in result.stderr.decode()


@needs_dot
def test_notes_writes_a_page_and_a_picture_per_problem(tmp_path: Path) -> None:
    result = run(["notes", "out", "--problem", "recsys", "--problem", "rag"], tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["index.md", "rag.md", "rag.svg", "recsys.md", "recsys.svg"]
    page = (out / "recsys.md").read_text(encoding="utf-8")
    for heading in ("## Key challenges", "## Must discuss", "## The 45-minute plan", "## Serving", "```mermaid"):
        assert heading in page
    assert "![Recommendation system: the skeleton with the check's overlay](recsys.svg)" in page
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "[Recommendation system](recsys.md)" in index and "[RAG pipeline](rag.md)" in index
    svg = (out / "recsys.svg").read_bytes()
    assert "critical path" in all_text(svg) and "missing:" not in all_text(svg), "the skeleton passes its check"
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert run(["notes", "out", "--problem", "recsys", "--problem", "rag"], tmp_path).returncode == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_check_does_not_import_the_renderers(tmp_path: Path) -> None:
    code = ("import sys\nfrom whiteboard.cli import main\nsys.argv = ['whiteboard', 'check', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('graphviz', 'mermaid', 'requests', 'whiteboard.render') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(RECSYS)], capture_output=True, text=True,
                            cwd=tmp_path, check=False)
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_the_readme_commands_work(tmp_path: Path) -> None:
    """The commands the README shows for render, run as shown."""
    for args in (["render", str(RECSYS), "-o", "recsys.svg"],
                 ["render", str(ROOT / "examples/bad/ends_at_serving.mmd"), "--overlay", "-o", "flawed.png"],
                 ["render", str(RECSYS), "--overlay", "--problem", "recsys", "--sla", "150ms", "-o", "r.svg"],
                 ["render", str(RECSYS), "-f", "dot", "-o", "recsys.dot"]):
        result = run(args, tmp_path)
        assert result.returncode == 0, (args, result.stderr)
