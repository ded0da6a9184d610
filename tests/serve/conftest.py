"""tests/serve: one real server for the session (in an empty directory, so no configuration
file is found), shared by the API and the browser tests. Skipped without the 'serve' extra."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the 'serve' extra is not installed (pip install 'whiteboard[serve]')")
pytest.importorskip("uvicorn", reason="the 'serve' extra is not installed (pip install 'whiteboard[serve]')")

sys.path.insert(0, str(Path(__file__).parent))

from serve_helpers import Server  # noqa: E402


@pytest.fixture(scope="session")
def serve_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the server and the CLI it is compared with both run."""
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="session")
def server(serve_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The session's server; practice rounds started through it go to a history of its own."""
    running = Server(serve_dir, env={"WHITEBOARD_DATA_DIR": str(tmp_path_factory.mktemp("history"))})
    yield running
    running.stop()
