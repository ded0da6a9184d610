"""A parsed flowchart as a Graphviz graph: our own translation of mermaid's picture to DOT.

Names in the DOT text are ours (``n0``, ``n1``, ``cluster_0``...), never the user's ids, and
every label is an HTML-like label built by ``labels.html_label``; so the only user text in the
DOT is escaped XML text. Colours come through ``styles`` (plain colours only).

The look follows mermaid's default theme (lavender nodes, pale yellow subgraphs, dark grey
edges, grey edge-label backgrounds) so a picture reads like the one mermaid.live shows.
What Graphviz cannot do is approximated: a subgraph's own ``direction`` is ignored (one
rankdir per graph), and shapes without a Graphviz twin get the nearest outline (``SHAPES``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from whiteboard.render import labels, styles

if TYPE_CHECKING:
    import graphviz

    from whiteboard.model import Diagram, Edge, Node

FONT = "Helvetica,Arial,sans-serif"
NODE_FILL = "#ECECFF"
NODE_BORDER = "#9370DB"
CLUSTER_FILL = "#FFFFDE"
CLUSTER_BORDER = "#AAAA33"
EDGE_COLOR = "#333333"
EDGE_LABEL_BG = "#E8E8E8"

RANKDIR = {"TB": "TB", "TD": "TB", "BT": "BT", "LR": "LR", "RL": "RL"}

# mermaid shape (vertex type, or an @{ shape: ... } name) -> (Graphviz shape, extra attributes).
# Extra "style" words are merged with the node's own.
_S = {
    "box": ("box", {}),
    "rounded": ("box", {"style": "rounded"}),
    "double": ("box", {"peripheries": "2"}),
    "cylinder": ("cylinder", {}),
    "circle": ("circle", {}),
    "doublecircle": ("doublecircle", {}),
    "diamond": ("diamond", {}),
    "hexagon": ("hexagon", {}),
    "lean_right": ("parallelogram", {}),
    "lean_left": ("polygon", {"sides": "4", "skew": "-0.6"}),
    "trapezium": ("trapezium", {}),
    "invtrapezium": ("invtrapezium", {}),
    "odd": ("cds", {}),
    "note": ("note", {}),
    "folder": ("folder", {}),
    "tab": ("tab", {}),
    "stack": ("box3d", {}),
    "triangle": ("triangle", {}),
    "invtriangle": ("invtriangle", {}),
    "pentagon": ("pentagon", {}),
    "crossed": ("Mcircle", {}),
    "ellipse": ("ellipse", {}),
    "text": ("plaintext", {"style": "unfilled"}),
    # mermaid draws these without their text: a fork/join bar, a junction dot
    "bar": ("box", {"fillcolor": "#333333", "height": "0.08", "width": "0.8", "fixedsize": "true", "label": "",
                    "fontsize": "1"}),
    "dot": ("circle", {"fillcolor": "#333333", "width": "0.15", "fixedsize": "true", "label": ""}),
}
_NAMES = {
    "box": "square rect proc process rectangle lin-rect lined-rectangle lined-process lin-proc shaded-process "
           "div-rect div-proc divided-rectangle divided-process curv-trap curved-trapezoid display console "
           "browser person win-pane internal-storage window-pane sl-rect manual-input sloped-rectangle flag "
           "paper-tape bolt com-link lightning-bolt icon constructor state hourglass collate",
    "rounded": "round rounded event stadium terminal pill delay half-rounded-rectangle bow-rect stored-data "
               "bow-tie-rectangle composite",
    "double": "subroutine fr-rect subprocess subproc framed-rectangle",
    "cylinder": "cylinder cyl db database datastore data-store h-cyl das horizontal-cylinder lin-cyl disk "
                "lined-cylinder bucket",
    "circle": "circle circ sm-circ small-circle start",
    "doublecircle": "doublecircle dbl-circ double-circle fr-circ framed-circle stop",
    "diamond": "diamond diam decision question choice",
    "hexagon": "hexagon hex prepare",
    "lean_right": "lean_right lean-r lean-right in-out",
    "lean_left": "lean_left lean-l lean-left out-in",
    "trapezium": "trapezoid trap-b priority trapezoid-bottom",
    "invtrapezium": "inv_trapezoid trap-t manual trapezoid-top inv-trapezoid",
    "odd": "odd",
    "note": "doc document lin-doc lined-document tag-doc tagged-document docs documents st-doc stacked-document "
            "notch-rect card notched-rectangle note comment brace brace-l brace-r braces",
    "folder": "folder directory",
    "tab": "tag-rect tagged-rectangle tag-proc tagged-process",
    "stack": "st-rect procs processes stacked-rectangle",
    "triangle": "tri extract triangle",
    "invtriangle": "flip-tri manual-file flipped-triangle",
    "pentagon": "notch-pent loop-limit notched-pentagon",
    "crossed": "cross-circ summary crossed-circle",
    "ellipse": "ellipse bang cloud",
    "text": "text",
    "bar": "fork join",
    "dot": "f-circ junction filled-circle anchor",
}
SHAPES: dict[str, tuple[str, dict[str, str]]] = {
    name: _S[key] for key, names in _NAMES.items() for name in names.split()
}

# mermaid edge type -> (dir, arrowhead, arrowtail). mermaid fills its circle marker, hence "dot";
# Graphviz has no "x" head, and "tee" (a bar) is the nearest stop mark.
ARROWS = {
    "arrow_point": ("forward", "normal", "none"),
    "arrow_open": ("none", "none", "none"),
    "arrow_circle": ("forward", "dot", "none"),
    "arrow_cross": ("forward", "tee", "none"),
    "double_arrow_point": ("both", "normal", "normal"),
    "double_arrow_circle": ("both", "dot", "dot"),
    "double_arrow_cross": ("both", "tee", "tee"),
}


@dataclass(frozen=True)
class Badge:
    """A coloured tag on an edge: a latency on the request path."""

    html: str
    background: str
    replaces_label: bool = False  # the edge's own label says only the same latency


@dataclass
class Decorations:
    """What an overlay adds to or changes in the translated picture (see overlay.py)."""

    node_attrs: dict[str, dict[str, str]] = field(default_factory=dict)   # node id -> attributes
    edge_attrs: dict[str, dict[str, str]] = field(default_factory=dict)   # edge id -> attributes
    edge_badges: dict[str, Badge] = field(default_factory=dict)           # edge id -> badge
    extra_nodes: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (DOT name, attributes)
    extra_edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # node ids or DOT names
    graph_label: str | None = None                                        # HTML for the caption/legend
    cluster_attrs: dict[str, str] = field(default_factory=dict)           # every cluster
    plain_nodes: bool = False  # drop the user's fills (the overlay colours nodes by stage)


def _style_words(*parts: str) -> str:
    words: list[str] = []
    for part in parts:
        for word in part.split(","):
            word = word.strip()
            if word and word not in words:
                words.append(word)
    return ",".join(words)


def _merged_styles(diagram: "Diagram", class_names: list[str], own: list[str] | None) -> dict[str, str]:
    """classDef declarations (``default`` first, then each class in order), then ``style``."""
    merged: dict[str, str] = {}
    for name in ["default", *class_names]:
        if name in diagram.class_defs:
            merged.update(styles.declarations(diagram.class_defs[name]))
    merged.update(styles.declarations(own))
    return merged


def html(label_html: str) -> str:
    """A Graphviz attribute value for HTML-like label content ('' stays a plain empty string)."""
    return f"<{label_html}>" if label_html else '""'


class Translator:
    """One diagram -> one ``graphviz.Digraph``."""

    def __init__(self, diagram: "Diagram", decorations: Decorations | None = None) -> None:
        self.diagram = diagram
        self.by_id = {node.id: node for node in diagram.nodes}  # Diagram.node() scans: quadratic per member
        self.deco = decorations or Decorations()
        self.names = {node.id: f"n{index}" for index, node in enumerate(diagram.nodes)}
        self.subgraphs = {sg.id: sg for sg in diagram.subgraphs}
        self.cluster_names = {sg.id: f"cluster_{index}" for index, sg in enumerate(diagram.subgraphs)}
        self._membership()

    # -- structure ------------------------------------------------------------------------
    def _membership(self) -> None:
        """Which cluster holds each node and subgraph (a node in several: the first)."""
        self.parent_of_node: dict[str, str] = {}
        self.parent_of_cluster: dict[str, str] = {}
        for sg in self.diagram.subgraphs:
            for member in sg.nodes:
                if member in self.subgraphs:
                    if member != sg.id and member not in self.parent_of_cluster and not self._is_ancestor(member, sg.id):
                        self.parent_of_cluster[member] = sg.id
                elif member not in self.parent_of_node:
                    self.parent_of_node[member] = sg.id
        self.children: dict[str | None, list[str]] = {}
        for sg in self.diagram.subgraphs:
            self.children.setdefault(self.parent_of_cluster.get(sg.id), []).append(sg.id)
        self.nodes_in: dict[str | None, list[str]] = {}
        for node in self.diagram.nodes:
            if node.id in self.subgraphs:
                continue  # an edge endpoint that names a subgraph: drawn as the cluster
            self.nodes_in.setdefault(self.parent_of_node.get(node.id), []).append(node.id)

    def _is_ancestor(self, candidate: str, cluster: str) -> bool:
        seen = set()
        current: str | None = cluster
        while current is not None and current not in seen:
            if current == candidate:
                return True
            seen.add(current)
            current = self.parent_of_cluster.get(current)
        return False

    def _anchor(self, cluster: str, seen: set[str] | None = None) -> str:
        """A DOT node inside *cluster*, for edges that point at the cluster itself."""
        seen = seen if seen is not None else set()
        seen.add(cluster)
        members = self.nodes_in.get(cluster, [])
        if members:
            return self.names[members[0]]
        for child in self.children.get(cluster, []):
            if child not in seen:
                return self._anchor(child, seen)
        return f"{self.cluster_names[cluster]}_anchor"

    def endpoint(self, node_id: str) -> tuple[str, str | None]:
        """(DOT node name, cluster name for lhead/ltail or None)."""
        if node_id in self.subgraphs:
            return self._anchor(node_id), self.cluster_names[node_id]
        return self.names.get(node_id, node_id), None

    # -- nodes ----------------------------------------------------------------------------
    def node_attributes(self, node: "Node") -> dict[str, str]:
        shape, extra = SHAPES.get(node.shape or "square", SHAPES["square"])
        attrs: dict[str, str] = {"shape": shape}
        extra = dict(extra)
        style = _style_words("filled", extra.pop("style", ""))
        label = labels.html_label(node.label, node.label_type) if extra.pop("label", None) is None else ""
        attrs.update(extra)
        attrs["label"] = html(label)
        if not self.deco.plain_nodes:
            css = _merged_styles(self.diagram, list(node.classes), node.styles)
            own = styles.node_attributes(css)
            if own.pop("dashed", None):
                style = _style_words(style, "dashed")
            attrs.update(own)
        if "unfilled" in style:
            style = ",".join(w for w in style.split(",") if w not in ("filled", "unfilled"))
            attrs.setdefault("color", "transparent")
        attrs["style"] = style
        override = self.deco.node_attrs.get(node.id)
        if override:
            override = dict(override)
            if "style" in override:
                attrs["style"] = _style_words(attrs["style"], override.pop("style"))
            attrs.update(override)
        return attrs

    def cluster(self, sg_id: str, parent: "graphviz.Digraph", seen: set[str]) -> None:
        import graphviz

        seen.add(sg_id)
        sg = self.subgraphs[sg_id]
        sub = graphviz.Digraph(name=self.cluster_names[sg_id])
        attrs = {"label": html(labels.html_label(sg.title, sg.label_type)), "style": "filled",
                 "fillcolor": CLUSTER_FILL, "color": CLUSTER_BORDER, "labeljust": "c", "labelloc": "t",
                 "margin": "12"}
        css: dict[str, str] = {}
        for name in sg.classes:
            if name in self.diagram.class_defs:
                css.update(styles.declarations(self.diagram.class_defs[name]))
        own_node = self.by_id.get(sg_id)
        if own_node is not None:
            css.update(styles.declarations(own_node.styles))
        if not self.deco.plain_nodes:
            own = styles.node_attributes(css)
            if own.pop("dashed", None):
                attrs["style"] = "filled,dashed"
            attrs.update(own)
        attrs.update(self.deco.cluster_attrs)
        sub.attr("graph", **attrs)
        members = self.nodes_in.get(sg_id, [])
        children = [c for c in self.children.get(sg_id, []) if c not in seen]
        for node_id in members:
            sub.node(self.names[node_id], **self.node_attributes(self.by_id.get(node_id)))
        for child in children:
            self.cluster(child, sub, seen)
        if not members and not children:
            sub.node(f"{self.cluster_names[sg_id]}_anchor", label='""', shape="point", style="invis",
                     width="0.3", height="0.3")
        parent.subgraph(sub)

    # -- edges ----------------------------------------------------------------------------
    def edge_attributes(self, edge: "Edge") -> dict[str, str]:
        direction, head, tail = ARROWS.get(edge.type or "arrow_point", ARROWS["arrow_point"])
        attrs: dict[str, str] = {"dir": direction, "arrowhead": head, "arrowtail": tail}
        style = ""
        if edge.stroke == "dotted":
            style = "dashed"
        elif edge.stroke == "thick":
            attrs["penwidth"] = "2.2"
        elif edge.stroke == "invisible":
            style = "invis"
        if edge.length and edge.length > 1:
            attrs["minlen"] = str(min(edge.length, 10))
        label = labels.html_label(edge.label, edge.label_type) if edge.label else ""
        badge = self.deco.edge_badges.get(edge.id)
        rows = []
        if label and not (badge and badge.replaces_label):
            rows.append(f'<TR><TD BGCOLOR="{EDGE_LABEL_BG}">{label}</TD></TR>')
        if badge:
            rows.append(f'<TR><TD BGCOLOR="{badge.background}">{badge.html}</TD></TR>')
        if rows:
            attrs["label"] = ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="2">'
                              f'{"".join(rows)}</TABLE>>')
        link_style = edge.style if edge.style is not None else self.diagram.default_link_style
        if link_style and not self.deco.plain_nodes:
            own = styles.edge_attributes(styles.declarations(link_style))
            if own.pop("dashed", None):
                style = _style_words(style, "dashed")
            attrs.update(own)
        if style:
            attrs["style"] = style
        override = self.deco.edge_attrs.get(edge.id)
        if override:
            override = dict(override)
            if "style" in override:
                attrs["style"] = _style_words(attrs.get("style", ""), override.pop("style"))
            attrs.update(override)
        return attrs

    # -- the whole graph ------------------------------------------------------------------
    def graph(self) -> "graphviz.Digraph":
        import graphviz

        g = graphviz.Digraph(name="whiteboard", format="svg", engine="dot")
        g.attr("graph", rankdir=RANKDIR.get(self.diagram.direction, "TB"), fontname=FONT, fontsize="12",
               nodesep="0.35", ranksep="0.45", pad="0.2", bgcolor="white", newrank="true", compound="true")
        g.attr("node", fontname=FONT, fontsize="12", color=NODE_BORDER, fillcolor=NODE_FILL,
               margin="0.15,0.06", height="0.4")
        g.attr("edge", fontname=FONT, fontsize="10", color=EDGE_COLOR, arrowsize="0.7")
        if self.deco.graph_label:
            g.attr("graph", label=self.deco.graph_label, labelloc="b", labeljust="c")
        seen: set[str] = set()
        emitted_top: set[str] = set()
        for node in self.diagram.nodes:
            if node.id in self.subgraphs:
                top = node.id
            elif node.id in self.parent_of_node:
                top = self.parent_of_node[node.id]
            else:
                g.node(self.names[node.id], **self.node_attributes(node))
                continue
            while top in self.parent_of_cluster:
                top = self.parent_of_cluster[top]
            if top not in emitted_top:
                emitted_top.add(top)
                self.cluster(top, g, seen)
        for sg in self.diagram.subgraphs:  # empty or edge-less clusters, in mermaid's order
            if sg.id not in seen and sg.id not in self.parent_of_cluster:
                self.cluster(sg.id, g, seen)
        for name, attrs in self.deco.extra_nodes:
            g.node(name, **attrs)
        for edge in self.diagram.edges:
            tail, ltail = self.endpoint(edge.source)
            head, lhead = self.endpoint(edge.target)
            attrs = self.edge_attributes(edge)
            if ltail:
                attrs["ltail"] = ltail
            if lhead:
                attrs["lhead"] = lhead
            g.edge(tail, head, **attrs)
        for source, target, attrs in self.deco.extra_edges:
            tail, ltail = self.endpoint(source) if source in self.names or source in self.subgraphs else (source, None)
            head, lhead = self.endpoint(target) if target in self.names or target in self.subgraphs else (target, None)
            attrs = dict(attrs)
            if ltail:
                attrs["ltail"] = ltail
            if lhead:
                attrs["lhead"] = lhead
            g.edge(tail, head, **attrs)
        return g


def to_graphviz(diagram: "Diagram", decorations: Decorations | None = None) -> "graphviz.Digraph":
    """The diagram as a ``graphviz.Digraph`` (not yet laid out)."""
    return Translator(diagram, decorations).graph()


def to_dot(diagram: "Diagram", decorations: Decorations | None = None) -> str:
    """The DOT text for the diagram."""
    return to_graphviz(diagram, decorations).source


__all__ = ["ARROWS", "Badge", "Decorations", "SHAPES", "Translator", "to_dot", "to_graphviz"]
