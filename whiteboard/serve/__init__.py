"""`whiteboard serve`: the local page (editor, picture, findings, practice clock) on 127.0.0.1.

Only this machine can reach it: the socket is bound to the loopback address and nothing
else, and the application refuses requests addressed to any other name (guard.py). The
web stack (Starlette on uvicorn) is the optional 'serve' extra, imported only here and only
when the server starts, so the rest of whiteboard never needs it.
"""

from __future__ import annotations

import errno
import socket
import sys

from whiteboard.serve.errors import ServeError

HOST = "127.0.0.1"
EXTRA_HINT = "whiteboard serve needs the 'serve' extra: pip install 'whiteboard[serve]'"
_EXTRA_MODULES = frozenset({"starlette", "uvicorn", "anyio", "h11"})  # the extra and what it brings


def _bind(port: int) -> socket.socket:
    """A listening loopback socket (port 0: a free one); ServeError when the port is taken or refused."""
    if not 0 <= port <= 65535:
        raise ServeError(f"port {port}: expected a number from 0 (any free port) to 65535")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if sys.platform != "win32":  # on Windows this flag would let two servers share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {HOST} is already in use (another whiteboard serve?); "
                             "give another with --port, or --port 0 for any free one") from None
        if error.errno == errno.EACCES:
            raise ServeError(f"port {port} on {HOST}: permission denied (ports below 1024 need privileges); "
                             "give another with --port") from None
        raise ServeError(f"cannot listen on {HOST}:{port}: {error.strerror or error}") from None
    sock.setblocking(False)
    return sock


def run(*, port: int = 8000, templates: str | None = None, open_browser: bool = False) -> None:
    """Serve the page on 127.0.0.1:*port* until interrupted.

    Prints ``whiteboard serve: http://127.0.0.1:PORT/`` on stdout once the socket listens
    (with the real port when *port* is 0). ServeError: the extra is not installed, or the
    port cannot be had; ConfigError: *templates* is not a directory of problem specs.
    """
    try:
        import uvicorn

        from whiteboard.serve.app import create_app
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] in _EXTRA_MODULES:
            raise ServeError(EXTRA_HINT) from None
        raise
    if templates:
        from whiteboard.problems import list_problems

        list_problems(templates)  # ConfigError now, not on the first request, for a directory that is not there
    app = create_app(templates=templates)
    sock = _bind(port)
    url = f"http://{HOST}:{sock.getsockname()[1]}/"
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", server_header=False)
    server = uvicorn.Server(config)
    print(f"whiteboard serve: {url}", flush=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


__all__ = ["EXTRA_HINT", "HOST", "ServeError", "run"]
