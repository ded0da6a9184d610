"""`whiteboard check` where people keep their designs: a notes folder, stdin from an editor,
CI formats, a progress bar on a terminal; through the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("whiteboard")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "whiteboard"]

DESIGN_MD = """# Feed ranking

The online path first.

```mermaid
%% sla: 100ms
flowchart LR
  Client([Mobile app]) -->|"~10ms"| GW[API gateway]
  GW -->|"~30ms"| Ranker[Ranking model]
```

A sequence diagram of the same request:

```mermaid
sequenceDiagram
  Client->>GW: request
```

1. The training side, drawn in a list item:

   ```mermaid
   %% wb: disable=WB705
   flowchart TB
     Events[(Click logs)] --> ETL[Spark ETL]
     ETL --> Train[Model training]
   ```

> A quoted draft with an unclosed fence:
>
> ~~~mermaid
> flowchart LR
>   Q --> R
"""

BROKEN_MMD = "flowchart LR\n  Serve[Model serving --> Mon\n"


def run(*args: str, cwd: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment.update(env or {})
    return subprocess.run([*COMMAND, *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          timeout=120, env=environment)


def where(text: str, needle: str) -> tuple[int, int]:
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


@pytest.fixture()
def notes(tmp_path):
    root = tmp_path / "notes"
    (root / "ranking").mkdir(parents=True)
    (root / "ranking" / "feed.md").write_text(DESIGN_MD, encoding="utf-8")
    (root / "serving.mmd").write_text(BROKEN_MMD, encoding="utf-8")
    (root / "README.txt").write_text("not a diagram", encoding="utf-8")
    for skipped in (".obsidian", "node_modules/mermaid-pkg"):
        (root / skipped).mkdir(parents=True)
        (root / skipped / "x.mmd").write_text("flowchart LR\n  A[never read\n", encoding="utf-8")
    return tmp_path


def test_a_notes_folder_in_one_command(notes):
    done = run("check", "notes", "--format", "json", cwd=notes)
    assert done.returncode == 2, done.stderr  # the broken .mmd and the unclosed fence
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    files = {f["path"]: f for f in report["files"]}
    assert set(files) == {"notes/ranking/feed.md", "notes/serving.mmd"}  # nothing hidden or vendored

    md = files["notes/ranking/feed.md"]["diagrams"]
    assert [d["line"] for d in md] == [where(DESIGN_MD, "flowchart LR")[0], where(DESIGN_MD, "sequenceDiagram")[0],
                                       where(DESIGN_MD, "flowchart TB")[0], where(DESIGN_MD, "~~~mermaid")[0]]
    first, sequence, training, unclosed = md
    # Findings sit where the text really is in the .md file, list indentation included.
    by_code = {f["code"]: f for f in first["findings"]}
    assert (by_code["WB701"]["line"], by_code["WB701"]["column"]) == where(DESIGN_MD, "flowchart LR")
    assert first["latency"]["sla_ms"] == 100.0 and first["latency"]["critical_path_ms"] is not None
    assert [f["code"] for f in sequence["findings"]] == ["WB003"] and sequence["skipped"] == "sequenceDiagram"
    assert (sequence["findings"][0]["line"], sequence["findings"][0]["column"]) == where(DESIGN_MD, "sequenceDiagram")
    header = where(DESIGN_MD, "flowchart TB")
    assert header[1] == 4  # inside "1. " : three columns of list indentation
    nodes = {f["code"]: f for f in training["findings"]}
    assert (nodes["WB701"]["line"], nodes["WB701"]["column"]) == header
    assert "WB705" not in nodes  # suppressed by the directive in the fence
    for finding in training["findings"]:
        line = DESIGN_MD.splitlines()[finding["line"] - 1]
        assert line[finding["column"] - 1:].strip(), finding  # never past the end of the line
    for finding in training["findings"]:
        if finding["nodes"] and finding["code"] != "WB703":
            node = finding["nodes"][0]
            assert DESIGN_MD.splitlines()[finding["line"] - 1][finding["column"] - 1:].startswith(node), finding
    (fence,) = unclosed["findings"]
    assert fence["code"] == "WB006" and (fence["line"], fence["column"]) == where(DESIGN_MD, "~~~mermaid")

    (broken,) = files["notes/serving.mmd"]["diagrams"]
    assert [(f["code"], f["line"], f["column"]) for f in broken["findings"]] == [
        ("WB001", 2, 8)]
    assert report["summary"]["files"] == 2 and report["summary"]["diagrams"] == 5
    assert report["summary"]["suppressed"] == 1


def test_text_report_of_the_folder(notes):
    done = run("check", "notes", "--quiet", cwd=notes)
    assert done.returncode == 2
    line, column = where(DESIGN_MD, "sequenceDiagram")
    assert f"notes/ranking/feed.md:{line}:{column}: WB003 [info] Skipped a Mermaid sequence diagram" in done.stdout
    assert "coverage" not in done.stdout  # --quiet: findings and the summary
    assert done.stdout.rstrip().splitlines()[-1].endswith("in 2 files (5 diagrams, 1 suppressed)")


def test_several_paths_stdin_and_exit_codes(notes):
    good = notes / "good.mmd"
    good.write_text("%% wb: disable\nflowchart LR\n  A --> B\n", encoding="utf-8")
    assert run("check", str(good), cwd=notes).returncode == 0
    both = run("check", str(good), "notes/serving.mmd", "-f", "json", cwd=notes)
    assert both.returncode == 2 and len(json.loads(both.stdout)["files"]) == 2
    md = run("check", "-", "--stdin-filename", "notes/ranking/feed.md", "-f", "json", cwd=notes, stdin=DESIGN_MD)
    report = json.loads(md.stdout)
    assert report["files"][0]["path"] == "notes/ranking/feed.md" and len(report["files"][0]["diagrams"]) == 4
    # Only a warning (an unreadable directive): exit 0, or 1 with --strict; info alone never fails.
    stated = "flowchart LR\n  Req[Requirements: 5K QPS, p99 < 100ms] --> S[Serving]\n"
    warning = "%% wb: disable WB101\n" + stated
    assert run("check", "-", "--select", "WB1,WB004", cwd=notes, stdin=warning).returncode == 0
    assert run("check", "-", "--select", "WB1,WB004", "--strict", cwd=notes, stdin=warning).returncode == 1
    stale = "%% wb: disable=WB101\n" + stated
    assert run("check", "-", "--select", "WB1,WB005", "--strict", cwd=notes, stdin=stale).returncode == 0
    assert run("check", "-", "--exit-zero", cwd=notes, stdin="flowchart LR\n  A --> B\n").returncode == 0


def test_no_files_is_a_warning_not_a_failure(tmp_path):
    (tmp_path / "empty").mkdir()
    done = run("check", "empty", cwd=tmp_path)
    assert done.returncode == 0 and "no diagram files" in done.stderr


def test_machine_formats_and_auto(notes):
    github = run("check", "notes", "--format", "auto", cwd=notes, env={"GITHUB_ACTIONS": "true"})
    assert github.stdout.startswith("::") and "::error file=notes/serving.mmd,line=2,col=8,title=WB001" in github.stdout
    text = run("check", "notes", "--format", "auto", cwd=notes)
    assert not text.stdout.startswith("::")
    out = notes / "report.sarif"
    sarif = run("check", "notes", "--format", "sarif", "-o", str(out), cwd=notes)
    assert sarif.returncode == 2 and sarif.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_config_error_is_exit_2_with_the_file_and_key(notes):
    (notes / "pyproject.toml").write_text('[tool.whiteboard]\nexlude = ["drafts/"]\n', encoding="utf-8")
    done = run("check", "notes", cwd=notes)
    assert done.returncode == 2 and done.stdout == ""
    assert "pyproject.toml: [tool.whiteboard].exlude: unknown key; did you mean 'exclude'?" in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_only_on_a_terminal_and_only_for_text(tmp_path):
    import pty

    for index in range(60):
        (tmp_path / f"d{index:02}.mmd").write_text("%% wb: disable\nflowchart LR\n  A --> B\n", encoding="utf-8")

    def with_terminal_stderr(*args: str) -> tuple[str, str]:
        leader, follower = pty.openpty()
        report = (tmp_path / "stdout.txt").open("w+b")  # a file, so a long report cannot block the child
        process = subprocess.Popen([*COMMAND, *args], cwd=tmp_path, stdout=report, stderr=follower,
                                   env={**os.environ, "TERM": "xterm", "COLUMNS": "80"})
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=120)
        os.close(leader)
        report.seek(0)
        stdout = report.read().decode()
        report.close()
        return stdout, b"".join(chunks).decode(errors="replace")

    stdout, terminal = with_terminal_stderr("check", ".", "--quiet")
    assert "checking" in terminal and "60" in terminal
    assert "\x1b" not in stdout and "in 60 files" in stdout.rstrip().splitlines()[-1]  # the report is clean
    stdout, terminal = with_terminal_stderr("check", ".", "--format", "json")
    assert "checking" not in terminal and json.loads(stdout)["summary"]["files"] == 60
