"""The Mermaid -> DOT translation, read from the DOT text (no `dot` needed).

Expected values are written out from mermaid's meaning of each construct (its vertex types,
link types and strokes, classDef/style precedence) and Graphviz's attribute names.
"""

from __future__ import annotations

import re

import pytest

from whiteboard.parser import parse_text
from whiteboard.render import RenderOptions, dot_text
from whiteboard.render.dot import to_dot
from whiteboard.render.labels import html_label
from whiteboard.render.styles import color


def node_line(dot: str, name: str) -> str:
    match = re.search(rf"^\s*{name} \[(.*)\]$", dot, re.MULTILINE)
    assert match, f"no node {name} in:\n{dot}"
    return match.group(1)


def clusters_of(dot: str) -> dict[str, list[str]]:
    """Each node of the DOT text -> the clusters around it, outermost first."""
    stack: list[str] = []
    found: dict[str, list[str]] = {}
    for line in dot.splitlines()[1:]:
        line = line.strip()
        opening = re.match(r"subgraph (\w+) \{", line)
        if opening:
            stack.append(opening.group(1))
        elif line == "}":
            if stack:
                stack.pop()
        else:
            node = re.match(r"(n\d+) \[", line)
            if node:
                found[node.group(1)] = list(stack)
    return found


def edge_lines(dot: str) -> list[str]:
    return [line.strip() for line in dot.splitlines() if " -> " in line]


@pytest.mark.parametrize("written, shape, extra", [
    ("A[t]", "box", ""),
    ("A(t)", "box", "rounded"),
    ("A([t])", "box", "rounded"),
    ("A[[t]]", "box", "peripheries=2"),
    ("A[(t)]", "cylinder", ""),
    ("A((t))", "circle", ""),
    ("A(((t)))", "doublecircle", ""),
    ("A{t}", "diamond", ""),
    ("A{{t}}", "hexagon", ""),
    ("A>t]", "cds", ""),
    ("A[/t/]", "parallelogram", ""),
    ("A[\\t\\]", "polygon", "skew=-0.6"),
    ("A[/t\\]", "trapezium", ""),
    ("A[\\t/]", "invtrapezium", ""),
    ("A@{ shape: cyl, label: t }", "cylinder", ""),
    ("A@{ shape: doc, label: t }", "note", ""),
    ("A@{ shape: diam, label: t }", "diamond", ""),
    ("A@{ shape: st-rect, label: t }", "box3d", ""),
    ("A@{ shape: text, label: t }", "plaintext", ""),
])
def test_shapes_map_to_the_nearest_graphviz_shape(written: str, shape: str, extra: str) -> None:
    line = node_line(to_dot(parse_text(f"flowchart TB\n{written}\n")), "n0")
    assert f"shape={shape}" in line
    assert extra in line
    assert "label=<t>" in line


def test_a_bare_id_is_a_box_labelled_with_its_id() -> None:
    line = node_line(to_dot(parse_text("flowchart TB\nKafka --> B\n")), "n0")
    assert "shape=box" in line and "label=<Kafka>" in line


@pytest.mark.parametrize("direction, rankdir", [("TB", "TB"), ("TD", "TB"), ("BT", "BT"), ("LR", "LR"),
                                                ("RL", "RL"), ("", "TB")])
def test_direction_becomes_rankdir(direction: str, rankdir: str) -> None:
    dot = to_dot(parse_text(f"flowchart {direction}\nA --> B\n"))
    assert f"rankdir={rankdir}" in dot


@pytest.mark.parametrize("link, expected", [
    ("-->", ["dir=forward", "arrowhead=normal"]),
    ("---", ["dir=none"]),
    ("--o", ["dir=forward", "arrowhead=dot"]),
    ("--x", ["dir=forward", "arrowhead=tee"]),
    ("<-->", ["dir=both", "arrowhead=normal", "arrowtail=normal"]),
    ("o--o", ["dir=both", "arrowhead=dot", "arrowtail=dot"]),
    ("x--x", ["dir=both", "arrowhead=tee", "arrowtail=tee"]),
    ("-.->", ["style=dashed"]),
    ("==>", ["penwidth=2.2"]),
    ("~~~", ["style=invis"]),
    ("--->", ["minlen=2"]),
])
def test_links_keep_their_heads_and_strokes(link: str, expected: list[str]) -> None:
    (line,) = edge_lines(to_dot(parse_text(f"flowchart LR\nA {link} B\n")))
    for part in expected:
        assert part in line, line


def test_edge_labels_are_drawn_on_a_label_background() -> None:
    (line,) = edge_lines(to_dot(parse_text('flowchart LR\nA -->|"~10ms"| B\n')))
    assert "<TD BGCOLOR=\"#E8E8E8\">~10ms</TD>" in line


def test_nested_subgraphs_are_nested_clusters_with_titles() -> None:
    dot = to_dot(parse_text("flowchart LR\nsubgraph Outer [Outer title]\n  subgraph Inner [Inner box]\n"
                            "    A --> B\n  end\n  C\nend\nD --> A\n"))
    # mermaid lists the inner subgraph first: Inner is cluster_0, Outer cluster_1
    assert clusters_of(dot) == {"n0": ["cluster_1", "cluster_0"], "n1": ["cluster_1", "cluster_0"],
                                "n2": ["cluster_1"], "n3": []}
    assert "label=<Outer title>" in dot and "label=<Inner box>" in dot


def test_an_edge_to_a_subgraph_points_at_its_cluster() -> None:
    dot = to_dot(parse_text("flowchart LR\nsubgraph S [Serving]\n  A\nend\nX --> S\n"))
    (line,) = edge_lines(dot)
    assert line.startswith("n1 -> n0") and "lhead=cluster_0" in line
    assert "compound=true" in dot


def test_an_empty_subgraph_still_shows_its_title() -> None:
    dot = to_dot(parse_text("flowchart LR\nsubgraph E [Empty stage]\nend\nA --> B\n"))
    assert "label=<Empty stage>" in dot and "cluster_0_anchor" in dot


def test_classdef_then_style_then_overlay_precedence() -> None:
    diagram = parse_text("flowchart LR\nA[a]:::hot --> B[b]\nclassDef hot fill:#f96,stroke:#333,color:white\n"
                         "style A stroke:#00f,stroke-width:4px\nclassDef default fill:lightblue\n")
    a, b = node_line(to_dot(diagram), "n0"), node_line(to_dot(diagram), "n1")
    assert 'fillcolor="#ff9966"' in a           # #f96 spelled out: Graphviz reads no 3-digit hex
    assert 'color="#0000ff"' in a               # the style line wins over the class's stroke
    assert 'fontcolor="#ffffff"' in a and "penwidth=2" in a
    assert 'fillcolor="#add8e6"' in b           # classDef default reaches every node


def test_linkstyle_colours_an_edge() -> None:
    (line,) = edge_lines(to_dot(parse_text("flowchart LR\nA --> B\nlinkStyle 0 stroke:#ff3,stroke-width:4px\n")))
    assert 'color="#ffff33"' in line and "penwidth=2" in line


@pytest.mark.parametrize("value, expected", [
    ("#f96", "#ff9966"), ("#ABCDEF", "#abcdef"), ("#11223344", "#11223344"), ("rgb(255, 0, 10)", "#ff000a"),
    ("rgba(0,0,0,0.5)", "#00000080"), ("Tomato", "#ff6347"), ("none", "transparent"),
    ("url(#x)", None), ('red" onload="x', None), ("var(--c)", None), ("#12", None),
])
def test_only_plain_colours_pass(value: str, expected: str | None) -> None:
    assert color(value) == expected


def test_a_style_that_is_not_a_plain_colour_never_reaches_the_dot_text() -> None:
    dot = to_dot(parse_text("flowchart LR\nA --> B\nstyle A fill:evilcolour,stroke:#zzz,color:red;x\n"))
    assert "evil" not in dot and "zzz" not in dot and "fontcolor" not in dot


def test_multi_line_labels_become_line_breaks() -> None:
    line = node_line(to_dot(parse_text('flowchart LR\nR["Ranker<br/>~30 ms"]\n')), "n0")
    assert "label=<Ranker<BR/>~30 ms>" in line


def test_markdown_strings_keep_bold_and_italic() -> None:
    assert html_label("**Ranker** *v2*", "markdown") == "<B>Ranker</B> <I>v2</I>"
    line = node_line(to_dot(parse_text('flowchart LR\nA["`**Ranker** v2`"]\n')), "n0")
    assert "label=<<B>Ranker</B> v2>" in line


def test_long_labels_wrap_like_mermaids_200px_boxes() -> None:
    label = html_label("Candidate retrieval with approximate nearest neighbours")
    assert label == "Candidate retrieval with<BR/>approximate nearest neighbours"


def test_the_same_input_gives_the_same_dot_text() -> None:
    text = open("examples/recsys.mmd", encoding="utf-8").read()
    assert dot_text(text, options=RenderOptions(overlay=True)) == dot_text(text, options=RenderOptions(overlay=True))
