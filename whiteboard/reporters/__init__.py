"""One renderer per output format, each a pure function of the check result."""

from __future__ import annotations

from typing import Callable

from whiteboard.reporters import github as github_reporter
from whiteboard.reporters import json as json_reporter
from whiteboard.reporters import sarif as sarif_reporter
from whiteboard.reporters import text as text_reporter

REPORTERS: dict[str, Callable[..., str]] = {
    "text": text_reporter.render,
    "json": json_reporter.render,
    "sarif": sarif_reporter.render,
    "github": github_reporter.render,
}
# Formats for machines: never coloured, never a progress bar beside them.
MACHINE_FORMATS = frozenset({"json", "sarif", "github"})


def resolve_format(name: str, environ=None) -> str:
    """`auto`: GitHub annotations inside GitHub Actions, the text report elsewhere."""
    import os

    if name != "auto":
        return name
    return "github" if (environ if environ is not None else os.environ).get("GITHUB_ACTIONS") == "true" else "text"
