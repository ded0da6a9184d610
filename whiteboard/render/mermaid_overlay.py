"""The overlay for ``--engine mermaid``: the same view as overlay.py, written as Mermaid lines
appended to the diagram (stage classes, the critical path's linkStyle, the missing components
as dashed nodes), so mermaid-js draws it in its own look. mermaid has no edge badges or graph
captions, so the latency sum becomes one caption node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whiteboard.render.overlay import MISSING_ERROR, MISSING_WARNING, STAGE_LOOKS, UNRECOGNISED, overlay_for

if TYPE_CHECKING:
    from whiteboard.linter import DiagramResult
    from whiteboard.model import Diagram

# Our own label text only (codes, short names, numbers), made safe for a quoted mermaid label.
_SAFE = str.maketrans({'"': "#quot;", "<": "#lt;", ">": "#gt;", "\n": " "})


def _fresh(base: str, taken: set[str]) -> str:
    """An id no node, subgraph or class of the user's diagram has."""
    name, count = base, 1
    while name in taken:
        count += 1
        name = f"{base}_{count}"
    taken.add(name)
    return name


def overlay_text(text: str, diagram: "Diagram", result: "DiagramResult", sla_ms: float | None = None) -> str:
    """*text* with the overlay's Mermaid lines appended."""
    overlay = overlay_for(result, diagram, sla_ms=sla_ms)
    taken = {n.id for n in diagram.nodes} | {sg.id for sg in diagram.subgraphs} | set(diagram.class_defs)
    lines = ["", "%% whiteboard overlay"]
    by_stage: dict[str, list[str]] = {}
    for node in diagram.nodes:
        if node.id not in overlay.subgraph_ids:
            by_stage.setdefault(overlay.stages.get(node.id) or "unrecognised", []).append(node.id)
    for stage, ids in by_stage.items():
        look = STAGE_LOOKS.get(stage, UNRECOGNISED)
        cls = _fresh(f"wb_{stage}", taken)
        lines += [f"classDef {cls} fill:{look.fill},stroke:{look.border},color:#1A202C",
                  f"class {','.join(ids)} {cls}"]
    names: dict[str, str] = {}
    for dot_name, finding, spec in overlay.boxes:
        name = names[dot_name] = _fresh(f"wb_missing_{finding.code}", taken)
        look = MISSING_ERROR if finding.severity.value == "error" else MISSING_WARNING
        cls = _fresh(f"wb_missing_{finding.code}_style", taken)
        label = f"{finding.code}<br/>missing: {spec.name}".translate(_SAFE).replace("#lt;br/#gt;", "<br/>")
        lines += [f'{name}(["{label}"])',
                  f"classDef {cls} fill:{look.fill},stroke:{look.border},color:{look.border},stroke-dasharray:5 4",
                  f"class {name} {cls}"]
    for source, target, _ in overlay.deco.extra_edges:
        lines.append(f"{names.get(source, source)} -.-> {names.get(target, target)}")
    edge_index = {edge.id: index for index, edge in enumerate(diagram.edges)}
    path = sorted(edge_index[e] for e, attrs in overlay.deco.edge_attrs.items()
                  if e in edge_index and attrs.get("penwidth") == "2.6")
    if overlay.latency_caption:
        caption, colour = overlay.latency_caption
        name = _fresh("wb_caption", taken)
        cls = _fresh("wb_caption_style", taken)
        lines += [f'{name}["{caption.translate(_SAFE)}"]',
                  f"classDef {cls} fill:#FFFFFF,stroke:{colour},color:{colour}", f"class {name} {cls}"]
    if path:
        colour = next(attrs["color"] for e, attrs in overlay.deco.edge_attrs.items()
                      if e in edge_index and attrs.get("penwidth") == "2.6")
        lines.append(f"linkStyle {','.join(map(str, path))} stroke:{colour},stroke-width:3px")
    return text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
