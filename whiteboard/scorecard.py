"""The scorecard of a practice round, computed from its timeline alone.

Per stage: the minute it first appeared on the board, the minutes spent on it against the
seed's budget, what was still missing at the end. Then the findings at the end, the staff
signals shown, and what the timeline shows along the way (model-first, anti-patterns that
came and went, time on the model against time on serving). No clock, no files: feed it a
recorded timeline and it gives the same card every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whiteboard.plan import PLAN
from whiteboard.replay import Event, Replay
from whiteboard.timeline import Timeline

MODEL_HEAVY_SHARE = 0.5  # the seed's novice: "70% of time on model architecture and 0% on serving"
SERVING_LIGHT_SHARE = 0.1


@dataclass
class Scorecard:
    timeline: Timeline
    replay: Replay

    # -- the figures ------------------------------------------------------------------------

    @property
    def final(self):
        """The check of the last save that parsed (None when nothing ever parsed)."""
        return self.replay.good.result if self.replay.good and self.replay.good.result.diagram else None

    def stages(self) -> list[dict[str, Any]]:
        t = self.timeline
        final = self.final
        coverage = {e["stage"]: e for e in final.coverage["stages"]} if final else {}
        rows = []
        for phase in PLAN:
            track = self.replay.tracks[phase.stage]
            start, end = t.phase_window(phase)
            spent = track.spent_s / 60
            budget = t.budget(phase)
            entry = coverage.get(phase.stage, {})
            missing = list(entry.get("missing", []))
            rows.append({
                "number": phase.number, "stage": phase.stage, "title": phase.title,
                "planned": [round(start, 1), round(end, 1)], "budget_min": round(budget, 1),
                "first_min": None if track.first_s is None else round(track.first_s / 60, 1),
                "spent_min": round(spent, 1), "over_min": round(max(0.0, spent - budget), 1),
                "on_board": bool(entry.get("found")), "missing": missing,
            })
        return rows

    def anti_patterns(self) -> list[Event]:
        events = list(self.replay.events)
        spent = self.replay.spent_minutes()
        total = sum(spent.values())
        if total >= 5 * self.timeline.scale:  # too little drawn time to judge a share
            model, serving = spent["model"] / total, spent["serving"] / total
            if model >= MODEL_HEAVY_SHARE and serving <= SERVING_LIGHT_SHARE:
                events.append(Event(
                    "model-heavy", self.timeline.duration_s,
                    f"{model:.0%} of the drawing time went to the model and {serving:.0%} to serving "
                    f"(the seed's expert gives serving and monitoring equal time)",
                    (f"model {spent['model']:.1f} min", f"serving {spent['serving']:.1f} min")))
        monitoring = self.replay.tracks["monitoring"].first_s
        buffer_start = PLAN[-1].end * self.timeline.scale
        if monitoring is not None and monitoring / 60 > buffer_start:
            events.append(Event(
                "late-monitoring", monitoring,
                f"monitoring first appeared at minute {monitoring / 60:.0f}, in the Q&A buffer "
                f"(planned {PLAN[-1].start * self.timeline.scale:.0f}-{buffer_start:.0f})"))
        return sorted(events, key=lambda e: e.at_s)

    def signals(self) -> list[dict[str, Any]]:
        return list(self.final.signals) if self.final else []

    def to_dict(self) -> dict[str, Any]:
        t, final = self.timeline, self.final
        last = self.replay.last
        return {
            "problem": t.problem, "minutes": t.minutes, "started_at": t.started_at,
            "duration_min": round(t.duration_s / 60, 1), "end_reason": t.end_reason, "saves": len(t.saves),
            "ended_broken": bool(last and last.syntax_error),
            "coverage": final.coverage["score"] if final else 0.0,
            "latency": final.latency if final else None,
            "counts": _counts(final.findings if final else []),
            "stages": self.stages(),
            "unassigned_min": round(self.replay.unassigned_s / 60, 1),
            "findings": [f.to_dict() for f in final.findings] if final else [],
            "signals": self.signals(),
            "anti_patterns": [e.to_dict() for e in self.anti_patterns()],
        }

    def to_markdown(self, picture: str | None = None) -> str:
        from whiteboard.scorecard_markdown import markdown

        return markdown(self.to_dict(), self.timeline, picture)


def score(timeline: Timeline, *, templates: str | None = None) -> Scorecard:
    """Replay *timeline* and close it at its end; the scorecard reads only what this saw."""
    replay = Replay(timeline, templates=templates)
    replay.close(timeline.duration_s)
    return Scorecard(timeline, replay)


def _counts(findings) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts
