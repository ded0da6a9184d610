"""Rounds in SQLite: what is kept, what an interrupted round still shows, the history report."""

from __future__ import annotations

import sqlite3

import pytest

from tests.practice.conftest import load_round, round_files
from whiteboard import history_report as report
from whiteboard.errors import WhiteboardError
from whiteboard.history import History
from whiteboard.scorecard import score
from whiteboard.timeline import Timeline


def _recorded(name: str) -> Timeline:
    return load_round(next(p for p in round_files() if p.stem == name))[0]


def _store(history: History, timeline: Timeline, *, finish: bool = True) -> int:
    """Record *timeline* the way a live round does: the row, then each save, then the card."""
    live = Timeline(timeline.problem, timeline.minutes, [], timeline.started_at)
    round_id = history.start(live)
    for save in timeline.saves:
        history.add_save(round_id, save)
    if finish:
        history.finish(round_id, timeline.ended_s, timeline.end_reason, score(timeline).to_dict())
    return round_id


def test_a_round_comes_back_as_the_same_timeline(tmp_path):
    timeline = _recorded("in_order")
    with History(tmp_path / "h.sqlite3") as history:
        round_id = _store(history, timeline)
        again = history.timeline(round_id)
        (row,) = history.rounds()
    assert [(s.at_s, s.text) for s in again.saves] == [(s.at_s, s.text) for s in timeline.saves]
    assert row.saves == len(timeline.saves) and row.status == "time"
    assert score(again).to_dict()["stages"] == row.card["stages"]


def test_every_save_is_on_disk_before_the_next_one(tmp_path):
    """A second connection (another process, after a kill) sees each save as soon as add_save returns."""
    path = tmp_path / "h.sqlite3"
    timeline = _recorded("in_order")
    with History(path) as history:
        round_id = history.start(Timeline(timeline.problem, 45, [], timeline.started_at))
        for n, save in enumerate(timeline.saves, start=1):
            history.add_save(round_id, save)
            reader = sqlite3.connect(path)
            assert reader.execute("SELECT COUNT(*) FROM saves").fetchone()[0] == n
            reader.close()


def test_an_interrupted_round_is_scored_from_its_saves(tmp_path):
    with History(tmp_path / "h.sqlite3") as history:
        _store(history, _recorded("in_order"))
        _store(history, _recorded("model_first"), finish=False)
        lines = report.lines(history)
    assert [line.row.status for line in lines] == ["time", "interrupted"]
    interrupted = lines[1]
    assert interrupted.card["stages"][0]["first_min"] == pytest.approx(6.0)  # requirements at minute 6
    assert [e["name"] for e in interrupted.card["anti_patterns"]] == ["model-first"]


def test_the_report_shows_coverage_minutes_per_stage_and_the_trend(tmp_path):
    with History(tmp_path / "h.sqlite3") as history:
        _store(history, _recorded("model_first"))
        _store(history, _recorded("in_order"))
        lines = report.lines(history)
        only = report.lines(history, "rag")
    assert only == []
    text = report.text_table(lines)
    first, second = lines
    assert f"{first.coverage:.0%}" in text and f"{second.coverage:.0%}" in text
    (trend,) = report.trend(lines)
    assert trend["rounds"] == 2 and trend["change"] == pytest.approx(second.coverage - first.coverage, abs=1e-3)
    assert second.coverage > first.coverage
    row = next(line for line in text.splitlines() if line.startswith(str(second.row.id) + " "))
    assert "5.0  3.0   7.0   5.0    8.0    8.0  5.0" in row  # the in-order round's minutes per stage
    page = report.markdown(lines, "history.svg")
    assert "![coverage per round](history.svg)" in page and "| 2 |" in page


def test_the_plot_is_svg_with_one_point_per_round(tmp_path):
    from xml.etree import ElementTree

    with History(tmp_path / "h.sqlite3") as history:
        for name in ("model_first", "broken_save", "in_order"):
            _store(history, _recorded(name))
        lines = report.lines(history)
    svg = ElementTree.fromstring(report.plot_svg(lines))
    circles = svg.findall("{http://www.w3.org/2000/svg}circle")
    assert len(circles) == 3
    heights = [float(c.get("cy")) for c in circles]
    order = sorted(range(3), key=lambda i: lines[i].coverage)
    assert sorted(heights, reverse=True) == [heights[i] for i in order]  # more coverage, higher point


def test_an_unknown_round_and_an_unusable_database_are_clear_errors(tmp_path):
    with History(tmp_path / "h.sqlite3") as history, pytest.raises(WhiteboardError, match="no practice round 9"):
        history.timeline(9)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(WhiteboardError, match="cannot open the practice history"):
        History(blocker / "h.sqlite3")


def test_the_data_directory_can_be_moved(tmp_path, monkeypatch):
    monkeypatch.setenv("WHITEBOARD_DATA_DIR", str(tmp_path / "elsewhere"))
    with History() as history:
        assert history.path == tmp_path / "elsewhere" / "history.sqlite3"
    assert history.path.exists()
