"""The one error starting the server raises: a sentence the CLI prints before exiting 2."""

from __future__ import annotations

from whiteboard.errors import WhiteboardError


class ServeError(WhiteboardError):
    """The server cannot start: the 'serve' extra is missing, or the port is taken or refused."""
