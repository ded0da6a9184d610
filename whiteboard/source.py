"""Bytes to text: the checks every input passes before the parser sees it.

A file must be UTF-8 text. A byte-order mark is dropped (so positions match what an
editor shows), NUL bytes mean a binary file, and both a NUL and a decoding error are
reported at the line and column (in characters) of the first bad byte, not as Python's
codec message.
"""

from __future__ import annotations

from pathlib import Path

from whiteboard.errors import DiagramSyntaxError, InputError

_BOM = b"\xef\xbb\xbf"


def decode(data: bytes, path: str = "<stdin>") -> str:
    """UTF-8 text of *data*, or a DiagramSyntaxError at its first NUL or undecodable byte."""
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column, _ = _position(data, nul)
        # A DiagramSyntaxError, not a bare InputError, so every report puts it where the NUL is.
        # No source line: a binary file's "line" is not worth echoing to a terminal.
        raise DiagramSyntaxError(
            f"this looks like a binary file (a NUL byte on line {line}), not a Mermaid text file",
            line=line, column=column, path=path, kind="binary",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column, line_start = _position(data, error.start)
        bad = data[error.start : error.start + 1].hex()
        raise DiagramSyntaxError(
            f"the file is not UTF-8 text: byte 0x{bad} cannot be decoded (save the file as UTF-8)",
            line=line, column=column, path=path, kind="encoding",
            source_line=data[line_start:].split(b"\n", 1)[0].decode("utf-8", errors="replace"),
        ) from None


def _position(data: bytes, index: int) -> tuple[int, int, int]:
    """1-based line and column (in characters, as an editor counts) of byte *index*, and its line's start."""
    line = data.count(b"\n", 0, index) + 1
    line_start = data.rfind(b"\n", 0, index) + 1
    column = len(data[line_start:index].decode("utf-8", errors="replace")) + 1
    return line, column, line_start


def read(path: str | Path) -> str:
    """Read and decode a file; every OS error becomes one InputError line."""
    shown = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=shown) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path=shown) from None
    except PermissionError:
        raise InputError("permission denied: the file cannot be read", path=shown) from None
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror or error}", path=shown) from None
    return decode(data, shown)
