"""The check's view of a diagram, as decorations on its picture.

- every node filled with its stage's colour (the kind -> stage of the vocabulary), a legend
  with how many nodes each stage has;
- latency badges on the request path's edges, the critical path drawn thick, and a caption
  "critical path 105 ms / SLA 200 ms" (red when over);
- each missing component (WB301 no data source, WB701 no monitoring, a problem's must-discuss
  item...) as a dashed box with its code, tied by a dashed edge to the node it belongs next to
  (no monitoring: beside the serving node), so the picture shows what to add and where;
- the other findings listed under the legend.

Everything here comes from the same check `whiteboard check` runs; nothing is re-judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from whiteboard.render.dot import Badge, Decorations
from whiteboard.render.labels import escape

if TYPE_CHECKING:
    from whiteboard.linter import DiagramResult
    from whiteboard.model import Diagram


@dataclass(frozen=True)
class StageLook:
    fill: str
    border: str


# Pastel fills with dark text stay readable in print and on screen; borders one shade darker.
STAGE_LOOKS: dict[str, StageLook] = {
    "requirements": StageLook("#EDF2F7", "#4A5568"),
    "metrics": StageLook("#E9D8FD", "#6B46C1"),
    "data": StageLook("#FEFCBF", "#B7791F"),
    "features": StageLook("#C6F6D5", "#2F855A"),
    "model": StageLook("#BEE3F8", "#2B6CB0"),
    "serving": StageLook("#B2F5EA", "#2C7A7B"),
    "monitoring": StageLook("#FED7E2", "#B83280"),
}
UNRECOGNISED = StageLook("#FFFFFF", "#A0AEC0")
MISSING_ERROR = StageLook("#FFF5F5", "#C53030")
MISSING_WARNING = StageLook("#FFFFF0", "#975A16")
PATH_OK = "#DD6B20"
CAPTION_OK = "#2F855A"
PATH_OVER = "#C53030"
TEXT_GREY = "#4A5568"

GENERIC_KINDS = frozenset({"model"})
_DATA = ("data_source", "ingestion", "stream_processing", "batch_processing", "storage", "data_validation", "labels")
_SERVING = ("serving", "ranking", "reranking", "candidate_retrieval", "batch_prediction")
_STORES = ("feature_store", "offline_store", "online_store")


@dataclass(frozen=True)
class Missing:
    """How to draw one missing component: its short name, the kind it stands for, and the
    kinds of the nodes it hangs from (``after``: anchor -> box) and feeds (``before``)."""

    name: str
    kind: str | None = None
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()


PLACEHOLDERS: dict[str, Missing] = {
    "WB101": Missing("requirements: SLA, scale", "requirements",
                     before=("offline_metrics", "online_metrics", "guardrail_metrics")),
    "WB201": Missing("metrics: offline, online, guardrails", "offline_metrics", after=("requirements",)),
    "WB301": Missing("data source", "data_source",
                     before=("ingestion", "stream_processing", "batch_processing", "storage", "training")),
    "WB302": Missing("data pipeline: ETL / stream job", "batch_processing", after=("data_source", "ingestion"),
                     before=("storage", "offline_store", "feature_store", "training")),
    "WB303": Missing("labels", "labels", before=("training", "storage")),
    "WB401": Missing("feature store", "feature_store",
                     after=("storage", "feature_pipeline", "batch_processing", "stream_processing"),
                     before=("training",)),
    "WB402": Missing("offline / online store split", None, after=_STORES),
    "WB403": Missing("wire offline store -> training, online store -> serving", None, after=_STORES,
                     before=("training",) + _SERVING),
    "WB501": Missing("model training", "training", after=("offline_store", "feature_store", "storage", "labels"),
                     before=("registry",) + _SERVING + ("model",)),
    "WB502": Missing("baseline model", "baseline", before=("training", "model")),
    "WB503": Missing("deploy: model registry", "registry", after=("training",), before=_SERVING),
    "WB601": Missing("serving", "serving", after=("registry", "training", "model")),
    "WB602": Missing("client / request entry", "client", before=_SERVING),
    "WB701": Missing("monitoring: drift, alerts", "monitoring", after=_SERVING + ("feedback_log", "client")),
    "WB702": Missing("prediction logs -> monitoring", "feedback_log", after=_SERVING, before=("monitoring",)),
    "WB703": Missing("feedback loop back to data", None, after=("feedback_log", "monitoring") + _SERVING,
                     before=("storage", "data_source", "ingestion", "labels")),
    "WB704": Missing("retrain trigger", "retrain_trigger", after=("monitoring", "ab_testing"), before=("training",)),
    "WB705": Missing("safe rollout: A/B, canary", "safe_rollout", after=("registry", "training"), before=_SERVING),
}
# Drawn on the edges and in the caption instead of as boxes.
_LATENCY_CODES = ("WB801", "WB802", "WB803", "WB804")
SHORT_NAMES: dict[str, str] = {
    "WB001": "syntax error", "WB002": "unknown problem", "WB003": "skipped diagram",
    "WB603": "serving pattern vs latency", "WB801": "hop without latency", "WB802": "latency budget exceeded",
    "WB803": "no SLA", "WB804": "unreadable latency", "WB901": "model-first", "WB902": "ignoring the data",
    "WB903": "no monitoring story",
}


def _stage_of_kind(kind: str, problem_stages: dict[str, str]) -> str | None:
    from whiteboard.errors import ConfigError
    from whiteboard.vocabulary import load_vocabulary

    if kind in problem_stages:
        return problem_stages[kind]
    try:
        return load_vocabulary().kind(kind).stage
    except ConfigError:
        return None


def primary_stage(kinds: frozenset[str], problem_stages: dict[str, str]) -> str | None:
    """The stage most of a node's kinds belong to; a tie goes to the earlier stage."""
    from whiteboard.vocabulary import STAGES

    counts: dict[str, int] = {}
    if len(kinds) > 1:
        kinds = kinds - GENERIC_KINDS  # "Ranking model" is ranking (serving) before it is a model
    for kind in kinds:
        stage = _stage_of_kind(kind, problem_stages)
        if stage in STAGE_LOOKS:
            counts[stage] = counts.get(stage, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda s: (counts[s], -STAGES.index(s)))


def _rule_short_name(code: str) -> str:
    """A few words for a code: ours for the core codes, the spec's rule name for a problem's."""
    if code in PLACEHOLDERS:
        return PLACEHOLDERS[code].name
    if code in SHORT_NAMES:
        return SHORT_NAMES[code]
    from whiteboard.rules import rule_for

    try:
        rule = rule_for(code)
    except Exception:  # noqa: BLE001 - a broken user problem spec must not stop a picture
        rule = None
    if rule is None:
        return code
    name = str(rule.name).split(".", 1)[-1]
    for prefix in ("no-", "not-"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name.replace("-", " ")


def _ms(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") + " ms"


@dataclass
class Overlay:
    """Builds the decorations for one checked diagram."""

    result: "DiagramResult"
    diagram: "Diagram"
    sla_ms: float | None = None
    problem_stages: dict[str, str] = field(default_factory=dict)
    deco: Decorations = field(default_factory=lambda: Decorations(plain_nodes=True))

    def build(self) -> Decorations:
        self.subgraph_ids = {sg.id for sg in self.diagram.subgraphs}
        self.deco.cluster_attrs = {"fillcolor": "#FAFAFA", "color": "#CBD5E0", "fontcolor": TEXT_GREY}
        self.stages = {}
        for node in self.diagram.nodes:
            stage = primary_stage(self.result.kinds.get(node.id, frozenset()), self.problem_stages)
            self.stages[node.id] = stage
            look = STAGE_LOOKS.get(stage, UNRECOGNISED) if stage else UNRECOGNISED
            self.deco.node_attrs[node.id] = {"fillcolor": look.fill, "color": look.border, "fontcolor": "#1A202C"}
        self.latency_caption = self._latency()
        self.drawn: set[str] = set(_LATENCY_CODES)
        self._placeholders()
        self.deco.graph_label = self._legend()
        return self.deco

    # -- latency ----------------------------------------------------------------------------
    def _latency(self) -> tuple[str, str] | None:
        """Badges and highlight on the request path; returns (caption, colour) or None."""
        from whiteboard.latency import analyse
        from whiteboard.roles import assign_roles

        core = {node_id: role.kinds for node_id, role in assign_roles(self.diagram).items()}
        report = analyse(self.diagram, core, self.sla_ms)
        contract = self.result.latency
        total = contract.get("critical_path_ms")
        sla = contract.get("sla_ms")
        over = total is not None and sla is not None and total > sla + 1e-9
        colour = PATH_OVER if over else PATH_OK
        path = report.path
        for hop in path.hops:
            attrs = {"color": colour, "penwidth": "2.6", "fontcolor": colour}
            self.deco.edge_attrs[hop.edge] = attrs
            if hop.ms is not None:
                self.deco.edge_badges[hop.edge] = self._badge(_ms(hop.ms), colour, self._only_latency(hop))
        for hop in path.missing:
            self.deco.edge_badges[hop.edge] = self._badge("? ms", PATH_OVER)
            self.deco.edge_attrs[hop.edge] = {"color": PATH_OVER, "penwidth": "2.6", "style": "dashed"}
        for lookup in path.lookups:
            tone = colour if lookup.counted else "#718096"
            self.deco.edge_badges[lookup.edge] = self._badge(f"+{_ms(lookup.ms)} lookup", tone)
            self.deco.edge_attrs.setdefault(lookup.edge, {"color": tone, "penwidth": "1.6"})
        for node_id in path.critical_path:
            attrs = self.deco.node_attrs.get(node_id)
            if attrs is not None:
                attrs["penwidth"] = "2.2"
        if total is not None:
            text = f"critical path {_ms(total)}"
            text += f" / SLA {_ms(sla)}" + (f": over by {_ms(total - sla)}" if over else "") \
                if sla is not None else " (no SLA stated)"
            return text, PATH_OVER if over else (CAPTION_OK if sla is not None else TEXT_GREY)
        if path.missing:
            count = len(path.missing)
            text = f"critical path unknown: {count} hop{'s' if count > 1 else ''} without a latency"
            return text + (f" / SLA {_ms(sla)}" if sla is not None else ""), PATH_OVER
        if sla is not None:
            return f"no annotated request path / SLA {_ms(sla)}", TEXT_GREY
        return None

    @staticmethod
    def _badge(text: str, colour: str, replaces_label: bool = False) -> Badge:
        return Badge(f'<FONT COLOR="white" POINT-SIZE="9"><B> {escape(text)} </B></FONT>', colour, replaces_label)

    def _only_latency(self, hop) -> bool:
        """Does the edge's label say nothing but the latency the badge shows ("~10ms")?"""
        if hop.annotation is None or hop.covered_by != "edge":
            return False
        from whiteboard.model import plain_text

        rest = plain_text(hop.label).replace(hop.annotation.raw, "", 1)
        return not rest.strip(" \n\t\"'()[]~<>=:,;")

    # -- missing components -----------------------------------------------------------------
    def _placeholders(self) -> None:
        findings = [f for f in self.result.findings if f.code in PLACEHOLDERS or self._is_problem(f.code)]
        seen: set[str] = set()
        boxes: list[tuple[str, Any, Missing]] = []
        for finding in findings:
            if finding.code in seen:
                continue
            seen.add(finding.code)
            spec = PLACEHOLDERS.get(finding.code) or Missing(_rule_short_name(finding.code))
            boxes.append((f"missing_{len(boxes)}", finding, spec))
        self.boxes = boxes
        placeholder_kinds = {spec.kind: name for name, _, spec in boxes if spec.kind}
        tied: set[frozenset] = set()  # one dashed edge per pair of boxes, whichever asked first
        for name, finding, spec in boxes:
            self.drawn.add(finding.code)
            look = MISSING_ERROR if finding.severity.value == "error" else MISSING_WARNING
            label = f"<B>{escape(finding.code)}</B><BR/>missing: {escape(spec.name)}"
            self.deco.extra_nodes.append((name, {
                "label": f"<{label}>", "shape": "box", "style": "rounded,dashed,filled", "fillcolor": look.fill,
                "color": look.border, "fontcolor": look.border, "fontsize": "11", "penwidth": "1.4"}))
            edge = {"style": "dashed", "color": look.border, "arrowhead": "normal", "dir": "forward",
                    "penwidth": "1.2"}
            after = self._anchor(spec.after, finding, placeholder_kinds, name, last=True)
            before = self._anchor(spec.before, finding, placeholder_kinds, name, last=False)
            if after is None and before is None:
                after = self._fallback_anchor(finding)
            for pair in ((after, name), (name, before)):
                if None in pair or pair[0] == pair[1] or frozenset(pair) in tied:
                    continue
                tied.add(frozenset(pair))
                self.deco.extra_edges.append((pair[0], pair[1], edge))

    def _is_problem(self, code: str) -> bool:
        return bool(self.result.problem) and not code.startswith("WB")

    def _anchor(self, kinds: tuple[str, ...], finding, placeholder_kinds: dict[str, str], own: str, *,
                last: bool) -> str | None:
        """The node a box is tied to: one the finding names, else a node of the first kind
        that has one (the last such node for a box that comes after it, the first for one that
        feeds it), else another placeholder standing for that kind."""
        if not kinds:
            return None
        for node_id in finding.nodes:
            if self.result.kinds.get(node_id, frozenset()) & set(kinds):
                return node_id
        order = list(reversed(self.diagram.nodes)) if last else self.diagram.nodes
        for kind in kinds:
            for node in order:
                if kind in self.result.kinds.get(node.id, frozenset()) and node.id not in self.subgraph_ids:
                    return node.id
        for kind in kinds:
            if kind in placeholder_kinds and placeholder_kinds[kind] != own:
                return placeholder_kinds[kind]
        return None

    def _fallback_anchor(self, finding) -> str | None:
        """For a problem rule: the last node it names (the deepest on the path it checked),
        else a node of a kind its check is about (the vector index for "hybrid retrieval"),
        else the first node of the rule's stage that is not the client."""
        if finding.nodes:
            return finding.nodes[-1]
        rule = self._rule(finding.code)
        check = getattr(getattr(rule, "spec", None), "check", None)
        if check is not None:
            wanted: list[str] = list(check.into) + list(check.kinds) + list(check.to) + list(check.from_)
            for group in (*check.sources, *check.steps):
                wanted += list(group)
            for kind in wanted:
                for node in self.diagram.nodes:
                    if kind in self.result.kinds.get(node.id, frozenset()) and node.id not in self.subgraph_ids:
                        return node.id
        stage = getattr(rule, "stage", None)
        for node in self.diagram.nodes:
            kinds = self.result.kinds.get(node.id, frozenset())
            if stage and self.stages.get(node.id) == stage and "client" not in kinds:
                return node.id
        return None

    @staticmethod
    def _rule(code: str):
        from whiteboard.rules import rule_for

        try:
            return rule_for(code)
        except Exception:  # noqa: BLE001 - see _rule_short_name
            return None

    # -- caption and legend -----------------------------------------------------------------
    def _legend(self) -> str:
        from whiteboard.vocabulary import STAGES

        counts = {stage: 0 for stage in STAGES}
        unrecognised = 0
        for node in self.diagram.nodes:
            stage = self.stages.get(node.id)
            if node.id in self.subgraph_ids:
                continue
            if stage:
                counts[stage] += 1
            else:
                unrecognised += 1
        cells = []
        for stage in STAGES:
            look = STAGE_LOOKS[stage]
            cells.append(f'<TD BGCOLOR="{look.fill}" COLOR="{look.border}" BORDER="1">'
                         f"{escape(stage)} {counts[stage]}</TD>")
        cells.append(f'<TD BGCOLOR="{UNRECOGNISED.fill}" COLOR="{UNRECOGNISED.border}" BORDER="1">'
                     f"not recognised {unrecognised}</TD>")
        if self.deco.extra_nodes:
            cells.append(f'<TD BGCOLOR="{MISSING_ERROR.fill}" COLOR="{MISSING_ERROR.border}" BORDER="1">'
                         f'<FONT COLOR="{MISSING_ERROR.border}">missing (dashed)</FONT></TD>')
        span = len(cells)
        rows = []
        summary = []
        if self.latency_caption:
            text, colour = self.latency_caption
            summary.append(f'<FONT COLOR="{colour}"><B>{escape(text)}</B></FONT>')
        score = self.result.coverage.get("score") if self.result.coverage else None
        if score is not None:
            summary.append(f'<FONT COLOR="{TEXT_GREY}">coverage {round(score * 100)}%</FONT>')
        counts_by_severity = {"error": 0, "warning": 0, "info": 0}
        for finding in self.result.findings:
            counts_by_severity[finding.severity.value] = counts_by_severity.get(finding.severity.value, 0) + 1
        plural = {"error": "errors", "warning": "warnings", "info": "info"}
        summary.append(f'<FONT COLOR="{TEXT_GREY}">' + ", ".join(
            f"{n} {plural[s] if n != 1 else s}" for s, n in counts_by_severity.items()) + "</FONT>")
        rows.append(f'<TR><TD COLSPAN="{span}">{"  ·  ".join(summary)}</TD></TR>')
        rows.append("<TR>" + "".join(cells) + "</TR>")
        others = []
        for finding in self.result.findings:
            if finding.code.startswith("WB95"):  # staff signals: the report's signals line, not a gap
                continue
            if finding.code not in self.drawn and finding.code not in {c for c, _ in others}:
                others.append((finding.code, _rule_short_name(finding.code)))
        if others:
            lines, current = [], ""
            for code, name in others:
                item = f"{code} {name}"
                if current and len(current) + len(item) > 110:
                    lines.append(current)
                    current = ""
                current = f"{current}  ·  {item}" if current else item
            lines.append(current)
            body = '<BR ALIGN="LEFT"/>'.join(escape(line) for line in lines)
            rows.append(f'<TR><TD COLSPAN="{span}" ALIGN="LEFT"><FONT COLOR="{TEXT_GREY}">also found: '
                        f'{body}</FONT></TD></TR>')
        return ('<<TABLE BORDER="0" CELLSPACING="3" CELLPADDING="3"><TR><TD COLSPAN="'
                f'{span}"> </TD></TR>{"".join(rows)}</TABLE>>')


def decorations_for(result: "DiagramResult", diagram: "Diagram", *, sla_ms: float | None = None) -> Decorations:
    """The overlay for a checked diagram (*result* from ``check_diagram_text``)."""
    return overlay_for(result, diagram, sla_ms=sla_ms).deco


def overlay_for(result: "DiagramResult", diagram: "Diagram", *, sla_ms: float | None = None) -> Overlay:
    """The built overlay: its decorations, each node's stage, the placeholder boxes, the caption."""
    problem_stages: dict[str, str] = {}
    if result.problem:
        from whiteboard.errors import ConfigError
        from whiteboard.problems import load_problem

        try:
            problem_stages = {kind.name: kind.stage for kind in load_problem(result.problem).kinds}
        except ConfigError:
            problem_stages = {}
    overlay = Overlay(result, diagram, sla_ms, problem_stages)
    overlay.build()
    return overlay
