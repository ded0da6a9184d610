"""Paths to check: the files named, and the diagram files inside the directories named.

- A file named on the command line is checked whatever its suffix (a `.md`/`.markdown`
  one as Markdown, anything else as Mermaid text), unless an `exclude` pattern (config or
  `--exclude`) matches it: pre-commit passes every staged file by name, and excludes must
  still hold there.
- A directory is walked recursively, in name order, for `.mmd`, `.mermaid`, `.md` and
  `.markdown` files. Hidden entries (`.git`, `.venv`, `.notes.md`) and vendored folders
  (SKIP_DIRS) are passed over, as are paths an `exclude` pattern or a `.gitignore` matches
  (the walked directories' own, and those of the directories above up to the repository's
  top; a `!pattern` re-includes only what its own file excluded).
- Symbolic links are followed; a link that leads back into a directory being walked (a
  loop), a dangling link, an unreadable directory or a named pipe, socket or device (which
  a walk never opens: a pipe would block it) is one Target with an error, and the walk
  goes on. Each file is checked once, however many ways it is reached.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from typing import Iterable, Iterator

from whiteboard.markdown import is_markdown

SUFFIXES = (".mmd", ".mermaid", ".md", ".markdown")
SKIP_DIRS = frozenset({"node_modules", "bower_components", "venv", "env", "__pycache__", "site-packages",
                       "__pypackages__"})


@dataclass(frozen=True)
class Target:
    """One thing to check: a file (or '-' for stdin), or a path that could not be walked."""

    path: str
    markdown: bool = False
    error: str | None = None


def _gitignore(directory: str):
    path = os.path.join(directory, ".gitignore")
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    if not any(line.strip() and not line.startswith("#") for line in lines):
        return None
    import pathspec

    return directory, pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(specs: list, path: str, is_dir: bool) -> bool:
    for root, spec in specs:
        relative = os.path.relpath(path, root).replace(os.sep, "/")
        if spec.match_file(relative + "/" if is_dir else relative):
            return True
    return False


def _repository_ignores(directory: str) -> list:
    """The .gitignore specs of *directory*'s ancestors up to the repository's top (none outside one)."""
    absolute = os.path.abspath(directory)
    top = absolute
    while not os.path.exists(os.path.join(top, ".git")):
        parent = os.path.dirname(top)
        if parent == top:
            return []  # not in a repository: the .gitignore files above are not about these notes
        top = parent
    chain = []
    current = absolute
    while current != top:
        current = os.path.dirname(current)
        chain.append(current)
    return [spec for spec in map(_gitignore, reversed(chain)) if spec is not None]


def _loop_message(target: str) -> str:
    return f"is a symbolic link back to '{target}', a directory it is inside (a loop); not followed"


class _Walker:
    def __init__(self, settings) -> None:
        self.settings = settings
        self.seen_files: set[str] = set()
        self.seen_dirs: set[str] = set()

    def file(self, shown: str, walked: bool = False) -> Iterator[Target]:
        """*walked*: found in a directory, not named; then only a regular file is read (a named
        pipe would block the run until something writes to it). A named one is read whatever
        it is: `whiteboard check <(cat design.mmd)` names a pipe on purpose."""
        try:
            real = os.path.realpath(shown, strict=True)
        except OSError as error:
            if error.errno == errno.ELOOP:
                yield Target(shown, is_markdown(shown), "is a symbolic link loop: following it never reaches a "
                                                        "file; nothing to read")
                return
            # exists(): /dev/fd/63 from `<(...)` links to 'pipe:[...]', no path, yet opens fine.
            if os.path.islink(shown) and not os.path.exists(shown):
                yield Target(shown, is_markdown(shown), f"is a dangling symbolic link: its target "
                                                        f"'{os.readlink(shown)}' does not exist")
                return
            real = os.path.abspath(shown)  # missing: reading it says so
        if real in self.seen_files:
            return
        self.seen_files.add(real)
        special = _special_file(real) if walked else None
        if special is not None:
            yield Target(shown, is_markdown(shown), f"is {special}, not a regular file; not read")
            return
        yield Target(shown, is_markdown(shown))

    def directory(self, shown: str, ignores: list) -> Iterator[Target]:
        real = os.path.realpath(shown)
        if real in self.seen_dirs:
            return
        self.seen_dirs.add(real)
        if self.settings.respect_gitignore(shown):
            own = _gitignore(shown)
            if own is not None:
                ignores = ignores + [own]
        try:
            entries = sorted(os.scandir(shown), key=lambda entry: entry.name)
        except PermissionError:
            yield Target(shown, error="permission denied: the directory cannot be read")
            return
        except OSError as error:
            yield Target(shown, error=f"the directory cannot be read: {error.strerror or error}")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = os.path.join(shown, entry.name) if shown != "." else entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name in SKIP_DIRS or self.settings.excluded(path, is_dir=True) \
                        or _ignored(ignores, path, True):
                    continue
                if entry.is_symlink():
                    target = os.path.realpath(path)
                    if real == target or real.startswith(target.rstrip(os.sep) + os.sep):
                        yield Target(path, error=_loop_message(_shown_ancestor(path, target)))
                        continue
                yield from self.directory(path, ignores)
                continue
            if not entry.name.lower().endswith(SUFFIXES):
                continue
            if self.settings.excluded(path) or _ignored(ignores, path, False):
                continue
            yield from self.file(path, walked=True)


def _special_file(path: str) -> str | None:
    """What *path* is when it is neither a regular file nor missing ('a named pipe (FIFO)')."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # reading it says what is wrong
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _shown_ancestor(link: str, target: str) -> str:
    """The loop's target as the user would name it: the ancestor of *link* that it resolves to."""
    current = os.path.dirname(link)
    while current and os.path.realpath(current) != target:
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return current or target


def collect(paths: Iterable[str], settings) -> list[Target]:
    """Every Target for *paths*, in order (see the module doc)."""
    walker = _Walker(settings)
    targets: list[Target] = []
    for name in paths:
        if name == "-":
            targets.append(Target("-"))
            continue
        if os.path.isdir(name):
            respect = settings.respect_gitignore(name)
            ignores = _repository_ignores(name) if respect else []
            targets.extend(walker.directory(name, ignores))
            continue
        if settings.excluded(name):
            continue
        targets.extend(walker.file(name))
    return targets


__all__ = ["SKIP_DIRS", "SUFFIXES", "Target", "collect"]
