"""The wheel works on its own: it carries the grammar and templates, installs into a fresh
virtual environment (not editable) and `whiteboard parse` runs from anywhere.

No network: the wheel is built with the hatchling already installed when there is one
(otherwise pip's isolated build fetches it, normally from its cache), and installed with
``--no-deps --no-index``; the new environment finds the third-party dependencies through a
``.pth`` line naming this interpreter's site-packages. That line adds the directory to
``sys.path`` without running the ``.pth`` files inside it, so the editable install of the
checkout stays invisible and the test proves the wheel alone.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

TINY = "flowchart LR\n  A[Ingest] -->|events| B[(Lake)]\n"   # A at 2:3, B at 2:25
TINY_CONTRACT = {
    "direction": "LR",
    "nodes": [
        {"id": "A", "label": "Ingest", "shape": "square", "classes": [], "line": 2, "column": 3},
        {"id": "B", "label": "Lake", "shape": "cylinder", "classes": [], "line": 2, "column": 25},
    ],
    "edges": [
        {"source": "A", "target": "B", "label": "events", "type": "arrow_point",
         "stroke": "normal", "length": 1, "line": 2, "column": 3},
    ],
    "subgraphs": [],
    "class_defs": {},
}


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.update(extra)
    return env


def _run(command: list[str], cwd: Path, timeout: float = 600, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            env=_clean_env(**env))
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")
    result = _run([*command, str(ROOT)], cwd=out)
    assert result.returncode == 0, result.stdout + result.stderr
    wheels = sorted(out.glob("whiteboard-*.whl"))
    assert len(wheels) == 1, list(out.iterdir())
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns its bin directory."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=False, symlinks=(os.name != "nt")).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                   cwd=env_dir).stdout.strip()
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "_whiteboard_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    # This interpreter's pip installs into the new environment (no pip bootstrap needed there).
    result = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                   "--no-deps", "--no-index", str(wheel)], cwd=env_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return bindir


def test_wheel_contains_code_grammar_and_templates(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    assert "whiteboard/_data/grammar/flowchart.lark" in names
    templates = [p.relative_to(ROOT / "templates").as_posix()
                 for p in (ROOT / "templates").rglob("*") if p.is_file()]
    assert templates, "the checkout has no templates to ship"
    for relative in templates:
        assert f"whiteboard/_data/templates/{relative}" in names
    for module in ("__init__.py", "__main__.py", "cli.py", "parser.py", "resources.py"):
        assert f"whiteboard/{module}" in names
    assert "whiteboard = whiteboard.cli:main" in scripts
    assert not any(n.startswith(("tests/", "grammar/", "templates/")) for n in names)


def test_wheel_grammar_is_the_checkout_grammar(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("whiteboard/_data/grammar/flowchart.lark")
    assert shipped == (ROOT / "grammar" / "flowchart.lark").read_bytes()


def test_wheel_carries_the_served_page(wheel: Path) -> None:
    """`whiteboard serve` works offline from the wheel: its page, script and styles are inside."""
    static = ROOT / "whiteboard" / "serve" / "static"
    with zipfile.ZipFile(wheel) as archive:
        for path in static.iterdir():
            assert archive.read(f"whiteboard/serve/static/{path.name}") == path.read_bytes()


def test_installed_wheel_imports_from_the_venv(installed: Path, tmp_path: Path) -> None:
    code = ("import whiteboard, whiteboard.resources as r; "
            "print(whiteboard.__file__); print(r.grammar_path()); print(r.templates_dir())")
    result = _run([str(installed / "python"), "-c", code], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    module, grammar, templates = result.stdout.splitlines()
    env_dir = installed.parent
    for shown in (module, grammar, templates):
        assert Path(shown).resolve().is_relative_to(env_dir.resolve()), (shown, env_dir)
    assert Path(grammar).parts[-4:] == ("whiteboard", "_data", "grammar", "flowchart.lark")
    assert not Path(module).resolve().is_relative_to(ROOT)


def test_installed_console_script_parses_from_another_directory(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "tiny.mmd").write_text(TINY, encoding="utf-8")
    # A fresh cache directory: the grammar is loaded (and cached) from the wheel's copy.
    cache = tmp_path / "cache"
    result = _run([str(installed / "whiteboard"), "parse", "tiny.mmd"], cwd=tmp_path,
                  XDG_CACHE_HOME=str(cache))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == TINY_CONTRACT
    again = _run([str(installed / "whiteboard"), "parse", "tiny.mmd"], cwd=tmp_path,
                 XDG_CACHE_HOME=str(cache))
    assert again.returncode == 0, again.stderr
    assert again.stdout == result.stdout


def test_installed_module_and_errors(installed: Path, wheel: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.mmd").write_text("flowchart TD\n  A --> B]\n", encoding="utf-8")
    result = _run([str(installed / "python"), "-m", "whiteboard", "parse", "bad.mmd"], cwd=tmp_path,
                  XDG_CACHE_HOME=str(tmp_path / "cache"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("bad.mmd:2:10: ")
    assert "Traceback" not in result.stderr
    version = _run([str(installed / "whiteboard"), "--version"], cwd=tmp_path)
    assert version.returncode == 0
    # The wheel's file name carries the version from pyproject.toml.
    assert version.stdout.strip() == f"whiteboard {wheel.name.split('-')[1]}"
