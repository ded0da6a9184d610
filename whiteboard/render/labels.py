"""Mermaid labels to Graphviz HTML-like labels: what a person would see, and nothing more.

Labels are user text. mermaid stores them sanitized (``&lt;``, ``<br>``, ``<b>``...); here
they are parsed once more, a few formatting tags are kept (bold, italic, underline, strike,
sub/superscript, line breaks), every other tag is dropped with its text kept, and all text is
XML-escaped. The result only ever holds tags this module writes, so nothing in a label can
become DOT syntax (a quote, a brace, a backslash escape such as ``\\N``) or SVG markup.

HTML-like labels are used for every user string because Graphviz's quoted strings give
backslashes a meaning of their own (``\\N`` is the node's name, ``\\l`` a line break).
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

# mermaid's html labels wrap at 200px (about 30 characters of 16px text); so do we.
WRAP = 32

_KEPT = {"b": "B", "strong": "B", "i": "I", "em": "I", "u": "U", "ins": "U",
         "s": "S", "del": "S", "strike": "S", "sub": "SUB", "sup": "SUP"}
_BREAK_TAGS = {"br"}
_BLOCK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_GV_ESCAPE = re.compile(r"\\(?=[NGETHLnlr\\])")
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_ITALIC = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")


def clean(text: str) -> str:
    """Drop what XML 1.0 cannot carry (control characters, U+FFFE/U+FFFF); tabs as spaces."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char == "\n":
            out.append(char)
        elif char == "\t":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff":
            continue
        else:
            out.append(char)
    return "".join(out)


def escape(text: str) -> str:
    """XML-escape plain text for a Graphviz HTML-like label (and so for the SVG).

    Graphviz expands ``\\N`` (node name), ``\\G`` (graph name)... and ``\\\\`` even inside
    HTML-like labels and even when the backslash is written as ``&#92;``; an invisible word
    joiner after such a backslash keeps the text as written.
    """
    text = _GV_ESCAPE.sub("\\\u2060", clean(text)) if "\\" in text else clean(text)
    return "".join(_ESCAPES.get(char, char) for char in text)


class _Converter(HTMLParser):
    """Reads a sanitized mermaid label into lines of (kind, value) pieces."""

    def __init__(self, markdown: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.markdown = markdown
        self.lines: list[list[tuple[str, str]]] = [[]]

    def _break(self) -> None:
        self.lines.append([])

    def handle_starttag(self, tag, attrs):
        if tag in _BREAK_TAGS:
            self._break()
        elif tag in _BLOCK_TAGS and self.lines[-1]:
            self._break()
        elif tag in _KEPT:
            self.lines[-1].append(("open", _KEPT[tag]))

    def handle_startendtag(self, tag, attrs):
        if tag in _BREAK_TAGS:
            self._break()

    def handle_endtag(self, tag):
        if tag in _KEPT:
            self.lines[-1].append(("close", _KEPT[tag]))
        elif tag in _BLOCK_TAGS:
            self._break()

    def handle_data(self, data):
        parts = data.replace("\\n", "\n").split("\n")
        for index, part in enumerate(parts):
            if index:
                self._break()
            if part:
                self.lines[-1].extend(_markdown_pieces(part) if self.markdown else [("text", part)])


def _markdown_pieces(text: str, pattern: re.Pattern = _MD_BOLD) -> list[tuple[str, str]]:
    """``**bold**`` and ``*italic*`` of a markdown string as open/close pieces around text."""
    tag, inner = ("B", _MD_ITALIC) if pattern is _MD_BOLD else ("I", None)
    pieces: list[tuple[str, str]] = []
    at = 0
    for match in pattern.finditer(text):
        if match.start() > at:
            pieces.extend(_markdown_pieces(text[at:match.start()], inner) if inner else
                          [("text", text[at:match.start()])])
        pieces.append(("open", tag))
        body = match.group(2)
        pieces.extend(_markdown_pieces(body, inner) if inner else [("text", body)])
        pieces.append(("close", tag))
        at = match.end()
    if at < len(text):
        pieces.extend(_markdown_pieces(text[at:], inner) if inner else [("text", text[at:])])
    return pieces


def _wrap_words(text: str, used: int, width: int) -> list[tuple[str, str]]:
    """Split *text* into text and soft-break pieces so no line runs much past *width*."""
    pieces: list[tuple[str, str]] = []
    words = text.split(" ")
    current = ""
    for index, word in enumerate(words):
        candidate = word if index == 0 else current + " " + word
        if index and current and used + len(candidate) > width:
            pieces.append(("text", current))
            pieces.append(("break", ""))
            used = 0
            current = word
        else:
            current = candidate
    pieces.append(("text", current))
    return pieces


def html_label(label: object, label_type: str = "text", *, wrap: int = WRAP) -> str:
    """The inside of ``label=<...>`` for a mermaid label ('' for an empty label).

    Tags are balanced whatever the input (Graphviz rejects a label whose tags do not nest).
    """
    text = clean(label if isinstance(label, str) else str(label))
    converter = _Converter(label_type == "markdown")
    if "<" in text or "&" in text:
        converter.feed(text)
        converter.close()
    else:
        converter.handle_data(text)
    out: list[str] = []
    stack: list[str] = []
    lines = converter.lines
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    for number, pieces in enumerate(lines):
        if number:
            out.append("<BR/>")
        used = 0
        for kind, value in pieces:
            if kind == "open":
                stack.append(value)
                out.append(f"<{value}>")
            elif kind == "close":
                if value in stack:
                    while stack:
                        top = stack.pop()
                        out.append(f"</{top}>")
                        if top == value:
                            break
            else:
                for piece_kind, piece in (_wrap_words(value, used, wrap) if wrap else [("text", value)]):
                    if piece_kind == "break":
                        out.append("<BR/>")
                        used = 0
                        continue
                    used += len(piece)
                    out.append(escape(piece))
    while stack:
        out.append(f"</{stack.pop()}>")
    return "".join(out)


def plain(label: object) -> str:
    """A label as one line of plain text (for titles and captions we build ourselves)."""
    from whiteboard.model import plain_text

    return " ".join(plain_text(label if isinstance(label, str) else str(label)).split())
