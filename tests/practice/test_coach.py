"""The coach's view at a minute: phase, what to draw, the findings that matter now, nudges."""

from __future__ import annotations

import pytest

from whiteboard.errors import WhiteboardError
from whiteboard.rounds import Round, start_board

REQ = 'flowchart LR\n    Req["Requirements<br/>10M DAU, p99 < 200ms"]\n'
REQ_MET = REQ + '    Met["Metrics<br/>offline: NDCG@10<br/>online: CTR"]\n'
WITH_MODEL = REQ_MET + ('    Events[(Click events)] --> ETL[Spark ETL] --> Lake[(Data lake)]\n'
                        '    Lake --> FS[(Feature store)] --> Train[Model training]\n')


class Clock:
    """A clock the test moves by hand: the round never reads real time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def at(self, minute: float) -> "Clock":
        self.now = 1000.0 + minute * 60
        return self


def a_round(minutes: float = 45, problem: str = "framework") -> tuple[Round, Clock]:
    clock = Clock()
    return Round(problem, minutes=minutes, start_text=start_board(problem), clock=clock), clock


@pytest.mark.parametrize("minute, number, draw", [
    (0, 1, "Requirements box"), (6, 2, "Metric table"), (10, 3, "Data pipeline"), (22, 5, "Model architecture"),
    (30, 6, "latency annotations"), (38, 7, "feedback arrows"),
])
def test_the_phase_and_what_to_draw_follow_the_plan(minute, number, draw):
    round_, _ = a_round()
    view = round_.view(minute * 60)
    assert view["phase"]["number"] == number and draw in view["phase"]["draw"]


def test_a_shorter_round_scales_the_plan():
    round_, _ = a_round(minutes=30)
    view = round_.view(10 * 60)  # minute 10 of 30 is minute 15 of the plan: features begin
    assert view["phase"]["stage"] == "features"
    assert view["phase"]["start"] == pytest.approx(10.0) and view["phase"]["end"] == pytest.approx(13.33, abs=0.01)


def test_no_monitoring_findings_at_minute_six():
    round_, _ = a_round()
    view = round_.save(REQ_MET, at_s=6 * 60)
    codes = {f["code"] for f in view["findings"]}
    assert not any(code.startswith("WB7") for code in codes)
    assert view["waiting"] > 0  # they are there, kept for their stage
    later = round_.view(37 * 60)
    assert any(f["code"].startswith("WB7") for f in later["findings"])


def test_findings_now_are_worst_first_and_leave_the_signals_to_their_line():
    round_, _ = a_round()
    view = round_.save(WITH_MODEL, at_s=21 * 60)
    ranks = [{"error": 0, "warning": 1, "info": 2}[f["severity"]] for f in view["findings"]]
    assert ranks == sorted(ranks)
    assert not any(f["code"].startswith("WB95") for f in view["findings"])
    assert view["signals"].startswith("signals: ")


def test_a_stage_past_its_slot_and_still_missing_is_nudged():
    round_, _ = a_round()
    round_.save(REQ_MET, at_s=7 * 60)
    view = round_.view(20 * 60)
    assert any(n.startswith("no data on the board yet") and "8-15 min" in n for n in view["nudges"])
    assert not any("no requirements" in n for n in view["nudges"])


def test_a_stage_over_its_budget_is_nudged_while_it_is_drawn():
    round_, _ = a_round()
    round_.save(WITH_MODEL, at_s=20 * 60)
    longer = WITH_MODEL.replace("Model training]", "Model training<br/>GBDT, 500 trees]")
    # The first save drew five stages in 20 minutes (4 each); ten more on the model box: 14, budget 8.
    view = round_.save(longer, at_s=30 * 60)
    assert "model: 14 min spent, budget 8: move on to serving" in view["nudges"]


def test_the_buffer_and_the_end():
    round_, _ = a_round()
    assert round_.view(42 * 60)["phase"] is None
    assert any("Q&A buffer" in n for n in round_.view(42 * 60)["nudges"])
    assert round_.view(45 * 60)["over"] and round_.view(45 * 60)["remaining_s"] == 0


def test_a_save_that_does_not_parse_is_shown_with_its_place_and_the_last_good_board_stays():
    round_, _ = a_round()
    round_.save(REQ_MET, at_s=6 * 60)
    view = round_.save(REQ_MET + '    Broken["no end\n', at_s=7 * 60)
    assert view["broken"] is not None and view["broken"]["line"] >= 1
    assert [s["on_board"] for s in view["stages"][:2]] == [True, True]


def test_identical_saves_are_one_version_and_a_closed_round_takes_no_more():
    round_, _ = a_round()
    round_.save(REQ, at_s=60)
    round_.save(REQ, at_s=120)
    assert len(round_.timeline.saves) == 1
    card = round_.finish("stopped", at_s=180)
    round_.save(REQ_MET, at_s=200)
    assert len(round_.timeline.saves) == 1 and round_.finish() is card
    assert round_.timeline.ended_s == 180 and round_.timeline.end_reason == "stopped"


def test_finish_never_ends_past_the_time():
    round_, clock = a_round(minutes=1)
    clock.at(5)
    assert round_.finish("time").timeline.ended_s == 60


@pytest.mark.parametrize("kwargs, message", [
    ({"problem": "nope"}, "unknown problem"),
    ({"problem": "rag", "minutes": 0}, "a round lasts"),
    ({"problem": "rag", "minutes": 500}, "a round lasts"),
])
def test_a_round_that_cannot_start_says_why(kwargs, message):
    with pytest.raises(WhiteboardError, match=message):
        Round(**kwargs)


def test_the_starting_board_names_the_problem_or_is_a_skeleton_stage():
    from whiteboard.linter import CheckOptions, check_diagram_text

    blank = start_board("rag")
    assert blank.startswith("%% problem: rag") and "flowchart LR" in blank
    assert check_diagram_text(blank, "x", CheckOptions()).problem == "rag"
    staged = start_board("rag", from_stage=3)
    assert staged != blank and "Docs" in staged
