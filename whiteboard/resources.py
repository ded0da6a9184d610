"""Where the shipped data lives: inside the wheel, or beside the package in a checkout.

The wheel carries `grammar/` and `templates/` as `whiteboard/_data/...` (hatch
force-include); a source checkout has them at the top level. Everything that reads a
grammar or a template asks here, so both layouts work.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The `grammar` or `templates` directory, wheel layout first."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"whiteboard's '{name}' data directory is missing from {_PACKAGE}")


def grammar_path() -> Path:
    return data_dir("grammar") / "flowchart.lark"


def templates_dir() -> Path:
    return data_dir("templates")
