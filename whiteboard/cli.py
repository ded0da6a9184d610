"""The `whiteboard` command. The only module that prints or exits.

Exit codes (ruff/flake8 habit): 0 clean, 1 findings of error severity, 2 usage, input or
parse errors. Every error is one message on stderr, never a traceback.
"""

from __future__ import annotations

import enum
import json
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from whiteboard import __version__

app = typer.Typer(
    name="whiteboard",
    help="Check, generate and render Mermaid ML system design diagrams.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    ERROR = 2


class ParseFormat(str, enum.Enum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"whiteboard {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Check, generate and render Mermaid ML system design diagrams."""


def _read_input(name: str) -> tuple[str, str]:
    """(shown path, text) for a file name or '-' (stdin)."""
    from whiteboard.source import decode, read

    if name == "-":
        return "<stdin>", decode(sys.stdin.buffer.read(), "<stdin>")
    return name, read(name)


def _render_text(diagram) -> str:
    lines = [f"flowchart {diagram.direction}: {len(diagram.nodes)} nodes, "
             f"{len(diagram.edges)} edges, {len(diagram.subgraphs)} subgraphs"]
    for node in diagram.nodes:
        shape = f" ({node.shape})" if node.shape else ""
        label = f" {json.dumps(node.text, ensure_ascii=False)}" if node.text != node.id else ""
        lines.append(f"  node {node.id}{shape}{label}  [{node.line}:{node.column}]")
    for edge in diagram.edges:
        label = f" {json.dumps(edge.text, ensure_ascii=False)}" if edge.label else ""
        lines.append(f"  edge {edge.source} -> {edge.target} {edge.type}/{edge.stroke}"
                     f"{label}  [{edge.line}:{edge.column}]")
    for subgraph in diagram.subgraphs:
        lines.append(f"  subgraph {subgraph.id} {json.dumps(subgraph.text, ensure_ascii=False)}: "
                     f"{', '.join(subgraph.nodes) or '(empty)'}")
    return "\n".join(lines)


@app.command()
def parse(
    files: List[str] = typer.Argument(..., metavar="FILE...", help="Mermaid files, or - for stdin."),
    output_format: ParseFormat = typer.Option(
        None, "--format", "-f", help="json (one file), jsonl (one line per file) or text. "
        "Default: json for one file, jsonl for several.",
    ),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically)."),
) -> None:
    """Print how mermaid-js reads each flowchart (Contract 1: nodes, edges, subgraphs)."""
    from whiteboard.errors import DiagramSyntaxError, WhiteboardError
    from whiteboard.parser import parse_text

    if output_format is None:
        output_format = ParseFormat.json if len(files) == 1 else ParseFormat.jsonl
    if output_format is ParseFormat.json and len(files) > 1:
        _fail("--format json prints one object for one file; use --format jsonl for several files")
    chunks: list[str] = []
    failed = False
    for name in files:
        shown = "<stdin>" if name == "-" else name
        try:
            shown, text = _read_input(name)
            diagram = parse_text(text, shown)
        except WhiteboardError as error:
            failed = True
            typer.echo(str(error), err=True)
            if output_format is ParseFormat.jsonl:
                line = getattr(error, "line", None) if isinstance(error, DiagramSyntaxError) else None
                column = getattr(error, "column", None) if isinstance(error, DiagramSyntaxError) else None
                chunks.append(json.dumps({"path": shown, "error": {
                    "line": line, "column": column, "message": error.message}}, ensure_ascii=False))
            continue
        if output_format is ParseFormat.json:
            chunks.append(json.dumps(diagram.contract(), indent=2, ensure_ascii=False))
        elif output_format is ParseFormat.jsonl:
            chunks.append(json.dumps({"path": shown, **diagram.contract()}, ensure_ascii=False))
        else:
            chunks.append((f"{shown}: " if len(files) > 1 else "") + _render_text(diagram))
    if chunks:
        _emit("\n".join(chunks) + "\n", output)
    raise typer.Exit(ExitCode.ERROR if failed else ExitCode.OK)


class CheckFormat(str, enum.Enum):
    text = "text"
    json = "json"


def _parse_sla(value: Optional[str]) -> Optional[float]:
    if value is None:
        return None
    from whiteboard.latency import read_annotations

    readable = [a for a in read_annotations(value if any(c.isalpha() for c in value) else value + "ms")
                if a.kind == "latency" and a.readable and a.value_ms is not None]
    if not readable:
        _fail(f"--sla {value!r}: expected a latency such as 200ms, 0.5s or 150")
    return readable[0].value_ms


@app.command()
def check(
    files: List[str] = typer.Argument(..., metavar="FILE...", help="Mermaid files, or - for stdin."),
    output_format: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="text or json (Contract 2)."),
    problem: Optional[str] = typer.Option(None, "--problem", "-p", help="Add this problem's rules."),
    sla: Optional[str] = typer.Option(None, "--sla", help="The latency SLA, e.g. 200ms (wins over the diagram's)."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only codes with this prefix (repeatable)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip codes with this prefix (repeatable)."),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail too (exit 1)."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even with findings (not on parse errors)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically)."),
) -> None:
    """Check ML system design diagrams against the 7-stage framework."""
    from whiteboard.linter import CheckOptions, check_paths, known_problems
    from whiteboard.reporters import REPORTERS
    from whiteboard.source import decode

    if problem is not None and problem.lower() not in known_problems():
        import difflib

        close = difflib.get_close_matches(problem.lower(), known_problems(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        _fail(f"--problem {problem!r}: unknown problem{hint} (known: {', '.join(known_problems())})")
    options = CheckOptions(problem=problem.lower() if problem else None, sla_ms=_parse_sla(sla),
                           select=tuple(c.upper() for c in select or ()),
                           ignore=tuple(c.upper() for c in ignore or ()), strict=strict)
    result = check_paths(files, options, read=lambda _: decode(sys.stdin.buffer.read(), "<stdin>"))
    color = output is None and output_format is CheckFormat.text and sys.stdout.isatty() \
        and not os.environ.get("NO_COLOR")
    _emit(REPORTERS[output_format.value](result, color=color), output)
    code = result.exit_code
    if exit_zero and code == ExitCode.FINDINGS:
        code = ExitCode.OK
    raise typer.Exit(code)


@app.command()
def rules(
    problem: Optional[str] = typer.Option(None, "--problem", "-p",
                                          help="Only this problem's rules ('all': every problem's)."),
) -> None:
    """List every rule: code, severity, stage and summary (core rules, then each problem's)."""
    from whiteboard.errors import ConfigError
    from whiteboard.problems import list_problems
    from whiteboard.rules import RULES, problem_rules

    try:
        if problem is None:
            chosen = list(RULES.values()) + [r for name in list_problems() for r in problem_rules(name)]
        else:
            names = list_problems() if problem.lower() == "all" else [problem.lower()]
            chosen = [r for name in names for r in problem_rules(name)]
    except ConfigError as error:
        _fail(str(error))
    for rule in chosen:
        typer.echo(f"{rule.code:7s} {rule.severity.value:7s}  {rule.stage:12s}  {rule.name:32s}  {rule.summary()}")


class NewFormat(str, enum.Enum):
    mermaid = "mermaid"
    markdown = "markdown"


@app.command()
def problems() -> None:
    """List the canonical problems with their key challenges and SLA."""
    from whiteboard.problems import list_problems, load_problem

    for name in list_problems():
        spec = load_problem(name)
        sla = f"SLA {spec.sla_ms:g} ms" if spec.sla_ms is not None else "no request SLA"
        rules_text = f"{len(spec.rules)} {spec.prefix} rules" if spec.rules else "core rules only"
        typer.echo(f"{name:11s} {spec.title} ({sla}, {spec.serving_pattern}, {rules_text})")
        if spec.key_challenges:
            typer.echo(f"{'':11s} key challenges: {', '.join(spec.key_challenges)}")


@app.command()
def new(
    problem: str = typer.Argument(..., help="A problem name (see 'whiteboard problems')."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically)."),
    direction: Optional[str] = typer.Option(None, "--direction", "-d", help="LR or TD (also TB, BT, RL)."),
    stage: Optional[int] = typer.Option(None, "--stage", "-s", min=1, max=7,
                                        help="The board as it looks after stage N (1-7) of the 45-minute plan."),
    output_format: NewFormat = typer.Option(NewFormat.mermaid, "--format", "-f", help="mermaid or markdown."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="A directory of extra problem specs."),
) -> None:
    """Write a starter skeleton for a problem: sound, annotated, and clean under its own check."""
    from whiteboard.errors import ConfigError
    from whiteboard.problems import load_problem
    from whiteboard.skeleton import as_markdown

    if direction is not None and direction.upper() not in ("LR", "TD", "TB", "BT", "RL"):
        _fail(f"--direction {direction!r}: expected LR, TD, TB, BT or RL")
    try:
        spec = load_problem(problem, str(templates) if templates else None)
        text = spec.skeleton(stage=stage, direction=direction)
    except ConfigError as error:
        _fail(str(error))
    if output_format is NewFormat.markdown:
        text = as_markdown(spec, text, stage)
    _emit(text, output)


@app.command()
def explain(code: str = typer.Argument(..., help="A rule code such as WB703.")) -> None:
    """Print a rule's documentation: what it checks, why it matters, examples."""
    from whiteboard.rules import RULES, rule_for

    rule = rule_for(code)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(code.upper(), list(RULES), n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; see 'whiteboard rules'"
        _fail(f"unknown rule code {code!r}{hint}")
    typer.echo(f"{rule.code} ({rule.name}, {rule.severity.value}, stage: {rule.stage})\n")
    typer.echo(rule.doc())


@app.command()
def kinds() -> None:
    """List the component kinds, their stage, and the words that recognise them."""
    from whiteboard.vocabulary import load_vocabulary

    for kind in load_vocabulary().kinds:
        words = ", ".join(kind.words[:12]) + (" ..." if len(kind.words) > 12 else "")
        typer.echo(f"{kind.name:18s} {kind.stage:12s} {kind.description}\n{'':31s}{words}")


@app.command("explain-node")
def explain_node(
    file: str = typer.Argument(..., help="A Mermaid file, or - for stdin."),
    node: str = typer.Argument(..., help="The node id."),
) -> None:
    """Show why a node got its component kinds (class, subgraph title or words)."""
    from whiteboard.errors import WhiteboardError
    from whiteboard.parser import parse_text
    from whiteboard.roles import explain_node as explain

    try:
        shown, text = _read_input(file)
        diagram = parse_text(text, shown)
    except WhiteboardError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(ExitCode.ERROR)
    if diagram.node(node) is None:
        import difflib

        close = difflib.get_close_matches(node, [n.id for n in diagram.nodes], n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        _fail(f"{shown}: no node {node!r}{hint}")
    typer.echo(explain(diagram, node))


def _emit(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from whiteboard.atomic import write_text_atomic

    try:
        write_text_atomic(output, text)
    except OSError as error:
        _fail(f"{output}: cannot write: {error.strerror or error}")


def _fail(message: str) -> None:
    typer.echo(f"whiteboard: error: {message}", err=True)
    raise typer.Exit(ExitCode.ERROR)


def main() -> None:
    """Console-script entry point: typer, with every stray error kept from the user."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.stderr.write("whiteboard: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(ExitCode.OK)
    except Exception as error:  # noqa: BLE001 - the last line of defence: no tracebacks
        if os.environ.get("WHITEBOARD_DEBUG"):
            raise
        sys.stderr.write(
            f"whiteboard: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in whiteboard, not in your diagram; please report it with the input "
            "(set WHITEBOARD_DEBUG=1 to see the traceback).\n"
        )
        sys.exit(ExitCode.ERROR)
