"""The NetworkX view of a Diagram: the shape the rules reason about.

One graph node per diagram node (its attributes are the Node's fields), one graph edge
per link, keyed by the link's mermaid id so parallel links stay distinct (hence a
MultiDiGraph). Subgraph membership is kept as a node attribute (`subgraph`, the
innermost) and as graph-level `subgraphs`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from whiteboard.model import Diagram


def to_networkx(diagram: "Diagram") -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(
        direction=diagram.direction,
        subgraphs={s.id: s.model_dump() for s in diagram.subgraphs},
        class_defs=dict(diagram.class_defs),
        path=diagram.path,
    )
    parent: dict[str, str] = {}
    for subgraph in diagram.subgraphs:
        for member in subgraph.nodes:
            parent.setdefault(member, subgraph.id)
    for node in diagram.nodes:
        attributes = node.model_dump()
        attributes["text"] = node.text
        attributes["subgraph"] = parent.get(node.id)
        graph.add_node(node.id, **attributes)
    for edge in diagram.edges:
        attributes = edge.model_dump()
        attributes["text"] = edge.text
        graph.add_edge(edge.source, edge.target, key=edge.id, **attributes)
    return graph
