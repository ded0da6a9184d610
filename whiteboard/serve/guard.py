"""The door of the local server: who may talk to it, and what a browser may do with its answers.

The server listens on 127.0.0.1 only, but a web page the user has open elsewhere can still
reach it through the browser:

- DNS rebinding (a hostile name that resolves to 127.0.0.1) sends its own name in the Host
  header: only ``127.0.0.1`` and ``localhost``, at the port the server listens on, are answered;
- a cross-site form or fetch that changes something (a practice round's save) carries the
  other site's Origin, or ``Sec-Fetch-Site: cross-site``: every method but GET and HEAD must
  come from this server's own page (or from a client that sends no Origin, such as curl);
- every answer tells the browser to run only this server's own script, load pictures only
  from itself or blob: URLs, never guess a content type and never be framed, so even a label
  that slipped through as markup could not run.

The refusals are the same JSON errors as the routes' (responses.py), status 400 or 403.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from whiteboard.serve.responses import error_body

LOCAL_NAMES = frozenset({"127.0.0.1", "localhost"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
_HOST = re.compile(r"(?P<name>[A-Za-z0-9.\-]+)(?::(?P<port>[0-9]{1,5}))?")

CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
                           "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
)


def _local_address(value: str | None, port: int | None, default_port: int) -> bool:
    """Is *value* (``host[:port]``) this machine by name, at the port the server listens on?"""
    match = _HOST.fullmatch(value or "")
    if match is None or match["name"].lower().rstrip(".") not in LOCAL_NAMES:
        return False
    if port is None:
        return True
    return int(match["port"] or default_port) == port


def _local_origin(origin: str, port: int | None) -> bool:
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return parts.scheme == "http" and not parts.username and not parts.path.strip("/") and \
        _local_address(parts.netloc, port, 80)


class LocalOnly:
    """ASGI middleware: the Host and Origin checks above, and the security headers on every answer."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {}
        for name, value in scope.get("headers", ()):
            headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
        server = scope.get("server")
        port = server[1] if server and len(server) > 1 and server[1] else None
        refusal = self._refusal(scope.get("method", "GET"), headers, port)

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                message = dict(message)
                message["headers"] = [*message.get("headers", ()),
                                      *((name, value) for name, value in SECURITY_HEADERS if name not in present)]
            await send(message)

        if refusal is None:
            await self.app(scope, receive, send_with_headers)
            return
        status, message = refusal
        body = error_body(status, message)
        await send_with_headers({"type": "http.response.start", "status": status,
                                 "headers": [(b"content-type", b"application/json"),
                                             (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _refusal(method: str, headers: dict[str, str], port: int | None) -> tuple[int, str] | None:
        where = f"http://127.0.0.1:{port}/" if port else "http://127.0.0.1/"
        host = headers.get("host")
        if not _local_address(host, port, 80):
            shown = "no Host header" if host is None else f"Host {host!r}"
            return 400, f"this server answers only requests addressed to {where} ({shown})"
        if method.upper() in SAFE_METHODS:
            return None
        origin = headers.get("origin")
        if origin is not None and not _local_origin(origin, port):
            return 403, f"refusing a {method} from the page at {origin!r}: only {where} may change anything here"
        if origin is None and headers.get("sec-fetch-site", "").lower() == "cross-site":
            return 403, f"refusing a cross-site {method}: only {where} may change anything here"
        return None


__all__ = ["CONTENT_SECURITY_POLICY", "LOCAL_NAMES", "SECURITY_HEADERS", "LocalOnly"]
