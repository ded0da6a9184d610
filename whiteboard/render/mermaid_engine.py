"""mermaid-js's own picture: a local mermaid-cli (``mmdc``) when it is on PATH, else a
mermaid.ink server through mermaid-py (``MERMAID_INK_SERVER`` names a self-hosted one).

Both can fail in ordinary ways (no Chromium for mmdc, no network for mermaid.ink); each
failure is one sentence saying what to install or set, and it comes quickly: the server is
given a short deadline, and mmdc a longer one (a cold Chromium start takes seconds).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

from whiteboard.render.errors import RenderError

DEFAULT_SERVER = "https://mermaid.ink"
SERVER_TIMEOUT_S = 10.0
MMDC_TIMEOUT_S = 120
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_PNG = b"\x89PNG\r\n\x1a\n"
NOT_AVAILABLE = ("install mermaid-cli ('npm install -g @mermaid-js/mermaid-cli', with Chromium: "
                 "'apt-get install chromium') for offline rendering, set MERMAID_INK_SERVER to a reachable "
                 "mermaid.ink server, or use --engine graphviz")


def mmdc_path() -> str | None:
    return shutil.which("mmdc")


def render_mermaid(text: str, fmt: str) -> bytes:
    """The diagram as mermaid-js draws it, as SVG or PNG bytes."""
    if fmt not in ("svg", "png"):
        raise RenderError(f"--format {fmt} is not something mermaid draws; use svg or png, or --engine graphviz")
    mmdc = mmdc_path()
    data = _with_mmdc(mmdc, text, fmt) if mmdc else _with_server(text, fmt)
    if fmt == "svg":
        check_svg(data)
    return data


def _browser_env() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("PUPPETEER_EXECUTABLE_PATH"):
        for name in _BROWSERS:
            found = shutil.which(name)
            if found:
                env["PUPPETEER_EXECUTABLE_PATH"] = found
                break
    return env


def _with_mmdc(mmdc: str, text: str, fmt: str) -> bytes:
    import subprocess

    with tempfile.TemporaryDirectory(prefix="whiteboard-mmdc-") as directory:
        folder = Path(directory)
        source = folder / "diagram.mmd"
        target = folder / f"diagram.{fmt}"
        source.write_text(text, encoding="utf-8")
        # mermaid draws some outlines (stadiums...) with rough.js, randomly unless seeded
        config = folder / "mermaid.json"
        config.write_text(json.dumps({"handDrawnSeed": 1}), encoding="utf-8")
        command = [mmdc, "-i", str(source), "-o", str(target), "-q", "-b", "white", "-c", str(config)]
        if fmt == "png":
            command += ["-s", "2"]  # mmdc draws at 1 px per CSS px: blurry in notes
        # Chromium refuses to start as root unless its sandbox is off (containers, CI).
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            browser = folder / "puppeteer.json"
            browser.write_text(json.dumps({"args": ["--no-sandbox"]}), encoding="utf-8")
            command += ["-p", str(browser)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=MMDC_TIMEOUT_S, env=_browser_env(),
                                  check=False, cwd=directory)
        except subprocess.TimeoutExpired:
            raise RenderError(f"mermaid-cli (mmdc) did not finish within {MMDC_TIMEOUT_S} s") from None
        except OSError as error:
            raise RenderError(f"mermaid-cli (mmdc) could not be started: {error.strerror or error}") from None
        if done.returncode != 0 or not target.exists():
            raise RenderError(f"mermaid-cli (mmdc) failed: {_first_line(done.stderr)}; {NOT_AVAILABLE}")
        return target.read_bytes()


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line and not line.startswith(("at ", "(node:", "(Use ")):
            return line[:300]
    return "no error message"


def _import_mermaid():
    """mermaid-py prints an IPython notice on import; keep it off our output."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        import mermaid
    return mermaid


def _with_server(text: str, fmt: str) -> bytes:
    server = os.environ.get("MERMAID_INK_SERVER") or DEFAULT_SERVER
    outcome: dict[str, object] = {}

    def fetch() -> None:
        try:
            mermaid = _import_mermaid()
            _probe(server)
            picture = mermaid.Mermaid(text)
            outcome["svg"] = picture.svg_response.content
            outcome["png"] = picture.img_response.content
        except BaseException as error:  # noqa: BLE001 - reported in the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=fetch, name="mermaid-ink", daemon=True)
    worker.start()
    worker.join(SERVER_TIMEOUT_S)
    if worker.is_alive():
        raise RenderError(f"the mermaid.ink server at {server} did not answer within {SERVER_TIMEOUT_S:g} s; "
                          f"{NOT_AVAILABLE}")
    error = outcome.get("error")
    if error is not None:
        raise RenderError(f"cannot render with the mermaid.ink server at {server}: {_reason(error)}; "
                          f"{NOT_AVAILABLE}")
    data = outcome[fmt]
    assert isinstance(data, bytes)
    if fmt == "png" and not data.startswith(_PNG):
        kind = "JPEG" if data.startswith(b"\xff\xd8") else "something else"
        raise RenderError(f"the mermaid.ink server at {server} sent {kind}, not PNG; use --format svg")
    return data


def _probe(server: str) -> None:
    """Fail in a few seconds, not at the OS's TCP timeout, when the server is unreachable."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(server)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"MERMAID_INK_SERVER must be an http(s) URL such as {DEFAULT_SERVER}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    with socket.create_connection((parts.hostname, port), timeout=min(SERVER_TIMEOUT_S, 5.0)):
        pass


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and getattr(error, "strerror", None):
        return str(error.strerror)
    if error.__class__.__name__ == "MermaidError":
        return str(error).split("\n", 1)[0]
    if isinstance(error, ValueError):
        return str(error)
    text = str(error).split("\n", 1)[0]
    return f"{error.__class__.__name__}: {text[:200]}" if text else error.__class__.__name__


def check_svg(data: bytes) -> None:
    """mermaid's SVG is its own (labels sanitized by its DOMPurify); still refuse one that is
    not XML or that carries a script, an event handler or a javascript: URL."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise RenderError(f"the mermaid renderer sent an SVG that is not well-formed XML ({error})") from None
    for element in root.iter():
        tag = element.tag.split("}")[-1].lower() if isinstance(element.tag, str) else ""
        if tag == "script":
            raise RenderError("refusing to write an SVG with a <script> element")
        for name, value in element.attrib.items():
            local = name.split("}")[-1].lower()
            if local.startswith("on") or "javascript:" in value.lower().replace(" ", ""):
                raise RenderError(f"refusing to write an SVG with a {local}= attribute")
