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
    files: List[str] = typer.Argument(..., metavar="FILE...", help="Mermaid files, Markdown files (each "
                                      "```mermaid flowchart fence), or - for stdin."),
    output_format: ParseFormat = typer.Option(
        None, "--format", "-f", help="json (one diagram), jsonl (one line per file or Markdown fence) or text. "
        "Default: json for one diagram, jsonl for several.",
    ),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically)."),
) -> None:
    """Print how mermaid-js reads each flowchart (Contract 1: nodes, edges, subgraphs)."""
    from whiteboard.errors import DiagramSyntaxError, WhiteboardError
    from whiteboard.parser import parse_text

    from whiteboard.markdown import is_markdown

    if output_format is None:
        output_format = ParseFormat.json if len(files) == 1 and not is_markdown(files[0]) else ParseFormat.jsonl
    if output_format is ParseFormat.json and len(files) > 1:
        _fail("--format json prints one object for one file; use --format jsonl for several files")
    chunks: list[str] = []
    failed = False
    for name in files:
        shown = "<stdin>" if name == "-" else name
        if name != "-" and is_markdown(name):
            lines, markdown_failed = _parse_markdown(name, output_format)
            chunks.extend(lines)
            failed = failed or markdown_failed
            continue
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


def _parse_markdown(name: str, output_format: ParseFormat) -> tuple[list[str], bool]:
    """`whiteboard parse notes.md`: one result per ```mermaid flowchart fence, positions in the file.

    jsonl lines carry ``path`` and ``fence_line``; fences of other diagram types are left out.
    """
    from whiteboard.errors import DiagramSyntaxError, WhiteboardError
    from whiteboard.markdown import mermaid_blocks, split_lines
    from whiteboard.parser import parse_text

    try:
        _, text = _read_input(name)
    except WhiteboardError as error:
        typer.echo(str(error), err=True)
        if output_format is ParseFormat.jsonl:
            line = error.line if isinstance(error, DiagramSyntaxError) else None
            column = error.column if isinstance(error, DiagramSyntaxError) else None
            return [json.dumps({"path": name, "error": {"line": line, "column": column, "message": error.message}},
                               ensure_ascii=False)], True
        return [], True
    file_lines = split_lines(text)
    results: list[tuple[object, object]] = []  # (block, contract or error)
    for block in mermaid_blocks(text):
        if not block.closed:
            results.append((block, DiagramSyntaxError(
                f"unterminated {block.fence}mermaid fence: nothing closes it", line=block.fence_line,
                column=block.fence_column, path=name, source_line=file_lines[block.fence_line - 1])))
            continue
        try:
            diagram = parse_text(block.text, name)
        except DiagramSyntaxError as error:
            if error.kind == "other-diagram":
                continue
            error.line, error.column = block.to_file(error.line, error.column)
            error.source_line = file_lines[error.line - 1] if error.line <= len(file_lines) else None
            results.append((block, error))
            continue
        block.move_diagram(diagram)
        results.append((block, (diagram, diagram.contract())))
    if output_format is ParseFormat.json and len(results) != 1:
        _fail(f"{name}: {len(results)} flowchart fences; --format json prints one diagram, use --format jsonl")
    chunks, failed = [], False
    for block, outcome in results:
        if isinstance(outcome, DiagramSyntaxError):
            failed = True
            typer.echo(str(outcome), err=True)
            if output_format is ParseFormat.jsonl:
                chunks.append(json.dumps({"path": name, "fence_line": block.fence_line, "error": {
                    "line": outcome.line, "column": outcome.column, "message": outcome.message}},
                    ensure_ascii=False))
            continue
        diagram, contract = outcome
        if output_format is ParseFormat.json:
            chunks.append(json.dumps(contract, indent=2, ensure_ascii=False))
        elif output_format is ParseFormat.jsonl:
            chunks.append(json.dumps({"path": name, "fence_line": block.fence_line, **contract}, ensure_ascii=False))
        else:
            chunks.append(f"{name}:{block.fence_line}: " + _render_text(diagram))
    return chunks, failed


class CheckFormat(str, enum.Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    auto = "auto"


def _parse_sla(value: Optional[str]) -> Optional[float]:
    if value is None:
        return None
    from whiteboard.config import read_sla

    milliseconds = read_sla(value)
    if milliseconds is None:
        _fail(f"--sla {value!r}: expected a latency such as 200ms, 0.5s or 150")
    return milliseconds


def _codes(values: Optional[List[str]]) -> tuple[str, ...]:
    """--select WB7 --select WB8 and --select WB7,WB8 alike."""
    return tuple(code.strip().upper() for value in values or () for code in value.split(",") if code.strip())


# A progress bar only where a person waits: a long run, on a terminal, beside the text report.
PROGRESS_MIN_FILES = 50


def _progress(total: int, enabled: bool):
    """A context manager giving an on_file(path) callback (or None): rich's bar on stderr."""
    import contextlib

    if not enabled or total <= PROGRESS_MIN_FILES:
        return contextlib.nullcontext(None)

    @contextlib.contextmanager
    def bar():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("check", total=total)
            yield lambda _path: progress.advance(task)

    return bar()


@app.command()
def check(
    files: Optional[List[str]] = typer.Argument(
        None, metavar="[PATH]...", help="Mermaid files (.mmd, .mermaid), Markdown files (every ```mermaid "
        "fence), directories (searched recursively), or - for stdin. Default: the current directory."),
    output_format: CheckFormat = typer.Option(
        CheckFormat.text, "--format", "-f", help="text, json (Contract 2), sarif (2.1.0), github (workflow "
        "annotations) or auto (github inside GitHub Actions, else text)."),
    problem: Optional[str] = typer.Option(None, "--problem", "-p", help="Add this problem's rules."),
    sla: Optional[str] = typer.Option(None, "--sla", help="The latency SLA, e.g. 200ms (wins over the diagram's)."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only codes with this prefix "
                                               "(repeatable or comma-separated; replaces the config's)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip codes with this prefix "
                                               "(repeatable or comma-separated; adds to the config's)."),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail too (exit 1)."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even with findings (not on parse errors)."),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", help="Skip paths matching this gitignore-style "
                                                "pattern, relative to the working directory (repeatable)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this configuration file (a whiteboard.toml, "
                                          "or a pyproject.toml's [tool.whiteboard]) instead of searching."),
    isolated: bool = typer.Option(False, "--isolated", help="Read no configuration file."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="The path stdin stands for: its "
                                                 "name in the report, .md for Markdown, where to find the config."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Text report: findings and the summary only."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="A directory of extra problem specs "
                                             "(wins over the config's 'templates')."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically)."),
) -> None:
    """Check ML system design diagrams against the 7-stage framework."""
    from whiteboard.config import Overrides, Settings
    from whiteboard.errors import ConfigError
    from whiteboard.files import collect
    from whiteboard.linter import check_targets
    from whiteboard.reporters import MACHINE_FORMATS, REPORTERS, resolve_format
    from whiteboard.source import decode

    if config is not None and isolated:
        _fail("--config and --isolated contradict each other: use one")
    overrides = Overrides(select=_codes(select) if select else None, ignore=_codes(ignore),
                          problem=problem.lower() if problem else None, sla_ms=_parse_sla(sla), strict=strict,
                          exclude=tuple(exclude or ()), config=str(config) if config else None, isolated=isolated,
                          templates=str(templates) if templates else None)
    paths = files or ["."]
    try:
        settings = Settings(overrides)
        if problem is not None:
            here = settings.config_for(stdin_filename or "-")
            _problem_name(problem, str(templates) if templates else (here.templates if here is not None else None))
        targets = collect(paths, settings)
        if not targets:
            typer.echo(f"whiteboard: warning: no diagram files (.mmd, .mermaid, .md, .markdown) in "
                       f"{', '.join(paths)}", err=True)
        fmt = resolve_format(output_format.value)
        show_bar = fmt not in MACHINE_FORMATS and sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
        with _progress(len(targets), show_bar) as on_file:
            result = check_targets(targets, settings=settings, stdin_name=stdin_filename, on_file=on_file,
                                   read=lambda _: decode(sys.stdin.buffer.read(), stdin_filename or "<stdin>"))
    except ConfigError as error:
        _fail(str(error))
    color = output is None and fmt == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    _emit(REPORTERS[fmt](result, color=color, quiet=quiet), output)
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


class RenderEngine(str, enum.Enum):
    graphviz = "graphviz"
    mermaid = "mermaid"


class RenderFormat(str, enum.Enum):
    svg = "svg"
    png = "png"
    dot = "dot"


_SUFFIX_FORMATS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot"}


def _problem_name(problem: Optional[str], templates: Optional[str] = None) -> Optional[str]:
    """A --problem value checked against the known problems (exit 2 with a hint otherwise)."""
    if problem is None:
        return None
    from whiteboard.linter import known_problems

    known = known_problems(templates)
    if problem.lower() not in known:
        import difflib

        close = difflib.get_close_matches(problem.lower(), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        _fail(f"--problem {problem!r}: unknown problem{hint} (known: {', '.join(known)})")
    return problem.lower()


def _write_picture(data: bytes, output: Optional[Path]) -> None:
    """Bytes to a file (atomically) or, for None / '-', to stdout (never PNG to a terminal)."""
    if output is None or str(output) == "-":
        if data.startswith(b"\x89PNG") and sys.stdout.isatty():
            _fail("refusing to write a PNG to the terminal; give -o FILE.png")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    _write_file(output, data)


@app.command()
def render(
    file: str = typer.Argument(..., help="A Mermaid file, a Markdown file, or - for stdin."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Where to write (atomically; - for stdout). Default: FILE with the "
        "format's suffix (stdout for stdin). With --inline: the folder for the pictures."),
    engine: RenderEngine = typer.Option(RenderEngine.graphviz, "--engine", "-e",
                                        help="graphviz (offline, default) or mermaid (mmdc or a mermaid.ink server)."),
    output_format: Optional[RenderFormat] = typer.Option(
        None, "--format", "-f", help="svg, png or dot. Default: from the suffix of -o, else svg."),
    overlay: bool = typer.Option(False, "--overlay", help="Draw the check on it: stages, latency path, "
                                 "missing components."),
    problem: Optional[str] = typer.Option(None, "--problem", "-p", help="Check with this problem's rules too."),
    sla: Optional[str] = typer.Option(None, "--sla", help="The latency SLA for the overlay, e.g. 200ms."),
    inline: bool = typer.Option(False, "--inline", help="Markdown: a picture for every ```mermaid fence, "
                                "next to the file (NOTES.md -> NOTES-1.svg, NOTES-2.svg, ...)."),
) -> None:
    """Draw a diagram as SVG, PNG or DOT, optionally with the check's findings on it."""
    from whiteboard.errors import WhiteboardError
    from whiteboard.markdown import is_markdown
    from whiteboard.render import RenderOptions, render_text
    from whiteboard.render.errors import RenderError

    suffix = output.suffix.lower() if output is not None and not inline else ""
    fmt = output_format.value if output_format else _SUFFIX_FORMATS.get(suffix, "svg")
    options = RenderOptions(engine=engine.value, format=fmt, overlay=overlay, problem=_problem_name(problem),
                            sla_ms=_parse_sla(sla))
    if inline and file == "-":
        _fail("--inline writes the pictures next to a Markdown file: give its path, not -")
    try:
        shown, text = _read_input(file)
    except WhiteboardError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(ExitCode.ERROR)
    if inline:
        _render_inline(Path(file), text, output, options)
        return
    target = output
    if target is None and file != "-":
        target = Path(file).with_suffix(f".{fmt}")
        if target.resolve() == Path(file).resolve():
            _fail(f"{file}: the picture would overwrite the input; give -o")
    try:
        if file != "-" and is_markdown(file):
            data = _one_fence(shown, text, options)
        else:
            data = render_text(text, shown, options)
    except RenderError as error:
        _fail(error.message)
    except WhiteboardError as error:  # DiagramSyntaxError: the message with the caret line
        typer.echo(str(error), err=True)
        raise typer.Exit(ExitCode.ERROR)
    _write_picture(data, target)
    if output is None and target is not None:
        typer.echo(f"wrote {target}", err=True)


def _one_fence(shown: str, text: str, options) -> bytes:
    """A Markdown file given without --inline: its only mermaid fence (positions in the file)."""
    from whiteboard.render.notes import render_fences

    pictures = render_fences(text, shown, options)
    if len(pictures) != 1:
        _fail(f"{shown} is Markdown with {len(pictures)} mermaid fences; use --inline to draw each of them")
    picture = pictures[0]
    if picture.skipped:
        _fail(f"{shown}:{picture.line}: {picture.skipped}")
    if picture.error is not None:
        raise picture.error
    return picture.data


def _render_inline(path: Path, text: str, output: Optional[Path], options) -> None:
    """`render NOTES.md --inline`: every fence's picture; errors reported, the rest still drawn."""
    from whiteboard.render.errors import RenderError
    from whiteboard.render.notes import picture_name, render_fences

    folder = output if output is not None else path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(f"{folder}: cannot create the folder: {error.strerror or error}")
    pictures = render_fences(text, str(path), options)
    if not pictures:
        _fail(f"{path}: no ```mermaid fence to draw")
    failed = False
    for picture in pictures:
        if picture.skipped:
            typer.echo(f"{path}:{picture.line}: fence {picture.number} skipped: {picture.skipped}", err=True)
        elif picture.error is not None:
            failed = True
            message = picture.error.message if isinstance(picture.error, RenderError) else str(picture.error)
            typer.echo(f"{path}:{picture.line}: fence {picture.number}: {message}"
                       if isinstance(picture.error, RenderError) else message, err=True)
        else:
            target = folder / picture_name(path, picture.number, options.format)
            _write_picture(picture.data, target)
            typer.echo(f"wrote {target}", err=True)
    raise typer.Exit(ExitCode.ERROR if failed else ExitCode.OK)


@app.command()
def notes(
    outdir: Path = typer.Argument(..., help="The folder to write (created if missing)."),
    problem: Optional[List[str]] = typer.Option(None, "--problem", "-p",
                                                help="Only this problem (repeatable). Default: every problem."),
    engine: RenderEngine = typer.Option(RenderEngine.graphviz, "--engine", "-e", help="graphviz or mermaid."),
    output_format: RenderFormat = typer.Option(RenderFormat.svg, "--format", "-f", help="svg or png pictures."),
    overlay: bool = typer.Option(True, "--overlay/--no-overlay", help="Draw the check's view on the skeletons."),
) -> None:
    """Write a study-notes folder: a page per problem (with its skeleton drawn), an index, your practice history."""
    from whiteboard.errors import WhiteboardError
    from whiteboard.problems import list_problems
    from whiteboard.render import RenderOptions
    from whiteboard.render.errors import RenderError
    from whiteboard.render.notes import notes_files

    if output_format is RenderFormat.dot:
        _fail("--format dot: notes pages show pictures; use svg or png")
    names = [_problem_name(p) for p in problem] if problem else list_problems()
    options = RenderOptions(engine=engine.value, format=output_format.value, overlay=overlay)
    try:
        files = notes_files(list(dict.fromkeys(names)), options)
        from whiteboard.history_report import notes_pages

        history = notes_pages()
        if history:
            files.update(history)
            files["index.md"] += b"Your practice rounds so far: [history](history.md).\n"
    except RenderError as error:
        _fail(error.message)
    except WhiteboardError as error:
        _fail(str(error))
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(f"{outdir}: cannot create the folder: {error.strerror or error}")
    for name, data in files.items():
        _write_file(outdir / name, data)
    pages = sum(1 for name in files if name.endswith(".md"))
    typer.echo(f"wrote {pages} pages and {len(files) - pages} pictures to {outdir} (start at {outdir / 'index.md'})")


class HistoryFormat(str, enum.Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def practice(
    problem: str = typer.Argument(..., help="A problem name (see 'whiteboard problems')."),
    file: Optional[Path] = typer.Option(None, "--file", "-f",
                                        help="The answer file to draw in. Default: PROBLEM-practice.mmd here."),
    minutes: float = typer.Option(45.0, "--minutes", "-m", help="Length of the round; the plan scales to it."),
    from_stage: Optional[int] = typer.Option(None, "--from-stage", min=1, max=7,
                                             help="Start from the skeleton as it looks after stage N."),
    direction: Optional[str] = typer.Option(None, "--direction", "-d", help="LR or TD for a blank board."),
    force: bool = typer.Option(False, "--force", help="Replace the answer file if it exists."),
    no_history: bool = typer.Option(False, "--no-history", help="Do not keep this round in the history."),
    plain: bool = typer.Option(False, "--plain", help="Plain lines instead of the live panel."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="A directory of extra problem specs."),
) -> None:
    """A timed practice round: draw in the file, every save is checked, a scorecard at the end."""
    from whiteboard.errors import WhiteboardError
    from whiteboard.practice import PracticeOptions, run

    name = _problem_name(problem, str(templates) if templates else None)
    if direction is not None and direction.upper() not in ("LR", "TD", "TB", "BT", "RL"):
        _fail(f"--direction {direction!r}: expected LR, TD, TB, BT or RL")
    options = PracticeOptions(problem=name, file=file or Path(f"{name}-practice.mmd"), minutes=minutes,
                              from_stage=from_stage, direction=direction.upper() if direction else None,
                              force=force, templates=str(templates) if templates else None,
                              history=not no_history, live=False if plain else None)
    try:
        code = run(options)
    except WhiteboardError as error:
        _fail(str(error))
    raise typer.Exit(code)


@app.command()
def history(
    problem: Optional[str] = typer.Argument(None, help="Only rounds of this problem."),
    output_format: HistoryFormat = typer.Option(HistoryFormat.text, "--format", "-f",
                                                help="text, json or markdown (with a plot beside it)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o",
                                          help="Write here; markdown also writes OUTPUT's name with .svg."),
    round_id: Optional[int] = typer.Option(None, "--round", "-r", help="One round's scorecard (Markdown)."),
    timeline: bool = typer.Option(False, "--timeline", help="With --round: its timeline as JSON instead."),
    import_file: Optional[Path] = typer.Option(None, "--import", help="Add a recorded round (a timeline JSON)."),
) -> None:
    """Practice rounds so far: coverage and minutes per stage per round, and the trend."""
    from whiteboard import history_report as report
    from whiteboard.errors import WhiteboardError
    from whiteboard.history import History

    try:
        with History() as store:
            if import_file is not None:
                from whiteboard.scorecard import score
                from whiteboard.timeline import Timeline

                shown, text = _read_input(str(import_file))
                recorded = Timeline.from_json(text, shown)
                if recorded.end_reason is None:
                    recorded.end_reason = "interrupted"
                typer.echo(f"imported {shown} as round {store.add(recorded, score(recorded).to_dict())}")
                return
            if round_id is not None:
                from whiteboard.scorecard import score

                recorded = store.timeline(round_id)
                _emit(recorded.to_json() if timeline else score(recorded).to_markdown(), output)
                return
            rounds = report.lines(store, _problem_name(problem) if problem else None)
    except WhiteboardError as error:
        _fail(str(error))
    if output_format is HistoryFormat.json:
        data = {"rounds": [r.to_dict() for r in rounds], "trend": report.trend(rounds)}
        _emit(json.dumps(data, indent=2) + "\n", output)
    elif output_format is HistoryFormat.markdown:
        plot = output.with_suffix(".svg") if output else None
        if plot is not None and rounds:
            _write_file(plot, report.plot_svg(rounds))
        _emit(report.markdown(rounds, plot.name if plot is not None and rounds else None), output)
    else:
        _emit(report.text_table(rounds), output)


@app.command()
def scorecard(
    timeline_file: Path = typer.Argument(..., help="A recorded timeline (JSON, from 'history --timeline')."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the Markdown here."),
    output_format: HistoryFormat = typer.Option(HistoryFormat.markdown, "--format", "-f",
                                                help="markdown or json."),
) -> None:
    """Score a recorded round from its timeline alone (re-score old rounds after the rules improve)."""
    from whiteboard.errors import WhiteboardError
    from whiteboard.scorecard import score
    from whiteboard.timeline import Timeline

    try:
        shown, text = _read_input(str(timeline_file))
        card = score(Timeline.from_json(text, shown))
    except WhiteboardError as error:
        _fail(str(error))
    if output_format is HistoryFormat.json:
        _emit(json.dumps(card.to_dict(), indent=2) + "\n", output)
    else:
        _emit(card.to_markdown(), output)


@app.command()
def serve(
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, help="Port on 127.0.0.1 (0: any free one)."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="A directory of extra problem specs."),
    open_browser: bool = typer.Option(False, "--open", help="Open the page in the default browser."),
) -> None:
    """The local page: editor, live check, rendered board with the overlay, practice clock. 127.0.0.1 only."""
    from whiteboard.errors import WhiteboardError

    try:
        from whiteboard.serve import run as run_server

        run_server(port=port, templates=str(templates) if templates else None, open_browser=open_browser)
    except WhiteboardError as error:
        _fail(str(error))


def _emit(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    _write_file(output, text)


def _write_file(output: Path, content: str | bytes) -> None:
    """Write *content* to *output* atomically; a write error is one line and exit 2."""
    from whiteboard.atomic import write_bytes_atomic, write_text_atomic

    try:
        if isinstance(content, bytes):
            write_bytes_atomic(output, content)
        else:
            write_text_atomic(output, content)
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
