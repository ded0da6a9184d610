"""A practice round while it runs: the clock, the saves, the history row, the coach's view.

The terminal (`whiteboard practice`) and the local page (`whiteboard serve`) both drive a
round through this class; neither keeps its own notion of time or of what was saved.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from whiteboard.history import History
from whiteboard.plan import TOTAL_MINUTES
from whiteboard.replay import Replay
from whiteboard.scorecard import Scorecard
from whiteboard.timeline import Save, Timeline, now_iso

MAX_MINUTES = 180


def start_board(problem: str, *, from_stage: int | None = None, direction: str | None = None,
                templates: str | None = None) -> str:
    """The board a round starts from: a header naming the problem, or the skeleton after stage N."""
    from whiteboard.problems import load_problem

    spec = load_problem(problem, templates)
    if from_stage:
        return spec.skeleton(stage=from_stage, direction=direction)
    return (f"%% problem: {spec.name}\n"
            f"%% Practice round: {spec.title}. Draw your answer below; every save is checked.\n"
            f"%% The clock follows the seed's plan: requirements, metrics, data, features, model,\n"
            f"%% serving, monitoring. `whiteboard new {spec.name} --stage N` shows a worked board.\n"
            f"flowchart {direction or 'LR'}\n")


class Round:
    def __init__(self, problem: str, *, minutes: float = TOTAL_MINUTES, start_text: str = "",
                 history: History | None = None, file: str | None = None, templates: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        from whiteboard.errors import WhiteboardError
        from whiteboard.problems import load_problem

        if not 0 < minutes <= MAX_MINUTES:
            raise WhiteboardError(f"--minutes {minutes:g}: a round lasts more than 0 and at most {MAX_MINUTES}")
        load_problem(problem, templates)  # an unknown problem fails here, before the clock starts
        self.timeline = Timeline(problem, minutes, [], now_iso(), start_text=start_text)
        self.replay = Replay(self.timeline, templates=templates)
        self.history = history
        self._clock = clock
        self._t0 = clock()
        self.id = history.start(self.timeline, file) if history else None
        self.card: Scorecard | None = None

    def elapsed(self) -> float:
        return self._clock() - self._t0

    @property
    def over(self) -> bool:
        return self.elapsed() >= self.timeline.minutes * 60

    @property
    def closed(self) -> bool:
        return self.card is not None

    def save(self, text: str, at_s: float | None = None) -> dict[str, Any]:
        """Record a saved version (identical text is not a new version) and return the coach's view."""
        at = self.elapsed() if at_s is None else at_s
        last = self.timeline.saves[-1].text if self.timeline.saves else self.timeline.start_text
        if not self.closed and text != last:
            save = Save(round(at, 2), text)
            self.timeline.saves.append(save)
            if self.history is not None and self.id is not None:
                self.history.add_save(self.id, save)
            self.replay.add(save)
        return self.view(at)

    def view(self, at_s: float | None = None) -> dict[str, Any]:
        from whiteboard.coach import view

        data = view(self.replay, self.elapsed() if at_s is None else at_s)
        data["round"] = self.id
        return data

    def finish(self, reason: str = "stopped", at_s: float | None = None) -> Scorecard:
        """Close the round (once): the scorecard from its timeline, stored with the history row."""
        if self.card is not None:
            return self.card
        at = min(self.elapsed() if at_s is None else at_s, self.timeline.minutes * 60)
        at = max(at, self.timeline.saves[-1].at_s if self.timeline.saves else 0.0)
        self.timeline.ended_s = round(at, 2)
        self.timeline.end_reason = reason
        self.replay.close(at)
        self.card = Scorecard(self.timeline, self.replay)
        if self.history is not None and self.id is not None:
            self.history.finish(self.id, self.timeline.ended_s, reason, self.card.to_dict())
        return self.card
