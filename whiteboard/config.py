"""Configuration: `[tool.whiteboard]` in pyproject.toml, or a whiteboard.toml, nearest file wins.

For each checked file the directories from its own up to the root are searched; in each,
`whiteboard.toml` (top-level keys) comes before `pyproject.toml` (the `[tool.whiteboard]`
table; a pyproject without one is passed over). `--config FILE` names one file for the whole
run, `--isolated` uses none. Relative paths and patterns in a file are relative to the
directory it sits in. Command-line flags win over the file (see ``Settings.options_for``).

Strict on purpose (yamllint's habit): an unknown key or a bad value stops the run with one
message naming the file and the key, with a "did you mean" where one is close.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from whiteboard.errors import ConfigError
from whiteboard.rules.base import Severity

CONFIG_FILES = ("whiteboard.toml", "pyproject.toml")

# key -> (type shown in errors, example) : the README's table is written from this.
KEYS: dict[str, tuple[str, str]] = {
    "select": ("list of codes or prefixes", '["WB1", "WB7", "RAG"]'),
    "ignore": ("list of codes or prefixes", '["WB705", "WB9"]'),
    "severity": ("table: code or prefix = error / warning / info", '{ WB705 = "error", WB2 = "info" }'),
    "vocabulary": ("table: component kind = list of words", '{ online_store = ["Aerospike"] }'),
    "sla": ("latency string or number of ms", '"200ms"'),
    "problem": ("problem name", '"recsys"'),
    "problems": ("table: path glob = problem name", '{ "notes/rag/**" = "rag" }'),
    "exclude": ("list of gitignore-style patterns", '["drafts/", "*.draft.md"]'),
    "respect-gitignore": ("boolean", "true"),
    "templates": ("directory of extra problem specs", '"my-problems"'),
}

_CODE = re.compile(r"[A-Z]+[0-9]*")


def read_sla(value: str | float | int) -> float | None:
    """Milliseconds for '200ms', '0.5s', '150' (ms) or a number; None if it is not a latency."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value > 0 else None
    from whiteboard.latency import read_annotations

    text = value.strip()
    readable = [a for a in read_annotations(text if any(c.isalpha() for c in text) else text + "ms")
                if a.kind == "latency" and a.readable and a.value_ms is not None]
    return readable[0].value_ms if readable else None


def _known_codes() -> list[str]:
    from whiteboard.suppression import known_codes

    return known_codes()


@dataclass
class Config:
    """One configuration file's settings, validated."""

    path: Path
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    vocabulary: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sla_ms: float | None = None
    problem: str | None = None
    problems: tuple[tuple[str, str], ...] = ()
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    templates: str | None = None

    @property
    def root(self) -> Path:
        return self.path.parent

    @cached_property
    def _exclude_spec(self):
        return _spec(self.exclude) if self.exclude else None

    @cached_property
    def _problem_specs(self):
        return [(_spec([glob]), name) for glob, name in self.problems]

    def excludes(self, path: str | os.PathLike, is_dir: bool = False) -> bool:
        return self._exclude_spec is not None and _matches(self._exclude_spec, self.root, path, is_dir)

    def problem_for(self, path: str | os.PathLike) -> str | None:
        for spec, name in self._problem_specs:
            if _matches(spec, self.root, path, False):
                return name
        return self.problem


def _spec(patterns):
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(list(patterns))


def _relative(root: Path, path: str | os.PathLike) -> str | None:
    """*path* relative to *root* in posix form, or None when it is outside *root*."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        return None
    if relative == os.curdir or relative.startswith(os.pardir + os.sep) or relative == os.pardir:
        return None
    return relative.replace(os.sep, "/")


def _matches(spec, root: Path, path: str | os.PathLike, is_dir: bool) -> bool:
    relative = _relative(root, path)
    if relative is None:
        return False
    return bool(spec.match_file(relative + "/" if is_dir else relative))


class _Reader:
    """Validates one file's table; every complaint names the file and the key."""

    def __init__(self, path: Path, table: dict[str, Any], section: str) -> None:
        self.path = path
        self.table = table
        self.section = section

    def fail(self, key: str, problem: str) -> None:
        where = f"{self.section}.{key}" if self.section else key
        raise ConfigError(f"{where}: {problem}", path=str(self.path))

    def strings(self, key: str, check: Callable[[str], str | None] | None = None) -> tuple[str, ...] | None:
        value = self.table.get(key)
        if value is None:
            return None
        if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, f"expected a list of strings, such as {KEYS[key][1]}, got {value!r}")
        if check is not None:
            for item in value:
                problem = check(item)
                if problem:
                    self.fail(key, problem)
        return tuple(value)

    def codes(self, key: str) -> tuple[str, ...] | None:
        return self.strings(key, _check_code)

    def table_of(self, key: str) -> dict[str, Any]:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, such as {key} = {KEYS[key][1]}, got {value!r}")
        return value


def _check_code(code: str) -> str | None:
    upper = code.strip().upper()
    known = _known_codes()
    if not _CODE.fullmatch(upper):
        close = difflib.get_close_matches(upper, known, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        return f"{code!r} is not a rule code or prefix (such as WB705 or WB7){hint}"
    if not any(k.startswith(upper) for k in known):
        close = difflib.get_close_matches(upper, known, n=1)
        hint = f"; did you mean {close[0]}?" if close else " (see 'whiteboard rules')"
        return f"no rule code starts with {code!r}{hint}"
    return None


def _known_problem(reader: _Reader, key: str, name: Any, templates: str | None) -> str:
    from whiteboard.linter import known_problems

    if not isinstance(name, str):
        reader.fail(key, f"expected a problem name, got {name!r}")
    known = known_problems(templates)
    if name.lower() not in known:
        close = difflib.get_close_matches(name.lower(), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        reader.fail(key, f"unknown problem {name!r}{hint} (known: {', '.join(known)})")
    return name.lower()


def parse_config(path: Path, table: dict[str, Any], section: str) -> Config:
    """Validate *table* (the settings of the file at *path*) into a Config."""
    reader = _Reader(path, table, section)
    for key in table:
        if key not in KEYS:
            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            reader.fail(key, f"unknown key{hint} (known: {', '.join(KEYS)})")
    config = Config(path=path)
    select = reader.codes("select")
    config.select = tuple(c.upper() for c in select) if select is not None else None
    config.ignore = tuple(c.upper() for c in reader.codes("ignore") or ())
    for code, level in reader.table_of("severity").items():
        problem = _check_code(code)
        if problem:
            reader.fail(f"severity.{code}", problem)
        levels = [s.value for s in Severity]
        if not isinstance(level, str) or level.lower() not in levels:
            close = difflib.get_close_matches(str(level).lower(), levels, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            reader.fail(f"severity.{code}", f"expected one of {', '.join(levels)}, got {level!r}{hint}")
        config.severity[code.upper()] = Severity(level.lower())
    vocabulary = reader.table_of("vocabulary")
    if vocabulary:
        from whiteboard.vocabulary import load_vocabulary

        for kind, words in vocabulary.items():
            if isinstance(words, str) or not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                reader.fail(f"vocabulary.{kind}", f"expected a list of words, such as [\"Aerospike\"], got {words!r}")
        try:
            load_vocabulary(extra=vocabulary)
        except ConfigError as error:
            reader.fail("vocabulary", error.message.removeprefix("extra vocabulary: "))
        config.vocabulary = {kind: tuple(words) for kind, words in vocabulary.items()}
    if "templates" in table:
        templates = table["templates"]
        if not isinstance(templates, str):
            reader.fail("templates", f"expected a directory name, got {templates!r}")
        directory = (path.parent / templates).resolve()
        if not directory.is_dir():
            reader.fail("templates", f"{str(directory)!r} is not a directory")
        config.templates = str(directory)
    if "sla" in table:
        sla = table["sla"]
        config.sla_ms = read_sla(sla) if isinstance(sla, (str, int, float)) else None
        if config.sla_ms is None:
            reader.fail("sla", f"expected a latency such as \"200ms\", \"0.5s\" or 150 (ms), got {sla!r}")
    if "problem" in table:
        config.problem = _known_problem(reader, "problem", table["problem"], config.templates)
    config.problems = tuple((glob, _known_problem(reader, f'problems."{glob}"', name, config.templates))
                            for glob, name in reader.table_of("problems").items())
    config.exclude = reader.strings("exclude") or ()
    if "respect-gitignore" in table:
        if not isinstance(table["respect-gitignore"], bool):
            reader.fail("respect-gitignore", f"expected true or false, got {table['respect-gitignore']!r}")
        config.respect_gitignore = table["respect-gitignore"]
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read the configuration: {error.strerror or error}", path=str(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML: {error}", path=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("not valid TOML: the file is not UTF-8 text", path=str(path)) from None


def load_config(path: str | os.PathLike) -> Config:
    """The configuration in *path*: a pyproject.toml's [tool.whiteboard], or any other file's top level."""
    file = Path(path).absolute()
    data = _read_toml(file)
    if file.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("whiteboard", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError("[tool.whiteboard] must be a table", path=str(file))
        return parse_config(file, table, "[tool.whiteboard]")
    return parse_config(file, data, "")


def _has_section(path: Path) -> bool:
    data = _read_toml(path)
    tool = data.get("tool")
    return isinstance(tool, dict) and "whiteboard" in tool


@dataclass(frozen=True)
class Overrides:
    """What the command line said; None (or empty) means "not given", so the file decides."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    problem: str | None = None
    sla_ms: float | None = None
    strict: bool = False
    exclude: tuple[str, ...] = ()
    config: str | None = None
    isolated: bool = False
    respect_gitignore: bool | None = None
    templates: str | None = None


class Settings:
    """Configuration for a whole run: finds each file's config (cached per directory) and merges the flags."""

    def __init__(self, overrides: Overrides | None = None, cwd: str | os.PathLike | None = None) -> None:
        self.overrides = overrides or Overrides()
        self.cwd = Path(cwd or os.getcwd()).absolute()
        self._by_dir: dict[Path, Config | None] = {}
        self._options: dict[tuple[int, str | None], Any] = {}
        self.explicit = load_config(self.overrides.config) if self.overrides.config else None
        self._cli_exclude = _spec(self.overrides.exclude) if self.overrides.exclude else None

    def config_for(self, path: str | os.PathLike, *, is_dir: bool = False) -> Config | None:
        """The configuration that governs *path* (a file, or a directory when *is_dir*)."""
        if self.overrides.isolated:
            return None
        if self.explicit is not None:
            return self.explicit
        absolute = Path(os.path.abspath(path))
        return self._find(absolute if is_dir else absolute.parent)

    def _find(self, directory: Path) -> Config | None:
        if directory in self._by_dir:
            return self._by_dir[directory]
        found: Config | None = None
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_section(candidate)):
                found = load_config(candidate)
                break
        else:
            parent = directory.parent
            found = self._find(parent) if parent != directory else None
        self._by_dir[directory] = found
        return found

    def excluded(self, path: str | os.PathLike, is_dir: bool = False) -> bool:
        """Is *path* excluded by `--exclude` (relative to the working directory) or its config's `exclude`?"""
        if self._cli_exclude is not None and _matches(self._cli_exclude, self.cwd, path, is_dir):
            return True
        config = self.config_for(Path(path).parent if is_dir else path, is_dir=is_dir)
        return config is not None and config.excludes(path, is_dir)

    def respect_gitignore(self, directory: str | os.PathLike) -> bool:
        if self.overrides.respect_gitignore is not None:
            return self.overrides.respect_gitignore
        config = self.config_for(directory, is_dir=True)
        return config.respect_gitignore if config is not None else True

    def options_for(self, path: str | os.PathLike | None):
        """CheckOptions for one file (None: stdin, configured from the working directory).

        Flags win: `--select`, `--problem`, `--sla` replace the file's value; `--ignore`
        adds to the file's list, and a file `ignore` entry that a more specific `--select`
        names is dropped (`ignore = ["WB7"]` with `--select WB705` checks WB705). The file's
        `sla` and `problem` are defaults: a diagram's own `%% sla:` / requirements box and
        `%% problem:` come first.
        """
        from whiteboard.linter import CheckOptions

        config = self.config_for(path if path is not None else self.cwd / "-")
        glob_problem = config.problem_for(path) if config is not None and path is not None else (
            config.problem if config is not None else None)
        key = (id(config), glob_problem)
        if key in self._options:
            return self._options[key]
        cli = self.overrides
        select = cli.select if cli.select is not None else (config.select if config and config.select else ())
        file_ignore = config.ignore if config else ()
        if cli.select is not None:
            file_ignore = tuple(i for i in file_ignore if not any(s.startswith(i) for s in cli.select))
        options = CheckOptions(
            problem=cli.problem, sla_ms=cli.sla_ms,
            select=tuple(select), ignore=tuple(dict.fromkeys(file_ignore + cli.ignore)), strict=cli.strict,
        )
        if config is not None:
            options.default_sla_ms = config.sla_ms
            options.severity = dict(config.severity)
            options.vocabulary = dict(config.vocabulary)
            options.templates_dir = config.templates
            options.default_problem = glob_problem
            options.config_path = str(config.path)
        if cli.templates:
            options.templates_dir = cli.templates
        self._options[key] = options
        return options


def describe_keys() -> list[tuple[str, str, str]]:
    """(key, type, example) for every key: the README's table."""
    return [(key, kind, example) for key, (kind, example) in KEYS.items()]


__all__ = ["CONFIG_FILES", "Config", "KEYS", "Overrides", "Settings", "load_config", "parse_config", "read_sla"]
