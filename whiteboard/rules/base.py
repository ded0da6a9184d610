"""What a rule is: a code, a name, a severity, a stage, its own documentation, and check().

A rule's docstring *is* its documentation: a summary line, then `## What it checks`,
`## Why it matters`, `## Fails` and `## Passes` (each of the last two with a ```mermaid
example). `whiteboard explain CODE` prints it and a test runs both examples, so the text
can never drift from the behaviour. Rules never print and never read files.
"""

from __future__ import annotations

import enum
import inspect
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Iterator

if TYPE_CHECKING:
    import networkx

    from whiteboard.model import Diagram


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One thing the check found, at a place in the file."""

    code: str
    severity: Severity
    message: str
    line: int
    column: int
    nodes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity.value, "message": self.message,
                "line": self.line, "column": self.column, "nodes": list(self.nodes)}


@dataclass
class RuleContext:
    """Everything a rule may look at, computed once per diagram."""

    diagram: "Diagram"
    kinds: dict[str, frozenset[str]]
    evidence: dict[str, tuple] = field(default_factory=dict)
    problem: str | None = None
    sla_ms: float | None = None
    vocabulary: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def graph(self) -> "networkx.MultiDiGraph":
        return self.diagram.graph()

    @cached_property
    def latency(self):
        """The latency report (SLA, request path, annotations), computed once."""
        from whiteboard.latency import analyse

        return analyse(self.diagram, self.kinds, self.sla_ms)

    @cached_property
    def request_region(self) -> frozenset[str]:
        """Nodes a request can reach from a client over solid links (the online side)."""
        seen: set[str] = set()
        frontier = [n for n in self.nodes_of("client") if n in self.graph]
        while frontier:
            node = frontier.pop()
            if node in seen:
                continue
            seen.add(node)
            for _, successor, data in self.graph.out_edges(node, data=True):
                if data.get("stroke") in ("normal", "thick") and successor not in seen:
                    frontier.append(successor)
        return frozenset(seen)

    @cached_property
    def order(self) -> dict[str, int]:
        return {node.id: index for index, node in enumerate(self.diagram.nodes)}

    @cached_property
    def _by_id(self) -> dict[str, Any]:
        return {node.id: node for node in self.diagram.nodes}

    def node(self, node_id: str):
        """The node with this id, or None: a dict look-up (Diagram.node() scans every node)."""
        return self._by_id.get(node_id)

    def nodes_of(self, *kinds: str) -> list[str]:
        """Node ids having any of *kinds*, in order of appearance."""
        key = frozenset(kinds)
        cache = self.__dict__.setdefault("_nodes_of", {})
        if key not in cache:
            cache[key] = tuple(node.id for node in self.diagram.nodes if self.kinds.get(node.id, frozenset()) & key)
        return list(cache[key])

    def reachable_from(self, sources: Iterable[str]) -> set[str]:
        """Every node some source reaches (the sources included); one linear walk."""
        return self._closure(sources, self.graph.successors)

    def reaching(self, targets: Iterable[str]) -> set[str]:
        """Every node that reaches some target (the targets included); one linear walk."""
        return self._closure(targets, self.graph.predecessors)

    def _closure(self, starts: Iterable[str], neighbours) -> set[str]:
        seen = {s for s in starts if s in self.graph}
        frontier = list(seen)
        while frontier:
            for neighbour in neighbours(frontier.pop()):
                if neighbour not in seen:
                    seen.add(neighbour)
                    frontier.append(neighbour)
        return seen

    def position(self, node_id: str | None) -> tuple[int, int]:
        if node_id is not None:
            node = self.node(node_id)
            if node is not None:
                return node.line, node.column
        return self.diagram.start_line, 1

    def text_mentions(self, *kinds: str) -> list[str]:
        """Edge labels and node labels (whatever their own kind) whose words name one of *kinds*.

        DESIGN.md: rollout and metrics count when an edge label or a box names them
        (a monitoring box that lists "A/B testing", a `-->|canary 5%|` edge).
        """
        wanted = set(kinds)
        return [where for where, named in self._named_kinds if not named.isdisjoint(wanted)]

    @cached_property
    def _named_kinds(self) -> list[tuple[str, frozenset[str]]]:
        """(node id or 'A->B', the kinds its words name) for every label, read once per diagram
        rather than once per rule that asks."""
        if self.vocabulary is None:
            from whiteboard.vocabulary import load_vocabulary

            self.vocabulary = load_vocabulary()
        match = self.vocabulary.match
        found = [(node.id, frozenset(m.kind for m in match(node.text))) for node in self.diagram.nodes]
        found += [(f"{edge.source}->{edge.target}", frozenset(m.kind for m in match(edge.text)))
                  for edge in self.diagram.edges if edge.label]
        return found

    def reaches(self, sources: Iterable[str], targets: Iterable[str]) -> bool:
        """Is some target reachable from some source (dotted edges count)?"""
        return self.path_between(sources, targets) is not None

    def path_between(self, sources: Iterable[str], targets: Iterable[str]) -> list[str] | None:
        """A shortest path from any source to any target, or None. Linear in the graph size."""
        target_set = set(targets)
        source_list = [s for s in sources if s in self.graph]
        if not source_list or not target_set:
            return None
        for source in source_list:
            if source in target_set:
                return [source]
        parents: dict[str, str | None] = {s: None for s in source_list}
        frontier = list(source_list)
        while frontier:
            following = []
            for node in frontier:
                for successor in self.graph.successors(node):
                    if successor in parents:
                        continue
                    parents[successor] = node
                    if successor in target_set:
                        path = [successor]
                        while parents[path[-1]] is not None:
                            path.append(parents[path[-1]])  # type: ignore[arg-type]
                        return path[::-1]
                    following.append(successor)
            frontier = following
        return None

    def flows_into(self, sources: Iterable[str], targets: Iterable[str]) -> bool:
        """Does an edge out of some source lead, directly or by a path, into a target?

        Unlike reaches(), a source that is itself a target does not count: the flow
        must leave it (a feedback edge from production back to data).
        """
        following = {successor for source in sources if source in self.graph
                     for successor in self.graph.successors(source)}
        return self.reaches(following, targets)

    def adjacent(self, first: Iterable[str], second: Iterable[str]) -> bool:
        """Is there an edge, either way, between the two sets?"""
        second_set = second if isinstance(second, (set, frozenset)) else set(second)
        for node in first:
            if node not in self.graph:
                continue
            if any(n in second_set for n in self.graph.successors(node)) or any(
                    n in second_set for n in self.graph.predecessors(node)):
                return True
        return False


_SECTIONS = ("## What it checks", "## Why it matters", "## Fails", "## Passes")


class Rule:
    """Base class. Subclasses set the class attributes and implement check()."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    stage: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()
    example_format: ClassVar[str] = "mermaid"  # or "markdown": the examples are whole Markdown files

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for attribute in ("code", "name", "severity", "stage"):
            if not hasattr(cls, attribute):
                raise TypeError(f"rule {cls.__name__} has no {attribute}")
        doc = inspect.getdoc(cls) or ""
        missing = [section for section in _SECTIONS if section not in doc]
        if missing:
            raise TypeError(f"rule {cls.code} ({cls.__name__}) lacks doc sections: {', '.join(missing)}")

    @classmethod
    def doc(cls) -> str:
        return inspect.getdoc(cls) or ""

    @classmethod
    def summary(cls) -> str:
        return cls.doc().splitlines()[0].strip()

    @classmethod
    def example(cls, section: str) -> str:
        """The example block under `## Fails` or `## Passes`: ```mermaid, or ````markdown for a
        rule about Markdown files (four backticks: the example holds ``` fences itself)."""
        doc = cls.doc()
        start = doc.index(f"## {section}")
        fence = "````" if cls.example_format == "markdown" else "```"
        block = re.search(rf"{fence}{cls.example_format}\n(.*?){fence}", doc[start:], re.DOTALL)
        if block is None:
            raise ValueError(f"{cls.code}: no {cls.example_format} example under ## {section}")
        return block.group(1)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    def finding(self, ctx: RuleContext, message: str, *, nodes: Iterable[str] = (),
                at: str | None = None, line: int | None = None, column: int | None = None) -> Finding:
        nodes = tuple(nodes)
        if line is None:
            line, column = ctx.position(at if at is not None else (nodes[0] if nodes else None))
        return Finding(self.code, self.severity, message, line, column or 1, nodes)


def quote_nodes(ctx: RuleContext, node_ids: Iterable[str], limit: int = 3) -> str:
    """'API' (label), for messages: ids people can find in their diagram."""
    shown = []
    ids = list(node_ids)
    for node_id in ids[:limit]:
        node = ctx.node(node_id)
        text = " ".join(node.text.split()) if node is not None else node_id
        shown.append(f"'{node_id}'" if text == node_id else f"'{node_id}' ({text[:40]})")
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(shown) + more
