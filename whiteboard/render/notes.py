"""Pictures for study notes: one per ```mermaid fence of a Markdown file, and a whole notes
folder (a page per canonical problem, with its skeleton drawn with the check's overlay).

Fence pictures are named after the Markdown file and the fence's place in it: ``NOTES.md``
-> ``NOTES-1.svg``, ``NOTES-2.svg``... counting every mermaid fence, also the ones that are
skipped, so a name keeps pointing at the same fence when another fence fails or is of a
diagram type Graphviz cannot draw. (A name taken from the fence's text would change with
every edit of the diagram and leave stale files behind.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from whiteboard.errors import DiagramSyntaxError, WhiteboardError
from whiteboard.render import RenderOptions, render_text


@dataclass
class FencePicture:
    """One fence: its number (1-based), the file line of its opening, and either the
    picture's bytes, an error, or why it was skipped."""

    number: int
    line: int
    data: bytes | None = None
    error: WhiteboardError | None = None
    skipped: str | None = None


def picture_name(markdown_path: str | Path, number: int, fmt: str) -> str:
    return f"{Path(markdown_path).stem}-{number}.{fmt}"


def _moved(error: DiagramSyntaxError, block, lines: list[str], path: str) -> DiagramSyntaxError:
    """The fence's syntax error with its position in the Markdown file."""
    line, column = block.to_file(error.line, error.column)
    source = lines[line - 1] if 0 < line <= len(lines) else error.source_line
    return DiagramSyntaxError(error.message, line=line, column=column, path=path, source_line=source,
                              kind=error.kind, found=error.found, expected=error.expected)


def render_fences(text: str, path: str, options: RenderOptions) -> list[FencePicture]:
    """A picture (or the reason there is none) for every ```mermaid fence of *text*."""
    from whiteboard.markdown import mermaid_blocks, split_lines

    lines = split_lines(text)
    pictures = []
    for number, block in enumerate(mermaid_blocks(text), start=1):
        picture = FencePicture(number, block.fence_line)
        if not block.closed:
            picture.error = DiagramSyntaxError(
                f"unterminated {block.fence}mermaid fence: add a line '{block.fence}' after the diagram",
                line=block.fence_line, column=block.fence_column, path=path,
                source_line=lines[block.fence_line - 1] if block.fence_line <= len(lines) else None)
        else:
            try:
                picture.data = render_text(block.text, path, options)
            except DiagramSyntaxError as error:
                if error.kind == "other-diagram" and options.engine != "mermaid":
                    picture.skipped = f"{error.message.split(',')[0]}; Graphviz draws flowcharts only " \
                                      "(--engine mermaid draws every type)"
                elif error.kind == "other-diagram":
                    picture.data = _mermaid_other(block.text, options)
                else:
                    picture.error = _moved(error, block, lines, path)
            except WhiteboardError as error:
                picture.error = error
        pictures.append(picture)
    return pictures


def _mermaid_other(text: str, options: RenderOptions) -> bytes:
    """Another diagram type (sequence, class...): mermaid draws it as written, no overlay."""
    from whiteboard.render.mermaid_engine import render_mermaid

    return render_mermaid(text, options.format)


# -- the notes folder ----------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def problem_page(name: str, picture: str | None, fmt: str = "svg") -> str:
    """The Markdown page of one problem: the skeleton page, then its picture."""
    from whiteboard.problems import load_problem
    from whiteboard.skeleton import as_markdown

    spec = load_problem(name)
    page = as_markdown(spec, spec.skeleton()).rstrip("\n")
    if picture:
        page += ("\n\n## The skeleton, checked\n\n"
                 f"![{_cell(spec.title)}: the skeleton with the check's overlay]({picture})\n\n"
                 "Nodes are coloured by stage; the thick path is the request path with its latencies; "
                 "dashed boxes would be components the check finds missing.\n")
    return page + "\n"


def index_page(names: list[str]) -> str:
    from whiteboard.problems import load_problem

    lines = ["# ML system design study notes", "",
             "One page per problem: key challenges, what to discuss, the 45-minute plan, the serving "
             "pattern and a skeleton diagram that `whiteboard check` passes.", "",
             "| problem | serving | SLA | key challenges |", "|---|---|---:|---|"]
    for name in names:
        spec = load_problem(name)
        sla = f"{spec.sla_ms:g} ms" if spec.sla_ms is not None else "-"
        challenges = ", ".join(spec.key_challenges) or "-"
        lines.append(f"| [{_cell(spec.title)}]({name}.md) | {_cell(spec.serving_pattern)} | {sla} | "
                     f"{_cell(challenges)} |")
    lines += ["", "Made with `whiteboard notes`; after editing a page's diagram, redraw its picture with "
              "`whiteboard render NAME.md --overlay --problem NAME -o NAME.svg`.", ""]
    return "\n".join(lines)


def notes_files(names: list[str], options: RenderOptions) -> dict[str, bytes]:
    """Every file of the notes folder: relative name -> bytes (nothing written here)."""
    from whiteboard.problems import load_problem

    files: dict[str, bytes] = {}
    for name in names:
        spec = load_problem(name)
        picture = f"{name}.{options.format}"
        problem_options = RenderOptions(engine=options.engine, format=options.format, overlay=options.overlay,
                                        problem=name, sla_ms=options.sla_ms)
        files[picture] = render_text(spec.skeleton(), f"{name}.mmd", problem_options)
        files[f"{name}.md"] = problem_page(name, picture).encode("utf-8")
    files["index.md"] = index_page(names).encode("utf-8")
    return files
