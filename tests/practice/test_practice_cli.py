"""`whiteboard practice`, `history` and `scorecard` as a person runs them: real processes, real files."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.practice.conftest import load_round, round_files

BOARD = 'flowchart LR\n    Req["Requirements<br/>10M DAU, p99 < 200ms"]\n'
MORE = BOARD + '    Met["Metrics<br/>offline: NDCG@10<br/>online: CTR"]\n' \
               '    Events[(Click events)] --> ETL[Spark ETL] --> Lake[(Data lake)]\n'


def console_script() -> list[str]:
    beside = Path(sys.executable).with_name("whiteboard")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    return [sys.executable, "-m", "whiteboard"]


def environment(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["WHITEBOARD_DATA_DIR"] = str(data)
    return env


def save_like_an_editor(path: Path, text: str) -> None:
    """Write a temporary file and rename it over the answer, as most editors save."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


class Session:
    """A running `whiteboard practice` whose output lines can be waited for."""

    def __init__(self, args: list[str], cwd: Path, data: Path) -> None:
        self.process = subprocess.Popen([*console_script(), "practice", *args], cwd=cwd, env=environment(data),
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: "queue.Queue[str]" = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, needle: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if needle in line:
                return line
        raise AssertionError(f"no line with {needle!r} in {timeout:g} s; saw {self.seen!r}")

    def finish(self, timeout: float = 30.0) -> tuple[int, str, str]:
        code = self.process.wait(timeout=timeout)
        time.sleep(0.1)
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        return code, "".join(self.seen + rest), self.process.stderr.read()


def started_with_one_save(tmp_path: Path, data: Path) -> Session:
    """A 45-minute round whose answer has been saved once and seen by the coach."""
    session = Session(["framework", "--file", "answer.mmd", "--plain"], tmp_path, data)
    session.wait_for("draw now:")
    save_like_an_editor(tmp_path / "answer.mmd", BOARD)
    session.wait_for("save 1")
    return session


def history_json(cwd: Path, data: Path) -> dict:
    result = subprocess.run([*console_script(), "history", "--format", "json"], cwd=cwd, env=environment(data),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_short_round_runs_to_the_end_and_leaves_a_scorecard(tmp_path):
    data = tmp_path / "data"
    session = Session(["framework", "--file", "answer.mmd", "--minutes", "0.12", "--plain"], tmp_path, data)
    session.wait_for("draw now:")
    answer = tmp_path / "answer.mmd"
    assert answer.read_text().startswith("%% problem: framework")
    save_like_an_editor(answer, BOARD)
    session.wait_for("save 1")
    save_like_an_editor(answer, MORE)
    session.wait_for("save 2")
    code, out, err = session.finish()
    assert code == 0, err
    assert "Traceback" not in err
    page = (tmp_path / "answer.scorecard.md").read_text()
    assert "| 1 | Requirements + clarification |" in page and "| 3 | Data |" in page
    if shutil.which("dot"):
        assert (tmp_path / "answer.scorecard.svg").read_bytes().startswith(b"<?xml")
        assert "(answer.scorecard.svg)" in page
    (round_,) = history_json(tmp_path, data)["rounds"]
    assert round_["status"] == "time" and round_["saves"] == 2 and round_["problem"] == "framework"
    assert "data" not in round_["missing_stages"] and "monitoring" in round_["missing_stages"]


@pytest.mark.skipif(os.name == "nt", reason="SIGINT to a child process is a POSIX thing")
def test_ctrl_c_closes_the_round_with_a_scorecard(tmp_path):
    data = tmp_path / "data"
    session = started_with_one_save(tmp_path, data)
    session.process.send_signal(signal.SIGINT)
    code, out, err = session.finish()
    assert code == 0, err
    assert "stopped by hand" in out and (tmp_path / "answer.scorecard.md").exists()
    (round_,) = history_json(tmp_path, data)["rounds"]
    assert round_["status"] == "stopped"


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is a POSIX thing")
def test_a_killed_round_keeps_its_saves(tmp_path):
    data = tmp_path / "data"
    session = started_with_one_save(tmp_path, data)
    save_like_an_editor(tmp_path / "answer.mmd", MORE)
    session.wait_for("save 2")
    session.process.kill()
    session.process.wait(timeout=10)
    (round_,) = history_json(tmp_path, data)["rounds"]
    assert round_["status"] == "interrupted" and round_["saves"] == 2
    card = subprocess.run([*console_script(), "history", "--round", str(round_["round"])], cwd=tmp_path,
                          env=environment(data), capture_output=True, text=True, timeout=60)
    assert card.returncode == 0 and "| 3 | Data |" in card.stdout and "interrupted" in card.stdout


@pytest.mark.parametrize("args, message", [
    (["nope"], "unknown problem"),
    (["rag", "--minutes", "0"], "a round lasts"),
    (["rag", "--file", "taken.mmd"], "taken.mmd exists"),
    (["rag", "--direction", "XY"], "--direction"),
])
def test_a_round_that_cannot_start_is_one_line_and_exit_2(tmp_path, args, message):
    (tmp_path / "taken.mmd").write_text("flowchart LR\n")
    result = subprocess.run([*console_script(), "practice", *args, "--plain"], cwd=tmp_path,
                            env=environment(tmp_path / "data"), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "taken.mmd").read_text() == "flowchart LR\n"


def test_scorecard_scores_a_recorded_timeline_file(tmp_path):
    timeline, _ = load_round(next(p for p in round_files() if p.stem == "monitoring_late"))
    (tmp_path / "round.json").write_text(timeline.to_json())
    result = subprocess.run([*console_script(), "scorecard", "round.json"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and "**WB903**" in result.stdout
    as_json = subprocess.run([*console_script(), "scorecard", "round.json", "--format", "json"], cwd=tmp_path,
                             capture_output=True, text=True, timeout=60)
    assert json.loads(as_json.stdout)["stages"][6]["first_min"] == 44.0
    (tmp_path / "bad.json").write_text("{")
    bad = subprocess.run([*console_script(), "scorecard", "bad.json"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "bad.json:1:2: not JSON" in bad.stderr


def test_history_with_no_rounds_says_how_to_start_one(tmp_path):
    result = subprocess.run([*console_script(), "history"], cwd=tmp_path, env=environment(tmp_path / "data"),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "whiteboard practice PROBLEM" in result.stdout


def test_recorded_rounds_can_be_imported_and_show_their_trend(tmp_path):
    examples = Path(__file__).parents[2] / "examples" / "practice"
    data = tmp_path / "data"
    for name in ("rag-round.json", "rag-round-2.json"):
        imported = subprocess.run([*console_script(), "history", "--import", str(examples / name)], cwd=tmp_path,
                                  env=environment(data), capture_output=True, text=True, timeout=60)
        assert imported.returncode == 0 and "as round" in imported.stdout, imported.stderr
    rounds = history_json(tmp_path, data)
    first, second = rounds["rounds"]
    assert first["anti_patterns"] == ["model-first"] and second["anti_patterns"] == []
    (trend,) = rounds["trend"]
    assert (trend["signals_first"], trend["signals_latest"]) == (first["signals"], second["signals"])
    assert second["signals"] > first["signals"]
    page = subprocess.run([*console_script(), "history", "--format", "markdown", "-o", "history.md"],
                          cwd=tmp_path, env=environment(data), capture_output=True, text=True, timeout=60)
    assert page.returncode == 0
    assert (tmp_path / "history.svg").read_text().startswith("<svg")
    assert "![coverage per round](history.svg)" in (tmp_path / "history.md").read_text()


@pytest.mark.skipif(shutil.which("dot") is None, reason="notes draws each skeleton with Graphviz's dot")
def test_the_notes_folder_carries_the_history_once_there_is_one(tmp_path):
    data = tmp_path / "data"
    bare = subprocess.run([*console_script(), "notes", "before", "--problem", "rag"], cwd=tmp_path,
                          env=environment(data), capture_output=True, text=True, timeout=120)
    assert bare.returncode == 0, bare.stderr
    assert not (tmp_path / "before" / "history.md").exists() and not data.exists()
    examples = Path(__file__).parents[2] / "examples" / "practice"
    subprocess.run([*console_script(), "history", "--import", str(examples / "rag-round.json")], cwd=tmp_path,
                   env=environment(data), capture_output=True, timeout=60, check=True)
    notes = subprocess.run([*console_script(), "notes", "after", "--problem", "rag"], cwd=tmp_path,
                           env=environment(data), capture_output=True, text=True, timeout=120)
    assert notes.returncode == 0, notes.stderr
    assert "[history](history.md)" in (tmp_path / "after" / "index.md").read_text()
    assert "| 1 | 2026-12-02 | rag |" in (tmp_path / "after" / "history.md").read_text()
    assert (tmp_path / "after" / "history.svg").read_text().startswith("<svg")
