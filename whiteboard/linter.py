"""Runs the check: text -> parse -> roles -> rules -> one result object. Never prints.

The result is what every reporter renders (text, json) and what `whiteboard.check()`
returns, so the API and the command line cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from whiteboard.errors import DiagramSyntaxError, WhiteboardError
from whiteboard.rules.base import Finding, Severity

_PROBLEM_COMMENT = re.compile(r"^problem\s*:\s*([\w-]+)\s*$", re.IGNORECASE)


@dataclass
class DiagramResult:
    line: int
    problem: str | None
    findings: list[Finding]
    coverage: dict[str, Any] = field(default_factory=dict)
    latency: dict[str, Any] = field(default_factory=lambda: {
        "sla_ms": None, "critical_path_ms": None, "critical_path": []})
    syntax_error: bool = False
    diagram: Any = None
    kinds: dict[str, frozenset[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "problem": self.problem,
                "findings": [f.to_dict() for f in self.findings],
                "coverage": self.coverage, "latency": self.latency}


@dataclass
class FileResult:
    path: str
    diagrams: list[DiagramResult]

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "diagrams": [d.to_dict() for d in self.diagrams]}


@dataclass
class CheckResult:
    files: list[FileResult]
    strict: bool = False

    @property
    def findings(self) -> list[tuple[str, Finding]]:
        return [(f.path, finding) for f in self.files for d in f.diagrams for finding in d.findings]

    def counts(self) -> dict[str, int]:
        counts = {severity.value: 0 for severity in Severity}
        for _, finding in self.findings:
            counts[finding.severity.value] += 1
        return counts

    @property
    def exit_code(self) -> int:
        if any(d.syntax_error for f in self.files for d in f.diagrams):
            return 2
        counts = self.counts()
        if counts["error"] or (self.strict and counts["warning"]):
            return 1
        return 0

    def summary(self) -> dict[str, Any]:
        return {"files": len(self.files), "diagrams": sum(len(f.diagrams) for f in self.files),
                **self.counts(), "exit_code": self.exit_code}

    def to_dict(self) -> dict[str, Any]:
        return {"files": [f.to_dict() for f in self.files], "summary": self.summary()}


@dataclass
class CheckOptions:
    problem: str | None = None
    sla_ms: float | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False


def _syntax_finding(error: DiagramSyntaxError) -> Finding:
    return Finding("WB001", Severity.ERROR, error.message, error.line, error.column)


# The canonical problems (the seed's problem table, plus the bare framework); each has a
# spec under templates/problems/ (whiteboard/problems.py). Users may add their own.
CANONICAL_PROBLEMS = ("framework", "recsys", "search", "moderation", "rag", "fraud", "perception")


def known_problems(templates: str | None = None) -> list[str]:
    from whiteboard.problems import list_problems

    return list_problems(templates)


def _problem_of(diagram, options: CheckOptions) -> tuple[str | None, list[Finding]]:
    if options.problem:
        return options.problem, []
    for comment in diagram.comments:
        match = _PROBLEM_COMMENT.match(comment.text)
        if match:
            name = match.group(1).lower()
            if name in known_problems(getattr(options, "templates_dir", None)):
                return name, []
            known = ", ".join(known_problems(getattr(options, "templates_dir", None)))
            return None, [Finding("WB002", Severity.WARNING,
                                  f"Unknown problem '{name}' in '%% problem:' (known: {known}); checking the "
                                  "7-stage framework only", comment.line, comment.column)]
    return None, []


def _with_problem_kinds(ctx, problem: str, templates: str | None):
    """The core kinds plus the problem's own (``chunking``, ``appeal``...) and their stages."""
    from whiteboard.problems import load_problem
    from whiteboard.rules.problems import problem_kinds

    spec = load_problem(problem, templates)
    own = problem_kinds(ctx, spec)
    merged = {node: ctx.kinds.get(node, frozenset()) | own.get(node, frozenset())
              for node in ctx.kinds.keys() | own.keys()}
    return merged, {kind.name: kind.stage for kind in spec.kinds}


def check_diagram_text(text: str, path: str = "<stdin>", options: CheckOptions | None = None) -> DiagramResult:
    """Check one flowchart's text."""
    from whiteboard.parser import parse_text
    from whiteboard.roles import assign_roles
    from whiteboard.rules import select
    from whiteboard.rules.base import RuleContext

    options = options or CheckOptions()
    try:
        diagram = parse_text(text, path)
    except DiagramSyntaxError as error:
        return DiagramResult(line=error.line, problem=options.problem, findings=[_syntax_finding(error)],
                             syntax_error=True)
    problem, notes = _problem_of(diagram, options)
    roles = assign_roles(diagram)
    kinds = {node_id: role.kinds for node_id, role in roles.items()}
    ctx = RuleContext(diagram=diagram, kinds=kinds, evidence={n: r.evidence for n, r in roles.items()},
                      problem=problem, sla_ms=options.sla_ms)
    templates = getattr(options, "templates_dir", None)
    rules = select(options.select, options.ignore, problem, templates)
    findings = list(notes)
    for rule in rules:
        findings.extend(rule.check(ctx))
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    from whiteboard.coverage import stage_coverage

    extra_stages: dict[str, str] = {}
    if problem:
        kinds, extra_stages = _with_problem_kinds(ctx, problem, templates)
    result = DiagramResult(line=diagram.start_line, problem=problem, findings=findings,
                           coverage=stage_coverage(kinds, [n.id for n in diagram.nodes], findings, rules,
                                                   extra_stages),
                           diagram=diagram, kinds=kinds)
    result.latency = ctx.latency.contract()
    return result


def check_paths(paths: Iterable[str], options: CheckOptions | None = None, *, read=None) -> CheckResult:
    """Check files ('-' is stdin via *read*); unreadable files become WB001-style errors."""
    from whiteboard.source import read as read_file

    options = options or CheckOptions()
    files = []
    for name in paths:
        try:
            text = read(name) if (read is not None and name == "-") else read_file(name)
        except DiagramSyntaxError as error:
            error.path = name
            files.append(FileResult(name, [DiagramResult(error.line, options.problem, [_syntax_finding(error)],
                                                         syntax_error=True)]))
            continue
        except WhiteboardError as error:
            files.append(FileResult(name, [DiagramResult(1, options.problem, [
                Finding("WB001", Severity.ERROR, error.message, 1, 1)], syntax_error=True)]))
            continue
        shown = "<stdin>" if name == "-" else name
        files.append(FileResult(shown, [check_diagram_text(text, shown, options)]))
    return CheckResult(files=files, strict=options.strict)


def check(text: str, *, problem: str | None = None, sla_ms: float | None = None) -> CheckResult:
    """Public API: check one diagram's text; the same result the command line reports."""
    options = CheckOptions(problem=problem, sla_ms=sla_ms)
    return CheckResult(files=[FileResult("<text>", [check_diagram_text(text, "<text>", options)])])
