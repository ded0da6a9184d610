"""The shape of every answer that is not a success: ``{"error": {"status": ..., "message": ...}}``.

One place, so the page, the door guard and the routes all speak the same JSON; extra keys
(``line``/``column`` of a syntax error, ``param`` naming the query parameter at fault) sit
beside the two that are always there.
"""

from __future__ import annotations

import json
from typing import Any


def error_body(status: int, message: str, **extra: Any) -> bytes:
    error = {"status": status, "message": message}
    error.update({key: value for key, value in extra.items() if value is not None})
    return json.dumps({"error": error}, ensure_ascii=False).encode("utf-8")


def error_response(status: int, message: str, *, headers: dict[str, str] | None = None, **extra: Any):
    """A Starlette response carrying :func:`error_body`."""
    from starlette.responses import Response

    return Response(error_body(status, message, **extra), status_code=status, headers=headers,
                    media_type="application/json")


__all__ = ["error_body", "error_response"]
