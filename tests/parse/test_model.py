"""The typed model and its NetworkX view keep everything the parse found."""

from __future__ import annotations

import networkx as nx

from whiteboard import parse

TEXT = """flowchart LR
  subgraph Serving [Online serving]
    direction TB
    API[API gateway] -->|p99 20ms| Ranker{{Ranker}}
  end
  API -.-> Ranker
  Ranker ==> Log[(Event log)]:::store
  classDef store fill:#eee
"""


def test_model_fields_follow_flowdb():
    diagram = parse(TEXT)
    api = diagram.node("API")
    assert (api.label, api.shape, api.text) == ("API gateway", "square", "API gateway")
    assert diagram.node("Log").classes == ["store"]
    assert diagram.class_defs == {"store": ["fill:#eee"]}
    assert [(e.type, e.stroke) for e in diagram.edges] == [
        ("arrow_point", "normal"), ("arrow_point", "dotted"), ("arrow_point", "thick")]
    serving = diagram.subgraphs[0]
    assert (serving.id, serving.title, serving.direction, serving.nodes) == (
        "Serving", "Online serving", "TB", ["Ranker", "API"])


def test_graph_is_a_multidigraph_with_every_attribute():
    diagram = parse(TEXT)
    graph = diagram.graph()
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_edges("API", "Ranker") == 2  # parallel links stay distinct
    assert graph.nodes["API"]["subgraph"] == "Serving"
    assert graph.nodes["Log"]["subgraph"] is None
    labels = sorted(data["label"] for _, _, data in graph.edges("API", data=True))
    assert labels == ["", "p99 20ms"]
    assert graph.graph["direction"] == "LR"
    assert nx.has_path(graph, "API", "Log")


def test_plain_text_of_html_labels():
    diagram = parse('flowchart LR\n  A["Ranker<br/>~30 ms &amp; more"]')
    assert diagram.nodes[0].label == "Ranker<br>~30 ms &amp; more"
    assert diagram.nodes[0].text == "Ranker\n~30 ms & more"
