"""--overlay: the check drawn on the picture (stage colours, latency path, missing boxes).

The expected findings are the ones `whiteboard check` reports for the bundled examples
(examples/expected.toml pins them for the check); here we look for them in the picture.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from render_helpers import SVG, all_text, needs_dot, svg_groups
from whiteboard.parser import parse_text
from whiteboard.render import RenderOptions, dot_text, render_text
from whiteboard.render.overlay import PATH_OVER, STAGE_LOOKS

pytestmark = needs_dot
OVERLAY = RenderOptions(overlay=True)


def missing_boxes(data: bytes) -> dict[str, str]:
    """Placeholder nodes (DOT names missing_N) -> their text."""
    return {title: text for title, text in svg_groups(data, "node").items() if title.startswith("missing_")}


def node_fill(data: bytes, title: str) -> str:
    root = ET.fromstring(data)
    for group in root.iter(f"{SVG}g"):
        found = group.find(f"{SVG}title")
        if group.get("class") == "node" and found is not None and found.text == title:
            shape = next(e for e in group if e.tag in (f"{SVG}polygon", f"{SVG}path", f"{SVG}ellipse"))
            return shape.get("fill").upper()
    raise AssertionError(f"no node {title}")


def test_a_diagram_that_ends_at_serving_shows_what_is_missing() -> None:
    text = Path("examples/bad/ends_at_serving.mmd").read_text(encoding="utf-8")
    data = render_text(text, "ends_at_serving.mmd", OVERLAY)
    boxes = missing_boxes(data)
    codes = sorted(text.split()[0] for text in boxes.values())
    assert codes == ["WB201", "WB502", "WB701", "WB703", "WB704", "WB705"]
    assert "WB701 missing: monitoring: drift, alerts" in boxes.values()
    # each box is tied where it belongs: monitoring after the serving node, the retrain
    # trigger from the (missing) monitoring to training, the baseline into training
    diagram = parse_text(text)
    name = {n.id: f"n{i}" for i, n in enumerate(diagram.nodes)}
    box = {text.split()[0]: title for title, text in boxes.items()}
    edges = set(svg_groups(data, "edge"))
    assert f"{name['Serve']}->{box['WB701']}" in edges
    assert f"{box['WB701']}->{box['WB704']}" in edges and f"{box['WB704']}->{name['Train']}" in edges
    assert f"{box['WB502']}->{name['Train']}" in edges
    assert f"{name['Serve']}->{box['WB703']}" in edges and f"{box['WB703']}->{name['Lake']}" in edges
    assert "also found: WB903 no monitoring story" in all_text(data)


def test_placeholder_boxes_are_dashed() -> None:
    dot = dot_text(Path("examples/bad/ends_at_serving.mmd").read_text(encoding="utf-8"), options=OVERLAY)
    lines = [line for line in dot.splitlines() if line.strip().startswith("missing_")]
    assert lines and all("dashed" in line for line in lines)


def test_a_complete_design_has_no_placeholders() -> None:
    data = render_text(Path("examples/recsys.mmd").read_text(encoding="utf-8"), "recsys.mmd", OVERLAY)
    assert missing_boxes(data) == {}
    assert "missing" not in all_text(data).replace("missing (dashed)", "")


def test_model_first_chains_the_missing_framework() -> None:
    data = render_text(Path("examples/bad/model_first.mmd").read_text(encoding="utf-8"), "m.mmd", OVERLAY)
    codes = {text.split()[0] for text in missing_boxes(data).values()}
    assert {"WB301", "WB401", "WB501", "WB601", "WB701"} <= codes
    box = {text.split()[0]: title for title, text in missing_boxes(data).items()}
    edges = set(svg_groups(data, "edge"))
    assert f"{box['WB601']}->{box['WB701']}" in edges, "no serving: monitoring hangs from the serving box"


def test_nodes_are_coloured_by_stage_and_the_legend_counts_them() -> None:
    text = Path("examples/bad/ends_at_serving.mmd").read_text(encoding="utf-8")
    data = render_text(text, "x.mmd", OVERLAY)
    name = {n.id: f"n{i}" for i, n in enumerate(parse_text(text).nodes)}
    assert node_fill(data, name["Kafka"]) == STAGE_LOOKS["data"].fill
    assert node_fill(data, name["Off"]) == STAGE_LOOKS["features"].fill
    assert node_fill(data, name["Serve"]) == STAGE_LOOKS["serving"].fill
    assert node_fill(data, name["Req"]) == STAGE_LOOKS["requirements"].fill
    legend = all_text(data)
    assert "data 5" in legend and "features 2" in legend and "monitoring 0" in legend


def test_latency_badges_and_the_caption_within_budget() -> None:
    text = Path("examples/bad/ends_at_serving.mmd").read_text(encoding="utf-8")
    data = render_text(text, "x.mmd", OVERLAY)
    name = {n.id: f"n{i}" for i, n in enumerate(parse_text(text).nodes)}
    edges = svg_groups(data, "edge")
    assert edges[f"{name['Client']}->{name['Serve']}"] == "20 ms"     # the badge replaces "~20ms"
    assert edges[f"{name['Serve']}->{name['On']}"] == "p99 5ms +5 ms lookup"
    assert "critical path 25 ms / SLA 150 ms" in all_text(data)


def test_over_budget_is_red_and_says_by_how_much() -> None:
    text = Path("examples/bad/over_budget.mmd").read_text(encoding="utf-8")
    data = render_text(text, "x.mmd", OVERLAY)
    root = ET.fromstring(data)
    caption = next(t for t in root.iter(f"{SVG}text") if (t.text or "").startswith("critical path"))
    assert caption.text == "critical path 140 ms / SLA 100 ms: over by 40 ms"
    assert caption.get("fill").upper() == PATH_OVER
    dot = dot_text(text, options=OVERLAY)
    path_edges = [line for line in dot.splitlines() if " -> " in line and "penwidth=2.6" in line]
    assert len(path_edges) == 4 and all(f'color="{PATH_OVER}"' in line for line in path_edges)


def test_an_unannotated_hop_gets_a_question_mark() -> None:
    text = Path("examples/bad/unannotated_hop.mmd").read_text(encoding="utf-8")
    data = render_text(text, "x.mmd", OVERLAY)
    name = {n.id: f"n{i}" for i, n in enumerate(parse_text(text).nodes)}
    assert svg_groups(data, "edge")[f"{name['GW']}->{name['Ranker']}"] == "? ms"
    assert "critical path unknown: 1 hop without a latency / SLA 200 ms" in all_text(data)


def test_sla_flag_wins_over_the_diagram() -> None:
    text = Path("examples/bad/ends_at_serving.mmd").read_text(encoding="utf-8")
    data = render_text(text, "x.mmd", RenderOptions(overlay=True, sla_ms=20))
    assert "critical path 25 ms / SLA 20 ms: over by 5 ms" in all_text(data)


def test_problem_rules_become_placeholders_too() -> None:
    text = "flowchart LR\n  Q([User query]) -->|~10ms| LLM[LLM generator] -->|~900ms| Q\n"
    data = render_text(text, "x.mmd", RenderOptions(overlay=True, problem="rag"))
    codes = {text.split()[0] for text in missing_boxes(data).values()}
    assert any(re.fullmatch(r"RAG1\d\d", code) for code in codes), codes


def test_problem_boxes_hang_from_what_their_rule_is_about() -> None:
    text = Path("examples/rag/flawed-vector-only.mmd").read_text(encoding="utf-8")
    data = render_text(text, "x.mmd", OVERLAY)
    name = {n.id: f"n{i}" for i, n in enumerate(parse_text(text).nodes)}
    box = {text.split()[0]: title for title, text in missing_boxes(data).items()}
    edges = set(svg_groups(data, "edge"))
    assert f"{name['Pine']}->{box['RAG102']}" in edges    # hybrid retrieval: at the vector index
    assert f"{name['GPT']}->{box['RAG105']}" in edges     # grounding check: after the generator
    assert f"{name['GPT']}->{box['RAG106']}" in edges     # eval loop: the last node the rule names


def test_the_readme_picture_is_this_renderer_s_output() -> None:
    shipped = Path("examples/render/ends_at_serving.svg").read_bytes()
    fresh = render_text(Path("examples/bad/ends_at_serving.mmd").read_text(encoding="utf-8"), "x", OVERLAY)
    assert svg_groups(shipped, "node") == svg_groups(fresh, "node")
    assert svg_groups(shipped, "edge") == svg_groups(fresh, "edge")
