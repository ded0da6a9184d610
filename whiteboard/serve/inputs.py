"""What a request brings: the diagram text (bounded, UTF-8) and the query's options.

Every way a request can be malformed ends here as a RequestError with its status and a
sentence, before the library sees anything: a body over the limit (refused from its
Content-Length before a byte is kept, and while reading for a body that did not say its
length), bytes that are not UTF-8, a query parameter that is unknown or unreadable.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: far above any whiteboard, far below what hurts the machine
DISCARD_BYTES = 16 * MAX_BODY_BYTES  # what a refused body may still send (and have dropped) to read its 413
DISCARD_SECONDS = 5.0
_BOM = b"\xef\xbb\xbf"
_DIGITS = re.compile(r"[0-9]+")
MAX_SLA_CHARS = 40  # '250 ms', 'p99 < 0.2s': a latency is short, and the reader is not built for pages of text


class RequestError(Exception):
    """The request cannot be answered as asked; *status* is the 4xx (or 503) to send."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def _too_large(size: str) -> RequestError:
    return RequestError(413, f"the body is {size}; the limit is {MAX_BODY_BYTES:,} bytes (1 MiB) per diagram")


async def _discard(chunks, budget: int) -> None:
    """Read and drop up to *budget* more bytes, so the client finishes sending and reads the refusal.

    Clients that send the whole body before reading (urllib, requests) would otherwise see the
    connection reset under them instead of the 413. Beyond the budget, or after DISCARD_SECONDS
    (a client that announced a body and sends none), the refusal goes out anyway.
    """
    import anyio

    with anyio.move_on_after(DISCARD_SECONDS):
        async for chunk in chunks:
            budget -= len(chunk)
            if budget < 0:
                return


async def read_body(request) -> bytes:
    """The request body, at most MAX_BODY_BYTES; 413 beyond, 400 for a Content-Length that is no number.

    A Content-Length over the limit is refused before a byte is kept; a body without one is
    refused as soon as it passes the limit. Either way nothing over the limit is stored.
    """
    length = request.headers.get("content-length")
    if length is not None:
        digits = length.strip()
        if not _DIGITS.fullmatch(digits):
            raise RequestError(400, f"Content-Length {length!r} is not a number of bytes")
        if len(digits) > 15 or int(digits) > MAX_BODY_BYTES:
            if len(digits) <= 15 and int(digits) <= DISCARD_BYTES:
                await _discard(request.stream(), DISCARD_BYTES)
            raise _too_large(f"{int(digits):,} bytes" if len(digits) <= 15 else "larger than any diagram")
    chunks: list[bytes] = []
    size = 0
    stream = request.stream()
    async for chunk in stream:
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            await _discard(stream, DISCARD_BYTES - size)
            raise _too_large(f"more than {MAX_BODY_BYTES:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def require_utf8(data: bytes) -> None:
    """400 unless *data* is UTF-8 (a BOM is allowed; it is dropped later, as for stdin)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[:error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].removeprefix(_BOM).decode("utf-8", "replace")) + 1
        raise RequestError(400, f"the body is not UTF-8 text: byte 0x{data[error.start]:02x} at line {line}, "
                              f"column {column} cannot be decoded; send the diagram as UTF-8",
                         line=line, column=column) from None


@dataclass(frozen=True)
class Query:
    problem: str | None = None
    sla: str | None = None  # as written; the number is read by read_sla
    sla_ms: float | None = None
    overlay: bool = True
    stage: int | None = None


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _unknown(name: str, allowed: Iterable[str]) -> RequestError:
    allowed = sorted(allowed)
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    known = f" (known: {', '.join(allowed)})" if allowed else " (it takes none)"
    return RequestError(400, f"unknown query parameter {name!r}{hint}{known}", param=name)


def read_query(params: Mapping[str, str], allowed: Iterable[str]) -> Query:
    """The query's options; an unknown name or an unreadable value is a 400 naming the parameter.

    An empty value means "not given" (``?problem=`` is no problem), as an absent flag does.
    """
    from whiteboard.config import read_sla

    allowed = set(allowed)
    for name in params:
        if name not in allowed:
            raise _unknown(name, allowed)
    values = {name: value.strip() for name, value in params.items() if value.strip()}
    sla = values.get("sla")
    sla_ms = None
    if sla is not None:
        if len(sla) > MAX_SLA_CHARS:
            raise RequestError(400, f"sla: {len(sla)} characters; a latency such as 200ms, 0.5s or 150 takes at most "
                                    f"{MAX_SLA_CHARS}", param="sla")
        sla_ms = read_sla(sla)
        if sla_ms is None or not math.isfinite(sla_ms):  # JSON has no infinity (309 nines read so)
            raise RequestError(400, f"sla {sla!r}: expected a latency such as 200ms, 0.5s or 150", param="sla")
    overlay = True
    if "overlay" in values:
        word = values["overlay"].lower()
        if word not in _TRUE | _FALSE:
            raise RequestError(400, f"overlay {values['overlay']!r}: expected 1 or 0", param="overlay")
        overlay = word in _TRUE
    stage = None
    if "stage" in values:
        if values["stage"] not in {str(n) for n in range(1, 8)}:
            raise RequestError(400, f"stage {values['stage']!r}: expected a stage number from 1 to 7", param="stage")
        stage = int(values["stage"])
    return Query(problem=values.get("problem"), sla=sla, sla_ms=sla_ms, overlay=overlay, stage=stage)


__all__ = ["DISCARD_BYTES", "MAX_BODY_BYTES", "Query", "RequestError", "read_body", "read_query", "require_utf8"]
