"""Pictures of diagrams: SVG, PNG or DOT, drawn by Graphviz (offline, default) or mermaid-js.

    text -> parser -> Diagram -> dot.Translator (+ overlay.Decorations from the check)
         -> DOT -> graphviz_engine.run_dot -> SVG/PNG bytes
    text -> mermaid_engine (mmdc, or a mermaid.ink server through mermaid-py) -> SVG/PNG

Nothing heavy is imported until a picture is asked for: ``whiteboard check`` never pays for
the ``graphviz`` or ``mermaid`` packages. Errors are DiagramSyntaxError (the text) or
RenderError (the renderer); the CLI prints either in one message and exits 2.
"""

from __future__ import annotations

from dataclasses import dataclass

from whiteboard.render.errors import RenderError

ENGINES = ("graphviz", "mermaid")
FORMATS = ("svg", "png", "dot")


@dataclass(frozen=True)
class RenderOptions:
    engine: str = "graphviz"
    format: str = "svg"
    overlay: bool = False
    problem: str | None = None
    sla_ms: float | None = None


def render_text(text: str, path: str = "<stdin>", options: RenderOptions | None = None, *,
                result=None) -> bytes:
    """One flowchart's text as a picture (bytes of *options.format*).

    *result*: the overlay draws this DiagramResult instead of checking the text again with
    *options*' problem and SLA only (the local page draws the check it reports, configuration
    included).
    """
    from whiteboard.parser import parse_text

    options = options or RenderOptions()
    if options.engine not in ENGINES:
        raise RenderError(f"unknown engine {options.engine!r} (known: {', '.join(ENGINES)})")
    if options.format not in FORMATS:
        raise RenderError(f"unknown format {options.format!r} (known: {', '.join(FORMATS)})")
    diagram = parse_text(text, path)
    if options.engine == "mermaid":
        from whiteboard.render.mermaid_engine import render_mermaid

        if options.overlay:
            from whiteboard.render.mermaid_overlay import overlay_text

            checked = result if result is not None else _check(text, path, options)
            text = overlay_text(text, diagram, checked, options.sla_ms)
        return render_mermaid(text, options.format)
    dot_source = dot_text(text, path, options, diagram=diagram, result=result)
    if options.format == "dot":
        return dot_source.encode("utf-8")
    from whiteboard.render.graphviz_engine import run_dot

    return run_dot(dot_source, options.format)


def _check(text: str, path: str, options: RenderOptions):
    from whiteboard.linter import CheckOptions, check_diagram_text

    return check_diagram_text(text, path, CheckOptions(problem=options.problem, sla_ms=options.sla_ms))


def dot_text(text: str, path: str = "<stdin>", options: RenderOptions | None = None, *, diagram=None,
             result=None) -> str:
    """The DOT text Graphviz is given (with the overlay's decorations when asked; *result* as
    in ``render_text``)."""
    from whiteboard.render.dot import to_graphviz

    options = options or RenderOptions()
    if diagram is None:
        from whiteboard.parser import parse_text

        diagram = parse_text(text, path)
    decorations = None
    if options.overlay:
        from whiteboard.render.overlay import decorations_for

        checked = result if result is not None else _check(text, path, options)
        decorations = decorations_for(checked, diagram, sla_ms=options.sla_ms)
    graph = to_graphviz(diagram, decorations)
    if options.format == "png":
        graph.attr("graph", dpi="144")
    return graph.source


__all__ = ["ENGINES", "FORMATS", "RenderError", "RenderOptions", "dot_text", "render_text"]
