"""Parse errors in words a person understands.

Lark reports an unexpected token and the set of terminal names it would have accepted
(``SQE``, ``START_LINK``, ``NODE_STRING``...). That is what mermaid prints too ("Expecting
'SQE', 'DOUBLECIRCLEEND', ... got 'STR'"), and it helps no one. Here each terminal gets a
plain description, related terminals collapse into one phrase ("a node id"), and a few
mistakes people really make get a hint of their own.
"""

from __future__ import annotations

from lark.exceptions import UnexpectedToken

from whiteboard.errors import DiagramSyntaxError

# What each terminal is, for "expected ..." lists. Terminals mapped to the same words
# are mentioned once. Order here is the order of mention.
EXPECTED_WORDS: dict[str, str] = {
    "SQE": "']' to close the node text",
    "PE": "')' to close the node text",
    "DIAMOND_STOP": "'}' to close the node text",
    "STADIUMEND": "'])' to close the node text",
    "SUBROUTINEEND": "']]' to close the node text",
    "CYLINDEREND": "')]' to close the node text",
    "DOUBLECIRCLEEND": "')))' to close the node text",
    "ELLIPSE_END": "'-)' to close the node text",
    "TRAPEND": "'\\]' to close the node text",
    "INVTRAPEND": "'/]' to close the node text",
    "PIPE": "'|' to close the link text",
    "LINK": "an arrow such as '-->'",
    "START_LINK": "an arrow such as '-->'",
    "LINK_ID": "an arrow such as '-->'",
    "NODE_STRING": "a node id",
    "NUM": "a node id",
    "UNICODE_TEXT": "a node id",
    "MINUS": "a node id",
    "DOWN": "a node id",
    "DEFAULT": "a node id",
    "AMP": "'&' to add another node",
    "COLON": "a node id",
    "COMMA": "a node id",
    "BRKT": "a node id",
    "MULT": "a node id",
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
    "TEXT": "text",
    "EDGE_TEXT": "link text",
    "STR": "a quoted string",
    "MD_STR": "a quoted string",
    "NEWLINE": "the end of the line",
    "SEMI": "';'",
    "EOF": "the end of the line",
    "SPACE": "a space",
    "DIR": "a direction (TB, TD, BT, LR or RL)",
    "NODIR": "a direction (TB, TD, BT, LR or RL)",
    "GRAPH": "'flowchart' or 'graph'",
    "END": "'end'",
    "SUBGRAPH": "'subgraph'",
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
    "UP": "a node id",
    "TAGSTART": "text",
}

# What the offending token is, for "found ...".
FOUND_WORDS: dict[str, str] = {
    "$END": "the end of the file",
    "EOF": "the end of the file",
    "NEWLINE": "the end of the line",
    "SPACE": "a space",
    "SEMI": "';'",
    "LINK": "the arrow '{value}'",
    "START_LINK": "the arrow start '{value}'",
    "LINK_ID": "the edge id '{value}'",
    "STR": 'the quoted string "{value}"',
    "MD_STR": "the markdown string `{value}`",
    "END": "the keyword 'end'",
    "SUBGRAPH": "the keyword 'subgraph'",
    "GRAPH": "the keyword '{value}'",
    "STYLE": "the keyword 'style'",
    "CLASS": "the keyword 'class'",
    "CLASSDEF": "the keyword 'classDef'",
    "LINKSTYLE": "the keyword 'linkStyle'",
    "DEFAULT": "the keyword 'default'",
    "SEP": "'\\|'",
    "QUOTE": "'\"'",
}


def _describe_found(token_type: str, value: str) -> str:
    shown = value.strip() or value
    if len(shown) > 30:
        shown = shown[:27] + "..."
    template = FOUND_WORDS.get(token_type)
    if template:
        return template.format(value=shown)
    return f"'{shown}'"


def describe_expected(expected: set[str] | frozenset[str]) -> tuple[str, ...]:
    """Plain phrases for a set of terminal names, deduplicated, in a stable order."""
    order = list(EXPECTED_WORDS)
    phrases: list[str] = []
    for name in sorted(expected, key=lambda n: order.index(n) if n in order else len(order)):
        phrase = EXPECTED_WORDS.get(name)
        if phrase is None or phrase in phrases:
            continue
        phrases.append(phrase)
    return tuple(phrases)


def _join(phrases: tuple[str, ...]) -> str:
    if not phrases:
        return "something else"
    if len(phrases) == 1:
        return phrases[0]
    shown = list(phrases[:6])
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def _hint(token_type: str, value: str, expected: set[str], line_text: str) -> str:
    stripped = line_text.strip()
    if "%%" in line_text and not stripped.startswith("%%"):
        return " (a '%%' comment must be on a line of its own)"
    if token_type == "END":
        return " ('end' closes a subgraph; to name a node end, write End or \"end\")"
    if token_type == "STR" and expected & {"SQE", "PE", "DIAMOND_STOP", "PIPE"}:
        return ' (quotes must wrap the whole text: A["a \\"b\\" c"] is not allowed; use #quot; for a quote)'
    if token_type == "$END" and expected & {"SQE", "PE", "DIAMOND_STOP", "PIPE", "STADIUMEND"}:
        return " (a bracket or '|' is never closed)"
    if token_type in ("SEP", "QUOTE"):
        return " (this character cannot appear here; put the text in double quotes)"
    return ""


def from_unexpected_token(error: UnexpectedToken, line_text_of) -> DiagramSyntaxError:
    """A DiagramSyntaxError for Lark's UnexpectedToken; positions still in prepared text.

    ``line_text_of(offset)`` returns the source line for the hint heuristics.
    """
    token = error.token
    token_type = token.type
    value = str(token)
    offset = getattr(token, "start_pos", None)
    expected = set(error.expected or ())
    found = _describe_found(token_type, value)
    phrases = describe_expected(expected)
    hint = _hint(token_type, value, expected, line_text_of(offset) if offset is not None else "")
    if token_type in ("LINK", "START_LINK") and value.strip() and "LINK" not in expected:
        message = f"unexpected {found}: a link needs a node on each side; expected {_join(phrases)}"
    else:
        message = f"unexpected {found}; expected {_join(phrases)}"
    return DiagramSyntaxError(message + hint, offset=offset, found=value, expected=phrases)
