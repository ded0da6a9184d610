"""Pathological inputs through the real command line: each ends in seconds, exit 0/1/2, with
a clear message and never a Python traceback.

The sizes are the issue's (10k nested subgraphs, a 1 MB label, 100k nodes on one line, a
50k-edge cycle); the inputs are generated here, in tmp_path. Every run has a timeout, so a
hang fails the test instead of stalling the suite. tests/test_files.py covers the same
file-level cases through the library; these go through the installed console script.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HANG = 180  # seconds: far above any of these runs, so only a hang reaches it
FLOW = "flowchart LR\n  A[Client] --> B[Model serving]\n"


def _command() -> list[str]:
    script = Path(sys.executable).with_name("whiteboard")
    return [str(script)] if script.exists() else [sys.executable, "-m", "whiteboard"]


def whiteboard(*args: str, cwd: Path, pass_fds: tuple[int, ...] = ()) -> subprocess.CompletedProcess:
    done = subprocess.run([*_command(), *args], cwd=cwd, capture_output=True, text=True, timeout=HANG,
                          pass_fds=pass_fds, stdin=subprocess.DEVNULL)
    assert done.returncode in (0, 1, 2), done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    return done


def check_json(path: Path) -> tuple[int, list[dict]]:
    """Exit code and every finding (with its file) of `whiteboard check PATH --format json`."""
    done = whiteboard("check", path.name, "--format", "json", cwd=path.parent)
    report = json.loads(done.stdout)
    findings = [dict(finding, path=file["path"]) for file in report["files"]
                for diagram in file["diagrams"] for finding in diagram["findings"]]
    return done.returncode, findings


def _checked(path: Path) -> None:
    """The diagram was read, parsed and checked: the rules ran, nothing is an input error."""
    code, findings = check_json(path)
    assert code in (0, 1)
    assert findings and not [f for f in findings if f["code"] in ("WB001", "WB006")]


# -- big, deep and long ------------------------------------------------------------------------

def test_ten_thousand_nested_subgraphs(tmp_path):
    depth = 10_000
    text = ["flowchart LR"] + [f"subgraph s{i}" for i in range(depth)] + ["  A[Client] --> B[Model serving]"]
    path = tmp_path / "nested.mmd"
    path.write_text("\n".join(text + ["end"] * depth) + "\n", encoding="utf-8")
    _checked(path)
    parsed = json.loads(whiteboard("parse", path.name, cwd=tmp_path).stdout)
    assert len(parsed["subgraphs"]) == depth
    innermost = next(s for s in parsed["subgraphs"] if s["id"] == f"s{depth - 1}")
    assert sorted(innermost["nodes"]) == ["A", "B"]


def test_one_megabyte_label(tmp_path):
    label = "feature store " * ((1 << 20) // 14 + 1)
    path = tmp_path / "label.mmd"
    path.write_text(f'flowchart LR\n  A["{label}"] --> B[Model serving]\n', encoding="utf-8")
    assert path.stat().st_size > 1 << 20
    _checked(path)


def test_hundred_thousand_nodes_on_one_line(tmp_path):
    # A chain, as mermaid-js accepts it (checked with its parser): one statement, 99,999 links.
    path = tmp_path / "line.mmd"
    path.write_text("flowchart LR\n  " + " --> ".join(f"A{i}" for i in range(100_000)) + "\n", encoding="utf-8")
    assert path.read_text(encoding="utf-8").count("\n") == 2
    _checked(path)


def test_a_cycle_of_fifty_thousand_edges(tmp_path):
    size = 50_000
    path = tmp_path / "cycle.mmd"
    lines = [f"  N{i}[Model serving {i}] --> N{(i + 1) % size}" for i in range(size)]
    path.write_text("flowchart LR\n" + "\n".join(lines) + "\n", encoding="utf-8")
    _checked(path)


# -- not a diagram -----------------------------------------------------------------------------

def test_a_file_of_only_comments(tmp_path):
    path = tmp_path / "comments.mmd"
    path.write_text("".join(f"%% note {i}: nothing drawn yet\n" for i in range(200)), encoding="utf-8")
    done = whiteboard("check", path.name, cwd=tmp_path)
    assert done.returncode == 2
    assert re.search(r"comments\.mmd:1:1: WB001 \[error\] there is no diagram here", done.stdout)


def test_nul_bytes(tmp_path):
    path = tmp_path / "nul.mmd"
    path.write_bytes(b"flowchart LR\n  A --> B\x00\x00C\n")
    done = whiteboard("check", path.name, cwd=tmp_path)
    assert done.returncode == 2
    assert re.search(r"nul\.mmd:2:10: WB001 \[error\] this looks like a binary file \(a NUL byte on line 2\)",
                     done.stdout)


# (file, bytes, line and column of the first NUL: 1-based, columns in characters as an editor counts)
NUL_FILES = [
    pytest.param("design.mmd", "flowchart LR\n  A[Café] --> B\x00\n".encode(), 2, 16, id="after-a-two-byte-letter"),
    pytest.param("notes.md", b"# Notes\n\n```mermaid\nflowchart LR\n  A --> B\x00\n```\n", 5, 10,
                 id="markdown-in-the-document"),
    pytest.param("bom.mmd", b"\xef\xbb\xbfflowchart LR\x00\n", 1, 13, id="after-a-byte-order-mark"),
    pytest.param("image.mmd", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, 1, id="a-png"),
    pytest.param("first.mmd", b"\x00flowchart LR\n", 1, 1, id="the-first-byte"),
]


@pytest.mark.parametrize("name, data, line, column", NUL_FILES)
def test_a_nul_byte_is_reported_where_it_is(tmp_path, name, data, line, column):
    (tmp_path / name).write_bytes(data)
    done = whiteboard("check", name, cwd=tmp_path)
    assert done.returncode == 2
    assert f"{name}:{line}:{column}: WB001 [error] this looks like a binary file (a NUL byte on line {line})" \
        in done.stdout
    code, findings = check_json(tmp_path / name)
    (finding,) = findings
    assert (code, finding["code"], finding["line"], finding["column"]) == (2, "WB001", line, column)


@pytest.mark.parametrize("name, data, line, column", NUL_FILES)
def test_a_nul_byte_on_stdin_is_reported_where_it_is(tmp_path, name, data, line, column):
    # --stdin-filename says what stdin stands for: notes.md is read as Markdown, as the file would be.
    done = subprocess.run([*_command(), "check", "-", "--stdin-filename", name, "--format", "json"], cwd=tmp_path,
                          input=data, capture_output=True, timeout=HANG, check=False)
    assert done.returncode == 2, done.stderr[-2000:]
    (file,) = json.loads(done.stdout)["files"]
    (finding,) = [f for d in file["diagrams"] for f in d["findings"]]
    assert (file["path"], finding["code"], finding["line"], finding["column"]) == (name, "WB001", line, column)
    assert f"a NUL byte on line {line}" in finding["message"]


def test_parse_names_the_nul_bytes_place(tmp_path):
    (tmp_path / "nul.mmd").write_bytes(b"flowchart LR\n  A --> B\x00\n")
    done = whiteboard("parse", "nul.mmd", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == "nul.mmd:2:10: this looks like a binary file (a NUL byte on line 2), not a Mermaid " \
        "text file"


def test_invalid_utf8(tmp_path):
    path = tmp_path / "latin1.mmd"
    path.write_bytes("flowchart LR\n  A[Caf\xe9 menu] --> B\n".encode("latin-1"))
    done = whiteboard("parse", path.name, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("latin1.mmd:2:8: the file is not UTF-8 text: byte 0xe9")


# -- files that are not there, or not files --------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_directory_with_a_symlink_loop(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.mmd").write_text(FLOW, encoding="utf-8")
    os.symlink("..", notes / "up")              # back to a directory the walk is inside
    os.symlink("self.mmd", notes / "self.mmd")  # a link to itself
    code, findings = check_json(notes)
    assert code == 2
    errors = {Path(f["path"]).name: f["message"] for f in findings if f["code"] == "WB001"}
    assert set(errors) == {"up", "self.mmd"}
    assert "a loop" in errors["up"] and "symbolic link loop" in errors["self.mmd"]
    assert any(Path(f["path"]).name == "a.mmd" for f in findings)  # the walk went on


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_a_file_that_cannot_be_read(tmp_path):
    # chmod 000 stops no one when the tests run as root (CI does); /proc/self/mem exists for
    # everyone and fails every read at offset 0 (EIO), so it is an unreadable file for root too.
    done = whiteboard("check", "/proc/self/mem", cwd=tmp_path)
    assert done.returncode == 2
    assert "/proc/self/mem:1:1: WB001 [error] cannot be read: Input/output error" in done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_a_walked_folder_is_not_opened(tmp_path):
    # Opening a pipe nothing writes to blocks forever; found by a walk, it is reported instead.
    (tmp_path / "a.mmd").write_text(FLOW, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.mmd")
    (tmp_path / "x.mmd").mkdir()  # a folder with a diagram's name is walked like any folder
    code, findings = check_json(tmp_path)
    assert code == 2
    (pipe,) = [f for f in findings if f["code"] == "WB001"]
    assert Path(pipe["path"]).name == "pipe.mmd" and (pipe["line"], pipe["column"]) == (1, 1)
    assert pipe["message"] == "is a named pipe (FIFO), not a regular file; not read"
    assert any(Path(f["path"]).name == "a.mmd" for f in findings)


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="no /dev/fd here")
def test_a_named_pipe_given_by_name_is_read(tmp_path):
    # `whiteboard check <(cat design.mmd)`: the shell passes /dev/fd/N, a link to a pipe.
    read_end, write_end = os.pipe()
    os.write(write_end, FLOW.encode("utf-8"))
    os.close(write_end)
    try:
        done = whiteboard("check", f"/dev/fd/{read_end}", "--format", "json", cwd=tmp_path, pass_fds=(read_end,))
    finally:
        os.close(read_end)
    findings = [f for file in json.loads(done.stdout)["files"] for d in file["diagrams"] for f in d["findings"]]
    assert done.returncode in (0, 1) and findings
    assert not [f for f in findings if f["code"] == "WB001"]


def test_a_directory_named_like_a_diagram(tmp_path):
    (tmp_path / "design.mmd").mkdir()
    done = whiteboard("parse", "design.mmd", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == "design.mmd: is a directory, not a file"


def test_markdown_with_an_unterminated_fence(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Ranking\n\nSome text.\n\n```mermaid\nflowchart LR\n  A --> B\n", encoding="utf-8")
    done = whiteboard("check", path.name, cwd=tmp_path)
    assert done.returncode == 2
    assert re.search(r"notes\.md:5:1: WB006 \[error\] Unterminated ```mermaid fence: nothing closes it before "
                     r"the end of the file", done.stdout)
