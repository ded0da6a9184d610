"""One renderer per output format, each a pure function of the check result."""

from __future__ import annotations

from typing import Callable

from whiteboard.reporters import json as json_reporter
from whiteboard.reporters import text as text_reporter

REPORTERS: dict[str, Callable[..., str]] = {
    "text": text_reporter.render,
    "json": json_reporter.render,
}
