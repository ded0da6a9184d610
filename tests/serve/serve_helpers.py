"""Helpers for the serve tests: a real server in a subprocess, and plain urllib to talk to it."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 60  # per request: a refusal must come long before this; a hang fails the test


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("WHITEBOARD_DEBUG", None)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


class Server:
    """`python -m whiteboard.serve --port 0` in *cwd*; the URL is read from its first stdout line."""

    def __init__(self, cwd: Path, *args: str, start_timeout: float = 60, env: dict[str, str] | None = None) -> None:
        self.cwd = cwd
        self.stderr = tempfile.TemporaryFile()  # a file, not a pipe: a chatty server can never block on it
        self.process = subprocess.Popen([sys.executable, "-m", "whiteboard.serve", "--port", "0", *args], cwd=cwd,
                                        stdout=subprocess.PIPE, stderr=self.stderr, env=_env(**(env or {})))
        ready, _, _ = select.select([self.process.stdout], [], [], start_timeout)
        line = self.process.stdout.readline().decode() if ready else ""
        if not line.startswith("whiteboard serve: http://127.0.0.1:"):
            errors = self.stop()
            raise RuntimeError(f"the server did not start: {line!r} {errors}")
        self.url = line.split(": ", 1)[1].strip()
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def stop(self) -> str:
        """Stop the server; returns what it wrote on stderr (tracebacks would show there)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        return self.errors()

    def errors(self) -> str:
        """Everything the server has written on stderr so far."""
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


def request(server: Server, method: str, path: str, body=None, headers: dict[str, str] | None = None,
            timeout: float = TIMEOUT_S) -> Answer:
    """One HTTP request with urllib; an HTTP error status is an Answer too, not an exception."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    req = urllib.request.Request(server.url.rstrip("/") + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def cli_check(text: bytes | str, *args: str, cwd: Path) -> str:
    """What `whiteboard check - --format json ARGS` prints for *text* on stdin, run in *cwd*."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    done = subprocess.run([sys.executable, "-m", "whiteboard", "check", "-", "--format", "json", *args], input=data,
                          capture_output=True, cwd=cwd, env=_env(), timeout=120)
    assert done.returncode in (0, 1, 2), done.stderr
    assert done.stdout, done.stderr.decode()
    return done.stdout.decode("utf-8")


def wait_until(condition, timeout: float = 10.0, step: float = 0.05):
    """Poll *condition* until it returns something true; its value, or AssertionError on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(step)
