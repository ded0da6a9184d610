"""The page's practice round: one at a time per server, driven through whiteboard.rounds.

The page starts it, saves the editor's text into it (Ctrl/Cmd-S and after a pause in
typing), polls its clock, and finishes it for the scorecard; the round is kept in the same
history database as `whiteboard practice` rounds. A round whose time is up is closed by
the next poll, so the scorecard never waits for a button.
"""

from __future__ import annotations

import json
import math
import threading
from typing import Any

from whiteboard.serve.inputs import RequestError

DEFAULT_MINUTES = 45


class RoundHost:
    """The server's one round. Calls come from worker threads; a lock keeps them in order."""

    def __init__(self, known_problem, templates: str | None) -> None:
        self._known_problem = known_problem  # name -> canonical name, or RequestError 400
        self._templates = templates
        self._lock = threading.Lock()
        self._round = None
        self._history = None

    # -- requests -------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        with self._lock:
            if self._round is None:
                return {"running": False}
            if self._round.over:
                return {"running": False, "finished": self._close("time")}
            return {"running": True, **self._round.view()}

    def start(self, body: bytes) -> dict[str, Any]:
        problem, minutes, from_stage = _start_request(body)
        problem = self._known_problem(problem)
        from whiteboard.errors import WhiteboardError
        from whiteboard.history import History
        from whiteboard.rounds import Round, start_board

        with self._lock:
            if self._round is not None and not self._round.over:
                elapsed = self._round.elapsed()
                raise RequestError(409, f"a {self._round.timeline.problem} round is running "
                                        f"({int(elapsed // 60)}:{int(elapsed % 60):02d} in): finish it first")
            if self._round is not None:
                self._close("time")
            try:
                board = start_board(problem, from_stage=from_stage, templates=self._templates)
                self._history = History()
                self._round = Round(problem, minutes=minutes, start_text=board, history=self._history,
                                    templates=self._templates)
            except WhiteboardError as error:  # the history database cannot be opened or written
                self._drop_history()
                raise RequestError(503, error.message) from None
            return {"running": True, "text": board, **self._round.view()}

    def save(self, text: str) -> dict[str, Any]:
        with self._lock:
            if self._round is None:
                raise RequestError(409, "no practice round is running: start one first")
            if self._round.over:
                return {"running": False, "finished": self._close("time")}
            return {"running": True, **self._round.save(text)}

    def finish(self) -> dict[str, Any]:
        with self._lock:
            if self._round is None:
                raise RequestError(409, "no practice round is running")
            return self._close("time" if self._round.over else "stopped")

    # -- inside the lock --------------------------------------------------------------------------

    def _close(self, reason: str) -> dict[str, Any]:
        card = self._round.finish(reason)
        round_id = self._round.id
        self._round = None
        self._drop_history()
        return {"round": round_id, "markdown": card.to_markdown(), "card": card.to_dict()}

    def _drop_history(self) -> None:
        if self._history is not None:
            self._history.close()
            self._history = None


def _start_request(body: bytes) -> tuple[str, float, int | None]:
    """{"problem": "rag", "minutes": 45, "from_stage": 3}: problem required, the rest optional."""
    try:
        data = json.loads(body.decode("utf-8")) if body.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RequestError(400, 'the body must be JSON such as {"problem": "rag", "minutes": 45}') from None
    if not isinstance(data, dict):
        raise RequestError(400, 'the body must be a JSON object such as {"problem": "rag"}')
    unknown = sorted(set(data) - {"problem", "minutes", "from_stage"})
    if unknown:
        raise RequestError(400, f"unknown field {unknown[0]!r} (known: problem, minutes, from_stage)")
    problem = data.get("problem")
    if not isinstance(problem, str) or not problem:
        raise RequestError(400, 'name the problem: {"problem": "rag"}', param="problem")
    minutes = data.get("minutes", DEFAULT_MINUTES)
    from whiteboard.rounds import MAX_MINUTES

    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not math.isfinite(minutes) \
            or not 0 < minutes <= MAX_MINUTES:
        raise RequestError(400, f"minutes must be a number above 0 and at most {MAX_MINUTES}", param="minutes")
    stage = data.get("from_stage")
    if stage is not None and (isinstance(stage, bool) or not isinstance(stage, int) or not 1 <= stage <= 7):
        raise RequestError(400, "from_stage must be a stage number from 1 to 7", param="from_stage")
    return problem, float(minutes), stage
