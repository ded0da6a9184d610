"""Roles: which component kinds each node of a diagram is, and the evidence for it.

    roles = assign_roles(diagram)
    roles["Online"].kinds      # frozenset({'online_store'})
    roles["Online"].evidence   # (Evidence(kind='online_store', source='vocabulary', ...),)

How a node is recognised (DESIGN.md "Roles", made precise):

1. **Class.** A class named after a kind (``A:::online_store``, ``class A,B serving``;
   ``online-store`` and ``onlineStore`` too) decides: those kinds, nothing else.
2. **The node's own label**, read with the vocabulary (vocabulary.py). A subgraph title
   does *not* override the label: a "Serving" subgraph usually also holds the client, the
   cache and an online store, and a "Training" one the baseline and the registry, each
   saying what it is.
3. **Context** settles the context words of the label ("Redis", "Hive", "validation",
   "online", "diversity"...), which replace their plain reading when the context holds:
   - the label itself names another kind or a stage word of the same stage
     ("Redis online store", "Metrics: watch time");
   - a stage class on the node (``:::features``) or an enclosing subgraph, at any depth,
     whose title or class names that stage or one of its kinds ("Feature store");
   - for kinds with ``context_feeds``: the node has an edge into such a node
     ("Redis --> Ranker" makes Redis the online store; otherwise it is a cache).
   A stage class (``:::metrics``, ``:::data``) also keeps only the label's kinds of that
   stage.
4. **Placement, when the label names no kind** (and negates none): the node's stage class,
   else a label that is only a stage's name ("3. Data"), else the innermost enclosing
   subgraph whose title names kinds (those kinds) or a stage (that stage's general kind,
   the ``fallback`` in vocabulary.toml: "Data pipeline" gives batch_processing, not
   data_source; "Perception" gives model). A stage title never overrides a label.

Kinds marked ``weak`` (client: "user", "app", "request") come from a label only when it
names no other kind ("user tower" is a model, "10M users" sits in a requirements box).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from whiteboard.errors import WhiteboardError
from whiteboard.vocabulary import (
    KIND_STAGES,
    KINDS,
    STAGES,
    Match,
    Reading,
    Vocabulary,
    load_vocabulary,
    own_stages,
)

if TYPE_CHECKING:
    from whiteboard.model import Diagram, Node

Source = Literal["class", "subgraph", "vocabulary", "context"]

_KIND_SET = frozenset(KINDS)
_STAGE_SET = frozenset(STAGES)
_KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a node has a kind. ``word`` is as the diagram wrote it (class name, subgraph
    title, or the label's words); ``detail`` says it in plain words."""

    kind: str
    source: Source
    word: str
    detail: str


@dataclass(frozen=True, slots=True)
class NodeRoles:
    node_id: str
    kinds: frozenset[str]
    evidence: tuple[Evidence, ...]

    @property
    def stages(self) -> frozenset[str]:
        return frozenset(KIND_STAGES[k] for k in self.kinds)

    def has(self, *kinds: str) -> bool:
        return any(k in self.kinds for k in kinds)

    def evidence_for(self, kind: str) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.kind == kind)


def stage_of(kind: str) -> str:
    """The stage a kind belongs to ("online_store" -> "features")."""
    try:
        return KIND_STAGES[kind]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(kind, KINDS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown component kind {kind!r}{hint}") from None


def class_name(name: str) -> str:
    """A class as a kind or stage name: ``onlineStore``/``online-store`` -> ``online_store``."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name.strip())
    return re.sub(r"[\s\-_]+", "_", name).lower()


def nodes_with(roles: dict[str, NodeRoles], *kinds: str) -> list[str]:
    """Ids of the nodes that have any of ``kinds``, in diagram order."""
    return [node_id for node_id, role in roles.items() if role.has(*kinds)]


# -- context ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Context:
    """A place that says something about its members: a stage class or a subgraph."""

    source: Source  # "class" or "subgraph"
    name: str  # "class :::metrics" / "subgraph 'Feature store'"
    word: str  # the class or the title as written
    kinds: tuple[str, ...]
    stages: frozenset[str]
    named_by: str = ""  # the words of the title that named them


def _title_context(subgraph, vocabulary: Vocabulary) -> _Context | None:
    classes = [class_name(c) for c in subgraph.classes]
    class_kinds = tuple(dict.fromkeys(c for c in classes if c in _KIND_SET))
    class_stages = {c for c in classes if c in _STAGE_SET}
    title = subgraph.text.strip()
    where = f"subgraph '{title or subgraph.id}'"
    if class_kinds:
        return _Context("subgraph", where, title, class_kinds, frozenset(map(stage_of, class_kinds)) | class_stages,
                        "class " + ", ".join(f":::{k}" for k in class_kinds))
    reading = vocabulary.read(subgraph.text)
    kinds = _weak_filter(vocabulary, [m.kind for m in reading.counted])[0]
    named = [reading.text[m.start:m.end] for m in reading.counted if m.kind in kinds]
    stage_words = [s for s in reading.stages if s.negated_by is None]
    stages = frozenset(map(stage_of, kinds)) | {s.stage for s in stage_words} | class_stages
    if not kinds and not stages:
        return None
    named += [reading.text[s.start:s.end] for s in stage_words]
    return _Context("subgraph", where, title, tuple(kinds), stages, ", ".join(dict.fromkeys(named)))


def _weak_filter(vocabulary: Vocabulary, kinds: Iterable[str]) -> tuple[list[str], list[str]]:
    """(kept, dropped): a weak kind yields to any other kind but its keeps_with."""
    kinds = list(dict.fromkeys(kinds))
    dropped = []
    for kind in list(kinds):
        spec = vocabulary.kind(kind)
        if spec.weak and any(k != kind and k not in spec.keeps_with for k in kinds):
            kinds.remove(kind)
            dropped.append(kind)
    return kinds, dropped


# -- one node -----------------------------------------------------------------------------

@dataclass
class _Resolution:
    node_id: str
    kinds: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    explain: bool = False
    notes: list[str] = field(default_factory=list)  # what did not count (only when explaining)
    pending: list[Match] = field(default_factory=list)  # context words no context has settled

    def note(self, text: str) -> None:
        self.notes.append(text)

    def add(self, kind: str, source: Source, word: str, detail: str) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)
        self.evidence.append(Evidence(kind, source, word, detail))

    def roles(self) -> NodeRoles:
        evidence = sorted(self.evidence, key=lambda e: _KIND_ORDER[e.kind])
        return NodeRoles(self.node_id, frozenset(self.kinds), tuple(evidence))


def _quoted(text: str) -> str:
    return " ".join(text.split())


def _word_detail(written: str) -> str:
    noun = "words" if len(written.split()) > 1 or "-" in written or "/" in written else "word"
    return f"the {noun} '{_quoted(written)}' in its label"


def _resolve(node: Node, contexts: list[_Context], reading: Reading, vocabulary: Vocabulary,
             feeds: dict[str, tuple[str, str, str]] | None = None, explain: bool = False) -> _Resolution:
    """One node's kinds. ``feeds``: kind -> (target id, target label, target kind) for the
    kinds of the nodes this node has an edge into (pass 2 only). ``explain`` also records
    what did not count, in words."""
    result = _Resolution(node.id, explain=explain)
    classes = [(c, class_name(c)) for c in node.classes]

    # 1. a class named after a kind decides
    kind_classes = [(c, n) for c, n in classes if n in _KIND_SET]
    if kind_classes:
        for written, kind in kind_classes:
            result.add(kind, "class", written, f"class :::{written}")
        if explain and reading.counted:
            result.note("its label's words are not used: a class naming a kind decides "
                        f"({', '.join(sorted({m.kind for m in reading.counted}))} not counted)")
        return result

    # 2. the label, with its context words settled by context
    text = reading.text
    counted = list(reading.counted)
    applied: list[tuple[Match, str]] = []
    for match in reading.matches:
        if not match.contextual or match.negated_by:
            continue
        stage = stage_of(match.kind)
        written = _quoted(text[match.start:match.end])
        reason = None
        if stage in own_stages(reading, match):
            named = [m.kind for m in counted if stage_of(m.kind) == stage
                     and (m.start, m.end) != (match.start, match.end)]
            what = f"names {named[0]}" if named else f"names the {stage} stage"
            reason = f"'{written}' in its label counts as {match.kind} here: its label also {what}"
        else:
            for context in contexts:
                if stage in context.stages:
                    reason = f"'{written}' in its label counts as {match.kind} here: {context.name}"
                    break
        if reason is None and feeds and match.kind in feeds:
            _, label, target_kind = feeds[match.kind]
            reason = (f"'{written}' in its label counts as {match.kind} here: it feeds the "
                      f"{target_kind.replace('_', ' ')} node '{_quoted(label)}'")
        if reason is None:
            result.pending.append(match)
            continue
        applied.append((match, reason))

    replaced = {(m.start, m.end) for m, _ in applied}
    kept = []
    for match in counted:
        if (match.start, match.end) in replaced:
            if not explain:
                continue
            instead = sorted({m.kind for m, _ in applied if (m.start, m.end) == (match.start, match.end)})
            result.note(f"{match.kind}: '{_quoted(text[match.start:match.end])}' is read as "
                        f"{' and '.join(instead)} here instead")
        else:
            kept.append(match)

    found: list[tuple[str, Source, str, str]] = []
    for match in kept:
        written = text[match.start:match.end]
        found.append((match.kind, "vocabulary", _quoted(written), _word_detail(written)))
    for match, reason in applied:
        found.append((match.kind, "context", _quoted(text[match.start:match.end]), reason))

    kinds, dropped = _weak_filter(vocabulary, [f[0] for f in found])
    for kind in dropped if explain else ():
        others = ", ".join(k for k in kinds)
        result.note(f"{kind}: its words here ({', '.join(f[2] for f in found if f[0] == kind)}) "
                    f"describe something else; the label names {others}")
    # a weak word also yields to the place the node is drawn in: "User and item
    # features" inside "Model architecture" is an input, not the request entry point
    if contexts:
        place = contexts[0]
        for kind in list(kinds):
            if vocabulary.kind(kind).weak and kind not in place.kinds and stage_of(kind) not in place.stages:
                kinds.remove(kind)
                if explain:
                    result.note(f"{kind}: '{', '.join(f[2] for f in found if f[0] == kind)}' in a node drawn in "
                                f"{place.name} ({'/'.join(s for s in STAGES if s in place.stages)} stage) "
                                "describes something else")
    stage_classes = [(c, n) for c, n in classes if n in _STAGE_SET]
    if stage_classes:
        allowed = {n for _, n in stage_classes}
        for kind in list(kinds):
            if stage_of(kind) not in allowed:
                kinds.remove(kind)
                result.note(f"{kind}: not counted, the class :::{stage_classes[0][0]} puts the node "
                            f"in the {'/'.join(sorted(allowed))} stage")
    for kind, source, word, detail in found:
        if kind in kinds:
            result.add(kind, source, word, detail)
    for match in result.pending if explain else ():
        result.note(f"{match.kind}: '{_quoted(text[match.start:match.end])}' would count as "
                    f"{match.kind} in a {stage_of(match.kind)} context, which it has not")
    negated = [m for m in reading.matches if m.negated_by]
    for match in negated if explain else ():
        result.note(f"{match.kind}: '{_quoted(text[match.start:match.end])}' is negated by "
                    f"'{_quoted(match.negated_by)}'")
    if result.kinds:
        return result
    if negated:
        result.note("its label negates what it names, so no subgraph or stage gives it a kind")
        return result

    # 3. placement: stage class, a label that is only a stage's name, the innermost subgraph
    if stage_classes:
        for written, stage in stage_classes:
            fallback = vocabulary.stage(stage).fallback
            result.add(fallback, "class", written,
                       f"class :::{written} names the {stage} stage (its general kind is {fallback})")
        return result
    if reading.whole_stage:
        stage = reading.whole_stage
        fallback = vocabulary.stage(stage).fallback
        result.add(fallback, "vocabulary", _quoted(text),
                   f"its label names the {stage} stage (its general kind is {fallback})")
        return result
    for context in contexts:
        if context.kinds:
            for kind in context.kinds:
                result.add(kind, "subgraph", context.word, f"in {context.name}")
            return result
        if context.stages:
            for stage in (s for s in STAGES if s in context.stages):
                fallback = vocabulary.stage(stage).fallback
                result.add(fallback, "subgraph", context.word,
                           f"in {context.name}, a {stage}-stage title (its general kind is {fallback})")
            return result
    return result


# -- the diagram --------------------------------------------------------------------------

class _Resolver:
    def __init__(self, diagram: Diagram, vocabulary: Vocabulary) -> None:
        self.diagram = diagram
        self.vocabulary = vocabulary
        self.by_id = {n.id: n for n in diagram.nodes}
        parent: dict[str, str] = {}
        for subgraph in diagram.subgraphs:
            for member in subgraph.nodes:
                parent.setdefault(member, subgraph.id)
        self.parent = parent
        self.subgraphs = {s.id: s for s in diagram.subgraphs}
        self._titles: dict[str, _Context | None] = {}
        self._readings: dict[str, Reading] = {}
        self._targets: dict[str, list[str]] | None = None

    def reading(self, node: Node) -> Reading:
        reading = self._readings.get(node.id)
        if reading is None:
            reading = self._readings[node.id] = self.vocabulary.read(node.text)
        return reading

    def contexts(self, node: Node) -> list[_Context]:
        """Stage classes first, then enclosing subgraphs, innermost first."""
        found = []
        for written in node.classes:
            name = class_name(written)
            if name in _STAGE_SET and name not in _KIND_SET:
                found.append(_Context("class", f"class :::{written}", written, (), frozenset({name}), written))
        seen = set()
        current = self.parent.get(node.id)
        while current is not None and current not in seen:
            seen.add(current)
            if current not in self._titles:
                self._titles[current] = _title_context(self.subgraphs[current], self.vocabulary)
            context = self._titles[current]
            if context is not None:
                found.append(context)
            current = self.parent.get(current)
        return found

    def run(self, explain: str | None = None) -> dict[str, _Resolution]:
        """Every node's resolution; ``explain``: the id of a node to record notes for."""
        first = {n.id: _resolve(n, self.contexts(n), self.reading(n), self.vocabulary, explain=n.id == explain)
                 for n in self.diagram.nodes}
        final = dict(first)
        for node_id, resolution in first.items():
            if not resolution.pending:
                continue
            feeds = self.feeds(node_id, {m.kind for m in resolution.pending}, first)
            if feeds:
                node = self.by_id[node_id]
                final[node_id] = _resolve(node, self.contexts(node), self.reading(node), self.vocabulary, feeds,
                                          explain=node_id == explain)
        return final

    def feeds(self, node_id: str, kinds: set[str], first: dict[str, _Resolution]) -> dict[str, tuple[str, str, str]]:
        wanted = {k: self.vocabulary.kind(k).context_feeds for k in kinds}
        wanted = {k: v for k, v in wanted.items() if v}
        found: dict[str, tuple[str, str, str]] = {}
        if not wanted:
            return found
        if self._targets is None:
            self._targets = {}
            for edge in self.diagram.edges:
                if edge.stroke != "invisible":  # `~~~` only places nodes
                    self._targets.setdefault(edge.source, []).append(edge.target)
        for target in self._targets.get(node_id, ()):
            if target not in first:
                continue
            target_kinds = first[target].kinds
            for kind, feeds in wanted.items():
                if kind in found:
                    continue
                hit = next((k for k in target_kinds if k in feeds), None)
                if hit:
                    found[kind] = (target, self.by_id[target].text, hit)
        return found


def assign_roles(diagram: Diagram, vocabulary: Vocabulary | None = None) -> dict[str, NodeRoles]:
    """Every node id -> its kinds and the evidence, in diagram order (see the module doc)."""
    resolutions = _Resolver(diagram, vocabulary or load_vocabulary()).run()
    return _by_shape(diagram, {node_id: resolution.roles() for node_id, resolution in resolutions.items()})


_ENTRY_SHAPES = frozenset({"stadium", "circle", "round"})
_PIPELINE_KINDS = frozenset({"ingestion", "batch_processing", "stream_processing"})


def _by_shape(diagram: Diagram, roles: dict[str, NodeRoles]) -> dict[str, NodeRoles]:
    """Two readings of how a node is drawn, applied after the words.

    - A database (cylinder) is never a client: "Transactions" drawn as `[(...)]` is a
      table of transactions, a data source.
    - A node no word classifies, that nothing feeds and that feeds an ingestion, ETL or
      stream step, is where the data comes from: a data source.
    - A node no word classifies, drawn as a terminal (`([Customer])`, `((User))`), whose
      first link sends (solid) before any link points back at it, is where requests
      enter: a client.
      People name their users in countless ways (customer, employee, rider, "comment
      submitted"); the shape and the position say what the words cannot.
    """
    # Where each node is first written as a link's target, and as a solid link's source:
    # an entry sends before anything answers it (a response drawn back to the user
    # comes later in the text).
    first_in: dict[str, int] = {}
    first_solid_out: dict[str, int] = {}
    feeds_pipeline: dict[str, str] = {}
    for index, edge in enumerate(diagram.edges):
        first_in.setdefault(edge.target, index)
        target = roles.get(edge.target)
        if target is not None and target.kinds & _PIPELINE_KINDS:
            feeds_pipeline.setdefault(edge.source, edge.target)
        if edge.stroke in ("normal", "thick"):
            first_solid_out.setdefault(edge.source, index)
    for node in diagram.nodes:
        role = roles.get(node.id)
        if role is None:
            continue
        if node.shape == "cylinder" and "client" in role.kinds:
            kinds = role.kinds - {"client"}
            evidence = tuple(e for e in role.evidence if e.kind != "client")
            if not kinds:
                kinds = frozenset({"data_source"})
                evidence += (Evidence("data_source", "context", node.text,
                                      "drawn as a database [( )], so a data source rather than a client"),)
            roles[node.id] = NodeRoles(node.id, kinds, evidence)
        elif not role.kinds and node.id not in first_in and feeds_pipeline.get(node.id):
            roles[node.id] = NodeRoles(node.id, frozenset({"data_source"}), (Evidence(
                "data_source", "context", node.text,
                f"nothing feeds it and it feeds the pipeline step '{feeds_pipeline[node.id]}': a data source"),))
        elif (not role.kinds and node.shape in _ENTRY_SHAPES and node.id in first_solid_out
              and first_solid_out[node.id] < first_in.get(node.id, len(diagram.edges))):
            roles[node.id] = NodeRoles(node.id, frozenset({"client"}), (Evidence(
                "client", "context", node.text,
                "drawn as a terminal that sends the first request: where requests enter"),))
    return roles


def explain_node(diagram: Diagram, node_id: str, vocabulary: Vocabulary | None = None) -> str:
    """Why a node got its kinds, in plain words (``whiteboard explain-node``)."""
    vocabulary = vocabulary or load_vocabulary()
    resolver = _Resolver(diagram, vocabulary)
    node = resolver.by_id.get(node_id)
    if node is None:
        import difflib

        close = difflib.get_close_matches(node_id, list(resolver.by_id), n=3)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise WhiteboardError(f"no node {node_id!r} in the diagram{hint}", path=diagram.path)
    resolutions = resolver.run(explain=node_id)
    resolution = resolutions[node_id]
    roles = _by_shape(diagram, {nid: r.roles() for nid, r in resolutions.items()})[node_id]
    lines = [f"{node.id} (line {node.line}, column {node.column}): \"{_quoted(node.text)}\""]
    for context in resolver.contexts(node):
        says = ", ".join(context.kinds) if context.kinds else "stage " + "/".join(
            s for s in STAGES if s in context.stages)
        lines.append(f"  {context.name}: {says}" + (f" (from '{context.named_by}')" if context.named_by
                                                     and context.source == "subgraph" else ""))
    if roles.kinds:
        lines.append("kinds: " + ", ".join(k for k in KINDS if k in roles.kinds))
        for evidence in roles.evidence:
            lines.append(f"  {evidence.kind} ({stage_of(evidence.kind)}), by {evidence.source}: {evidence.detail}")
    else:
        lines.append("kinds: none (no class, label word or subgraph title names a component kind)")
    if resolution.notes:
        lines.append("not counted:")
        lines.extend(f"  {note}" for note in resolution.notes)
    lines.append("(order: a class naming a kind decides; else the label's words, with context settling "
                 "words like 'Redis'; a stage class, stage name or subgraph title only when the label names no kind; "
                 "then the drawing: a database is never a client, a terminal nothing points into is one)")
    return "\n".join(lines)


__all__ = [
    "KINDS",
    "STAGES",
    "Evidence",
    "NodeRoles",
    "assign_roles",
    "class_name",
    "explain_node",
    "nodes_with",
    "stage_of",
]
