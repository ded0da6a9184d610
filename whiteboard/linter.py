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
    suppressed: list[Finding] = field(default_factory=list)  # silenced by '%% wb:' directives
    skipped: str | None = None  # a Markdown fence of another diagram type ('sequenceDiagram')
    signals: list[dict[str, Any]] = field(default_factory=list)  # the five staff signals (rules/signals.py)

    def to_dict(self) -> dict[str, Any]:
        data = {"line": self.line, "problem": self.problem,
                "findings": [f.to_dict() for f in self.findings],
                "coverage": self.coverage, "latency": self.latency, "signals": self.signals}
        if self.skipped is not None:
            data["skipped"] = self.skipped
        return data


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
                **self.counts(), "exit_code": self.exit_code,
                "suppressed": sum(len(d.suppressed) for f in self.files for d in f.diagrams)}

    def to_dict(self) -> dict[str, Any]:
        return {"files": [f.to_dict() for f in self.files], "summary": self.summary()}


@dataclass
class CheckOptions:
    problem: str | None = None
    sla_ms: float | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    # From the configuration (whiteboard/config.py); the defaults mean "no config file".
    severity: dict[str, Severity] = field(default_factory=dict)  # code or prefix -> severity
    vocabulary: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> extra words
    templates_dir: str | None = None  # a directory of extra problem specs
    default_problem: str | None = None  # when neither --problem nor '%% problem:' names one
    default_sla_ms: float | None = None  # when neither --sla nor the diagram states an SLA
    config_path: str | None = None


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
    return getattr(options, "default_problem", None), []


def _with_problem_kinds(ctx, problem: str, templates: str | None):
    """The core kinds plus the problem's own (``chunking``, ``appeal``...) and their stages."""
    from whiteboard.problems import load_problem
    from whiteboard.rules.problems import problem_kinds

    spec = load_problem(problem, templates)
    own = problem_kinds(ctx, spec)
    merged = {node: ctx.kinds.get(node, frozenset()) | own.get(node, frozenset())
              for node in ctx.kinds.keys() | own.keys()}
    return merged, {kind.name: kind.stage for kind in spec.kinds}


# Input errors: never filtered by --select/--ignore, never downgraded (they drive exit 2).
_INPUT_ERRORS = ("WB001", "WB006")
_OTHER_TYPE = re.compile(r"this is a Mermaid (.+?) \('([^']+)'\)")


def _selected(code: str, options: CheckOptions) -> bool:
    if code in _INPUT_ERRORS:
        return True
    if options.select and not code.startswith(tuple(options.select)):
        return False
    return not (options.ignore and code.startswith(tuple(options.ignore)))


def _with_severity(findings: list[Finding], options: CheckOptions) -> list[Finding]:
    """The configured severity overrides; the longest matching code or prefix wins."""
    if not options.severity:
        return findings
    from dataclasses import replace

    changed = []
    for finding in findings:
        best = max((key for key in options.severity if finding.code.startswith(key)), key=len, default=None)
        if best is not None and finding.code not in _INPUT_ERRORS:
            finding = replace(finding, severity=options.severity[best])
        changed.append(finding)
    return changed


def _vocabulary(options: CheckOptions):
    """The vocabulary with the configuration's extra words, or None for the shipped one."""
    if not options.vocabulary:
        return None
    from whiteboard.vocabulary import load_vocabulary

    return load_vocabulary(extra={kind: list(words) for kind, words in options.vocabulary.items()})


def _suppress(findings: list[Finding], diagram, text: str, options: CheckOptions,
              rules) -> tuple[list[Finding], list[Finding]]:
    """(findings, silenced): '%% wb:' directives applied, tool notes selected, severities set."""
    silenced: list[Finding] = []
    if any(comment.text.lstrip()[:2].lower() == "wb" for comment in diagram.comments):
        from whiteboard import suppression

        ran = [rule.code for rule in rules]
        directives, problems = suppression.read_directives(diagram.comments, text, suppression.known_codes(ran))
        findings, silenced, unused = suppression.apply(findings, directives, ran)
        problems, quiet = suppression.silence_notes(problems, directives)
        findings = findings + problems + unused
        silenced = silenced + quiet
    return _with_severity([f for f in findings if _selected(f.code, options)], options), silenced


def _sla_of(diagram, kinds, options: CheckOptions) -> float | None:
    """--sla, else (when the diagram states none) the configuration's default SLA."""
    if options.sla_ms is not None or getattr(options, "default_sla_ms", None) is None:
        return options.sla_ms
    from whiteboard.latency import find_sla

    stated = find_sla(diagram, [node for node, node_kinds in kinds.items() if "requirements" in node_kinds])
    return options.default_sla_ms if stated is None else None


def _skipped(error: DiagramSyntaxError, options: CheckOptions) -> DiagramResult:
    """A fence of another diagram type: a WB003 note, not an error."""
    match = _OTHER_TYPE.match(error.message)
    name, keyword = (match.group(1), match.group(2)) if match else ("diagram", error.found or "?")
    note = Finding("WB003", Severity.INFO, f"Skipped a Mermaid {name} ('{keyword}'): whiteboard checks "
                                           "flowcharts only", error.line, error.column)
    return DiagramResult(line=error.line, problem=None, skipped=keyword,
                         findings=_with_severity([note] if _selected("WB003", options) else [], options))


def check_diagram_text(text: str, path: str = "<stdin>", options: CheckOptions | None = None, *,
                       skip_other_types: bool = False) -> DiagramResult:
    """Check one flowchart's text.

    *skip_other_types*: another Mermaid diagram type (a Markdown fence holding a
    sequenceDiagram) is a WB003 note instead of a WB001 error.
    """
    from whiteboard.parser import parse_text
    from whiteboard.roles import assign_roles
    from whiteboard.rules import select
    from whiteboard.rules.base import RuleContext

    options = options or CheckOptions()
    try:
        diagram = parse_text(text, path)
    except DiagramSyntaxError as error:
        if skip_other_types and error.kind == "other-diagram":
            return _skipped(error, options)
        return DiagramResult(line=error.line, problem=options.problem, findings=[_syntax_finding(error)],
                             syntax_error=True)
    problem, notes = _problem_of(diagram, options)
    vocabulary = _vocabulary(options)
    roles = assign_roles(diagram, vocabulary)
    kinds = {node_id: role.kinds for node_id, role in roles.items()}
    ctx = RuleContext(diagram=diagram, kinds=kinds, evidence={n: r.evidence for n, r in roles.items()},
                      problem=problem, sla_ms=_sla_of(diagram, kinds, options), vocabulary=vocabulary)
    templates = getattr(options, "templates_dir", None)
    rules = select(options.select, options.ignore, problem, templates)
    findings = list(notes)
    for rule in rules:
        findings.extend(rule.check(ctx))
    findings, suppressed = _suppress(findings, diagram, text, options, rules)
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    from whiteboard.coverage import stage_coverage

    extra_stages: dict[str, str] = {}
    if problem:
        kinds, extra_stages = _with_problem_kinds(ctx, problem, templates)
    result = DiagramResult(line=diagram.start_line, problem=problem, findings=findings,
                           coverage=stage_coverage(kinds, [n.id for n in diagram.nodes], findings, rules,
                                                   extra_stages),
                           diagram=diagram, kinds=kinds, suppressed=suppressed)
    result.latency = ctx.latency.contract()
    from whiteboard.rules.signals import staff_signals

    result.signals = staff_signals(ctx)
    return result


def _moved(result: DiagramResult, block) -> DiagramResult:
    """A fence's result with every position moved from the fence's text into the Markdown file."""
    from dataclasses import replace

    def move(finding: Finding) -> Finding:
        line, column = block.to_file(finding.line, finding.column)
        return replace(finding, line=line, column=column)

    result.findings = [move(f) for f in result.findings]
    result.suppressed = [move(f) for f in result.suppressed]
    result.line = block.to_file(result.line, 1)[0]
    if result.diagram is not None:  # the model too, for whoever draws the findings on it
        block.move_diagram(result.diagram)
    return result


def _unterminated(block, total_lines: int) -> DiagramResult:
    where = ("the end of the file" if block.end_line >= total_lines
             else f"line {block.end_line + 1}, where its list item or block quote ends")
    message = (f"Unterminated {block.fence}mermaid fence: nothing closes it before {where}; add a line "
               f"'{block.fence}' after the diagram (the diagram was not checked)")
    return DiagramResult(line=block.fence_line, problem=None, syntax_error=True,
                         findings=[Finding("WB006", Severity.ERROR, message, block.fence_line, block.fence_column)])


def check_markdown_text(text: str, path: str = "<stdin>", options: CheckOptions | None = None) -> list[DiagramResult]:
    """Check every ```mermaid fence of a Markdown document; positions point into the document."""
    from whiteboard.markdown import mermaid_blocks, split_lines

    options = options or CheckOptions()
    results = []
    blocks = mermaid_blocks(text)
    total = len(split_lines(text)) if blocks else 0
    for block in blocks:
        if not block.closed:
            results.append(_unterminated(block, total))
            continue
        results.append(_moved(check_diagram_text(block.text, path, options, skip_other_types=True), block))
    return results


def _input_error(path: str, message: str, line: int = 1, column: int = 1,
                 problem: str | None = None) -> FileResult:
    return FileResult(path, [DiagramResult(line, problem, [Finding("WB001", Severity.ERROR, message, line, column)],
                                           syntax_error=True)])


def check_targets(targets, options: CheckOptions | None = None, *, settings=None, read=None,
                  stdin_name: str | None = None, on_file=None) -> CheckResult:
    """Check collected targets (whiteboard.files.collect). *options* for every file, or else
    each file's own from *settings* (its nearest configuration and the flags).

    *read* gives stdin's text; *stdin_name* is the path stdin stands for (its suffix says
    Markdown or not, its directory finds the configuration); *on_file(path)* is called as
    each file is done (a progress bar).
    """
    from whiteboard.markdown import is_markdown
    from whiteboard.source import read as read_file

    files = []
    for target in targets:
        stdin = target.path == "-"
        shown = (stdin_name or "<stdin>") if stdin else target.path
        file_options = options if options is not None else (
            settings.options_for(stdin_name if stdin else target.path) if settings is not None else CheckOptions())
        if target.error is not None:
            files.append(_input_error(shown, target.error, problem=file_options.problem))
        else:
            try:
                text = read("-") if (stdin and read is not None) else read_file(target.path)
            except DiagramSyntaxError as error:
                error.path = shown
                files.append(_input_error(shown, error.message, error.line, error.column, file_options.problem))
            except WhiteboardError as error:
                files.append(_input_error(shown, error.message, problem=file_options.problem))
            else:
                markdown = is_markdown(stdin_name) if (stdin and stdin_name) else target.markdown
                diagrams = (check_markdown_text(text, shown, file_options) if markdown
                            else [check_diagram_text(text, shown, file_options)])
                files.append(FileResult(shown, diagrams))
        if on_file is not None:
            on_file(shown)
    strict = options.strict if options is not None else bool(settings and settings.overrides.strict)
    return CheckResult(files=files, strict=strict)


def check_paths(paths: Iterable[str], options: CheckOptions | None = None, *, read=None, settings=None,
                stdin_name: str | None = None, on_file=None) -> CheckResult:
    """Check files, Markdown files and directories ('-' is stdin via *read*).

    Unreadable files, bad encodings, symlink loops and unterminated fences become
    WB001/WB006 errors of their file and the run goes on. Without *settings* no
    configuration file is read and *options* hold for every file.
    """
    from whiteboard.config import Overrides, Settings
    from whiteboard.files import collect

    if settings is None:
        settings = Settings(Overrides(isolated=True, strict=bool(options and options.strict)))
    return check_targets(collect(paths, settings), options, settings=settings, read=read,
                         stdin_name=stdin_name, on_file=on_file)


def check(text: str, *, problem: str | None = None, sla_ms: float | None = None) -> CheckResult:
    """Public API: check one diagram's text; the same result the command line reports."""
    options = CheckOptions(problem=problem, sla_ms=sla_ms)
    return CheckResult(files=[FileResult("<text>", [check_diagram_text(text, "<text>", options)])])
