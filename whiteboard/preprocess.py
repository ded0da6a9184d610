"""What `mermaid.parse()` does to the text before its grammar sees it, with a map back.

mermaid normalises line ends, rewrites HTML attribute quotes, takes out `---` front
matter and `%%{init}%%` directives, drops whole-line `%%` comments (and the blank lines
before them), trims leading white space, encodes `#quot;`-style entity codes, and
squeezes white space after a closing brace at the end of a line. The grammar then runs
on that text. We do exactly the same, and remember for every character of the result
where it came from, so positions in errors and in the model point into the user's file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from whiteboard.errors import DiagramSyntaxError

_WS = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_S = f"[{_WS}]"
_NOT_S = f"[^{_WS}]"
_DOT = "[^\\n\\r\\u2028\\u2029]"

_CRLF = re.compile(r"\r\n?")
_TAG_ATTRIBUTES = re.compile(r"<(\w+)([^>]*)>", re.ASCII)
_DOUBLE_QUOTED_ATTRIBUTE = re.compile(r'="([^"]*)"')
FRONT_MATTER = re.compile(f"^-{{3}}{_S}*[\\n\\r](.*?)[\\n\\r]-{{3}}{_S}*[\\n\\r]+", re.DOTALL)
DIRECTIVE = re.compile(
    f"%{{2}}\\{{{_S}*(?:(\\w+){_S}*:|(\\w+)){_S}*(?:(\\w+)|((?:(?!\\}}%{{2}}){_DOT}|\\r?\\n)*))?{_S}*(?:\\}}%{{2}})?",
    re.IGNORECASE | re.ASCII,
)
_COMMENT_LINE = re.compile(f"^{_S}*%%(?!\\{{)[^\\n]+\\n?", re.MULTILINE)
_ANY_COMMENT = re.compile(f"{_S}*%%{_DOT}*\\n", re.MULTILINE)
_STYLE_SEMICOLON = re.compile(f"style{_DOT}*:{_NOT_S}*#{_DOT}*;")
_CLASSDEF_SEMICOLON = re.compile(f"classDef{_DOT}*:{_NOT_S}*#{_DOT}*;")
_ENTITY = re.compile(r"#\w+;", re.ASCII)
_BRACE_SPACE = re.compile(f"\\}}{_S}*\\n")
_FLOWCHART_START = re.compile(f"^{_S}*(flowchart-elk|flowchart|graph|swimlane-beta)")
_JS_TRIM = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

# Placeholders mermaid puts in place of `#name;` / `#123;` until it renders.
ENTITY_NAMED, ENTITY_NUMERIC, ENTITY_END = "ﬂ°", "ﬂ°°", "¶ß"

# Other Mermaid diagram types, by the keyword that starts them (to say what a file is).
OTHER_DIAGRAM_TYPES = (
    ("sequenceDiagram", "sequence diagram"), ("classDiagram", "class diagram"),
    ("stateDiagram", "state diagram"), ("erDiagram", "entity relationship diagram"),
    ("journey", "user journey"), ("gantt", "Gantt chart"), ("pie", "pie chart"),
    ("quadrantChart", "quadrant chart"), ("requirementDiagram", "requirement diagram"),
    ("gitGraph", "git graph"), ("mindmap", "mindmap"), ("timeline", "timeline"),
    ("C4Context", "C4 diagram"), ("C4Container", "C4 diagram"), ("C4Component", "C4 diagram"),
    ("C4Dynamic", "C4 diagram"), ("C4Deployment", "C4 diagram"), ("sankey", "Sankey diagram"),
    ("xychart", "XY chart"), ("block", "block diagram"), ("packet", "packet diagram"),
    ("architecture", "architecture diagram"), ("kanban", "kanban board"), ("radar", "radar chart"),
    ("treemap", "treemap"), ("info", "info diagram"), ("zenuml", "ZenUML diagram"),
)


@dataclass
class _Layer:
    """One rewrite: breakpoints (new_start, old_start, kept) sorted by new_start."""

    new_starts: list[int]
    old_starts: list[int]
    kept: list[bool]

    def to_old(self, position: int) -> int:
        i = bisect.bisect_right(self.new_starts, position) - 1
        if i < 0:
            return position
        offset = position - self.new_starts[i]
        return self.old_starts[i] + (offset if self.kept[i] else 0)


@dataclass
class PreparedText:
    """The text mermaid's grammar sees, and how to find the original position of any offset."""

    text: str
    original: str
    layers: list[_Layer] = field(default_factory=list)
    front_matter: dict[str, Any] = field(default_factory=dict)
    directives: list[str] = field(default_factory=list)
    comments: list[tuple[str, int]] = field(default_factory=list)  # (text, original offset)
    diagram_type: str = "flowchart-v2"
    config: dict[str, Any] = field(default_factory=dict)
    _line_starts: list[int] | None = None

    def original_offset(self, position: int) -> int:
        for layer in reversed(self.layers):
            position = layer.to_old(position)
        return position

    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            starts.extend(m.end() for m in re.finditer(r"\r\n|\r|\n", self.original))
            self._line_starts = starts
        return self._line_starts

    def line_column(self, original_offset: int) -> tuple[int, int]:
        starts = self.line_starts()
        index = bisect.bisect_right(starts, original_offset) - 1
        return index + 1, original_offset - starts[index] + 1

    def position(self, prepared_offset: int) -> tuple[int, int]:
        """1-based (line, column) in the original text of an offset in ``text``."""
        return self.line_column(self.original_offset(prepared_offset))

    def source_line(self, line: int) -> str:
        starts = self.line_starts()
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.original)
        return self.original[start:end].rstrip("\r\n")


def _rewrite(prepared: PreparedText, pattern: re.Pattern[str],
             replace: Callable[[re.Match[str]], str], keep_prefix: Callable[[re.Match[str]], int] | None = None,
             ) -> list[re.Match[str]]:
    """Apply ``pattern.sub(replace)`` to ``prepared.text`` and record the position map.

    ``keep_prefix(match)`` says how many leading characters of the replacement are the
    match's own first characters, unchanged (so they keep exact positions); the rest of
    the replacement maps to the end of that prefix.
    """
    text = prepared.text
    matches = list(pattern.finditer(text))
    if not matches:
        return matches
    pieces: list[str] = []
    new_starts: list[int] = []
    old_starts: list[int] = []
    kept: list[bool] = []
    last = 0
    new_pos = 0
    changed = False
    for match in matches:
        start, end = match.span()
        if start > last:
            new_starts.append(new_pos)
            old_starts.append(last)
            kept.append(True)
            pieces.append(text[last:start])
            new_pos += start - last
        replacement = replace(match)
        if replacement != match.group():
            changed = True
        prefix = keep_prefix(match) if keep_prefix else 0
        if prefix:
            new_starts.append(new_pos)
            old_starts.append(start)
            kept.append(True)
        if len(replacement) > prefix:
            new_starts.append(new_pos + prefix)
            old_starts.append(start + prefix)
            kept.append(replacement == match.group())
        pieces.append(replacement)
        new_pos += len(replacement)
        last = end
    if last < len(text):
        new_starts.append(new_pos)
        old_starts.append(last)
        kept.append(True)
        pieces.append(text[last:])
    if changed:
        prepared.text = "".join(pieces)
        prepared.layers.append(_Layer(new_starts, old_starts, kept))
    return matches


def _quote_attributes(match: re.Match[str]) -> str:
    return "<" + match.group(1) + _DOUBLE_QUOTED_ATTRIBUTE.sub(r"='\1'", match.group(2)) + ">"


def _encode_entity(match: re.Match[str]) -> str:
    inner = match.group()[1:-1]
    if re.fullmatch(r"\+?\d+", inner, re.ASCII):
        return ENTITY_NUMERIC + inner + ENTITY_END
    return ENTITY_NAMED + inner + ENTITY_END


def decode_entities(text: str) -> str:
    """Turn mermaid's entity placeholders into HTML entities, as its renderer does."""
    if "ﬂ" not in text and "¶" not in text:
        return text
    return text.replace(ENTITY_NUMERIC, "&#").replace(ENTITY_NAMED, "&").replace(ENTITY_END, ";")


def _first_word_error(prepared: PreparedText, detect_text: str) -> DiagramSyntaxError:
    stripped = detect_text.lstrip(_JS_TRIM)
    offset_in_prepared = len(prepared.text) - len(prepared.text.lstrip(_JS_TRIM))
    if not stripped:
        return DiagramSyntaxError(
            "there is no diagram here: expected a first line such as 'flowchart TD' or 'graph LR'",
            offset=offset_in_prepared, kind="empty",
        )
    for keyword, name in OTHER_DIAGRAM_TYPES:
        if stripped.startswith(keyword):
            return DiagramSyntaxError(
                f"this is a Mermaid {name} ('{keyword}'), not a flowchart: whiteboard reads "
                "flowcharts, which start with 'flowchart' or 'graph'",
                offset=offset_in_prepared, found=keyword, kind="other-diagram",
            )
    word = re.match(r"\S*", stripped).group()[:40]  # type: ignore[union-attr]
    hint = ""
    if word.lower() in ("flowchart", "graph"):
        hint = f" (keywords are case-sensitive: write '{word.lower()}')"
    return DiagramSyntaxError(
        f"not a Mermaid flowchart: expected 'flowchart' or 'graph' at the start, found '{word}'{hint}",
        offset=offset_in_prepared, found=word, kind="not-flowchart",
    )


def prepare(original: str) -> PreparedText:
    """Run mermaid.parse()'s preprocessing on *original* (already decoded, BOM removed).

    Raises DiagramSyntaxError, positioned in *original*, when the text is not a flowchart
    at all: empty, another diagram type, or bad front matter.
    """
    prepared = PreparedText(text=original, original=original)
    try:
        return _prepare(prepared)
    except DiagramSyntaxError as error:
        if error.offset is not None:
            error.line, error.column = prepared.position(min(error.offset, len(prepared.text)))
            error.offset = None
        raise


def _prepare(prepared: PreparedText) -> PreparedText:
    # mermaid.parse() preprocesses the text, then getDiagramFromText() preprocesses the
    # result again: front matter after blank lines (or after a comment) is only found
    # the second time, once the first pass has trimmed what was before it.
    _preprocess_diagram(prepared, first_pass=True)
    _preprocess_diagram(prepared, first_pass=False)
    detect_text = _ANY_COMMENT.sub("\n", prepared.text) if "%%" in prepared.text else prepared.text
    kind = _FLOWCHART_START.match(detect_text)
    if kind is None:
        raise _first_word_error(prepared, detect_text)
    prepared.diagram_type = "flowchart-elk" if kind.group(1) == "flowchart-elk" else "flowchart-v2"
    if kind.group(1) == "swimlane-beta":
        raise DiagramSyntaxError(
            "this is a Mermaid swimlane diagram ('swimlane-beta'), not a flowchart",
            offset=0, found="swimlane-beta", kind="other-diagram",
        )
    if "style" in prepared.text:
        _rewrite(prepared, _STYLE_SEMICOLON, lambda m: m.group()[:-1], keep_prefix=lambda m: len(m.group()) - 1)
    if "classDef" in prepared.text:
        _rewrite(prepared, _CLASSDEF_SEMICOLON, lambda m: m.group()[:-1], keep_prefix=lambda m: len(m.group()) - 1)
    if "#" in prepared.text:
        _rewrite(prepared, _ENTITY, _encode_entity)
    prepared.text += "\n"
    if "}" in prepared.text:
        _rewrite(prepared, _BRACE_SPACE, lambda m: "}\n", keep_prefix=lambda m: 1)
    return prepared


def _preprocess_diagram(prepared: PreparedText, *, first_pass: bool) -> None:
    """mermaid's preprocessDiagram(): line ends, attribute quotes, front matter,
    directives, comment lines, leading white space. Only the first pass's configuration
    is applied (mermaid discards what the second one finds)."""
    _rewrite(prepared, _CRLF, lambda m: "\n")
    if "<" in prepared.text:
        _rewrite(prepared, _TAG_ATTRIBUTES, _quote_attributes, keep_prefix=lambda m: len(m.group()))
    front = FRONT_MATTER.match(prepared.text)
    if front:
        data = _read_front_matter(front.group(1), prepared)
        if not prepared.front_matter:
            prepared.front_matter = data
        if first_pass and isinstance(data.get("config"), dict):
            prepared.config = _deep_merge({}, data["config"])
        _rewrite(prepared, FRONT_MATTER, lambda m: "")
    if "%%" in prepared.text:
        directives = _rewrite(prepared, DIRECTIVE, lambda m: "")
        prepared.directives.extend(m.group() for m in directives)
        init = _init_config(directives) if first_pass else {}
        if init:
            prepared.config = _deep_merge(prepared.config, init)
        layers_before = list(prepared.layers)
        for match in _rewrite(prepared, _COMMENT_LINE, lambda m: ""):
            # Positions are in the text the comment was cut from: map through the
            # earlier layers only. Each points at the comment's first '%'.
            position = match.start() + match.group().index("%%")
            for layer in reversed(layers_before):
                position = layer.to_old(position)
            body = match.group().strip(_JS_TRIM)[2:].strip()
            prepared.comments.append((body, position))
    lead = len(prepared.text) - len(prepared.text.lstrip(_JS_TRIM))
    if lead:
        _rewrite(prepared, re.compile(f"^{_S}+"), lambda m: "")


def _read_front_matter(body: str, prepared: PreparedText) -> dict[str, Any]:
    from whiteboard.yaml_json import load_json_schema_yaml

    try:
        data = load_json_schema_yaml(body)
    except ValueError as error:
        raise DiagramSyntaxError(
            f"the front matter between the '---' lines is not valid YAML: {error}",
            offset=0, kind="front-matter",
        ) from None
    return data if isinstance(data, dict) else {}


def _init_config(directives: list[re.Match[str]]) -> dict[str, Any]:
    """The configuration `%%{init: {...}}%%` directives set, merged as mermaid merges them.

    mermaid reads the arguments as JSON after turning every single quote into a double
    one; if any directive's JSON is broken it ignores them all.
    """
    import json

    merged: dict[str, Any] = {}
    for match in directives:
        kind = match.group(1) or match.group(2) or ""
        if not re.search(r"init\b|initialize\b", kind):
            continue
        if match.group(3):
            continue
        raw = (match.group(4) or "").strip()
        if not raw:
            continue
        try:
            args = json.loads(raw.replace("'", '"'))
        except ValueError:
            return {}
        if isinstance(args, dict):
            merged = _deep_merge(merged, args)
    if "config" in merged:
        merged["flowchart"] = merged.pop("config")
    return merged


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _deep_merge(result[key], value)
        else:
            result[key] = value
    return result
