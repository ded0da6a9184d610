"""The scorecard from recorded timelines alone: per-stage minutes, first appearances, events."""

from __future__ import annotations

import json

import pytest

from tests.practice.conftest import load_round, round_files
from whiteboard.scorecard import score
from whiteboard.timeline import Timeline


@pytest.mark.parametrize("path", round_files(), ids=lambda p: p.stem)
def test_recorded_round(path):
    timeline, expect = load_round(path)
    card = score(timeline).to_dict()
    stages = {row["stage"]: row for row in card["stages"]}
    for stage, minute in expect.get("first", {}).items():
        assert stages[stage]["first_min"] == pytest.approx(minute, abs=0.05), stage
    for stage in expect.get("never", []):
        assert stages[stage]["first_min"] is None and not stages[stage]["on_board"], stage
    for stage, minutes in expect.get("spent", {}).items():
        assert stages[stage]["spent_min"] == pytest.approx(minutes, abs=0.05), stage
    for stage, minutes in expect.get("budget", {}).items():
        assert stages[stage]["budget_min"] == pytest.approx(minutes, abs=0.05), stage
    if "over" in expect:
        assert sorted(s for s, row in stages.items() if row["over_min"] > 0) == sorted(expect["over"])
    if "unassigned" in expect:
        assert card["unassigned_min"] == pytest.approx(expect["unassigned"], abs=0.05)
    # Every minute of the round is somewhere: on a stage or unassigned.
    assert sum(row["spent_min"] for row in card["stages"]) + card["unassigned_min"] == pytest.approx(
        timeline.duration_s / 60, abs=0.3)
    names = [event["name"] for event in card["anti_patterns"]]
    if "events" in expect:
        assert names == expect["events"]
    if "event_minutes" in expect:
        assert [e["at_s"] / 60 for e in card["anti_patterns"]] == pytest.approx(expect["event_minutes"])
    for name, minute in expect.get("fixed", {}).items():
        event = next(e for e in card["anti_patterns"] if e["name"] == name)
        assert event["fixed_s"] / 60 == pytest.approx(minute)


@pytest.mark.parametrize("path", round_files(), ids=lambda p: p.stem)
def test_the_card_survives_the_timeline_file(path):
    """A timeline written to JSON and read back scores the same: the file is the whole record."""
    timeline, _ = load_round(path)
    again = Timeline.from_json(timeline.to_json())
    assert score(again).to_dict() == score(timeline).to_dict()


def test_model_first_names_the_model_box_and_what_was_missing():
    timeline, _ = load_round(next(p for p in round_files() if p.stem == "model_first"))
    event = score(timeline).to_dict()["anti_patterns"][0]
    assert "Transformer model" in event["evidence"][0]
    assert "requirements, metrics and data" in event["message"]


def test_markdown_page_has_the_stage_table_and_the_picture():
    timeline, _ = load_round(next(p for p in round_files() if p.stem == "monitoring_late"))
    page = score(timeline).to_markdown("answer.scorecard.svg")
    assert "![the board at the end, with the check's overlay](answer.scorecard.svg)" in page
    table = [line for line in page.splitlines() if line.startswith("| 7 |")]
    assert table and "44:00" in table[0]  # monitoring first on the board at 44:00
    assert "**WB903**" in page and "gone at 44:00" in page


def test_an_empty_round_scores_without_a_board():
    card = score(Timeline(problem="rag", minutes=45, saves=[], ended_s=60.0, end_reason="stopped")).to_dict()
    assert card["coverage"] == 0.0 and card["saves"] == 0
    assert all(row["first_min"] is None for row in card["stages"])
    assert card["unassigned_min"] == pytest.approx(1.0)


@pytest.mark.parametrize("text, message", [
    ("{", "not JSON"),
    (json.dumps({"format": "other"}), "not a whiteboard timeline"),
    (json.dumps({"format": "whiteboard-timeline/1", "saves": [{"at_s": 5}]}), "malformed timeline"),
    (json.dumps({"format": "whiteboard-timeline/1", "minutes": 0}), "must be positive"),
    (json.dumps({"format": "whiteboard-timeline/1", "saves": [{"at_s": 5, "text": "a"},
                                                            {"at_s": 1, "text": "b"}]}), "time order"),
])
def test_a_bad_timeline_is_one_clear_error(text, message):
    from whiteboard.errors import WhiteboardError

    with pytest.raises(WhiteboardError, match=message):
        Timeline.from_json(text, "round.json")


def test_the_bundled_round_scores_as_the_readme_shows():
    """examples/practice/rag-round.json: a RAG round that starts model-first and ends without hybrid retrieval."""
    from pathlib import Path

    path = Path(__file__).parents[2] / "examples" / "practice" / "rag-round.json"
    card = score(Timeline.from_json(path.read_text(encoding="utf-8"), str(path))).to_dict()
    assert [e["name"] for e in card["anti_patterns"]] == ["model-first"]
    assert [f["code"] for f in card["findings"] if f["severity"] == "error"] == ["RAG102"]
    stages = {row["stage"]: row for row in card["stages"]}
    assert stages["requirements"]["first_min"] == 6.0 and stages["features"]["first_min"] == 21.0
    assert card["ended_broken"] is False and card["saves"] == 13
