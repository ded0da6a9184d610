"""What the coach says at a given second of a round: clock, phase, what to draw, findings, nudges.

A pure function of the round's replay and the time, so the terminal view, the local page
and the tests show the same thing. Findings are filtered by the plan: a rule speaks once
its stage has begun (no monitoring warnings at minute 6); the tool's own findings (a save
that does not parse) always speak.
"""

from __future__ import annotations

from typing import Any

from whiteboard.plan import PLAN, phase_at
from whiteboard.replay import Replay, phase_of_code
from whiteboard.rules.signals import signal_line

_RANK = {"error": 0, "warning": 1, "info": 2}
OVERRUN_GRACE = 1.0  # plan minutes over a stage's budget before the coach says so


def _minute(value: float) -> str:
    return f"{round(value, 1):g}"


def _phase_dict(phase, scale: float) -> dict[str, Any]:
    return {"number": phase.number, "stage": phase.stage, "title": phase.title, "draw": phase.draw,
            "purpose": phase.purpose, "cover": phase.cover,
            "start": round(phase.start * scale, 2), "end": round(phase.end * scale, 2)}


def relevant(findings, plan_minute: float) -> tuple[list, int]:
    """The findings whose stage has begun by *plan_minute*, and how many wait for later."""
    shown, waiting = [], 0
    for finding in findings:
        phase = phase_of_code(finding.code)
        if phase is None or phase.start <= plan_minute:
            shown.append(finding)
        else:
            waiting += 1
    return shown, waiting


def nudges(replay: Replay, plan_minute: float) -> list[str]:
    """Stages past their slot and still not on the board; the stage being drawn, if over its budget."""
    t = replay.timeline
    said: list[str] = []
    good = replay.good
    for phase in PLAN:
        if phase.end > plan_minute:
            break
        if not (good and good.found.get(phase.stage)):
            said.append(f"no {phase.stage} on the board yet: the plan has \"{phase.draw}\" at "
                        f"{_minute(phase.start * t.scale)}-{_minute(phase.end * t.scale)} min")
    spent = replay.spent_minutes()
    for stage in replay.last_changed:
        phase = next(p for p in PLAN if p.stage == stage)
        budget = t.budget(phase)
        if spent[stage] > budget + OVERRUN_GRACE * t.scale:
            now = phase_at(plan_minute)
            following = now if now is not None and now is not phase else next(
                (p for p in PLAN if p.start >= phase.end), None)
            then = f": move on to {following.title.lower()}" if following else ""
            said.append(f"{phase.title.lower()}: {spent[stage]:.0f} min spent, budget {budget:.0f}{then}")
    if phase_at(plan_minute) is None and plan_minute < 45:
        said.append("Q&A buffer: walk the critical path against the SLA and name the first thing you would "
                    "monitor")
    return said


def view(replay: Replay, elapsed_s: float) -> dict[str, Any]:
    """The coach's view at *elapsed_s* seconds into the round, JSON-ready."""
    t = replay.timeline
    plan_minute = t.plan_minute(elapsed_s)
    phase = phase_at(plan_minute)
    last, good = replay.last, replay.good
    # The staff signals have their own line; the list is for what to fix, worst first.
    findings = [f for f in (good.result.findings if good else []) if not f.code.startswith("WB95")]
    shown, waiting = relevant(findings, plan_minute)
    shown.sort(key=lambda f: (_RANK[f.severity.value], f.line, f.column))
    spent = replay.spent_minutes()
    stages = []
    for p in PLAN:
        track = replay.tracks[p.stage]
        stages.append({"stage": p.stage, "title": p.title, "on_board": bool(good and good.found.get(p.stage)),
                       "first_min": None if track.first_s is None else round(track.first_s / 60, 1),
                       "spent_min": round(spent[p.stage], 1), "budget_min": round(t.budget(p), 1),
                       "due": p.start <= plan_minute})
    broken = None
    if last is not None and last.syntax_error:
        error = last.result.findings[0]
        broken = {"line": error.line, "column": error.column, "message": error.message}
    total_s = t.minutes * 60
    return {
        "running": True, "problem": t.problem, "minutes": t.minutes,
        "elapsed_s": round(elapsed_s, 1), "remaining_s": round(max(0.0, total_s - elapsed_s), 1),
        "over": elapsed_s >= total_s,
        "phase": _phase_dict(phase, t.scale) if phase else None,
        "stages": stages,
        "findings": [f.to_dict() for f in shown], "waiting": waiting,
        "nudges": nudges(replay, plan_minute),
        "coverage": good.result.coverage["score"] if good else 0.0,
        "signals": signal_line(good.result.signals) if good else "signals: 0 of 5",
        "saves": len(t.saves), "broken": broken,
    }
