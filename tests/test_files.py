"""Which files a run checks (whiteboard.files): walking, skipping, excluding, links, errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from whiteboard.config import Overrides, Settings
from whiteboard.files import collect
from whiteboard.linter import check_paths

FLOW = "flowchart LR\n  A[Client] --> B[Model serving]\n"


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _found(root: Path, *paths: str, **overrides) -> list[str]:
    settings = Settings(Overrides(**overrides), cwd=root)
    here = os.getcwd()
    os.chdir(root)
    try:
        return [t.path.replace(os.sep, "/") + (f" !{t.error.split(':')[0]}" if t.error else "")
                for t in collect(paths or ["."], settings)]
    finally:
        os.chdir(here)


def test_walk_finds_diagram_files_in_name_order_and_skips_hidden_and_vendored(tmp_path):
    _tree(tmp_path, {
        "b.mmd": FLOW, "a.md": "x", "c.mermaid": FLOW, "d.markdown": "x", "notes.txt": FLOW,
        "sub/e.mmd": FLOW, ".hidden/f.mmd": FLOW, ".g.mmd": FLOW, "node_modules/pkg/h.md": "x",
        "venv/lib/i.md": "x", "x/site-packages/j.md": "x", "__pycache__/k.mmd": FLOW,
    })
    assert _found(tmp_path) == ["a.md", "b.mmd", "c.mermaid", "d.markdown", "sub/e.mmd"]


def test_explicit_files_are_checked_whatever_their_suffix_and_only_once(tmp_path):
    _tree(tmp_path, {"design.txt": FLOW, "a.mmd": FLOW, ".hidden/b.mmd": FLOW})
    assert _found(tmp_path, "design.txt", "a.mmd", "./a.mmd", ".hidden/b.mmd") == [
        "design.txt", "a.mmd", ".hidden/b.mmd"]


def test_gitignore_in_the_tree_and_above_it_inside_the_repository(tmp_path):
    (tmp_path / ".git").mkdir()
    _tree(tmp_path, {
        ".gitignore": "drafts/\n*.tmp.md\n", "notes/.gitignore": "scratch.mmd\n!keep.tmp.md\n",
        "notes/a.mmd": FLOW, "notes/scratch.mmd": FLOW, "notes/drafts/b.mmd": FLOW, "notes/c.tmp.md": "x",
        "notes/keep.tmp.md": "x",
    })
    assert _found(tmp_path / "notes") == ["a.mmd"]
    assert _found(tmp_path, "notes") == ["notes/a.mmd"]
    assert _found(tmp_path, "notes", respect_gitignore=False) == [
        "notes/a.mmd", "notes/c.tmp.md", "notes/drafts/b.mmd", "notes/keep.tmp.md", "notes/scratch.mmd"]
    # An explicitly named file is checked even when ignored (as ruff and git add do).
    assert _found(tmp_path, "notes/scratch.mmd") == ["notes/scratch.mmd"]


def test_gitignore_above_the_repository_is_not_ours(tmp_path):
    _tree(tmp_path, {".gitignore": "*.mmd\n", "repo/a.mmd": FLOW})
    (tmp_path / "repo" / ".git").mkdir()
    assert _found(tmp_path / "repo") == ["a.mmd"]


def test_exclude_patterns_from_config_and_flag(tmp_path):
    _tree(tmp_path, {
        "whiteboard.toml": 'exclude = ["archive/", "*.draft.md"]\n', "a.mmd": FLOW, "archive/b.mmd": FLOW,
        "c.draft.md": "x", "sub/d.draft.md": "x", "sub/e.mmd": FLOW, "f.mmd": FLOW,
    })
    assert _found(tmp_path) == ["a.mmd", "f.mmd", "sub/e.mmd"]
    assert _found(tmp_path, exclude=("sub/",)) == ["a.mmd", "f.mmd"]
    # Named files obey excludes too (pre-commit names every staged file).
    assert _found(tmp_path, "archive/b.mmd", "f.mmd", exclude=("f.mmd",)) == []


def test_respect_gitignore_false_in_the_config(tmp_path):
    (tmp_path / ".git").mkdir()
    _tree(tmp_path, {".gitignore": "*.mmd\n", "whiteboard.toml": "respect-gitignore = false\n", "a.mmd": FLOW})
    assert _found(tmp_path) == ["a.mmd"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_symlink_loops_and_dangling_links_are_one_error_each(tmp_path):
    _tree(tmp_path, {"notes/a.mmd": FLOW, "other/b.mmd": FLOW})
    os.symlink("..", tmp_path / "notes" / "up")               # above where the walk started: a loop
    os.symlink("../other", tmp_path / "notes" / "elsewhere")  # a real directory: followed
    os.symlink(".", tmp_path / "other" / "here")              # reached through the link: a loop too
    os.symlink("self.mmd", tmp_path / "notes" / "self.mmd")    # a link to itself
    os.symlink("gone.mmd", tmp_path / "notes" / "dangling.mmd")
    assert _found(tmp_path, "notes") == [
        "notes/a.mmd", "notes/dangling.mmd !is a dangling symbolic link", "notes/elsewhere/b.mmd",
        "notes/elsewhere/here !is a symbolic link back to 'notes/elsewhere', a directory it is inside (a loop); "
        "not followed",
        "notes/self.mmd !is a symbolic link loop",
        f"notes/up !is a symbolic link back to '{tmp_path}', a directory it is inside (a loop); not followed"]
    result = check_paths([str(tmp_path / "notes")])
    errors = {Path(f.path).name: f.diagrams[0].findings[0] for f in result.files if f.diagrams[0].syntax_error}
    assert set(errors) == {"dangling.mmd", "here", "self.mmd", "up"}
    assert all(e.code == "WB001" for e in errors.values())
    assert "loop" in errors["up"].message and result.exit_code == 2
    assert len([f for f in result.files if not f.diagrams[0].syntax_error]) == 2  # the run went on


def test_bad_encoding_and_binary_markdown_go_on(tmp_path):
    (tmp_path / "latin1.md").write_bytes("# Caf\xe9\n\n```mermaid\nflowchart LR\n```\n".encode("latin-1"))
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02")
    _tree(tmp_path, {"good.mmd": FLOW})
    result = check_paths([str(tmp_path)])
    by_name = {Path(f.path).name: f.diagrams[0].findings[0] for f in result.files}
    assert (by_name["latin1.md"].code, by_name["latin1.md"].line, by_name["latin1.md"].column) == ("WB001", 1, 6)
    assert "UTF-8" in by_name["latin1.md"].message
    assert "binary" in by_name["binary.md"].message
    assert by_name["good.mmd"].code != "WB001"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_one_message(tmp_path):
    _tree(tmp_path, {"secret.mmd": FLOW})
    (tmp_path / "secret.mmd").chmod(0)
    try:
        result = check_paths([str(tmp_path)])
    finally:
        (tmp_path / "secret.mmd").chmod(0o644)
    assert "permission denied" in result.files[0].diagrams[0].findings[0].message
