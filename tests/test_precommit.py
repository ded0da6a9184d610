"""The pre-commit hook (.pre-commit-hooks.yaml) with the real `pre-commit try-repo`.

try-repo clones a hook repository and installs it into a fresh virtualenv (from PyPI), then
runs the hook in the current repository. It only sees *committed* files (and tracked
changes), so the test commits a copy of this checkout's package files into a temporary hook
repository: what is tested is the working tree as it is now, on a developer's machine and on
a clean CI clone alike. Two runs (~10 s each): one that must fail, one that must pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOOK_FILES = ("whiteboard", "grammar", "templates", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")

pytestmark = pytest.mark.precommit

try:
    import pre_commit  # noqa: F401
except ImportError:  # pragma: no cover - dev extras not installed
    pre_commit = None


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=whiteboard-test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                   cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    base = tmp_path_factory.mktemp("precommit")
    hook = base / "hook"
    hook.mkdir()
    for name in HOOK_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, hook / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, hook / name)
    _git("init", "-q", cwd=hook)
    _git("add", "-A", cwd=hook)
    _git("commit", "-q", "-m", "hook", cwd=hook)

    work = base / "work"
    (work / "notes").mkdir(parents=True)
    good = (ROOT / "examples" / "recsys.mmd").read_text(encoding="utf-8")
    (work / "good.mmd").write_text(good, encoding="utf-8")
    (work / "notes" / "design.md").write_text(
        "# Design\n\n```mermaid\n" + good + "```\n\n```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n",
        encoding="utf-8")
    (work / "bad.mmd").write_text("flowchart LR\n  Serve[Model serving --> Mon\n", encoding="utf-8")
    (work / "notes.txt").write_text("not a diagram: the hook must not see it\n", encoding="utf-8")
    _git("init", "-q", cwd=work)
    _git("add", "-A", cwd=work)
    return hook, work


def _try_repo(hook: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(work.parent / "pre-commit-home")
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook), "whiteboard-check", *args],
                          cwd=work, capture_output=True, text=True, timeout=600, env=env)


def test_hook_fails_on_a_broken_diagram(repos):
    hook, work = repos
    done = _try_repo(hook, work, "--all-files")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "whiteboard check" in output and "Failed" in output
    assert "bad.mmd:2:8: WB001 [error]" in output
    assert "notes/design.md" in output and "WB003" in output  # the Markdown file was checked, fences and all
    assert "notes.txt" not in output
    assert "good.mmd:" not in output  # --quiet: a clean file prints nothing


def test_hook_passes_on_good_files(repos):
    hook, work = repos
    done = _try_repo(hook, work, "--files", "good.mmd", "notes/design.md")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Passed" in output
