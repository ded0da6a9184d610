"""The errors whiteboard raises. Lark's and the OS's exceptions never escape the library.

Every error a user can cause carries what they need to fix it: where (file, line,
column), what was expected in plain words, and the offending line with a caret. The CLI
prints ``str(error)`` and exits 2.
"""

from __future__ import annotations


class WhiteboardError(Exception):
    """Base class: something about the input or the invocation is wrong."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(WhiteboardError):
    """The input cannot be read: missing, a directory, unreadable.

    Input that is read but is not text (a NUL byte, bad UTF-8) is a DiagramSyntaxError of kind
    ``binary`` / ``encoding``: it has a line and column, where the bad byte is.
    """


class DiagramSyntaxError(WhiteboardError):
    """The text is not a flowchart mermaid would accept.

    ``line`` and ``column`` are 1-based and point into the original file. ``source_line``
    is that line's text, for the caret display.
    """

    def __init__(
        self,
        message: str,
        *,
        line: int = 1,
        column: int = 1,
        offset: int | None = None,
        found: str | None = None,
        expected: tuple[str, ...] = (),
        path: str | None = None,
        source_line: str | None = None,
        kind: str = "syntax",
    ) -> None:
        super().__init__(message, path=path)
        self.line = line
        self.column = column
        self.offset = offset
        self.found = found
        self.expected = expected
        self.source_line = source_line
        self.kind = kind

    def __str__(self) -> str:
        where = f"{self.path or '<input>'}:{self.line}:{self.column}"
        text = f"{where}: {self.message}"
        if self.source_line is not None:
            shown = self.source_line.expandtabs(1)
            caret = " " * (min(self.column, len(shown) + 1) - 1) + "^"
            text += f"\n    {shown}\n    {caret}"
        return text


class ConfigError(WhiteboardError):
    """A configuration file or option has an unknown key or a bad value."""
