"""The Mermaid flowchart lexer: mermaid-js's modal jison lexer, rule for rule.

Why a lexer of our own: mermaid's lexer is *modal* (a stack of start conditions for
strings, node text, edge text, ``@{...}`` shape data, ``click`` arguments...) and picks
the *first* rule that matches, not the longest. The same characters mean different
tokens by context (``end`` is a keyword, ``endpoint`` an id; ``-- text -->`` is edge
text). Lark's contextual lexer cannot express a state stack, so this class feeds Lark's
LALR parser the grammar's terminals (declared in ``grammar/flowchart.lark``) with
positions.

The rule table below is mermaid 11.17.2's *compiled* lexer (what the npm package
runs), not the ``flow.jison`` source: the jison build changes some patterns (``\\b``
appended after a trailing word character; ``=(?!=)`` compiled to a branch that never
matches), and the compiled form is what users get. Each state tries its rules in table
order; we join them into one alternation per state, which Python's ``re`` also tries
left to right, so "first rule wins" holds and each token costs one ``match`` call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from lark import Token
from lark.lexer import Lexer

from whiteboard.errors import DiagramSyntaxError

# JavaScript's \s and '.', spelled out so Python matches exactly the same characters.
_WS = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
S = f"[{_WS}]"
NOT_S = f"[^{_WS}]"
DOT = "[^\\n\\r\\u2028\\u2029]"

# mermaid's UNICODE_TEXT: one letter from these ranges (the \uXXXX escapes as written
# in mermaid's grammar, which Python's re understands too).
_UNICODE_LETTERS = (
    "\\u00AA\\u00B5\\u00BA\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02C1\\u02C6-\\u02D1"
    "\\u02E0-\\u02E4\\u02EC\\u02EE\\u0370-\\u0374\\u0376\\u0377\\u037A-\\u037D\\u0386"
    "\\u0388-\\u038A\\u038C\\u038E-\\u03A1\\u03A3-\\u03F5\\u03F7-\\u0481\\u048A-\\u0527"
    "\\u0531-\\u0556\\u0559\\u0561-\\u0587\\u05D0-\\u05EA\\u05F0-\\u05F2\\u0620-\\u064A"
    "\\u066E\\u066F\\u0671-\\u06D3\\u06D5\\u06E5\\u06E6\\u06EE\\u06EF\\u06FA-\\u06FC\\u06FF"
    "\\u0710\\u0712-\\u072F\\u074D-\\u07A5\\u07B1\\u07CA-\\u07EA\\u07F4\\u07F5\\u07FA"
    "\\u0800-\\u0815\\u081A\\u0824\\u0828\\u0840-\\u0858\\u08A0\\u08A2-\\u08AC\\u0904-\\u0939"
    "\\u093D\\u0950\\u0958-\\u0961\\u0971-\\u0977\\u0979-\\u097F\\u0985-\\u098C\\u098F\\u0990"
    "\\u0993-\\u09A8\\u09AA-\\u09B0\\u09B2\\u09B6-\\u09B9\\u09BD\\u09CE\\u09DC\\u09DD"
    "\\u09DF-\\u09E1\\u09F0\\u09F1\\u0A05-\\u0A0A\\u0A0F\\u0A10\\u0A13-\\u0A28\\u0A2A-\\u0A30"
    "\\u0A32\\u0A33\\u0A35\\u0A36\\u0A38\\u0A39\\u0A59-\\u0A5C\\u0A5E\\u0A72-\\u0A74"
    "\\u0A85-\\u0A8D\\u0A8F-\\u0A91\\u0A93-\\u0AA8\\u0AAA-\\u0AB0\\u0AB2\\u0AB3\\u0AB5-\\u0AB9"
    "\\u0ABD\\u0AD0\\u0AE0\\u0AE1\\u0B05-\\u0B0C\\u0B0F\\u0B10\\u0B13-\\u0B28\\u0B2A-\\u0B30"
    "\\u0B32\\u0B33\\u0B35-\\u0B39\\u0B3D\\u0B5C\\u0B5D\\u0B5F-\\u0B61\\u0B71\\u0B83"
    "\\u0B85-\\u0B8A\\u0B8E-\\u0B90\\u0B92-\\u0B95\\u0B99\\u0B9A\\u0B9C\\u0B9E\\u0B9F\\u0BA3"
    "\\u0BA4\\u0BA8-\\u0BAA\\u0BAE-\\u0BB9\\u0BD0\\u0C05-\\u0C0C\\u0C0E-\\u0C10\\u0C12-\\u0C28"
    "\\u0C2A-\\u0C33\\u0C35-\\u0C39\\u0C3D\\u0C58\\u0C59\\u0C60\\u0C61\\u0C85-\\u0C8C"
    "\\u0C8E-\\u0C90\\u0C92-\\u0CA8\\u0CAA-\\u0CB3\\u0CB5-\\u0CB9\\u0CBD\\u0CDE\\u0CE0\\u0CE1"
    "\\u0CF1\\u0CF2\\u0D05-\\u0D0C\\u0D0E-\\u0D10\\u0D12-\\u0D3A\\u0D3D\\u0D4E\\u0D60\\u0D61"
    "\\u0D7A-\\u0D7F\\u0D85-\\u0D96\\u0D9A-\\u0DB1\\u0DB3-\\u0DBB\\u0DBD\\u0DC0-\\u0DC6"
    "\\u0E01-\\u0E30\\u0E32\\u0E33\\u0E40-\\u0E46\\u0E81\\u0E82\\u0E84\\u0E87\\u0E88\\u0E8A"
    "\\u0E8D\\u0E94-\\u0E97\\u0E99-\\u0E9F\\u0EA1-\\u0EA3\\u0EA5\\u0EA7\\u0EAA\\u0EAB"
    "\\u0EAD-\\u0EB0\\u0EB2\\u0EB3\\u0EBD\\u0EC0-\\u0EC4\\u0EC6\\u0EDC-\\u0EDF\\u0F00"
    "\\u0F40-\\u0F47\\u0F49-\\u0F6C\\u0F88-\\u0F8C\\u1000-\\u102A\\u103F\\u1050-\\u1055"
    "\\u105A-\\u105D\\u1061\\u1065\\u1066\\u106E-\\u1070\\u1075-\\u1081\\u108E\\u10A0-\\u10C5"
    "\\u10C7\\u10CD\\u10D0-\\u10FA\\u10FC-\\u1248\\u124A-\\u124D\\u1250-\\u1256\\u1258"
    "\\u125A-\\u125D\\u1260-\\u1288\\u128A-\\u128D\\u1290-\\u12B0\\u12B2-\\u12B5\\u12B8-\\u12BE"
    "\\u12C0\\u12C2-\\u12C5\\u12C8-\\u12D6\\u12D8-\\u1310\\u1312-\\u1315\\u1318-\\u135A"
    "\\u1380-\\u138F\\u13A0-\\u13F4\\u1401-\\u166C\\u166F-\\u167F\\u1681-\\u169A\\u16A0-\\u16EA"
    "\\u1700-\\u170C\\u170E-\\u1711\\u1720-\\u1731\\u1740-\\u1751\\u1760-\\u176C\\u176E-\\u1770"
    "\\u1780-\\u17B3\\u17D7\\u17DC\\u1820-\\u1877\\u1880-\\u18A8\\u18AA\\u18B0-\\u18F5"
    "\\u1900-\\u191C\\u1950-\\u196D\\u1970-\\u1974\\u1980-\\u19AB\\u19C1-\\u19C7\\u1A00-\\u1A16"
    "\\u1A20-\\u1A54\\u1AA7\\u1B05-\\u1B33\\u1B45-\\u1B4B\\u1B83-\\u1BA0\\u1BAE\\u1BAF"
    "\\u1BBA-\\u1BE5\\u1C00-\\u1C23\\u1C4D-\\u1C4F\\u1C5A-\\u1C7D\\u1CE9-\\u1CEC\\u1CEE-\\u1CF1"
    "\\u1CF5\\u1CF6\\u1D00-\\u1DBF\\u1E00-\\u1F15\\u1F18-\\u1F1D\\u1F20-\\u1F45\\u1F48-\\u1F4D"
    "\\u1F50-\\u1F57\\u1F59\\u1F5B\\u1F5D\\u1F5F-\\u1F7D\\u1F80-\\u1FB4\\u1FB6-\\u1FBC\\u1FBE"
    "\\u1FC2-\\u1FC4\\u1FC6-\\u1FCC\\u1FD0-\\u1FD3\\u1FD6-\\u1FDB\\u1FE0-\\u1FEC\\u1FF2-\\u1FF4"
    "\\u1FF6-\\u1FFC\\u2071\\u207F\\u2090-\\u209C\\u2102\\u2107\\u210A-\\u2113\\u2115"
    "\\u2119-\\u211D\\u2124\\u2126\\u2128\\u212A-\\u212D\\u212F-\\u2139\\u213C-\\u213F"
    "\\u2145-\\u2149\\u214E\\u2183\\u2184\\u2C00-\\u2C2E\\u2C30-\\u2C5E\\u2C60-\\u2CE4"
    "\\u2CEB-\\u2CEE\\u2CF2\\u2CF3\\u2D00-\\u2D25\\u2D27\\u2D2D\\u2D30-\\u2D67\\u2D6F"
    "\\u2D80-\\u2D96\\u2DA0-\\u2DA6\\u2DA8-\\u2DAE\\u2DB0-\\u2DB6\\u2DB8-\\u2DBE\\u2DC0-\\u2DC6"
    "\\u2DC8-\\u2DCE\\u2DD0-\\u2DD6\\u2DD8-\\u2DDE\\u2E2F\\u3005\\u3006\\u3031-\\u3035\\u303B"
    "\\u303C\\u3041-\\u3096\\u309D-\\u309F\\u30A1-\\u30FA\\u30FC-\\u30FF\\u3105-\\u312D"
    "\\u3131-\\u318E\\u31A0-\\u31BA\\u31F0-\\u31FF\\u3400-\\u4DB5\\u4E00-\\u9FCC\\uA000-\\uA48C"
    "\\uA4D0-\\uA4FD\\uA500-\\uA60C\\uA610-\\uA61F\\uA62A\\uA62B\\uA640-\\uA66E\\uA67F-\\uA697"
    "\\uA6A0-\\uA6E5\\uA717-\\uA71F\\uA722-\\uA788\\uA78B-\\uA78E\\uA790-\\uA793\\uA7A0-\\uA7AA"
    "\\uA7F8-\\uA801\\uA803-\\uA805\\uA807-\\uA80A\\uA80C-\\uA822\\uA840-\\uA873\\uA882-\\uA8B3"
    "\\uA8F2-\\uA8F7\\uA8FB\\uA90A-\\uA925\\uA930-\\uA946\\uA960-\\uA97C\\uA984-\\uA9B2\\uA9CF"
    "\\uAA00-\\uAA28\\uAA40-\\uAA42\\uAA44-\\uAA4B\\uAA60-\\uAA76\\uAA7A\\uAA80-\\uAAAF\\uAAB1"
    "\\uAAB5\\uAAB6\\uAAB9-\\uAABD\\uAAC0\\uAAC2\\uAADB-\\uAADD\\uAAE0-\\uAAEA\\uAAF2-\\uAAF4"
    "\\uAB01-\\uAB06\\uAB09-\\uAB0E\\uAB11-\\uAB16\\uAB20-\\uAB26\\uAB28-\\uAB2E\\uABC0-\\uABE2"
    "\\uAC00-\\uD7A3\\uD7B0-\\uD7C6\\uD7CB-\\uD7FB\\uF900-\\uFA6D\\uFA70-\\uFAD9\\uFB00-\\uFB06"
    "\\uFB13-\\uFB17\\uFB1D\\uFB1F-\\uFB28\\uFB2A-\\uFB36\\uFB38-\\uFB3C\\uFB3E\\uFB40\\uFB41"
    "\\uFB43\\uFB44\\uFB46-\\uFBB1\\uFBD3-\\uFD3D\\uFD50-\\uFD8F\\uFD92-\\uFDC7\\uFDF0-\\uFDFB"
    "\\uFE70-\\uFE74\\uFE76-\\uFEFC\\uFF21-\\uFF3A\\uFF41-\\uFF5A\\uFF66-\\uFFBE\\uFFC2-\\uFFC7"
    "\\uFFCA-\\uFFCF\\uFFD2-\\uFFD7\\uFFDA-\\uFFDC"
)

# A rule does at most: pop the state, then push one, then emit a token.
GRAPH_KEYWORD = "graph-keyword"  # GRAPH, and enter the 'dir' state the first time only


@dataclass(frozen=True)
class Rule:
    pattern: str
    token: str | None  # terminal emitted, or None: the text is consumed silently
    pop: bool = False
    push: str | None = None
    special: str | None = None
    # The ASCII characters a match can start with ("" for none: a non-ASCII letter);
    # None: any character, or the rule can match the empty string. A rule whose set has
    # a space also starts with JavaScript's non-ASCII spaces. Used only to skip rules
    # that cannot match (see _Variant.for_char).
    first: str | None = None


def _r(pattern: str, token: str | None = None, *, pop: bool = False, push: str | None = None,
       special: str | None = None, first: str | None = None) -> Rule:
    return Rule(pattern, token, pop, push, special, first)


_ASCII_WS = "\t\n\x0b\x0c\r "
_NODE_STRING_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!\"#$%&'*+.`?\\_/-"


# (states, rule). '*' means every state; 'INITIAL' is the only inclusive state, so a rule
# without a state list belongs to INITIAL alone. Order is mermaid's rule order.
_ANY = ("*",)
_I = ("INITIAL",)
RULES: list[tuple[tuple[str, ...], Rule]] = [
    (_I, _r(f"accTitle{S}*:{S}*", "ACC_TITLE", push="acc_title", first='a')),
    (("acc_title",), _r("[^\\n]*", "ACC_TITLE_VALUE", pop=True)),
    (_I, _r(f"accDescr{S}*:{S}*", "ACC_DESCR", push="acc_descr", first='a')),
    (("acc_descr",), _r("[^\\n]*", "ACC_DESCR_VALUE", pop=True)),
    (_I, _r(f"accDescr{S}*\\{{{S}*", None, push="acc_descr_multiline", first='a')),
    (("acc_descr_multiline",), _r("[\\}]", None, pop=True, first='}')),
    (("acc_descr_multiline",), _r("[^\\}]*", "ACC_DESCR_MULTILINE_VALUE")),
    (_I, _r("@\\{", "SHAPE_DATA", push="shapeData", special="empty-text", first='@')),
    (("shapeData",), _r('["]', "SHAPE_DATA", push="shapeDataStr", first='"')),
    (("shapeDataStr",), _r('["]', "SHAPE_DATA", pop=True, first='"')),
    (("shapeDataStr",), _r('[^"]+', "SHAPE_DATA", special="newlines-to-br")),
    (("shapeData",), _r('[^}^"]+', "SHAPE_DATA")),
    (("shapeData",), _r("\\}", None, pop=True, first='}')),
    (_I, _r(f"call{S}+", None, push="callbackname", first='c')),
    (("callbackname",), _r(f"\\({S}*\\)", None, pop=True, first='(')),
    (("callbackname",), _r("\\(", None, pop=True, push="callbackargs", first='(')),
    (("callbackname",), _r("[^(]*", "CALLBACKNAME")),
    (("callbackargs",), _r("\\)", None, pop=True, first=')')),
    (("callbackargs",), _r("[^)]*", "CALLBACKARGS")),
    (("md_string",), _r('[^`"]+', "MD_STR")),
    (("md_string",), _r('[`]["]', None, pop=True, first='`')),
    (_ANY, _r('["][`]', None, push="md_string", first='"')),
    (("string",), _r('[^"]+', "STR")),
    (("string",), _r('["]', None, pop=True, first='"')),
    (_ANY, _r('["]', None, push="string", first='"')),
    (_I, _r("style\\b", "STYLE", first='s')),
    (_I, _r("default\\b", "DEFAULT", first='d')),
    (_I, _r("linkStyle\\b", "LINKSTYLE", first='l')),
    (_I, _r("interpolate\\b", "INTERPOLATE", first='i')),
    (_I, _r("classDef\\b", "CLASSDEF", first='c')),
    (_I, _r("class\\b", "CLASS", first='c')),
    (_I, _r(f"href{S}", "HREF", first='h')),
    (_I, _r(f"click{S}+", None, push="click", first='c')),
    (("click",), _r(f"(?:{S}|\\n)", None, pop=True)),
    (("click",), _r(f"[^{_WS}\\n]*", "CLICK")),
    (_I, _r("flowchart-elk\\b", "GRAPH", special=GRAPH_KEYWORD, first='f')),
    (_I, _r("swimlane-beta\\b", "GRAPH", special=GRAPH_KEYWORD, first='s')),
    (_I, _r("graph\\b", "GRAPH", special=GRAPH_KEYWORD, first='g')),
    (_I, _r("flowchart\\b", "GRAPH", special=GRAPH_KEYWORD, first='f')),
    (_I, _r("subgraph\\b", "SUBGRAPH", first='s')),
    (_I, _r(f"end\\b{S}*", "END", first='e')),
    (_I, _r("_self\\b", "LINK_TARGET", first='_')),
    (_I, _r("_blank\\b", "LINK_TARGET", first='_')),
    (_I, _r("_parent\\b", "LINK_TARGET", first='_')),
    (_I, _r("_top\\b", "LINK_TARGET", first='_')),
    (("dir",), _r(f"(?:\\r?\\n)*{S}*\\n", "NODIR", pop=True)),
    (("dir",), _r(f"{S}*LR\\b", "DIR", pop=True)),
    (("dir",), _r(f"{S}*RL\\b", "DIR", pop=True)),
    (("dir",), _r(f"{S}*TB\\b", "DIR", pop=True)),
    (("dir",), _r(f"{S}*BT\\b", "DIR", pop=True)),
    (("dir",), _r(f"{S}*TD\\b", "DIR", pop=True)),
    (("dir",), _r(f"{S}*BR\\b", "DIR", pop=True)),
    (("dir",), _r(f"{S}*<", "DIR", pop=True)),
    (("dir",), _r(f"{S}*>", "DIR", pop=True)),
    (("dir",), _r(f"{S}*\\^", "DIR", pop=True)),
    (("dir",), _r(f"{S}*v\\b", "DIR", pop=True)),
    (_I, _r(f"{DOT}*direction{S}+TB[^\\n]*", "DIRECTION_TB")),
    (_I, _r(f"{DOT}*direction{S}+BT[^\\n]*", "DIRECTION_BT")),
    (_I, _r(f"{DOT}*direction{S}+RL[^\\n]*", "DIRECTION_RL")),
    (_I, _r(f"{DOT}*direction{S}+LR[^\\n]*", "DIRECTION_LR")),
    (_I, _r(f"{DOT}*direction{S}+TD[^\\n]*", "DIRECTION_TD")),
    (_I, _r(f'[^{_WS}"]+@(?=[^{{"])', "LINK_ID")),
    (_I, _r("[0-9]+", "NUM", first='0123456789')),
    (_I, _r("#", "BRKT", first='#')),
    (_I, _r(":::", "STYLE_SEPARATOR", first=':')),
    (_I, _r(":", "COLON", first=':')),
    (_I, _r("&", "AMP", first='&')),
    (_I, _r(";", "SEMI", first=';')),
    (_I, _r(",", "COMMA", first=',')),
    (_I, _r("\\*", "MULT", first='*')),
    (("INITIAL", "edgeText"), _r(f"{S}*[xo<]?--+[-xo>]{S}*", "LINK", pop=True, first=_ASCII_WS + 'xo<-')),
    (_I, _r(f"{S}*[xo<]?--{S}*", "START_LINK", push="edgeText", first=_ASCII_WS + 'xo<-')),
    (("edgeText",), _r("[^-]|-(?!-)", "EDGE_TEXT")),
    (("INITIAL", "thickEdgeText"), _r(f"{S}*[xo<]?==+[=xo>]{S}*", "LINK", pop=True, first=_ASCII_WS + 'xo<=')),
    (_I, _r(f"{S}*[xo<]?=={S}*", "START_LINK", push="thickEdgeText", first=_ASCII_WS + 'xo<=')),
    (("thickEdgeText",), _r("[^=]", "EDGE_TEXT")),
    (("INITIAL", "dottedEdgeText"), _r(f"{S}*[xo<]?-?\\.+-[xo>]?{S}*", "LINK", pop=True, first=_ASCII_WS + 'xo<-.')),
    (_I, _r(f"{S}*[xo<]?-\\.{S}*", "START_LINK", push="dottedEdgeText", first=_ASCII_WS + 'xo<-')),
    (("dottedEdgeText",), _r("[^.]", "EDGE_TEXT")),
    (_ANY, _r(f"{S}*~~[~]+{S}*", "LINK", first=_ASCII_WS + '~')),
    (("ellipseText",), _r("[-/)][)]", "ELLIPSE_END", pop=True, first='-/)')),
    (("ellipseText",), _r("[^()\\[\\]{}]|!\\)+", "TEXT")),
    (_ANY, _r("\\(-", "ELLIPSE_START", push="ellipseText", first='(')),
    (("text",), _r("\\]\\)", "STADIUMEND", pop=True, first=']')),
    (_ANY, _r("\\(\\[", "STADIUMSTART", push="text", first='(')),
    (("text",), _r("\\]\\]", "SUBROUTINEEND", pop=True, first=']')),
    (_ANY, _r("\\[\\[", "SUBROUTINESTART", push="text", first='[')),
    (_I, _r("\\[\\|", "VERTEX_WITH_PROPS_START", first='[')),
    (_I, _r(">", "TAGEND", push="text", first='>')),
    (("text",), _r("\\)\\]", "CYLINDEREND", pop=True, first=')')),
    (_ANY, _r("\\[\\(", "CYLINDERSTART", push="text", first='[')),
    (("text",), _r("\\)\\)\\)", "DOUBLECIRCLEEND", pop=True, first=')')),
    (_ANY, _r("\\(\\(\\(", "DOUBLECIRCLESTART", push="text", first='(')),
    (("trapText",), _r("[\\\\(?=\\]]\\]", "TRAPEND", pop=True, first='\\(?=]')),
    (("trapText",), _r("/(?=\\])\\]", "INVTRAPEND", pop=True, first='/')),
    (("trapText",), _r("/(?!\\])|\\\\(?!\\])|[^\\\\\\[\\](){}/]+", "TEXT")),
    (_ANY, _r("\\[/", "TRAPSTART", push="trapText", first='[')),
    (_ANY, _r("\\[\\\\", "INVTRAPSTART", push="trapText", first='[')),
    (_I, _r("<", "TAGSTART", first='<')),
    (_I, _r(">", "TAGEND", first='>')),
    (_I, _r("\\^", "UP", first='^')),
    (_I, _r("\\\\\\|", "SEP", first='\\')),
    (_I, _r("v\\b", "DOWN", first='v')),
    (_I, _r("\\*", "MULT", first='*')),
    (_I, _r("#", "BRKT", first='#')),
    (_I, _r("&", "AMP", first='&')),
    (_I, _r("(?:[A-Za-z0-9!\"#$%&'*+.`?\\\\_/]|-(?=[^>\\-.]))+", "NODE_STRING", first=_NODE_STRING_FIRST)),
    (_I, _r("-", "MINUS", first='-')),
    (_I, _r(f"[{_UNICODE_LETTERS}]", "UNICODE_TEXT", first='')),
    (("text",), _r("\\|", "PIPE", pop=True, first='|')),
    (_ANY, _r("\\|", "PIPE", push="text", first='|')),
    (("text",), _r("\\)", "PE", pop=True, first=')')),
    (_ANY, _r("\\(", "PS", push="text", first='(')),
    (("text",), _r("\\]", "SQE", pop=True, first=']')),
    (_ANY, _r("\\[", "SQS", push="text", first='[')),
    (("text",), _r("\\}", "DIAMOND_STOP", pop=True, first='}')),
    (_ANY, _r("\\{", "DIAMOND_START", push="text", first='{')),
    (("text",), _r('[^\\[\\](){}|"]+', "TEXT")),
    (_I, _r('"', "QUOTE", first='"')),
    (_I, _r("(?:\\r?\\n)+", "NEWLINE", first='\r\n')),
    (_I, _r(S, "SPACE", first=_ASCII_WS + '')),
    (_I, _r("\\Z", "EOF")),
]

STATES = (
    "INITIAL", "acc_title", "acc_descr", "acc_descr_multiline", "shapeData", "shapeDataStr",
    "callbackname", "callbackargs", "md_string", "string", "click", "dir", "edgeText",
    "thickEdgeText", "dottedEdgeText", "ellipseText", "text", "trapText",
)

# Tokens the lexer can emit that no grammar rule accepts: mermaid emits them too, and
# its parser then fails on them. We keep them so the error names the same thing.
UNPARSEABLE_TOKENS = frozenset({"SEP", "QUOTE"})


# Two INITIAL rule families can only match when a literal is ahead on the current line:
# the `direction XX` rules (they scan the whole line) and LINK_ID (it scans a run of
# non-space characters for '@'). Tried at every token they make lexing quadratic in the
# line length, so each state also has variants without them, used when the literal is
# not ahead. The full variant is always correct; the others only skip impossible rules.
_NEEDS = {"DIRECTION_TB": "direction", "DIRECTION_BT": "direction", "DIRECTION_RL": "direction",
          "DIRECTION_LR": "direction", "DIRECTION_TD": "direction", "LINK_ID": "@"}
_VARIANTS = ((True, True), (True, False), (False, True), (False, False))  # (direction, @)


class _Variant:
    """The rules of one state (and variant), compiled: all of them, and per first character.

    ``pattern`` is the whole alternation, in rule order. ``by_char[c]`` is the same
    alternation without the rules that cannot start with the ASCII character ``c``, so a
    token costs one regex attempt over a handful of rules instead of seventy; built on
    first use.
    """

    __slots__ = ("rules", "_pattern", "by_char")

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self._pattern: re.Pattern[str] | None = None
        self.by_char: dict[str, tuple[re.Pattern[str], list[Rule]]] = {}

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:  # compiled on first use: most states never need it
            self._pattern = _alternation(self.rules)
        return self._pattern

    def for_char(self, char: str) -> tuple[re.Pattern[str], list[Rule]]:
        """The rules that can match at *char*: "" is the end of input, any non-ASCII
        character shares one bucket (rules starting with a letter of any script or with
        white space, which in JavaScript includes non-ASCII spaces)."""
        key = char if char < "\x80" else "\x80"
        found = self.by_char.get(key)
        if found is None:
            if key == "":
                rules = [rule for rule in self.rules if rule.first is None]
            elif key == "\x80":
                rules = [rule for rule in self.rules if rule.first is None or rule.first == "" or " " in rule.first]
            else:
                rules = [rule for rule in self.rules if rule.first is None or key in rule.first]
            found = self.by_char[key] = (_alternation(rules), rules)
        return found


def _alternation(rules: list[Rule]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<r{i}>{rule.pattern})" for i, rule in enumerate(rules)) or "(?!)", re.ASCII)


def _compile_states() -> dict[tuple[str, bool, bool], _Variant]:
    compiled = {}
    for state in STATES:
        rules = [rule for states, rule in RULES if "*" in states or state in states]
        for with_direction, with_at in _VARIANTS:
            chosen = [
                rule for rule in rules
                if not (_NEEDS.get(rule.token or "") == "direction" and not with_direction)
                and not (_NEEDS.get(rule.token or "") == "@" and not with_at)
            ]
            compiled[(state, with_direction, with_at)] = _Variant(chosen)
    return compiled


_COMPILED: dict[tuple[str, bool, bool], _Variant] | None = None
_GROUP_INDEX = {f"r{i}": i for i in range(len(RULES))}
_new_str = str.__new__


def _states() -> dict[tuple[str, bool, bool], _Variant]:
    global _COMPILED
    if _COMPILED is None:
        _COMPILED = _compile_states()
    return _COMPILED


def _occurrences(text: str, literal: str) -> list[int]:
    found = []
    index = text.find(literal)
    while index != -1:
        found.append(index)
        index = text.find(literal, index + 1)
    return found


def tokenize(text: str, trace: list | None = None, *, dispatch: bool = True) -> Iterator[Token]:
    """Yield mermaid's tokens for *text*, exactly as its jison lexer would.

    Positions (``start_pos``, ``line``, ``column``) are offsets into *text* (1-based line
    and column). An unrecognised character raises DiagramSyntaxError, as mermaid's
    "Lexical error ... Unrecognized text." does. If *trace* is a list, it ends up holding
    the open states as ``(state, offset where it was entered)``: what is unclosed at EOF.
    ``dispatch=False`` tries every rule of the state at every token (the reference the
    first-character dispatch is tested against).
    """
    states = _states()
    stack = ["INITIAL"]
    opened = [0]
    first_graph = True
    pos = 0
    end = len(text)
    line = 1
    line_start = 0
    done = False
    group_index = _GROUP_INDEX
    directions = _occurrences(text, "direction")
    ats = _occurrences(text, "@")
    d_i = a_i = 0
    line_end = text.find("\n")
    if line_end < 0:
        line_end = end
    token_class = Token
    new_str = _new_str
    try:
        while True:
            if done:
                return
            if pos >= end:
                done = True  # one more round at the end, as jison does, then stop
            state = stack[-1]
            if state == "INITIAL" and (directions or ats):
                if pos > line_end:
                    line_end = text.find("\n", pos)
                    if line_end < 0:
                        line_end = end
                while d_i < len(directions) and directions[d_i] < pos:
                    d_i += 1
                while a_i < len(ats) and ats[a_i] < pos:
                    a_i += 1
                key = (state, d_i < len(directions) and directions[d_i] < line_end,
                       a_i < len(ats) and ats[a_i] < line_end)
            else:
                key = (state, False, False)
            variant = states[key]
            if dispatch:
                pattern, rules = variant.for_char(text[pos:pos + 1])
            else:
                pattern, rules = variant.pattern, variant.rules
            match = pattern.match(text, pos)
            if match is None:
                if pos >= end:
                    return
                raise DiagramSyntaxError(
                    _lexical_error_message(state, text[pos]),
                    line=line, column=pos - line_start + 1, offset=pos, found=text[pos], expected=(),
                )
            rule = rules[group_index[match.lastgroup]]  # type: ignore[index]
            start = pos
            pos = match.end()
            value = text[start:pos]
            token_line, token_column = line, start - line_start + 1
            if "\n" in value:
                line += value.count("\n")
                line_start = start + value.rindex("\n") + 1
            if rule.pop and len(stack) > 1:
                stack.pop()
                opened.pop()
            if rule.special == GRAPH_KEYWORD:
                if first_graph:
                    first_graph = False
                    stack.append("dir")
                    opened.append(start)
            elif rule.push:
                stack.append(rule.push)
                opened.append(start)
            if rule.token is None:
                continue
            if rule.special == "empty-text":
                value = ""
            elif rule.special == "newlines-to-br":
                value = re.sub(f"\\n{S}*", "<br/>", value)
            token = new_str(token_class, value)
            token.type = rule.token
            token.value = value
            token.start_pos = start
            token.line = token_line
            token.column = token_column
            token.end_line = token.end_column = None
            token.end_pos = pos
            yield token
    finally:
        if trace is not None:
            trace[:] = list(zip(stack[1:], opened[1:]))


def _lexical_error_message(state: str, char: str) -> str:
    """What to say when no rule of *state* matches at *char* (mermaid: "Lexical error")."""
    shown = repr(char)
    if state == "dir":
        return ("expected a direction after 'flowchart'/'graph': TB, TD, BT, LR or RL "
                "(in capitals), or the end of the line")
    if state == "thickEdgeText":
        return (f"{shown} cannot appear in '== text ==>' link text; quote the text "
                "(== \"a=b\" ==>) or write it as ==>|a=b|")
    if state == "dottedEdgeText":
        return (f"{shown} cannot appear in '-. text .->' link text; quote the text "
                "(-. \"a.b\" .->) or write it as -.->|a.b|")
    if state == "shapeData":
        return f"{shown} is not allowed inside '@{{ ... }}' node data; put the value in double quotes"
    return (f"unexpected character {shown}: it cannot start a node id, an arrow or a statement here "
            "(put text with such characters in double quotes)")


class JisonLexer(Lexer):
    """Lark's hook for our lexer: ``Lark(..., lexer=JisonLexer)``."""

    def __init__(self, lexer_conf) -> None:  # noqa: D107 - Lark's constructor signature
        self.lexer_conf = lexer_conf

    def lex(self, data: str) -> Iterator[Token]:  # type: ignore[override]
        return tokenize(data)
