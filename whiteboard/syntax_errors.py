"""Parse errors in words a person understands.

Lark reports an unexpected token and the set of terminal names it would have accepted
(``SQE``, ``START_LINK``, ``NODE_STRING``...). That is what mermaid prints too ("Expecting
'SQE', 'DOUBLECIRCLEEND', ... got 'STR'"), and it helps no one. Here each terminal gets a
plain description, related terminals collapse into one phrase ("a node id"), the closing
bracket offered is the one that matches the bracket actually open, and a few mistakes
people really make get a hint of their own.
"""

from __future__ import annotations

from lark import Token
from lark.exceptions import UnexpectedToken

from whiteboard.errors import DiagramSyntaxError

_CLOSE_NODE = "to close the node text"

# What each terminal is, for "expected ..." lists. Terminals with the same words are
# mentioned once; the order here is the order of mention.
EXPECTED_WORDS: dict[str, str] = {
    "NODE_STRING": "a node id",
    "NUM": "a node id",
    "UNICODE_TEXT": "a node id",
    "MINUS": "a node id",
    "DOWN": "a node id",
    "DEFAULT": "a node id",
    "COLON": "a node id",
    "COMMA": "a node id",
    "BRKT": "a node id",
    "MULT": "a node id",
    "UP": "a node id",
    "SQE": f"']' {_CLOSE_NODE}",
    "PE": f"')' {_CLOSE_NODE}",
    "DIAMOND_STOP": f"'}}' {_CLOSE_NODE}",
    "STADIUMEND": f"'])' {_CLOSE_NODE}",
    "SUBROUTINEEND": f"']]' {_CLOSE_NODE}",
    "CYLINDEREND": f"')]' {_CLOSE_NODE}",
    "DOUBLECIRCLEEND": f"')))' {_CLOSE_NODE}",
    "ELLIPSE_END": f"'-)' {_CLOSE_NODE}",
    "TRAPEND": f"'\\]' {_CLOSE_NODE}",
    "INVTRAPEND": f"'/]' {_CLOSE_NODE}",
    "LINK": "an arrow such as '-->'",
    "START_LINK": "an arrow such as '-->'",
    "LINK_ID": "an arrow such as '-->'",
    "PIPE": "'|' around link text",
    "AMP": "'&' to add another node",
    "SQS": "a node shape such as '[text]'",
    "PS": "a node shape such as '[text]'",
    "DIAMOND_START": "a node shape such as '[text]'",
    "STADIUMSTART": "a node shape such as '[text]'",
    "SUBROUTINESTART": "a node shape such as '[text]'",
    "CYLINDERSTART": "a node shape such as '[text]'",
    "DOUBLECIRCLESTART": "a node shape such as '[text]'",
    "ELLIPSE_START": "a node shape such as '[text]'",
    "TRAPSTART": "a node shape such as '[text]'",
    "INVTRAPSTART": "a node shape such as '[text]'",
    "TAGEND": "a node shape such as '[text]'",
    "VERTEX_WITH_PROPS_START": "a node shape such as '[text]'",
    "SHAPE_DATA": "'@{ ... }' node data",
    "STYLE_SEPARATOR": "':::' and a class name",
    "TEXT": "more text",
    "TAGSTART": "more text",
    "EDGE_TEXT": "link text",
    "STR": "a quoted string",
    "MD_STR": "a quoted string",
    "NEWLINE": "the end of the line",
    "EOF": "the end of the line",
    "SEMI": "';'",
    "SPACE": "a space",
    "DIR": "a direction (TB, TD, BT, LR or RL)",
    "NODIR": "a direction (TB, TD, BT, LR or RL)",
    "GRAPH": "'flowchart' or 'graph'",
    "END": "'end'",
    "SUBGRAPH": "a statement",
    "STYLE": "a statement",
    "LINKSTYLE": "a statement",
    "CLASSDEF": "a statement",
    "CLASS": "a statement",
    "CLICK": "a statement",
    "ACC_TITLE": "a statement",
    "ACC_DESCR": "a statement",
    "ACC_DESCR_MULTILINE_VALUE": "a statement",
    "DIRECTION_TB": "a statement",
    "DIRECTION_BT": "a statement",
    "DIRECTION_RL": "a statement",
    "DIRECTION_LR": "a statement",
    "DIRECTION_TD": "a statement",
    "CALLBACKNAME": "a callback name",
    "CALLBACKARGS": "callback arguments",
    "HREF": "'href'",
    "LINK_TARGET": "a link target such as _blank",
    "INTERPOLATE": "'interpolate'",
}

# The closing terminals that match each opening one.
_CLOSERS = {
    "SQS": {"SQE"}, "TAGEND": {"SQE"}, "VERTEX_WITH_PROPS_START": {"SQE"}, "PS": {"PE"},
    "DIAMOND_START": {"DIAMOND_STOP"}, "STADIUMSTART": {"STADIUMEND"},
    "SUBROUTINESTART": {"SUBROUTINEEND"}, "CYLINDERSTART": {"CYLINDEREND"},
    "DOUBLECIRCLESTART": {"DOUBLECIRCLEEND"}, "ELLIPSE_START": {"ELLIPSE_END"},
    "TRAPSTART": {"TRAPEND", "INVTRAPEND"}, "INVTRAPSTART": {"TRAPEND", "INVTRAPEND"},
    "PIPE": {"PIPE"},
}
_TEXT_TOKENS = {"TEXT", "TAGSTART", "TAGEND", "UNICODE_TEXT"}
_ALL_CLOSERS = set().union(*_CLOSERS.values())

# What the offending token is, for "unexpected ...".
FOUND_WORDS: dict[str, str] = {
    "$END": "end of file",
    "EOF": "end of file",
    "NEWLINE": "end of line",
    "SPACE": "space",
    "SEMI": "';'",
    "LINK": "arrow '{value}'",
    "START_LINK": "arrow start '{value}'",
    "LINK_ID": "edge id '{value}'",
    "STR": 'quoted string "{value}"',
    "MD_STR": "markdown string `{value}`",
    "END": "keyword 'end'",
    "SUBGRAPH": "keyword 'subgraph'",
    "GRAPH": "keyword '{value}'",
    "STYLE": "keyword 'style'",
    "CLASS": "keyword 'class'",
    "CLASSDEF": "keyword 'classDef'",
    "LINKSTYLE": "keyword 'linkStyle'",
    "DEFAULT": "keyword 'default'",
    "DIRECTION_TB": "'direction' statement",
    "DIRECTION_BT": "'direction' statement",
    "DIRECTION_RL": "'direction' statement",
    "DIRECTION_LR": "'direction' statement",
    "DIRECTION_TD": "'direction' statement",
    "TEXT": "text '{value}'",
    "EDGE_TEXT": "link text '{value}'",
    "SEP": "'\\|'",
    "QUOTE": "'\"'",
}


def describe_found(token_type: str, value: str) -> str:
    shown = value.strip() or value
    if len(shown) > 30:
        shown = shown[:27] + "..."
    template = FOUND_WORDS.get(token_type)
    if template:
        return template.format(value=shown)
    return f"'{shown}'"


def describe_expected(expected: set[str] | frozenset[str], closers_first: bool = False) -> tuple[str, ...]:
    """Plain phrases for a set of terminal names, deduplicated, in a stable order."""
    order = list(EXPECTED_WORDS)
    if closers_first:
        order = sorted(order, key=lambda name: name not in _ALL_CLOSERS)
    phrases: list[str] = []
    for name in sorted(expected, key=lambda n: order.index(n) if n in order else len(order)):
        phrase = EXPECTED_WORDS.get(name)
        if phrase is None or phrase in phrases:
            continue
        phrases.append(phrase)
    return tuple(phrases)


def join_phrases(phrases: tuple[str, ...]) -> str:
    if not phrases:
        return "something else"
    shown = list(phrases[:6])
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def _narrow_closers(expected: set[str], open_tokens: list[Token]) -> tuple[set[str], bool]:
    """Offer only the closing bracket that matches the innermost open one.

    Returns the narrowed set and whether we are inside a text (so closers come first
    and text-token names mean "more text", not "a node id").
    """
    if not expected & _ALL_CLOSERS:
        return expected, False
    for token in reversed(open_tokens):
        closers = _CLOSERS.get(token.type)
        if closers:
            inside_text = bool(expected & _TEXT_TOKENS)
            narrowed = (expected - _ALL_CLOSERS - {"PIPE"}) | (closers & expected or closers)
            if inside_text:
                narrowed = (narrowed - _TEXT_TOKENS) | {"TEXT"}
            return narrowed, inside_text
    return expected, False


def _hint(token_type: str, expected: set[str], line_text: str) -> str:
    stripped = line_text.strip()
    if "%%" in line_text and not stripped.startswith("%%"):
        return " (a '%%' comment must be on a line of its own)"
    if token_type == "END":
        return " ('end' closes a subgraph; to name a node end, write End or \"end\")"
    if token_type == "STR" and expected & _ALL_CLOSERS:
        return " (quotes must wrap the whole text, as in A[\"a b\"]; write #quot; for a quote inside it)"
    if token_type in ("SEP", "QUOTE"):
        return " (this character cannot appear here; put the text in double quotes)"
    if token_type == "SPACE" and "SPACE" not in expected and stripped.split(" ", 1)[0] in (
        "style", "classDef", "class", "linkStyle", "click",
    ):
        return " (one space between the parts of this statement)"
    return ""


def from_unexpected_token(error: UnexpectedToken, line_text_of) -> DiagramSyntaxError:
    """A DiagramSyntaxError for Lark's UnexpectedToken; positions still in prepared text.

    ``line_text_of(offset)`` returns the source line, for the hint heuristics.
    """
    token = error.token
    token_type = token.type
    value = str(token)
    offset = getattr(token, "start_pos", None)
    if offset is not None and token_type not in ("SPACE", "NEWLINE") and value[:1].isspace():
        offset += len(value) - len(value.lstrip())  # arrows carry their surrounding blanks
    if offset is not None and token_type in ("STR", "MD_STR"):
        offset -= 1 if token_type == "STR" else 2  # point at the opening quote
    open_tokens: list[Token] = getattr(error, "open_tokens", [])
    expected, inside_text = _narrow_closers(set(error.expected or ()), open_tokens)
    phrases = describe_expected(expected, closers_first=inside_text)
    if token_type == "$END" and "END" in expected:
        subgraphs = [t for t in open_tokens if t.type == "SUBGRAPH"]
        if subgraphs:
            return DiagramSyntaxError(
                "unexpected end of file: this 'subgraph' is never closed with 'end'",
                offset=subgraphs[-1].start_pos, found="", expected=phrases,
            )
    found = describe_found(token_type, value)
    hint = _hint(token_type, expected, line_text_of(offset) if offset is not None else "")
    if token_type in ("LINK", "START_LINK") and value.strip() and "LINK" not in expected:
        message = f"unexpected {found}: a link needs a node on each side; expected {join_phrases(phrases)}"
    else:
        message = f"unexpected {found}; expected {join_phrases(phrases)}"
    return DiagramSyntaxError(message + hint, offset=offset, found=value, expected=phrases)
