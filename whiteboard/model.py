"""The typed diagram: what a flowchart says, with where it says it.

Field names follow mermaid-js's FlowDB (``label``, ``shape``, ``type``, ``stroke``,
``length``...) so ``whiteboard parse`` output compares field by field with mermaid's own
parse (Contract 1 in DESIGN.md). Positions are 1-based line and column in the original
file. ``Diagram.graph()`` gives the NetworkX view the rules work on.
"""

from __future__ import annotations

import html
import math
import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    import networkx

_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def plain_text(label: str) -> str:
    """A label as a person reads it: line breaks as newlines, tags dropped, entities decoded.

    Rules match vocabulary on this text; the mermaid-exact ``label`` keeps the markup.
    """
    text = _BREAK.sub("\n", label)
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text.replace("\\n", "\n")


def _json_value(value: Any) -> Any:
    """A label as JSON.stringify writes it: a non-finite number (YAML `.inf`) is null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class _Record(BaseModel):
    model_config = ConfigDict(frozen=False, extra="forbid")

    @classmethod
    def trusted(cls, **values: Any):
        """Build from values the parser already guarantees (every field given, right types).

        pydantic's ``model_construct`` still walks every field's default; for the tens of
        thousands of records a big diagram has, setting the instance state directly is
        several times faster and gives the same object.
        """
        instance = cls.__new__(cls)
        object.__setattr__(instance, "__dict__", values)
        object.__setattr__(instance, "__pydantic_fields_set__", set(values))
        object.__setattr__(instance, "__pydantic_extra__", None)
        object.__setattr__(instance, "__pydantic_private__", None)
        return instance


class Node(_Record):
    """A flowchart node (mermaid: vertex)."""

    id: str
    label: Any = Field(description="the text mermaid shows, as FlowDB stores it")
    label_type: str = "text"
    shape: str | None = None
    classes: list[str] = Field(default_factory=list)
    styles: list[str] = Field(default_factory=list)
    line: int
    column: int
    link: str | None = None
    link_target: str | None = None
    tooltip: str | None = None
    props: dict[str, Any] = Field(default_factory=dict)
    extra: dict[str, Any] = Field(default_factory=dict)

    @property
    def text(self) -> str:
        return plain_text(self.label if isinstance(self.label, str) else str(self.label))


class Edge(_Record):
    """A link between two nodes. ``line``/``column`` is where its source is written."""

    id: str
    source: str
    target: str
    label: str = ""
    label_type: str = "text"
    type: str | None
    stroke: str | None
    length: int | None
    user_defined_id: bool = False
    classes: list[str] = Field(default_factory=list)
    style: list[str] | None = None
    interpolate: str | None = None
    line: int
    column: int
    link_line: int
    link_column: int
    extra: dict[str, Any] = Field(default_factory=dict)

    @property
    def text(self) -> str:
        return plain_text(self.label)


class Subgraph(_Record):
    """A `subgraph ... end` block; ``nodes`` are its direct members in mermaid's order."""

    id: str
    title: str
    label_type: str = "text"
    nodes: list[str]
    direction: str | None = None
    classes: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict, description="from `id@{ ... }` after the subgraph")
    line: int
    column: int

    @property
    def text(self) -> str:
        return plain_text(self.title)


class Comment(_Record):
    """A whole-line `%%` comment (where `%% problem: rag` and `%% wb:` directives live)."""

    text: str
    line: int
    column: int


class Diagram(_Record):
    """One parsed flowchart."""

    direction: str
    nodes: list[Node]
    edges: list[Edge]
    subgraphs: list[Subgraph]
    class_defs: dict[str, list[str]]
    diagram_type: str = "flowchart-v2"
    title: str | None = None
    acc_title: str | None = None
    acc_descr: str | None = None
    default_link_style: list[str] | None = None
    default_interpolate: str | None = None
    comments: list[Comment] = Field(default_factory=list)
    config: dict[str, Any] = Field(default_factory=dict)
    path: str | None = None
    start_line: int = Field(1, description="line of the header, in the file")

    def node(self, node_id: str) -> Node | None:
        for node in self.nodes:
            if node.id == node_id:
                return node
        return None

    def contract(self) -> dict[str, Any]:
        """Contract 1 (DESIGN.md): the JSON `whiteboard parse --format json` prints."""
        return {
            "direction": self.direction,
            "nodes": [
                {
                    "id": n.id, "label": _json_value(n.label), "shape": n.shape, "classes": list(n.classes),
                    "line": n.line, "column": n.column,
                }
                for n in self.nodes
            ],
            "edges": [
                {
                    "source": e.source, "target": e.target, "label": e.label, "type": e.type,
                    "stroke": e.stroke, "length": e.length, "line": e.line, "column": e.column,
                }
                for e in self.edges
            ],
            "subgraphs": [
                {"id": s.id, "title": s.title, "nodes": list(s.nodes), "direction": s.direction}
                for s in self.subgraphs
            ],
            "class_defs": {name: list(styles) for name, styles in self.class_defs.items()},
        }

    def graph(self) -> "networkx.MultiDiGraph":
        from whiteboard.graph import to_networkx

        return to_networkx(self)
