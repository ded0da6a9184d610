"""A practice round as data: the problem, the round's length, and every saved version with its time.

The scorecard is computed from this alone (no clock, no files), so a recorded timeline is
enough to test it, to re-score an old round after the rules improve, and to share a round.
Times are seconds since the round started; a round shorter or longer than 45 minutes
follows the seed's plan scaled to its length (a 30-minute round gives data 4.7 minutes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from whiteboard.errors import WhiteboardError
from whiteboard.plan import TOTAL_MINUTES, Phase

FORMAT = "whiteboard-timeline/1"


@dataclass(frozen=True)
class Save:
    """One saved version of the board, *at_s* seconds into the round."""

    at_s: float
    text: str


@dataclass
class Timeline:
    problem: str | None
    minutes: float = TOTAL_MINUTES
    saves: list[Save] = field(default_factory=list)
    started_at: str = ""  # ISO 8601, for people; the arithmetic only uses at_s
    ended_s: float | None = None  # when the round closed; None while it runs
    end_reason: str | None = None  # "time", "stopped", "interrupted"
    start_text: str = ""  # the board the round started from (blank header or a skeleton stage)

    @property
    def scale(self) -> float:
        """Round minutes per plan minute: 1.0 for the seed's 45-minute round."""
        return self.minutes / TOTAL_MINUTES

    def plan_minute(self, at_s: float) -> float:
        """Where *at_s* seconds into this round falls on the seed's 45-minute plan."""
        return at_s / 60.0 / self.scale

    def phase_window(self, phase: Phase) -> tuple[float, float]:
        """The round minutes the plan gives *phase* (start, end), scaled to this round."""
        return phase.start * self.scale, phase.end * self.scale

    def budget(self, phase: Phase) -> float:
        return phase.minutes * self.scale

    @property
    def duration_s(self) -> float:
        if self.ended_s is not None:
            return self.ended_s
        return self.saves[-1].at_s if self.saves else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "problem": self.problem, "minutes": self.minutes,
                "started_at": self.started_at, "ended_s": self.ended_s, "end_reason": self.end_reason,
                "start_text": self.start_text,
                "saves": [{"at_s": s.at_s, "text": s.text} for s in self.saves]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: Any, source: str = "<timeline>") -> "Timeline":
        """Read a recorded timeline; a malformed one is one clear error naming what is wrong."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise WhiteboardError(f"{source}: not a whiteboard timeline (expected \"format\": \"{FORMAT}\")")
        try:
            saves = [Save(float(s["at_s"]), str(s["text"])) for s in data.get("saves", [])]
            minutes = float(data.get("minutes", TOTAL_MINUTES))
            ended = data.get("ended_s")
            timeline = cls(problem=data.get("problem"), minutes=minutes, saves=saves,
                           started_at=str(data.get("started_at", "")),
                           ended_s=None if ended is None else float(ended), end_reason=data.get("end_reason"),
                           start_text=str(data.get("start_text", "")))
        except (KeyError, TypeError, ValueError) as error:
            raise WhiteboardError(f"{source}: malformed timeline ({error})") from None
        if minutes <= 0:
            raise WhiteboardError(f"{source}: \"minutes\" must be positive, got {minutes:g}")
        if any(b.at_s < a.at_s for a, b in zip(saves, saves[1:])):
            raise WhiteboardError(f"{source}: saves are not in time order")
        return timeline

    @classmethod
    def from_json(cls, text: str, source: str = "<timeline>") -> "Timeline":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise WhiteboardError(f"{source}:{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
        return cls.from_dict(data, source)


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
