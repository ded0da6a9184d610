"""whiteboard: check, generate and render Mermaid ML system design diagrams.

The library API imports nothing heavy until it is used:

    from whiteboard import parse
    diagram = parse("flowchart LR\nA --> B")
    diagram.contract()     # Contract 1 (DESIGN.md), as `whiteboard parse --format json`
    diagram.graph()        # networkx.MultiDiGraph
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from whiteboard.model import Diagram


def parse(text: str, path: str = "<stdin>") -> "Diagram":
    """Parse Mermaid flowchart text as mermaid-js does (raises DiagramSyntaxError)."""
    from whiteboard.parser import parse_text

    return parse_text(text, path)


def check(text: str, *, problem: str | None = None, sla_ms: float | None = None):
    """Check one diagram's text; returns the result object the reporters print."""
    from whiteboard.linter import check as _check

    return _check(text, problem=problem, sla_ms=sla_ms)


def parse_file(path: str) -> "Diagram":
    """Read a `.mmd` file and parse it (raises InputError or DiagramSyntaxError)."""
    from whiteboard.parser import parse_file as _parse_file

    return _parse_file(path)


__all__ = ["parse", "parse_file", "check", "__version__"]
