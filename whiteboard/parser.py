"""Text to Diagram: preprocessing, our jison-equivalent lexer, Lark's LALR parser.

The Lark parser is built once per process, from ``grammar/flowchart.lark``, with its
analysis cached on disk (``cache=``), so start-up does not pay for grammar compilation.
Callbacks run during the parse (no tree is built), filling a FlowBuilder that
``_to_diagram`` turns into the typed model with original-file positions.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from lark import Lark
from lark.exceptions import UnexpectedInput, UnexpectedToken

from whiteboard.errors import DiagramSyntaxError
from whiteboard.flowdb import FlowBuilder, FlowError
from whiteboard.lalr import Tables, run
from whiteboard.lexer import JisonLexer, tokenize
from whiteboard.model import Comment, Diagram, Edge, Node, Subgraph
from whiteboard.preprocess import PreparedText, decode_entities, prepare
from whiteboard.resources import grammar_path
from whiteboard.syntax_errors import from_unexpected_token, join_phrases
from whiteboard.transform import FlowTransformer

_LOCK = threading.Lock()
_PARSER: tuple[Lark, FlowTransformer, Tables] | None = None


def _cache_file(grammar: str) -> str | bool:
    """A per-grammar cache path under the user cache directory (False: no cache)."""
    if os.environ.get("WHITEBOARD_NO_CACHE"):
        return False
    try:
        import lark
        from platformdirs import user_cache_dir

        digest = hashlib.sha256((grammar + lark.__version__).encode()).hexdigest()[:16]
        directory = Path(user_cache_dir("whiteboard"))
        directory.mkdir(parents=True, exist_ok=True)
        return str(directory / f"flowchart-{digest}.lark")
    except (OSError, ImportError):
        return False


def build_parser(*, strict: bool = False, cache: bool = True) -> tuple[Lark, FlowTransformer]:
    """A Lark LALR parser wired to our lexer and callbacks."""
    grammar = grammar_path().read_text(encoding="utf-8")
    transformer = FlowTransformer(FlowBuilder())
    options = dict(parser="lalr", lexer=JisonLexer, transformer=transformer, strict=strict)
    cache_path = _cache_file(grammar) if cache and not strict else False
    if cache_path:
        try:
            return Lark(grammar, cache=cache_path, **options), transformer
        except Exception:  # noqa: BLE001 - an unusable cache must never stop a parse
            try:
                os.unlink(cache_path)
            except OSError:
                pass
    return Lark(grammar, **options), transformer


def _parser() -> tuple[Lark, FlowTransformer, Tables]:
    global _PARSER
    if _PARSER is None:
        lark_parser, transformer = build_parser()
        _PARSER = (lark_parser, transformer, Tables(lark_parser))
    return _PARSER


def _locate(error: DiagramSyntaxError, prepared: PreparedText | None, original: str, path: str) -> DiagramSyntaxError:
    """Fill in path, original line:column and the source line of an error."""
    error.path = path
    if prepared is None:
        from whiteboard.preprocess import PreparedText as _P

        prepared = _P(text=original, original=original)
    if error.offset is not None:
        offset = min(error.offset, len(prepared.text))
        original_offset = min(prepared.original_offset(offset), len(original))
        error.line, error.column = prepared.line_column(original_offset)
    error.source_line = prepared.source_line(error.line)
    return error


# What each lexer state means when the file ends inside it.
_OPEN_STATE_WORDS = {
    "text": "the '{opener}' that opens the text here is never closed",
    "trapText": "the '{opener}' that opens the text here is never closed",
    "ellipseText": "the '(-' that opens the text here is never closed with '-)'",
    "string": "the double quote here is never closed",
    "md_string": "the markdown string '\"`' here is never closed with '`\"'",
    "edgeText": "the link text started here never reaches an arrow such as '-->'",
    "thickEdgeText": "the link text started here never reaches an arrow such as '==>'",
    "dottedEdgeText": "the link text started here never reaches an arrow such as '.->'",
    "shapeData": "the '@{' here is never closed with '}'",
    "shapeDataStr": "the double quote here (inside '@{ }') is never closed",
    "callbackargs": "the '(' of the callback arguments here is never closed",
    "acc_descr_multiline": "the 'accDescr {' here is never closed with '}'",
}


def _unclosed(open_state: tuple[str, int], prepared: PreparedText, fallback: DiagramSyntaxError) -> DiagramSyntaxError:
    """At end of file inside an unclosed bracket/quote/link text: point at the opener."""
    state, offset = open_state
    template = _OPEN_STATE_WORDS.get(state)
    if template is None:
        return fallback
    opener = prepared.text[offset:offset + 2].strip()
    opener = opener if opener in ("[[", "[(", "((", "([", "[/", "[\\", "{{") else opener[:1]
    expected = f"; expected {join_phrases(fallback.expected[:3])}" if fallback.expected else ""
    return DiagramSyntaxError(
        "unexpected end of file: " + template.replace("{opener}", opener) + expected,
        offset=offset, expected=fallback.expected, found="",
    )


def parse_text(text: str, path: str = "<stdin>") -> Diagram:
    """Parse Mermaid flowchart *text* exactly as mermaid-js does.

    Raises DiagramSyntaxError (with the original line and column) when mermaid would
    reject the text, and for text that is not a flowchart at all.
    """
    prepared: PreparedText | None = None
    trace: list = []
    try:
        prepared = prepare(text)
        builder = FlowBuilder(prepared.config)
        with _LOCK:
            _, transformer, tables = _parser()
            transformer.db = builder
            try:
                run(tables, tokenize(prepared.text, trace))
            finally:
                transformer.db = FlowBuilder()
    except DiagramSyntaxError as error:
        raise _locate(error, prepared, text, path) from None
    except UnexpectedToken as error:
        assert prepared is not None
        ready = prepared

        def line_text(offset: int) -> str:
            line, _ = ready.position(min(offset, len(ready.text)))
            return ready.source_line(line)

        syntax_error = from_unexpected_token(error, line_text)
        if error.token.type == "$END" and trace:
            syntax_error = _unclosed(trace[-1], ready, syntax_error)
        raise _locate(syntax_error, prepared, text, path) from None
    except UnexpectedInput as error:  # pragma: no cover - our lexer raises its own errors
        raise _locate(DiagramSyntaxError(f"cannot parse: {error}", offset=getattr(error, "pos_in_stream", None)),
                      prepared, text, path) from None
    except FlowError as error:
        raise _locate(DiagramSyntaxError(error.message, offset=error.offset, kind="semantic"),
                      prepared, text, path) from None
    except RecursionError:
        raise _locate(DiagramSyntaxError("the diagram is nested too deeply to read", offset=0, kind="limit"),
                      prepared, text, path) from None
    return _to_diagram(builder, prepared, path)


def _to_diagram(db: FlowBuilder, prepared: PreparedText, path: str) -> Diagram:
    position = prepared.position
    nodes = []
    for vertex in db.vertices.values():
        line, column = position(vertex.offset)
        label = vertex.text
        nodes.append(Node.trusted(
            id=vertex.id, label=decode_entities(label) if isinstance(label, str) else label,
            label_type=vertex.label_type, shape=vertex.shape, classes=vertex.classes,
            styles=vertex.styles, line=line, column=column, link=vertex.link,
            link_target=vertex.link_target,
            tooltip=decode_entities(db.tooltips[vertex.id]) if vertex.id in db.tooltips else None,
            props=vertex.props, extra=vertex.extra,
        ))
    edges = []
    for edge in db.edges:
        line, column = position(edge.offset)
        link_line, link_column = position(edge.link_offset)
        edges.append(Edge.trusted(
            id=edge.id, source=edge.source, target=edge.target, label=decode_entities(edge.text),
            label_type=edge.label_type, type=edge.type, stroke=edge.stroke, length=edge.length,
            user_defined_id=edge.user_defined_id, classes=edge.classes, style=edge.style,
            interpolate=edge.interpolate, line=line, column=column, link_line=link_line,
            link_column=link_column, extra=edge.extra,
        ))
    subgraphs = []
    for subgraph in db.subgraphs:
        line, column = position(subgraph.offset)
        subgraphs.append(Subgraph.trusted(
            id=subgraph.id, title=decode_entities(subgraph.title), label_type=subgraph.label_type,
            nodes=subgraph.nodes, direction=subgraph.direction, classes=subgraph.classes,
            metadata=subgraph.metadata, line=line, column=column,
        ))
    comments = []
    for body, offset in prepared.comments:
        line, column = prepared.line_column(offset)
        comments.append(Comment.trusted(text=body, line=line, column=column))
    front = prepared.front_matter
    title = front.get("title")
    config = prepared.config
    return Diagram.model_construct(
        direction=db.direction or "TB", nodes=nodes, edges=edges, subgraphs=subgraphs,
        class_defs=db.classes, diagram_type=prepared.diagram_type,
        title=str(title) if title else None, acc_title=db.acc_title, acc_descr=db.acc_descr,
        default_link_style=db.default_link_style, default_interpolate=db.default_interpolate,
        comments=comments, config=config, path=path, start_line=position(0)[0],
    )


def parse_file(path: str | Path) -> Diagram:
    """Read and parse a file (errors carry its path)."""
    from whiteboard.source import read

    shown = str(path)
    return parse_text(read(path), shown)
