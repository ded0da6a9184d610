"""Helpers for the render tests: the real `dot`, and reading Graphviz's SVG back."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

SVG = "{http://www.w3.org/2000/svg}"

needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz 'dot' is not installed (apt-get install graphviz)")


def words(text: str) -> str:
    """Text as a person reads it: runs of spaces (also no-break spaces) as one, and no word
    joiners (labels.escape puts an invisible one after a backslash Graphviz would expand)."""
    return " ".join(text.replace("\xa0", " ").replace("\u2060", "").split())


def svg_groups(data: bytes, kind: str) -> dict[str, str]:
    """Graphviz SVG -> {title: all text of that group} for class="node", "edge" or "cluster"."""
    root = ET.fromstring(data)
    groups = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != kind:
            continue
        title = group.find(f"{SVG}title")
        texts = [t.text or "" for t in group.iter(f"{SVG}text")]
        groups[title.text if title is not None else ""] = words(" ".join(texts))
    return groups


def all_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return words(" ".join(t.text or "" for t in root.iter(f"{SVG}text")))
