"""The one error rendering raises: a sentence the CLI prints before exiting 2."""

from __future__ import annotations

from whiteboard.errors import WhiteboardError


class RenderError(WhiteboardError):
    """The picture cannot be made: no renderer installed or reachable, or it failed."""
