"""Markdown to diagrams: every ```mermaid (or ~~~mermaid) fence, with where it sits in the file.

People keep their designs in study notes, so `whiteboard check notes.md` reads each fenced
code block whose info string is `mermaid` and maps every position found inside it back to
the `.md` file: line = the fence's first content line + offset, column = the characters the
fence's containers took (block-quote markers, list-item indentation, the fence's own
indentation) + the column in the diagram.

The fence rules are CommonMark's (spec 0.31, section 4.5):

- an opening fence is 3 or more backticks or tildes, indented up to 3 spaces (relative to
  its container), followed by an info string whose first word names the language
  (`mermaid`, case-insensitively; a backtick fence's info string has no backticks);
- the closing fence uses the same character, is at least as long, is indented up to 3
  spaces and has nothing after it but spaces;
- each content line loses up to as many spaces as the opening fence was indented;
- a fence that reaches the end of its container (the end of a block quote or list item, or
  of the document) without a closing fence is *unterminated*: CommonMark would render the
  rest of the container as code. We report it instead of guessing where the diagram ends.

Containers are a working subset: nested block quotes (`>`), and list items (`-`, `+`, `*`,
`1.`, `1)`) whose content indentation decides which lines belong to them. Every fence is
tracked, whatever its language, so a ```mermaid inside a ````markdown example is content,
not a diagram. Tabs count to the next multiple of 4 when measuring indentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARKDOWN_SUFFIXES = (".md", ".markdown")

_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_QUOTE = re.compile(r" {0,3}>")
_LIST_MARKER = re.compile(r"([-+*]|\d{1,9}[.)])(?=[ \t]|$)")
_OPENING = re.compile(r"(`{3,}|~{3,})(.*)$")


@dataclass
class Block:
    """One fenced code block: its language and its text, with the way back to the file."""

    info: str
    fence_line: int
    fence_column: int
    fence: str
    closed: bool = True
    lines: list[str] = field(default_factory=list)
    # characters the containers and the fence indentation took from each content line
    prefixes: list[int] = field(default_factory=list)
    end_line: int = 0

    @property
    def language(self) -> str:
        return self.info.split(maxsplit=1)[0].lower() if self.info.strip() else ""

    @property
    def is_mermaid(self) -> bool:
        return self.language == "mermaid"

    @property
    def start_line(self) -> int:
        """The file line of the block's first content line."""
        return self.fence_line + 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + ("\n" if self.lines else "")

    def to_file(self, line: int, column: int) -> tuple[int, int]:
        """A 1-based (line, column) in the block's text -> the same place in the Markdown file."""
        if not self.lines:
            return self.fence_line, self.fence_column
        if line > len(self.lines):  # the end of the diagram: the closing fence's line
            return self.start_line + len(self.lines), self.fence_column - 1 + column
        index = max(line, 1) - 1
        return self.start_line + index, column + self.prefixes[index]


    def move_diagram(self, diagram) -> None:
        """Move a parsed diagram's positions (nodes, edges, subgraphs, comments) into the file."""
        for record in (*diagram.nodes, *diagram.edges, *diagram.subgraphs, *diagram.comments):
            record.line, record.column = self.to_file(record.line, record.column)
            if getattr(record, "link_line", None) is not None:
                record.link_line, record.link_column = self.to_file(record.link_line, record.link_column)
        diagram.start_line = self.to_file(diagram.start_line, 1)[0]


def _columns(text: str, start_column: int = 0) -> int:
    """Width of *text* (spaces and tabs) when it starts at *start_column*."""
    column = start_column
    for char in text:
        column = column + 4 - column % 4 if char == "\t" else column + 1
    return column - start_column


def _strip_columns(line: str, width: int, start_column: int = 0) -> int:
    """How many leading characters of *line* make up *width* columns of white space (or fewer)."""
    taken = 0
    column = start_column
    while taken < len(line) and column - start_column < width and line[taken] in " \t":
        column = column + 4 - column % 4 if line[taken] == "\t" else column + 1
        taken += 1
    return taken


def _indent(line: str, start_column: int = 0) -> int:
    lead = len(line) - len(line.lstrip(" \t"))
    return _columns(line[:lead], start_column)


class _Scanner:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.blocks: list[Block] = []
        self.lists: list[int] = []  # content columns of the open list items
        self.quote_depth = 0

    def quotes(self, line: str, depth: int | None = None) -> tuple[int, int]:
        """(block-quote markers found, characters they took), at most *depth* markers."""
        taken = 0
        found = 0
        while depth is None or found < depth:
            match = _QUOTE.match(line, taken)
            if match is None:
                break
            taken = match.end()
            if taken < len(line) and line[taken] in " \t":
                taken += 1
            found += 1
        return found, taken

    def run(self) -> list[Block]:
        index = 0
        while index < len(self.lines):
            index = self.line(index)
        return self.blocks

    def line(self, index: int) -> int:
        """Read the line at *index* outside any fence; return the index to read next."""
        raw = self.lines[index]
        depth, position = self.quotes(raw)
        if depth != self.quote_depth:
            self.quote_depth = depth
            self.lists = []
        if not raw[position:].strip():
            return index + 1
        container = _columns(raw[:position])
        first = container + _indent(raw[position:], container)
        while self.lists and first < self.lists[-1]:
            self.lists.pop()
        # list markers that open items on this line (`- 1. ```mermaid` opens two)
        while True:
            base = self.lists[-1] if self.lists else container
            start = position + _strip_columns(raw[position:], 1 << 30, _columns(raw[:position]))
            here = _columns(raw[:start])
            if here - base > 3:
                return index + 1  # indented code or a paragraph's continuation: no fence
            marker = _LIST_MARKER.match(raw, start)
            if marker is None:
                break
            end = marker.end()
            after = raw[end:]
            spaces = _indent(after, _columns(raw[:end]))
            if not after.strip() or spaces > 4:  # an empty item, or one that starts with indented code
                self.lists.append(_columns(raw[:end]) + 1)
                return index + 1
            self.lists.append(_columns(raw[:end]) + spaces)
            position = end
        opening = _OPENING.match(raw, start)
        if opening is None:
            return index + 1
        fence, info = opening.group(1), opening.group(2)
        if fence[0] == "`" and "`" in info:
            return index + 1  # not a fence: an inline code span
        block = Block(info=info.strip(), fence_line=index + 1, fence_column=start + 1, fence=fence)
        self.blocks.append(block)
        return self.body(block, index + 1, base, here - base)

    def body(self, block: Block, index: int, base: int, fence_indent: int) -> int:
        """Read the block's content lines up to its closing fence or its container's end."""
        closing = re.compile(rf"{re.escape(block.fence[0])}{{{len(block.fence)},}}[ \t]*")
        while index < len(self.lines):
            raw = self.lines[index]
            depth, taken = self.quotes(raw, self.quote_depth)
            if depth < self.quote_depth:
                break  # the block quote ended
            start = _columns(raw[:taken])
            rest = raw[taken:]
            if rest.strip() and start + _indent(rest, start) < base:
                break  # the list item ended
            taken += _strip_columns(rest, base - start, start)
            content = raw[taken:]
            column = _columns(raw[:taken])
            if _indent(content, column) <= 3 and closing.fullmatch(content.lstrip(" \t")):
                block.end_line = index + 1
                return index + 1
            taken += _strip_columns(content, fence_indent, column)
            block.lines.append(raw[taken:])
            block.prefixes.append(taken)
            index += 1
        block.closed = False
        block.end_line = index
        return index


def split_lines(text: str) -> list[str]:
    """The file's lines as CommonMark (and editors) count them: LF, CRLF and CR end a line."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def fenced_blocks(text: str) -> list[Block]:
    """Every fenced code block of a Markdown document, in order, whatever its language."""
    return _Scanner(split_lines(text)).run()


def mermaid_blocks(text: str) -> list[Block]:
    """The ```mermaid / ~~~mermaid fences of a Markdown document, in order."""
    return [block for block in fenced_blocks(text) if block.is_mermaid]


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)


__all__ = ["Block", "MARKDOWN_SUFFIXES", "fenced_blocks", "is_markdown", "mermaid_blocks", "split_lines"]
