"""Compare our parse with mermaid's, field by field (shared by the conformance test and scripts)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# The conformance corpus: $WHITEBOARD_CONFORMANCE, else ../shared/conformance beside the repo.
CORPUS = Path(os.environ.get(
    "WHITEBOARD_CONFORMANCE",
    Path(__file__).resolve().parents[3] / "shared" / "conformance" / "mermaid-flowchart-corpus.jsonl",
))

FIELDS = ("acceptance", "direction", "nodes", "edges", "subgraphs", "class_defs")

# field -> [agreeing, compared], filled by the conformance test, printed by conftest.py.
AGREEMENT: dict[str, list[int]] = {}


def record(field: str, agreed: bool) -> None:
    counts = AGREEMENT.setdefault(field, [0, 0])
    counts[0] += int(agreed)
    counts[1] += 1


def ours_as_mermaid(diagram) -> dict[str, Any]:
    """Our Diagram in the oracle's vocabulary (the subset Contract 1 compares)."""
    contract = diagram.contract()
    return {
        "direction": contract["direction"],
        "nodes": [(n["id"], n["label"], n["shape"], tuple(n["classes"])) for n in contract["nodes"]],
        "edges": [
            (e["source"], e["target"], e["label"], e["type"], e["stroke"], e["length"])
            for e in contract["edges"]
        ],
        "subgraphs": [(s["id"], s["title"], tuple(s["nodes"]), s["direction"]) for s in contract["subgraphs"]],
        "class_defs": {k: tuple(v) for k, v in contract["class_defs"].items()},
    }


def _same_class_defs(ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    if list(ours) != list(theirs):
        return False
    return all(theirs[name] is None or theirs[name] == ours[name] for name in ours)


def mermaid_view(expect: dict[str, Any]) -> dict[str, Any]:
    return {
        "direction": expect["direction"],
        "nodes": [(n["id"], n["label"], n["shape"], tuple(n["classes"])) for n in expect["nodes"]],
        "edges": [
            (e["source"], e["target"], e["label"], e["type"], e["stroke"], e.get("length"))
            for e in expect["edges"]
        ],
        "subgraphs": [(s["id"], s["title"], tuple(s["nodes"]), s["dir"]) for s in expect["subgraphs"]],
        "class_defs": _class_defs(expect),
    }


def _class_defs(expect: dict[str, Any]) -> dict[str, Any]:
    # The oracle lists class names in `classDefs` and their styles in a JSON object,
    # which cannot hold a key named `__proto__`: such a class is still in mermaid's
    # FlowDB (a Map), so we take the names from the list and the styles where present.
    styles = expect.get("classStyles", {})
    return {name: tuple(styles[name]) if name in styles else None for name in expect.get("classDefs", [])}


def compare(text: str, expect: dict[str, Any]) -> dict[str, bool | str]:
    """Per-field agreement for one input: True/False, plus 'detail' on disagreement."""
    from whiteboard.errors import WhiteboardError
    from whiteboard.parser import parse_text

    try:
        ours = ours_as_mermaid(parse_text(text))
        error = None
    except WhiteboardError as exc:
        ours, error = None, str(exc)
    result: dict[str, bool | str] = {}
    if not expect["ok"]:
        result["acceptance"] = ours is None
        if ours is not None:
            result["detail"] = f"mermaid rejects ({expect['error'][:200]}) but we accept"
        return result
    if ours is None:
        result["acceptance"] = False
        result["detail"] = f"mermaid accepts but we reject: {error}"
        return result
    result["acceptance"] = True
    theirs = mermaid_view(expect)
    details = []
    for field in FIELDS[1:]:
        if field == "class_defs":
            same = _same_class_defs(ours[field], theirs[field])
        else:
            same = ours[field] == theirs[field]
        result[field] = same
        if not same:
            details.append(f"{field}: mermaid={theirs[field]!r} ours={ours[field]!r}")
    if details:
        result["detail"] = "; ".join(details)
    return result
