"""What mermaid's FlowDB does with each statement: the semantics behind the grammar.

mermaid's parser calls FlowDB methods (addVertex, addLink, addSubGraph, setClass...) as
it reduces; the quirks users meet live here as much as in the grammar: a node keeps the
first text it was given unless a later one replaces it, a node belongs only to the first
subgraph that lists it, subgraph members come out in reverse order, edge ids count
repeats as 0, 2, 3..., `linkStyle` on a missing edge is an error. ``FlowBuilder`` keeps
that behaviour, method for method, and collects plain records that ``model.py`` turns
into the typed Diagram.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from whiteboard.sanitize import sanitize_text

# JavaScript's \s, for the places where mermaid tests a string with /\s/.
_JS_SPACE = re.compile("[\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]")
_JS_TRIM = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

# The `@{ shape: ... }` names mermaid 11.17.2 accepts (short names, aliases, and the
# internal names that pass its lowercase-without-underscore check).
VALID_SHAPES = frozenset(
    """
    rect rounded stadium fr-rect cyl datastore folder bucket console browser person circle
    bang cloud diam hex lean-r lean-l trap-b trap-t dbl-circ text notch-rect lin-rect
    sm-circ fr-circ fork hourglass brace brace-r braces bolt doc delay h-cyl lin-cyl
    curv-trap div-rect tri win-pane f-circ notch-pent flip-tri sl-rect docs st-rect
    bow-rect cross-circ tag-doc tag-rect flag odd lin-doc
    proc process rectangle event terminal pill subprocess subproc framed-rectangle
    subroutine db database cylinder data-store directory circ decision diamond question
    hexagon prepare lean-right in-out lean-left out-in priority trapezoid-bottom trapezoid
    manual trapezoid-top inv-trapezoid double-circle card notched-rectangle
    lined-rectangle lined-process lin-proc shaded-process start small-circle stop
    framed-circle join collate comment brace-l com-link lightning-bolt document
    half-rounded-rectangle das horizontal-cylinder disk lined-cylinder curved-trapezoid
    display div-proc divided-rectangle divided-process extract triangle internal-storage
    window-pane junction filled-circle loop-limit notched-pentagon manual-file
    flipped-triangle manual-input sloped-rectangle documents st-doc stacked-document procs
    processes stacked-rectangle stored-data bow-tie-rectangle summary crossed-circle
    tagged-document tagged-rectangle tag-proc tagged-process paper-tape lined-document
    doublecircle state choice note composite icon anchor constructor
    """.split()
)


class FlowError(Exception):
    """A statement parses but mermaid's FlowDB rejects it (bad shape, missing edge...).

    ``offset`` points into the prepared text; the parser maps it to line:column.
    """

    def __init__(self, message: str, offset: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def js_trim(text: str) -> str:
    return text.strip(_JS_TRIM)


def label_type_of(kind: str | None) -> str:
    """mermaid's sanitizeNodeLabelType: anything unknown counts as markdown."""
    return kind if kind in ("markdown", "string", "text") else "markdown"


@dataclass
class VertexRecord:
    id: str
    offset: int
    text: Any = None
    label_type: str = "text"
    shape: str | None = None
    styles: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)
    link: str | None = None
    link_target: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class EdgeRecord:
    id: str
    source: str
    target: str
    type: str | None
    stroke: str | None
    length: int | None
    text: str
    label_type: str
    user_defined_id: bool
    offset: int
    link_offset: int
    classes: list[str] = field(default_factory=list)
    style: list[str] | None = None
    interpolate: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class SubgraphRecord:
    id: str
    title: str
    label_type: str
    nodes: list[str]
    direction: str | None
    offset: int
    classes: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class DirectionStatement:
    """`direction LR` inside a subgraph body, as mermaid's {stmt: 'dir'} marker."""

    value: str


class FlowBuilder:
    """FlowDB's parse-time methods, in Python, collecting records."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = config or {}
        self.vertices: dict[str, VertexRecord] = {}
        self.edges: list[EdgeRecord] = []
        self._edge_by_id: dict[str, EdgeRecord] = {}
        self._edge_pair_count: dict[tuple[str, str], int] = {}
        self.classes: dict[str, list[str]] = {}
        self.subgraphs: list[SubgraphRecord] = []
        self._subgraph_by_id: dict[str, SubgraphRecord] = {}
        self._in_subgraph: set[str] = set()
        self.tooltips: dict[str, str] = {}
        self.direction: str | None = None
        self.default_link_style: list[str] | None = None
        self.default_interpolate: str | None = None
        self.acc_title: str | None = None
        self.acc_descr: str | None = None

    # -- vertices ---------------------------------------------------------------------
    def add_vertex(
        self,
        vertex_id: str,
        offset: int,
        text: tuple[str, str] | None = None,
        shape: str | None = None,
        styles: list[str] | None = None,
        props: dict[str, str] | None = None,
        shape_data: str | None = None,
    ) -> None:
        if not vertex_id or not js_trim(vertex_id):
            return
        doc = _load_shape_data(shape_data, offset) if shape_data is not None else None
        subgraph = self._subgraph_by_id.get(vertex_id)
        if subgraph is not None and doc:  # `@{ ... }` on a subgraph id configures the subgraph
            if isinstance(doc, dict):
                subgraph.metadata.update(doc)
            return
        edge = self._edge_by_id.get(vertex_id)
        if edge is not None:  # `e1@{ animate: true }` styles the edge called e1
            if isinstance(doc, dict):
                for key in ("animate", "animation", "curve"):
                    if key in doc:
                        edge.extra[key] = doc[key]
            return
        vertex = self.vertices.get(vertex_id)
        if vertex is None:
            vertex = VertexRecord(id=vertex_id, offset=offset)
            self.vertices[vertex_id] = vertex
        if text is not None:
            label = sanitize_text(js_trim(text[0]))
            vertex.label_type = text[1]
            label = _strip_quotes(label)
            vertex.text = label
        elif vertex.text is None:
            vertex.text = vertex_id
        if shape is not None:
            vertex.shape = shape
        if styles:
            vertex.styles.extend(styles)
        if props:
            vertex.props.update(props)
        if shape_data is not None and doc is None:
            raise FlowError(
                "the @{ ... } node data is empty: write at least one 'key: value' "
                "(mermaid: Cannot read properties of null (reading 'shape'))", offset)
        if isinstance(doc, dict):
            self._apply_shape_data(vertex, doc, offset)

    def _apply_shape_data(self, vertex: VertexRecord, doc: dict[str, Any], offset: int) -> None:
        shape = doc.get("shape")
        if shape:
            shape_name = str(shape)
            if shape_name != shape_name.lower() or "_" in shape_name:
                raise FlowError(f"node shape '{shape_name}' must be written in lowercase, without '_' "
                                f"(mermaid: No such shape: {shape_name}. Shape names should be lowercase.)", offset)
            if shape_name not in VALID_SHAPES:
                import difflib

                close = difflib.get_close_matches(shape_name, sorted(VALID_SHAPES), n=3)
                hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
                raise FlowError(f"unknown node shape '{shape_name}' in @{{ shape: ... }}{hint} "
                                f"(mermaid: No such shape: {shape_name}.)", offset)
            vertex.shape = shape_name
        label = doc.get("label")
        if label:
            vertex.text = label
            vertex.label_type = label_type_of(doc.get("labelType"))
        for key in ("icon", "img"):
            if doc.get(key):
                if label and not isinstance(label, str):
                    raise FlowError(
                        f"with '{key}:' in @{{ ... }}, the label must be text, not {label!r} "
                        "(mermaid: doc.label?.trim is not a function)", offset)
                vertex.extra[key] = doc[key]
                label_blank = not (isinstance(label, str) and js_trim(label))
                if label_blank and vertex.text == vertex.id:
                    vertex.text = ""
        for key in ("form", "pos", "constraint"):
            if doc.get(key):
                vertex.extra[key] = doc[key]
        for key, name in (("w", "assetWidth"), ("h", "assetHeight")):
            if doc.get(key):
                vertex.extra[name] = doc[key]

    # -- edges -------------------------------------------------------------------------
    def add_link(self, starts: list[tuple[str, int]], ends: list[tuple[str, int]], link: dict) -> None:
        link_id = link.get("id")
        if link_id is not None:
            link_id = link_id.replace("@", "", 1)
        last_start = starts[-1][0]
        first_end = ends[0][0]
        for start, start_offset in starts:
            for end, _ in ends:
                use_id = link_id if (start == last_start and end == first_end) else None
                self._add_single_link(start, end, link, use_id, start_offset)

    def _add_single_link(self, start: str, end: str, link: dict, link_id: str | None, offset: int) -> None:
        text, label_type = "", "text"
        text_obj = link.get("text")
        if text_obj is not None:
            text = sanitize_text(js_trim(text_obj[0]))
            text = _strip_quotes(text)
            label_type = label_type_of(text_obj[1])
        length = link["length"]
        if isinstance(length, int) and length > 10:
            length = 10
        if link_id and link_id not in self._edge_by_id:
            edge_id, user_defined = link_id, True
        else:
            count = self._edge_pair_count.get((start, end), 0)
            edge_id = f"L_{start}_{end}_{0 if count == 0 else count + 1}"
            user_defined = False
        self._edge_pair_count[(start, end)] = self._edge_pair_count.get((start, end), 0) + 1
        edge = EdgeRecord(
            id=edge_id, source=start, target=end, type=link["type"], stroke=link["stroke"],
            length=length, text=text, label_type=label_type, user_defined_id=user_defined,
            offset=offset, link_offset=link["offset"], interpolate=self.default_interpolate,
        )
        self.edges.append(edge)
        self._edge_by_id.setdefault(edge_id, edge)

    def _edge_at(self, position: str, offset: int, what: str) -> EdgeRecord:
        # mermaid indexes its edge array with the NUM token's text: only canonical
        # decimal indexes inside the array find an edge.
        canonical = position == "0" or (position[:1] != "0" and position.isdigit())
        index = int(position) if canonical else -1
        if not 0 <= index < len(self.edges):
            raise FlowError(
                f"linkStyle {position}: there is no link number {position} "
                f"(links are numbered from 0 in the order they appear; this diagram has "
                f"{len(self.edges)}) (mermaid: Cannot set properties of undefined (setting '{what}'))",
                offset,
            )
        return self.edges[index]

    def update_link(self, positions: list[tuple[str, int]], styles: list[str]) -> None:
        for position, offset in positions:
            if position == "default":
                self.default_link_style = styles
                continue
            edge = self._edge_at(position, offset, "style")
            edge.style = list(styles)
            if edge.style and not any(s.startswith("fill") for s in edge.style):
                edge.style.append("fill:none")

    def update_link_interpolate(self, positions: list[tuple[str, int]], interpolate: str) -> None:
        for position, offset in positions:
            if position == "default":
                self.default_interpolate = interpolate
            else:
                self._edge_at(position, offset, "interpolate").interpolate = interpolate

    # -- classes, styles, clicks -------------------------------------------------------
    def add_class(self, ids: str, styles: list[str]) -> None:
        joined = ",".join(styles).replace("\\,", "§§§").replace(",", ";").replace("§§§", ",")
        parts = joined.split(";")
        for class_id in ids.split(","):
            self.classes.setdefault(class_id, []).extend(parts)

    def set_class(self, ids: str, class_name: str) -> None:
        for item in ids.split(","):
            vertex = self.vertices.get(item)
            if vertex is not None:
                vertex.classes.append(class_name)
            edge = self._edge_by_id.get(item)
            if edge is not None:
                edge.classes.append(class_name)
            subgraph = self._subgraph_by_id.get(item)
            if subgraph is not None:
                subgraph.classes.append(class_name)

    def set_tooltip(self, ids: str, tooltip: str | None) -> None:
        if tooltip is None:
            return
        tooltip = sanitize_text(tooltip)
        for item in ids.split(","):
            self.tooltips[item] = tooltip

    def set_click_event(self, ids: str) -> None:
        # Callbacks only run at securityLevel 'loose', which a diagram cannot set;
        # the node is still marked clickable.
        self.set_class(ids, "clickable")

    def set_link(self, ids: str, url: str, target: str | None = None) -> None:
        for item in ids.split(","):
            vertex = self.vertices.get(item)
            if vertex is not None:
                vertex.link = url
                vertex.link_target = target
        self.set_class(ids, "clickable")

    # -- direction, subgraphs, accessibility --------------------------------------------
    def set_direction(self, value: str) -> None:
        direction = js_trim(value)
        if "<" in direction:
            direction = "RL"
        if "^" in direction:
            direction = "BT"
        if ">" in direction:
            direction = "LR"
        if "v" in direction:
            direction = "TB"
        if direction == "TD":
            direction = "TB"
        self.direction = direction

    def add_subgraph(self, id_text: tuple[str, str] | None, members: list, title_text: tuple[str, str] | None,
                     offset: int, same_object: bool) -> str:
        if id_text is None or title_text is None:
            raise FlowError(
                "a subgraph needs an id or a title after the word 'subgraph' "
                "(mermaid: Cannot read properties of undefined (reading 'text'))",
                offset,
            )
        subgraph_id: str | None = js_trim(id_text[0])
        title = title_text[0]
        if same_object and _JS_SPACE.search(title):
            subgraph_id = None
        seen: set[str] = set()
        node_list: list[str] = []
        direction = None
        for item in _flatten_once(members):
            if isinstance(item, DirectionStatement):
                direction = item.value
                continue
            if not js_trim(item) or item in seen:
                continue
            seen.add(item)
            node_list.append(item)
        if direction is None and (self.config.get("flowchart") or {}).get("inheritDir"):
            inherited = self.direction or self.config.get("direction")
            direction = inherited if isinstance(inherited, str) else None
        if subgraph_id is None:
            subgraph_id = f"subGraph{len(self.subgraphs)}"
        title = js_trim(sanitize_text(title or ""))
        node_list = [n for n in node_list if n not in self._in_subgraph]
        self._in_subgraph.update(node_list)
        record = SubgraphRecord(
            id=subgraph_id, title=title, label_type=label_type_of(title_text[1]),
            nodes=node_list, direction=direction, offset=offset,
        )
        self.subgraphs.append(record)
        self._subgraph_by_id[subgraph_id] = record
        return subgraph_id


def _strip_quotes(text: str) -> str:
    """mermaid drops one pair of surrounding double quotes (a lone '"' stays)."""
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1]
    return text


def _flatten_once(items: list) -> list:
    flat: list = []
    for item in items:
        if isinstance(item, list):
            flat.extend(item)
        else:
            flat.append(item)
    return flat


def _load_shape_data(data: str, offset: int) -> Any:
    """Read `@{ ... }` as mermaid does: YAML (JSON schema), one line wrapped in braces."""
    from whiteboard.yaml_json import load_json_schema_yaml

    text = "{\n" + data + "\n}" if "\n" not in data else data + "\n"
    try:
        return load_json_schema_yaml(text)
    except ValueError as error:
        raise FlowError(f"the @{{...}} node data is not valid YAML: {error}", offset) from None
