"""`%% wb:` directives: silencing a finding where the design means it, and saying so.

A directive is a Mermaid comment line (mermaid drops it, so the diagram still renders):

    %% wb: disable=WB705                  the whole diagram: no WB705 findings
    %% wb: disable=WB7,WB801              several codes; a prefix (WB7) covers its codes
    %% wb: disable                        every code, the whole diagram
    %% wb: disable-next-line=WB801        findings on the next line that is not a comment
    %% wb: disable=WB705 -- drill: no rollout asked     text after `--` is the reason

A directive that cannot be read is WB004 (with the expected form); one that silences
nothing that ran is WB005, so stale directives do not pile up (ruff's RUF100 idea).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Iterable

from whiteboard.rules.base import Finding, Severity

ACTIONS = ("disable", "disable-next-line")
EXPECTED = ("expected '%% wb: disable=CODE[,CODE...]' (the whole diagram) or "
            "'%% wb: disable-next-line=CODE[,CODE...]' (the next line); codes or prefixes such as "
            "WB705 or WB7, none for every code")
MALFORMED = "WB004"
UNUSED = "WB005"

_CANDIDATE = re.compile(r"wb(?:\s*:|\s+(?:disable|enable|ignore))", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]*")


@dataclass
class Directive:
    """One readable `%% wb:` comment."""

    action: str
    codes: tuple[str, ...]  # () = every code
    line: int
    column: int
    source: str
    target: int | None = None  # for disable-next-line: the line it applies to
    used: set[str] = field(default_factory=set)  # the codes (or "*") that silenced something

    def covers(self, finding: Finding) -> str | None:
        """The directive code (or "*") that silences *finding*, or None."""
        if self.action == "disable-next-line" and finding.line != self.target:
            return None
        if not self.codes:
            return "*"
        for code in self.codes:
            if finding.code.startswith(code):
                return code
        return None


def known_codes(extra: Iterable[str] = ()) -> list[str]:
    """Every rule code there is: the core rules, every problem's own, and *extra*."""
    from whiteboard.rules import RULES

    codes = set(RULES) | set(extra)
    try:
        from whiteboard.problems import list_problems
        from whiteboard.rules import problem_rules
    except ImportError:  # pragma: no cover - a checkout without the problems work
        return sorted(codes)
    for name in list_problems():
        codes.update(rule.code for rule in problem_rules(name))
    return sorted(codes)


def _next_line(lines: list[str], line: int) -> int | None:
    """The first line after *line* (1-based) that is neither blank nor a `%%` comment."""
    for index in range(line, len(lines)):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("%%"):
            return index + 1
    return None


def _malformed(comment, problem: str) -> Finding:
    return Finding(MALFORMED, Severity.WARNING,
                   f"Unreadable directive '%% {comment.text}': {problem}; {EXPECTED}",
                   comment.line, comment.column)


def read_directives(comments: Iterable, text: str, known_codes: Iterable[str] = ()
                    ) -> tuple[list[Directive], list[Finding]]:
    """The directives among a diagram's comments, and a WB004 finding for each bad one.

    *known_codes*: every rule code there is; a code or prefix that names none of them is
    reported (a typo such as WB7O5 would otherwise silence nothing, silently).
    """
    known = tuple(known_codes)
    lines = text.splitlines()
    directives: list[Directive] = []
    problems: list[Finding] = []
    for comment in comments:
        body = comment.text.strip()
        if not _CANDIDATE.match(body):
            continue
        rest = body[2:].lstrip()
        if not rest.startswith(":"):
            problems.append(_malformed(comment, "the ':' after 'wb' is missing"))
            continue
        rest = rest[1:].split("--", 1)[0].strip()
        action, equals, codes_text = rest.partition("=")
        action = action.strip().lower()
        if not action:
            problems.append(_malformed(comment, "no action"))
            continue
        if action not in ACTIONS:
            words = action.split()
            if len(words) > 1 and words[0] in ACTIONS:
                problems.append(_malformed(comment, f"write '{words[0]}={','.join(words[1:]).upper()}' "
                                                    "(an '=' before the codes)"))
                continue
            close = difflib.get_close_matches(action, ACTIONS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(_malformed(comment, f"unknown action '{action}'{hint}"))
            continue
        codes: list[str] = []
        if equals:
            raw_codes = [c.strip() for c in codes_text.replace(" ", ",").split(",") if c.strip()]
            if not raw_codes:
                problems.append(_malformed(comment, f"no codes after '{action}='"))
                continue
            bad = [c for c in raw_codes if not _CODE.fullmatch(c.upper())]
            if bad:
                close = difflib.get_close_matches(bad[0].upper(), known, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                problems.append(_malformed(comment, f"'{bad[0]}' is not a rule code or prefix{hint}"))
                continue
            for code in (c.upper() for c in raw_codes):
                if known and not any(k.startswith(code) for k in known):
                    close = difflib.get_close_matches(code, known, n=1)
                    hint = f" (did you mean {close[0]}?)" if close else " (see 'whiteboard rules')"
                    problems.append(Finding(MALFORMED, Severity.WARNING,
                                            f"Directive '%% {comment.text}' names {code}, which is no rule "
                                            f"code{hint}", comment.line, comment.column))
                    continue
                codes.append(code)
            if not codes:
                continue
        directive = Directive(action, tuple(codes), comment.line, comment.column, comment.text)
        if action == "disable-next-line":
            directive.target = _next_line(lines, comment.line)
        directives.append(directive)
    return directives, problems


def apply(findings: Iterable[Finding], directives: list[Directive],
          ran: Iterable[str]) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(kept, silenced, notes): *notes* are the WB005 findings for directives that silenced nothing.

    *ran*: the codes of the rules that ran; a directive about a rule that did not run
    (`--select WB3` with a `disable=WB705`) is not called unused.
    """
    kept: list[Finding] = []
    silenced: list[Finding] = []
    for finding in findings:
        hit = False
        for directive in directives:
            code = directive.covers(finding)
            if code is not None:
                directive.used.add(code)
                hit = True
        (silenced if hit else kept).append(finding)
    ran_codes = tuple(ran)
    notes: list[Finding] = []
    for directive in directives:
        if directive.codes:
            unused = [c for c in directive.codes if c not in directive.used
                      and any(r.startswith(c) for r in ran_codes)]
        else:
            unused = [] if directive.used else ["*"]
        if not unused:
            continue
        if directive.action == "disable-next-line" and directive.target is None:
            why = "there is no line after it"
        elif unused == ["*"]:
            why = "no finding " + ("on the next line" if directive.action == "disable-next-line" else "here")
        else:
            where = f"on line {directive.target}" if directive.action == "disable-next-line" else "here"
            why = f"{', '.join(unused)} found nothing {where}"
        notes.append(Finding(UNUSED, Severity.INFO, f"Unused directive '%% {directive.source}': {why}; "
                                                    "remove it (or the codes that no longer fire)",
                             directive.line, directive.column))
    # WB005 itself obeys a whole-diagram `disable=WB005`.
    notes, quiet = silence_notes(notes, directives)
    return kept, silenced + quiet, notes


def silence_notes(notes: Iterable[Finding], directives: list[Directive]) -> tuple[list[Finding], list[Finding]]:
    """(kept, silenced) for tool notes such as WB004: only whole-diagram directives apply."""
    kept, silenced = [], []
    for note in notes:
        (silenced if any(d.action == "disable" and d.covers(note) for d in directives) else kept).append(note)
    return kept, silenced


__all__ = ["ACTIONS", "Directive", "EXPECTED", "apply", "known_codes", "read_directives", "silence_notes"]
