"""Replays a round save by save: what was on the board when, and where the minutes went.

Both the live coach (one save at a time, as the person draws) and the scorecard (the whole
timeline at once) read the round through this one class, so the terminal, the page and the
scorecard cannot disagree about "data first appeared at minute 9".

Where the minutes went: the time between two saves goes to the stages whose boxes changed
in the later save (added, removed, relabelled), split evenly when several changed. A save
that only changes arrows (latency labels on the request path, feedback arrows at the end)
goes to the stages of the boxes those arrows join. Saves that do not parse, or change
nothing a stage owns, keep their time pending until a save that does: a person fixing a
typo is still drawing the box the typo was in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whiteboard.plan import PLAN
from whiteboard.timeline import Save, Timeline

STAGES: tuple[str, ...] = tuple(phase.stage for phase in PLAN)
EARLY_STAGES = ("requirements", "metrics", "data")  # the seed: "the first 10 minutes ... before any model"
MODEL_FIRST_MINUTE = 10  # plan minutes


@dataclass
class BoardState:
    """The board after one save, as the check read it."""

    at_s: float
    syntax_error: bool
    result: Any  # whiteboard.linter.DiagramResult
    found: dict[str, tuple[str, ...]]  # stage -> node ids on the board for it
    boxes: dict[str, frozenset] = field(default_factory=dict)  # stage -> its boxes (id, label, shape)
    arrows: dict[tuple, frozenset[str]] = field(default_factory=dict)  # arrow -> stages of its two ends


@dataclass
class StageTrack:
    stage: str
    first_s: float | None = None  # when the stage first had a box on the board
    spent_s: float = 0.0


@dataclass
class Event:
    """Something seen on the way that only a timeline shows (model-first) or a check finding's history."""

    name: str
    at_s: float
    message: str
    evidence: tuple[str, ...] = ()
    fixed_s: float | None = None  # anti-pattern findings: when they left the board

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "at_s": round(self.at_s, 1), "message": self.message,
                "evidence": list(self.evidence),
                "fixed_s": None if self.fixed_s is None else round(self.fixed_s, 1)}


def _check_options(timeline: Timeline, templates: str | None):
    from whiteboard.linter import CheckOptions

    return CheckOptions(problem=timeline.problem, templates_dir=templates)


def _board_state(save: Save, timeline: Timeline, templates: str | None) -> BoardState:
    from whiteboard.linter import check_diagram_text

    result = check_diagram_text(save.text, "<round>", _check_options(timeline, templates))
    if result.syntax_error:
        return BoardState(save.at_s, True, result, {})
    found = {entry["stage"]: tuple(entry["found"]) for entry in result.coverage["stages"]}
    nodes = {node.id: node for node in result.diagram.nodes}
    stages_of: dict[str, set[str]] = {}
    for stage, ids in found.items():
        for node_id in ids:
            stages_of.setdefault(node_id, set()).add(stage)
    boxes = {stage: frozenset((i, nodes[i].label or "", nodes[i].shape or "") for i in ids if i in nodes)
             for stage, ids in found.items()}
    arrows = {(e.source, e.target, e.label or "", e.type or "", e.stroke or ""):
              frozenset(stages_of.get(e.source, set()) | stages_of.get(e.target, set()))
              for e in result.diagram.edges}
    return BoardState(save.at_s, False, result, found, boxes, arrows)


def changed_stages(before: BoardState | None, after: BoardState) -> list[str]:
    """The stages a save worked on: boxes first, else the ends of the arrows it changed."""
    old_boxes = before.boxes if before else {}
    changed = {s for s in STAGES if after.boxes.get(s, frozenset()) != old_boxes.get(s, frozenset())}
    if not changed:
        old_arrows = before.arrows if before else {}
        for arrow in set(after.arrows).symmetric_difference(old_arrows):
            changed |= after.arrows.get(arrow) or old_arrows.get(arrow) or frozenset()
    return [s for s in STAGES if s in changed]


class Replay:
    """Feed saves in time order with add(); read first appearances, minutes, events and the last board."""

    def __init__(self, timeline: Timeline, *, templates: str | None = None) -> None:
        self.timeline = timeline
        self.templates = templates
        self.tracks = {stage: StageTrack(stage) for stage in STAGES}
        self.events: list[Event] = []
        self.unassigned_s = 0.0  # time in saves that changed no stage's part of the board
        self.states: list[BoardState] = []
        self.good: BoardState | None = None  # the last save that parsed
        self._pending_s = 0.0
        self._last_s = 0.0
        self._last_text: str | None = None
        self._open_findings: dict[str, Event] = {}
        self._model_first_seen = False
        self.last_changed: list[str] = []  # the stages the latest save worked on
        if timeline.start_text.strip():
            start = _board_state(Save(0.0, timeline.start_text), timeline, templates)
            if not start.syntax_error:
                self.good = start
                for stage, ids in start.found.items():
                    if ids:
                        self.tracks[stage].first_s = 0.0
        for save in timeline.saves:
            self.add(save)

    # -- feeding ---------------------------------------------------------------------------

    def add(self, save: Save) -> BoardState:
        interval = max(0.0, save.at_s - self._last_s)
        self._last_s = max(self._last_s, save.at_s)
        if save.text == self._last_text and self.states:
            self._pending_s += interval
            state = self.states[-1]
            self.states.append(BoardState(save.at_s, state.syntax_error, state.result, state.found,
                                          state.boxes, state.arrows))
            return self.states[-1]
        self._last_text = save.text
        state = _board_state(save, self.timeline, self.templates)
        self.states.append(state)
        self._pending_s += interval
        if state.syntax_error:
            return state
        changed = changed_stages(self.good, state)
        self.last_changed = changed
        if changed:
            share = self._pending_s / len(changed)
            for stage in changed:
                self.tracks[stage].spent_s += share
            self._pending_s = 0.0
        for stage, ids in state.found.items():
            if ids and self.tracks[stage].first_s is None:
                self.tracks[stage].first_s = save.at_s
        self._watch_model_first(state)
        self._watch_findings(state)
        self.good = state
        return state

    def close(self, at_s: float) -> None:
        """The round ended at *at_s*: time after the last save that changed something is unassigned."""
        self.unassigned_s += self._pending_s + max(0.0, at_s - self._last_s)
        self._pending_s = 0.0
        self._last_s = max(self._last_s, at_s)

    # -- what only a timeline shows ----------------------------------------------------------

    def _watch_model_first(self, state: BoardState) -> None:
        if self._model_first_seen or not state.found.get("model"):
            return
        if self.timeline.plan_minute(state.at_s) >= MODEL_FIRST_MINUTE:
            return
        absent = [s for s in EARLY_STAGES if not state.found.get(s)]
        if not absent:
            return
        self._model_first_seen = True
        nodes = {n.id: n for n in state.result.diagram.nodes}
        labels = tuple(" ".join(nodes[i].text.split()) or i for i in state.found["model"] if i in nodes)
        minute = state.at_s / 60
        self.events.append(Event(
            "model-first", state.at_s,
            f"the model was on the board at minute {minute:.0f}, before {_and(absent)} "
            f"(the seed: the first {MODEL_FIRST_MINUTE * self.timeline.scale:.0f} minutes go to requirements, "
            f"metrics and data before any model)", labels))

    def _watch_findings(self, state: BoardState) -> None:
        """Anti-pattern findings (WB9xx, not the staff signals) as they come and go, once their stage is due.

        "No monitoring story" at minute 4 is the plan, not an anti-pattern: a finding counts
        from the end of its stage's phase on.
        """
        minute = self.timeline.plan_minute(state.at_s)
        now = {f.code: f for f in state.result.findings
               if f.code.startswith("WB9") and f.code < "WB95" and minute >= _due(f.code)}
        for code, finding in now.items():
            if code not in self._open_findings:
                event = Event(code, state.at_s, finding.message)
                self.events.append(event)
                self._open_findings[code] = event
        for code in list(self._open_findings):
            if code not in now:
                self._open_findings.pop(code).fixed_s = state.at_s

    # -- reading -----------------------------------------------------------------------------

    @property
    def last(self) -> BoardState | None:
        return self.states[-1] if self.states else None

    def spent_minutes(self) -> dict[str, float]:
        return {stage: track.spent_s / 60 for stage, track in self.tracks.items()}


def phase_of_code(code: str):
    """The plan phase a rule's stage belongs to (None for the tool's own WB0xx and unknown codes)."""
    from whiteboard.rules import rule_for

    rule = rule_for(code)
    return next((p for p in PLAN if rule is not None and p.stage == rule.stage), None)


def _due(code: str) -> float:
    """The plan minute from which an anti-pattern of *code* is fair: the end of its stage's phase."""
    phase = phase_of_code(code)
    return phase.end if phase else 0.0


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
