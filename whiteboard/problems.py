"""Canonical problems as data: one spec per problem under templates/problems/.

A spec (``<name>.toml``) holds what the seed's problem table and DOMAIN.md §3 say about a
problem: its key challenges and must-discuss items, the serving pattern it expects, the
SLA and a per-hop budget, the component kinds only this problem has (with the words people
write for them), its rules (REC, SRCH, MOD, RAG, FRD, AV codes) and the skeleton diagram
(``<name>.mmd``). Users add a problem by dropping the same two files in a directory given
by ``--templates DIR`` or the config; a user spec with a shipped name replaces it.

Everything here is validated when loaded, with the file and key in the message, because a
typo in a spec would otherwise silently switch a rule off.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from whiteboard.errors import ConfigError

SEVERITIES = ("error", "warning", "info")
PATTERNS = ("batch", "online", "near-real-time", "streaming")
CHECK_TYPES = ("present", "order", "feeds_all", "reaches")

_TOP_KEYS = {"name", "title", "prefix", "summary", "key_challenges", "must_discuss", "serving_pattern", "sla",
             "sla_note", "budget", "waive", "kinds", "rules", "skeleton"}
_KIND_KEYS = {"stage", "label", "description", "words", "not_before", "not_after", "exclude"}
_RULE_KEYS = {"code", "name", "severity", "stage", "summary", "what", "why", "fails", "passes", "hint", "check"}
_CHECK_KEYS = {"type", "kinds", "steps", "sources", "into", "from", "to", "solid", "mentions"}
_BUDGET_KEYS = {"hop", "ms", "source"}
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_STAGE_MARK = re.compile(r"^\s*%%\s*stage\s*:\s*(\d)\b.*$")


@dataclass(frozen=True)
class ProblemKind:
    """A component kind only this problem has ("chunking", "appeal", "sensor_fusion")."""

    name: str
    stage: str
    label: str
    description: str
    words: tuple[str, ...]
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProblemCheck:
    """What a problem rule looks for on the graph; see rules/problems.py for each type."""

    type: str
    kinds: tuple[str, ...] = ()
    steps: tuple[tuple[str, ...], ...] = ()
    sources: tuple[tuple[str, ...], ...] = ()
    into: tuple[str, ...] = ()
    from_: tuple[str, ...] = ()
    to: tuple[str, ...] = ()
    solid: bool = False
    mentions: bool = False


@dataclass(frozen=True)
class ProblemRuleSpec:
    code: str
    name: str
    severity: str
    stage: str
    summary: str
    what: str
    why: str
    fails: str
    passes: str
    hint: str
    check: ProblemCheck


@dataclass(frozen=True)
class BudgetHop:
    hop: str
    ms: float
    source: str = ""


@dataclass(frozen=True, eq=False)
class Problem:
    """One canonical problem, as its spec file states it."""

    name: str
    title: str
    prefix: str
    summary: str
    key_challenges: tuple[str, ...]
    must_discuss: tuple[str, ...]
    serving_pattern: str
    sla_ms: float | None
    sla_note: str
    budget: tuple[BudgetHop, ...]
    waive: Mapping[str, str]
    kinds: tuple[ProblemKind, ...]
    rules: tuple[ProblemRuleSpec, ...]
    skeleton_text: str
    path: str
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def kind(self, name: str) -> ProblemKind | None:
        return next((k for k in self.kinds if k.name == name), None)

    def skeleton(self, stage: int | None = None, direction: str | None = None) -> str:
        """The skeleton as Mermaid text: whole, or as the board looks after *stage* (1-7)."""
        return render_skeleton(self.skeleton_text, stage=stage, direction=direction)


# -- the skeleton: Mermaid text with `%% stage: N` blocks ----------------------------------

_EDGE_LABEL = re.compile(r'\|("?)([^|"]*)\1\|')


def _drop_latency_labels(line: str) -> str:
    """Take the latencies out of edge labels: ``|"20ms"|`` goes, ``|"20ms: pass"|`` becomes ``|"pass"|``.

    What counts as a latency is the latency reader's call, so a skeleton and the check
    agree; labels that state no latency (``|deploy|``) are left as written.
    """
    from whiteboard.latency import read_annotations

    def without_latency(match: re.Match[str]) -> str:
        quote, text = match.group(1), match.group(2)
        spans = [(a.start, a.end) for a in read_annotations(text) if a.kind == "latency"]
        if not spans:
            return match.group(0)
        rest = "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in spans))
        rest = " ".join(rest.split()).strip(" :,;-")
        return f"|{quote}{rest}{quote}|" if rest else ""

    return _EDGE_LABEL.sub(without_latency, line)


def render_skeleton(text: str, *, stage: int | None = None, direction: str | None = None) -> str:
    """Cut the skeleton to the stages drawn so far and set its direction.

    Lines after a ``%% stage: N`` marker appear from stage N on. The seed's whiteboard
    strategy adds the latency annotations at stage 6 ("full system diagram with latency
    annotations"), so before that the latencies are taken out of the edge labels.
    The markers themselves stay out of the output.
    """
    if stage is not None and not 1 <= stage <= 7:
        raise ConfigError(f"--stage must be 1 to 7 (the 7 stages), got {stage}")
    lines_out = []
    current = 0
    for line in text.splitlines():
        mark = _STAGE_MARK.match(line)
        if mark:
            current = int(mark.group(1))
            continue
        if stage is not None and current > stage:
            continue
        if stage is not None and stage < 6:
            line = _drop_latency_labels(line)
        if direction and re.match(r"^\s*(flowchart|graph)\s+(TB|TD|BT|LR|RL)\s*$", line):
            line = re.sub(r"(TB|TD|BT|LR|RL)\s*$", direction.upper(), line)
        lines_out.append(line)
    return "\n".join(lines_out).rstrip() + "\n"


# -- loading -------------------------------------------------------------------------------

def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _keys(table: Mapping, allowed: set[str], where: str, path: str) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key {key!r}{_suggest(key, allowed)}", path=path)


def _string(table: Mapping, key: str, where: str, path: str, *, required: bool = True) -> str:
    value = table.get(key, "" if not required else None)
    if not isinstance(value, str) or (required and not value.strip()):
        raise ConfigError(f"{where}.{key}: expected a non-empty string, got {value!r}", path=path)
    return value.strip()


def _strings(table: Mapping, key: str, where: str, path: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}.{key}: expected a list of strings, got {value!r}", path=path)
    return tuple(value)


def _kinds_list(value: Any, where: str, known: set[str], path: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of kind names, got {value!r}", path=path)
    for kind in value:
        if kind not in known:
            raise ConfigError(f"{where}: unknown kind {kind!r}{_suggest(kind, known)}", path=path)
    return tuple(value)


def _groups(value: Any, where: str, known: set[str], path: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or len(value) < 2:
        raise ConfigError(f"{where}: expected a list of at least two kind groups, got {value!r}", path=path)
    return tuple(_kinds_list(group, f"{where}[{i}]", known, path) for i, group in enumerate(value))


def _check(table: Any, where: str, known: set[str], path: str) -> ProblemCheck:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table", path=path)
    _keys(table, _CHECK_KEYS, where, path)
    kind = table.get("type")
    if kind not in CHECK_TYPES:
        raise ConfigError(f"{where}.type: expected one of {', '.join(CHECK_TYPES)}, got {kind!r}"
                          f"{_suggest(kind, CHECK_TYPES)}", path=path)
    flags = {}
    for flag in ("solid", "mentions"):
        value = table.get(flag, False)
        if not isinstance(value, bool):
            raise ConfigError(f"{where}.{flag}: expected true or false", path=path)
        flags[flag] = value
    needs = {"present": ("kinds",), "order": ("steps",), "feeds_all": ("sources", "into"), "reaches": ("from", "to")}
    for key in needs[kind]:
        if key not in table:
            raise ConfigError(f"{where}: a {kind!r} check needs {key!r}", path=path)
    return ProblemCheck(
        type=kind,
        kinds=_kinds_list(table["kinds"], f"{where}.kinds", known, path) if "kinds" in table else (),
        steps=_groups(table["steps"], f"{where}.steps", known, path) if "steps" in table else (),
        sources=_groups(table["sources"], f"{where}.sources", known, path) if "sources" in table else (),
        into=_kinds_list(table["into"], f"{where}.into", known, path) if "into" in table else (),
        from_=_kinds_list(table["from"], f"{where}.from", known, path) if "from" in table else (),
        to=_kinds_list(table["to"], f"{where}.to", known, path) if "to" in table else (),
        **flags,
    )


def _load(path: Path) -> Problem:
    from whiteboard.vocabulary import KINDS, STAGES

    where_file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read the problem spec: {error.strerror or error}", path=where_file) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"not valid TOML: {error}", path=where_file) from None
    _keys(data, _TOP_KEYS, "problem spec", where_file)
    name = _string(data, "name", "problem spec", where_file)
    if name != path.stem or not _NAME.match(name):
        raise ConfigError(f"name {name!r} must be the file's own name ({path.stem!r}), lower case", path=where_file)
    prefix = _string(data, "prefix", "problem spec", where_file)
    if not re.fullmatch(r"[A-Z]{2,5}", prefix) or prefix == "WB":
        raise ConfigError(f"prefix {prefix!r}: expected 2-5 capital letters other than WB", path=where_file)
    pattern = data.get("serving_pattern", "online")
    if pattern not in PATTERNS:
        raise ConfigError(f"serving_pattern: expected one of {', '.join(PATTERNS)}, got {pattern!r}"
                          f"{_suggest(pattern, PATTERNS)}", path=where_file)
    sla_ms = None
    if "sla" in data:
        from whiteboard.latency import parse_duration_ms

        sla_ms = parse_duration_ms(str(data["sla"]))
        if sla_ms is None:
            raise ConfigError(f"sla: cannot read {data['sla']!r} as a duration such as '200ms' or '3s'",
                              path=where_file)

    kinds = []
    for kind_name, table in (data.get("kinds") or {}).items():
        where = f"[kinds.{kind_name}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: expected a table", path=where_file)
        _keys(table, _KIND_KEYS, where, where_file)
        if kind_name in KINDS or not _NAME.match(kind_name):
            raise ConfigError(f"{where}: a problem kind needs a new lower-case name (this one is taken or "
                              "malformed)", path=where_file)
        stage = table.get("stage")
        if stage not in STAGES:
            raise ConfigError(f"{where}.stage: expected one of {', '.join(STAGES)}, got {stage!r}"
                              f"{_suggest(stage, STAGES)}", path=where_file)
        words = _strings(table, "words", where, where_file)
        if not words:
            raise ConfigError(f"{where}.words: needs at least one word", path=where_file)
        kinds.append(ProblemKind(kind_name, stage, _string(table, "label", where, where_file),
                                 _string(table, "description", where, where_file), words,
                                 *(_strings(table, key, where, where_file)
                                   for key in ("not_before", "not_after", "exclude"))))
    known = set(KINDS) | {k.name for k in kinds}

    rules = []
    seen_codes = set()
    for index, table in enumerate(data.get("rules") or []):
        where = f"[[rules]] #{index + 1}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: expected a table", path=where_file)
        _keys(table, _RULE_KEYS, where, where_file)
        code = _string(table, "code", where, where_file)
        where = f"[[rules]] {code}"
        if not re.fullmatch(rf"{prefix}\d{{3}}", code):
            raise ConfigError(f"{where}: a code is the prefix {prefix} and three digits", path=where_file)
        if code in seen_codes:
            raise ConfigError(f"{where}: code used twice", path=where_file)
        seen_codes.add(code)
        severity = table.get("severity")
        if severity not in SEVERITIES:
            raise ConfigError(f"{where}.severity: expected one of {', '.join(SEVERITIES)}, got {severity!r}",
                              path=where_file)
        stage = table.get("stage")
        if stage not in STAGES:
            raise ConfigError(f"{where}.stage: expected one of {', '.join(STAGES)}, got {stage!r}"
                              f"{_suggest(stage, STAGES)}", path=where_file)
        rules.append(ProblemRuleSpec(
            code=code, name=_string(table, "name", where, where_file), severity=severity, stage=stage,
            summary=_string(table, "summary", where, where_file), what=_string(table, "what", where, where_file),
            why=_string(table, "why", where, where_file), fails=_string(table, "fails", where, where_file),
            passes=_string(table, "passes", where, where_file),
            hint=_string(table, "hint", where, where_file, required=False),
            check=_check(table.get("check"), f"{where}.check", known, where_file)))

    budget = []
    for index, table in enumerate(data.get("budget") or []):
        where = f"[[budget]] #{index + 1}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: expected a table", path=where_file)
        _keys(table, _BUDGET_KEYS, where, where_file)
        ms = table.get("ms")
        if not isinstance(ms, (int, float)) or isinstance(ms, bool) or ms < 0:
            raise ConfigError(f"{where}.ms: expected a number of milliseconds, got {ms!r}", path=where_file)
        budget.append(BudgetHop(_string(table, "hop", where, where_file), float(ms),
                                _string(table, "source", where, where_file, required=False)))

    waive = data.get("waive", {})
    if not isinstance(waive, dict) or not all(isinstance(v, str) and v.strip() for v in waive.values()):
        raise ConfigError("waive: expected a table of CODE = \"why this core rule does not apply\"", path=where_file)
    for code in waive:
        if not re.fullmatch(r"WB\d{3}", code):
            raise ConfigError(f"waive.{code}: only core WB codes can be waived", path=where_file)

    skeleton_path = path.with_name(str(data.get("skeleton", f"{name}.mmd")))
    try:
        skeleton_text = skeleton_path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read the skeleton {skeleton_path.name}: {error.strerror or error}",
                          path=where_file) from None
    return Problem(
        name=name, title=_string(data, "title", "problem spec", where_file), prefix=prefix,
        summary=_string(data, "summary", "problem spec", where_file),
        key_challenges=_strings(data, "key_challenges", "problem spec", where_file),
        must_discuss=_strings(data, "must_discuss", "problem spec", where_file),
        serving_pattern=pattern, sla_ms=sla_ms,
        sla_note=_string(data, "sla_note", "problem spec", where_file, required=False),
        budget=tuple(budget), waive=dict(waive), kinds=tuple(kinds), rules=tuple(rules),
        skeleton_text=skeleton_text, path=where_file)


def shipped_dir() -> Path:
    from whiteboard.resources import templates_dir

    return templates_dir() / "problems"


@lru_cache(maxsize=8)
def _spec_paths(extra_dir: str | None) -> dict[str, Path]:
    found = {spec.stem: spec for spec in sorted(shipped_dir().glob("*.toml"))}
    if extra_dir:
        directory = Path(extra_dir)
        if not directory.is_dir():
            raise ConfigError(f"templates directory {extra_dir}: not a directory (it should hold problem specs, "
                              "<name>.toml with <name>.mmd)")
        found.update({spec.stem: spec for spec in sorted(directory.glob("*.toml"))})
    return found


def list_problems(templates: str | Path | None = None) -> list[str]:
    """The problem names: the shipped ones, plus any in *templates* (which may replace one)."""
    return sorted(_spec_paths(str(templates) if templates else None))


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int) -> Problem:
    return _load(Path(path))


def load_problem(name: str, templates: str | Path | None = None) -> Problem:
    """The named problem's spec; ConfigError with the known names when there is none."""
    paths = _spec_paths(str(templates) if templates else None)
    path = paths.get(name.lower())
    if path is None:
        raise ConfigError(f"unknown problem {name!r}{_suggest(name.lower(), paths)} "
                          f"(known: {', '.join(sorted(paths))})")
    return _load_cached(str(path), path.stat().st_mtime_ns)


__all__ = ["Problem", "ProblemKind", "ProblemRuleSpec", "ProblemCheck", "BudgetHop", "list_problems",
           "load_problem", "render_skeleton"]
