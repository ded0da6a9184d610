"""Hypothesis strategies that build random Mermaid flowchart texts.

The generator covers the whole flowchart language as mermaid-js 11 accepts it: headers and
directions, ids (plain, unicode, keyword-like), every bracket shape and the v11 ``@{ ... }``
shape data, plain / quoted / markdown / entity-coded labels, every link form and length, both
edge-label forms, edge ids, chains and ``&`` groups, nested subgraphs with ``direction``,
``classDef`` / ``class`` / ``:::`` / ``style`` / ``linkStyle`` / ``click``, accessibility lines,
``%%`` comments, ``%%{init}%%`` directives, YAML front matter, ``;`` separators, blank lines,
CRLF, tabs and indentation.

Public API
----------
``flowcharts()``          mostly valid texts: each document draws a "hazard" rate (0 for about
                          half of them) at which a construct is swapped for a variant mermaid
                          may reject, so error paths are reached too.  mermaid 11.17.2 accepts
                          about 79% (2000 samples, seeds 0-2: 77.8-79.7%).
``valid_flowcharts()``    the same generator with the hazard rate forced to 0: it steers clear
                          of every lexer trap found so far (comments below), and mermaid
                          accepted 25000 of 25000 samples (seeds 40-44).
``mutated_flowcharts()``  a ``flowcharts()`` text, then 1-3 mutations: token/line deletion,
                          duplication, swaps, inserted characters or random code points,
                          keyword insertion, case flips, truncation (about 35% accepted).
``sample_texts(n, seed, mutated=False)``  the same generator driven by ``random.Random(seed)``
                          instead of Hypothesis: fast, reproducible batches for oracle runs.

The generator is written once against a tiny "source of choices" interface (``_Source``), so
the Hypothesis strategies (which shrink) and the seeded sampler (which is fast) produce texts
from exactly the same distribution of constructs.  Every choice shrinks towards its first,
simplest option.
"""

from __future__ import annotations

import random
import re
from typing import Callable, Sequence, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")

__all__ = [
    "flowcharts",
    "valid_flowcharts",
    "mutated_flowcharts",
    "sample_texts",
    "generate_text",
    "mutate_text",
    "FlowchartGenerator",
    "RandomSource",
    "DrawSource",
    "V11_SHAPES",
    "BRACKET_SHAPES",
]


# --------------------------------------------------------------------------------------------
# Sources of choices
# --------------------------------------------------------------------------------------------


class _Source:
    """Minimal interface the generator draws from. ``integer`` is the only primitive."""

    def integer(self, lo: int, hi: int) -> int:  # inclusive bounds
        raise NotImplementedError

    def choice(self, seq: Sequence[T]) -> T:
        return seq[self.integer(0, len(seq) - 1)]

    def weighted(self, pairs: Sequence[tuple[float, T]]) -> T:
        """Pick a value with the given relative weights (first option = the shrink target)."""
        total = sum(w for w, _ in pairs)
        # resolution of 1/1000 of the total weight is plenty
        r = self.integer(0, 999) * total / 1000.0
        acc = 0.0
        for w, v in pairs:
            acc += w
            if r < acc:
                return v
        return pairs[-1][1]

    def boolean(self, p: float) -> bool:
        """True with probability ``p``; shrinks to False."""
        if p <= 0:
            return False
        if p >= 1:
            return True
        return self.integer(0, 999) >= int(round(1000 * (1 - p)))


class RandomSource(_Source):
    def __init__(self, rng: random.Random):
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


class DrawSource(_Source):
    def __init__(self, draw: Callable):
        self.draw = draw

    def integer(self, lo: int, hi: int) -> int:
        if lo == hi:
            return lo
        return self.draw(st.integers(lo, hi))


# --------------------------------------------------------------------------------------------
# Vocabulary (facts about the language; see mermaid's flowchart syntax docs)
# --------------------------------------------------------------------------------------------

DIRECTIONS = ["TB", "TD", "BT", "LR", "RL", ">", "<", "^", "v"]
SUBGRAPH_DIRECTIONS = ["TB", "TD", "BT", "LR", "RL"]

# (open, close, FlowDB type name, label "kind" which decides the characters allowed unquoted)
BRACKET_SHAPES = [
    ("[", "]", "square", "text"),
    ("(", ")", "round", "text"),
    ("([", "])", "stadium", "text"),
    ("[[", "]]", "subroutine", "text"),
    ("[(", ")]", "cylinder", "text"),
    ("((", "))", "circle", "text"),
    ("(((", ")))", "doublecircle", "text"),
    (">", "]", "odd", "text"),
    ("{", "}", "diamond", "text"),
    ("{{", "}}", "hexagon", "text"),
    ("[/", "/]", "lean_right", "trap"),
    ("[\\", "\\]", "lean_left", "trap"),
    ("[/", "\\]", "trapezoid", "trap"),
    ("[\\", "/]", "inv_trapezoid", "trap"),
    ("(-", "-)", "ellipse", "ellipse"),
]

# Shape names accepted by `A@{ shape: NAME }` (mermaid docs' table of short names and aliases).
V11_SHAPES = [
    "rect", "rounded", "stadium", "cyl", "circle", "diam", "hex", "lean-r", "lean-l", "trap-b",
    "trap-t", "dbl-circ", "doc", "tri", "fr-rect", "sm-circ", "fr-circ", "f-circ", "cross-circ",
    "notch-rect", "lin-rect", "div-rect", "st-rect", "win-pane", "tag-rect", "sl-rect",
    "notch-pent", "flip-tri", "hourglass", "bolt", "brace", "brace-r", "braces", "delay",
    "h-cyl", "lin-cyl", "curv-trap", "lin-doc", "docs", "tag-doc", "bow-rect", "flag", "odd",
    "fork", "text", "cloud", "bang", "datastore",
    # aliases
    "process", "rectangle", "proc", "event", "pill", "terminal", "database", "db", "cylinder",
    "decision", "diamond", "question", "hexagon", "prepare", "in-out", "lean-right", "lean-left",
    "out-in", "priority", "trapezoid", "trapezoid-bottom", "manual", "inv-trapezoid",
    "trapezoid-top", "double-circle", "document", "triangle", "extract", "subprocess",
    "subproc", "subroutine", "start", "small-circle", "stop", "framed-circle", "junction",
    "filled-circle", "summary", "crossed-circle", "card", "notched-rectangle", "manual-input",
    "manual-file", "loop-limit", "collate", "com-link", "lightning-bolt", "comment", "brace-l",
    "documents", "stacked-document", "processes", "procs", "stacked-rectangle", "paper-tape",
    "stored-data", "das", "disk", "display", "circ", "join", "internal-storage",
    "half-rounded-rectangle", "data-store",
]
BAD_V11_SHAPES = ["Rect", "foo_bar", "square", "round", "ellipse", "lean_right", "RECT", "cyl2"]

PLAIN_IDS = [
    "A", "B", "C", "D", "E", "F", "G", "X", "Y", "Z", "a", "b", "c", "n1", "n2", "id1",
    "Client", "Gateway", "Ranker", "FeatureStore", "Kafka", "ETL", "Model", "Serving",
]
KEYWORDISH_IDS = [
    "endpoint", "end_x", "ending", "default", "defaults", "v", "o", "x", "vv", "ox", "styles",
    "classy", "clicked", "callx", "hrefs", "graphs", "subgraphs", "direction", "TB", "LR", "TD",
    "dir", "up", "down", "accTitle", "accDescr", "sub", "en", "x1", "o1", "flowcharts",
]
UNICODE_IDS = ["Ä", "é", "ñandú", "Größe", "日本", "模型", "Ωmega", "Жук", "café", "naïve", "θ"]
# ids mermaid rejects (keywords, characters outside NODE_STRING / UNICODE_TEXT)
BAD_IDS = [
    "end", "style", "class", "graph", "flowchart", "subgraph", "linkStyle", "classDef",
    "interpolate", "_self", "_blank", "end-x", "style.x", "a=b", "a@b", "--", "a-.b",
    "😀", "a b|", "call", "href", "click",
]
CLASS_NAMES = ["hot", "cold", "c1", "c2", "data", "model", "serving_x", "my-class", "Mon"]

WORDS = [
    "Data", "Sources", "ETL", "Feature", "Store", "Model", "Training", "Serving", "Monitoring",
    "Kafka", "Spark", "online", "offline", "p99", "50ms", "A/B", "test", "retrain", "labels",
    "log", "user", "item", "rank", "v2", "x", "o", "ok", "Yes", "No", "is", "it?", "end",
    "graph", "style", "default", "click", "subgraph", "50%", "1.5", "k=10", "#1", "$5",
    "a+b", "a*b", "a-b", "a_b", "a.b", "a:b", "a,b", "it's", "q?", "wow!", "~x~", "@home",
]
UNICODE_WORDS = ["é", "ü", "ñ", "日本語", "模型", "Größe", "Ωmega", "Жук", "→", "✓", "😀", "café"]
ENTITY_CODES = ["#quot;", "#35;", "#9829;", "#amp;", "#lt;", "#gt;", "#nbsp;", "#123;"]
HTML_BITS = ["<br/>", "<br>", "<br />", "<b>bold</b>", "<i>it</i>", "&", "&amp;", "a < b", "x > y"]
MD_BITS = ["**bold**", "_it_", "*em*", "`code`", "**a** b", "line1\nline2", "~~s~~"]

STYLE_PARTS = [
    "fill:#f9f", "stroke:#333", "stroke-width:4px", "color:red", "fill:#bbf", "color:#fff",
    "stroke-dasharray: 5 5", "font-size:12pt", "fill:white", "stroke:#f66", "opacity:0.5",
]
INTERPOLATIONS = ["basis", "linear", "cardinal", "step", "monotoneX", "natural"]

FRONT_MATTERS = [
    "---\ntitle: Simple title\n---\n",
    "---\ntitle: x\n---\n",
    "---\nconfig:\n  theme: forest\n---\n",
    "---\ntitle: Flow\nconfig:\n  flowchart:\n    curve: linear\n---\n",
]
BAD_FRONT_MATTERS = ["---\n---\n", "---\ntitle: [oops\n---\n", "---\ntitle: x\n", "--- \ntitle: a: b: c\n---\n"]
DIRECTIVES = [
    '%%{init: {"theme": "dark"}}%%',
    "%%{init: {'flowchart': {'curve': 'basis'}}}%%",
    '%%{ init: { "flowchart": { "htmlLabels": false } } }%%',
    "%%{initialize: {'theme': 'forest'}}%%",
]
COMMENTS = ["%% a comment", "%% TODO: add monitoring", "%%comment", "%% --> not an edge", "%% A[x]"]

# characters used by the mutator
MUTATION_CHARS = list("[](){}<>|\"'`-=.~&:;@#%^*/\\!?,+_ \t\n\r") + list("xoveAZ09") + [
    "é", "日", "😀", "\u00a0", "\u200b", "\x00", "\x7f", "\ufeff", "ﬂ", "°", "¶", "ß",
]
MUTATION_TOKENS = [
    "end", "subgraph", "-->", "---", "==>", "-.->", "~~~", "&", ":::", "|", "||", "@{", "}",
    "graph", "flowchart", "style", "classDef", "class", "linkStyle", "click", "direction",
    "%%", "%%{", "}%%", "---", ";", "\n", "e1@", '"', "`", "#quot;", "default", "TB", "v",
]


# plain YAML scalars that do not load as strings (core schema)
_YAML_NON_STRING = re.compile(
    r"[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.nan)"
    r"|true|false|True|False|TRUE|FALSE|null|Null|NULL|~")

# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


class FlowchartGenerator:
    """Build one flowchart text from a source of choices.

    ``hazard`` (None = drawn per document) is the probability with which a construct is
    replaced by a variant that mermaid may reject.
    """

    MAX_DEPTH = 3

    def __init__(self, src: _Source, hazard: float | None = None, max_statements: int = 12):
        self.s = src
        if hazard is None:
            hazard = src.weighted([(48, 0.0), (25, 0.04), (16, 0.12), (11, 0.3)])
        self.hz = hazard
        self.max_statements = max_statements
        self.ids: list[str] = []
        self.classes: list[str] = []
        self.n_edges = 0
        self.edge_ids = 0
        self.subgraph_ids = 0
        self.sub_pool: list[str] = []
        self.header_joinable = False

    # ---- helpers ---------------------------------------------------------------------------

    def risky(self, factor: float = 1.0) -> bool:
        return self.s.boolean(min(1.0, self.hz * factor))

    def ws(self) -> str:
        """Whitespace that separates tokens (always non-empty)."""
        return self.s.weighted([(85, " "), (7, "  "), (5, "\t"), (3, " \t ")])

    def ws1(self) -> str:
        """Exactly one whitespace character (keyword statements accept no more)."""
        if self.risky(0.3):
            return self.s.choice(["  ", " \t"])
        return self.s.weighted([(92, " "), (8, "\t")])

    def opt_ws(self) -> str:
        return self.s.weighted([(60, ""), (30, " "), (6, "  "), (4, "\t")])

    # ---- ids -------------------------------------------------------------------------------

    def fresh_id(self) -> str:
        s = self.s
        if self.risky(0.4):
            return s.choice(BAD_IDS)
        kind = s.weighted([
            (40, "plain"), (12, "letters"), (10, "alnum"), (8, "under"), (6, "dash"),
            (6, "digits"), (8, "keyword"), (7, "unicode"), (3, "punct"),
        ])
        if kind == "plain":
            return s.choice(PLAIN_IDS)
        if kind == "letters":
            return "".join(s.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
                           for _ in range(s.integer(1, 6)))
        if kind == "alnum":
            return s.choice("ABCDEFGHNPQRSTxyzuvw") + str(s.integer(0, 99))
        if kind == "under":
            return s.choice(["a", "node", "_", "Feature", "x"]) + "_" + s.choice(["b", "1", "store", "", "_x"])
        if kind == "dash":
            return s.choice(["a", "node", "Online", "x", "A1"]) + "-" + s.choice(["b", "2", "store", "x", "o"])
        if kind == "digits":
            return str(s.integer(0, 120))
        if kind == "keyword":
            return s.choice(KEYWORDISH_IDS)
        if kind == "unicode":
            return s.choice(UNICODE_IDS)
        return s.choice(["a.b", "a/b", "a:b", "a,b", "a!b", "a?b", "a'b", "a*b", "a+b", "#x",
                         "*", ":", "-", "a.", "-a", "a$b", "a%b"])

    def node_id(self) -> str:
        if self.ids and self.s.boolean(0.8):
            return self.s.choice(self.ids)
        nid = self.fresh_id()
        self.ids.append(nid)
        return nid

    def class_name(self) -> str:
        if self.classes and self.s.boolean(0.7):
            return self.s.choice(self.classes)
        c = self.s.choice(CLASS_NAMES)
        if c not in self.classes:
            self.classes.append(c)
        return c

    # ---- labels ----------------------------------------------------------------------------

    _FORBIDDEN = {
        "text": set('[](){}|"'),
        "trap": set('[](){}|"/\\'),
        "ellipse": set('[](){}|"-'),
        "pipe": set('[](){}|"'),
        "edge-normal": set('[](){}|"-~'),
        "edge-thick": set('[](){}|"=~'),
        "edge-dotted": set('[](){}|".~'),
        "edge-invisible": set('[](){}|"~'),
    }

    def _word(self) -> str:
        s = self.s
        kind = s.weighted([(70, "word"), (10, "unicode"), (7, "entity"), (6, "html"), (4, "num"), (3, "odd")])
        if kind == "word":
            return s.choice(WORDS)
        if kind == "unicode":
            return s.choice(UNICODE_WORDS)
        if kind == "entity":
            return s.choice(ENTITY_CODES) + s.choice(["", "x", " y"])
        if kind == "html":
            return s.choice(HTML_BITS)
        if kind == "num":
            return str(s.integer(0, 10000))
        return s.choice(["direction", "%%", "::", "->", "=>", ";", "'", "`", "#", "&&", "a;b", "~~~"])

    def plain_text(self, kind: str, max_words: int = 4) -> str:
        forbidden = self._FORBIDDEN[kind]
        words = []
        for _ in range(self.s.integer(1, max_words)):
            w = "".join(ch for ch in self._word() if ch not in forbidden)
            if w:
                words.append(w)
        if not words:
            words = ["x"]
        sep = self.s.weighted([(90, " "), (5, "  "), (5, " <br/> ")])
        text = sep.join(words)
        if kind in ("trap", "ellipse") or kind.startswith("edge-"):
            text = text.strip()
        if kind.startswith("edge-"):
            # the closing link would eat a trailing x / o / < ; keep the text apart from it
            text = text.rstrip("xo<>") or "t"
            if text[0] in "xo<>":
                text = "t" + text
        if kind == "ellipse":
            text = text.rstrip("/") or "e"
        if self.s.boolean(0.05) and kind in ("text", "pipe"):
            text = self.s.choice([" ", "  "]) + text + self.s.choice(["", " "])
        if "direction" in text and not self.risky(5):
            # `.*direction\s+XX` swallows the whole line: only let that through as a hazard
            text = text.replace("direction", "dir")
        if not self.risky(2):
            # `~~~` at the start of a label (anywhere in an ellipse label) lexes as a link
            if kind == "ellipse":
                text = text.replace("~~", "~")
            elif text.lstrip().startswith("~~"):
                text = "t" + text.lstrip()
            # a first word holding `@` lexes as an edge id (`A[a@b]`, `-->|@x|`)
            first, sep2, rest = text.partition(" ")
            if "@" in first:
                text = first.replace("@", "") + sep2 + rest
                if not text.strip():
                    text = "t"
        return text

    def quoted_text(self) -> str:
        s = self.s
        pools = {"word": WORDS, "unicode": UNICODE_WORDS, "entity": ENTITY_CODES, "html": HTML_BITS,
                 "punct": list("[](){}|<>:;,&#=-.~`'"), "newline": ["\n"], "space": ["  "]}
        parts = []
        for _ in range(s.integer(1, 4)):
            pool = s.weighted([(60, "word"), (10, "unicode"), (8, "entity"), (8, "html"), (8, "punct"),
                               (3, "newline"), (3, "space")])
            parts.append(s.choice(pools[pool]))
        text = " ".join(parts).replace('"', "")
        if not text.strip() and not self.risky(3):
            text = "q"
        if text.startswith("`") and not self.risky(3):
            text = "q" + text  # `"` + backtick opens a markdown string
        return text

    def md_text(self) -> str:
        s = self.s
        parts = [s.choice(MD_BITS) if s.boolean(0.6) else s.choice(WORDS) for _ in range(s.integer(1, 3))]
        # inside "`...`" a backtick or a double quote would end / break the markdown string
        return " ".join(p.replace('"', "").replace("`", "'") for p in parts)

    def label(self, kind: str) -> str:
        """A label as it is written inside brackets / pipes (including quotes)."""
        s = self.s
        form = s.weighted([(62, "plain"), (22, "quoted"), (9, "md"), (7, "bad")])
        if form == "bad" and not self.risky(4):
            form = "plain"
        if form == "plain":
            return self.plain_text(kind)
        if form == "quoted":
            return '"' + self.quoted_text() + '"'
        if form == "md":
            return '"`' + self.md_text() + '`"'
        # hazards: empty label, stray quote, bracket inside, quote not alone, pipe
        return s.choice(["", 'a "b" c', "a(b)", "a[b]", ' "q" ', "a|b", "a{b}", '"unterminated', "a\"", "`x`"])

    # ---- nodes -----------------------------------------------------------------------------

    _YAML_INDICATORS = set("[]{}>|*&!%@`-?:,'\"#~")

    def shape_data(self) -> str:
        s = self.s
        entries = []
        if s.boolean(0.85):
            name = s.choice(BAD_V11_SHAPES) if self.risky(0.5) else s.choice(V11_SHAPES)
            entries.append(f"shape: {name}")
        if s.boolean(0.6) or not entries:
            form = s.weighted([(50, "dq"), (15, "plain"), (10, "md"), (8, "sq"), (5, "num"), (5, "empty"), (7, "multi")])
            if form == "dq":
                lab = '"' + self.quoted_text().replace("\n", " ") + '"'
            elif form == "plain":
                lab = self.plain_text("text", 3).replace(":", "").replace("#", "").strip() or "x"
                if lab[0] in self._YAML_INDICATORS and not self.risky(3):
                    lab = '"' + lab.replace('"', "") + '"'
            elif form == "md":
                lab = '"`' + self.md_text().replace("\n", " ") + '`"'
            elif form == "sq":
                lab = "'" + s.choice(WORDS).replace("'", "") + "'"
            elif form == "num":
                # YAML reads these as numbers / booleans / null: FlowDB then stores a non-string
                # label (`true`, 31 for `0x1F`, null for `.inf`), or falls back to the id (`~`)
                lab = s.choice([str(s.integer(0, 99)), "1.5", "0x1F", "1e3", "007", "-3", "true",
                                "false", "null", "~", ".inf", "Yes", "on"])
            elif form == "empty":
                lab = '""'
            else:
                lab = '"multi\n  line"'
            entries.append(f"label: {lab}")
        numeric = any(e.startswith("label: ") and _YAML_NON_STRING.fullmatch(e[7:]) for e in entries)
        if s.boolean(0.05) and (not numeric or self.risky(3)):
            # (`icon` next to a numeric label crashes FlowDB: `doc.label?.trim is not a function`)
            entries.append(s.choice(['icon: "fa:user"', 'form: "square"', 'pos: "t"', 'h: 60', 'constraint: "on"']))
        if self.risky(0.5):
            entries.append(s.choice(["label: a: b", "shape:", "[", "shape: rect, shape: circle"]))
        if s.boolean(0.15):
            body = "\n  " + "\n  ".join(entries) + "\n"
        else:
            sep = s.weighted([(80, ", "), (20, ",")])
            body = " " + sep.join(entries) + " "
            if s.boolean(0.1):
                body = body.strip()
        if s.boolean(0.05) and (len(entries) == 1 and '"' not in body or self.risky(3)):
            # YAML then reads `shape:rect` as one plain key (shape stays unset); with more than
            # one entry or a quoted value it is a YAML error
            body = body.replace(": ", ":")
        return "@{" + body + "}"

    def vertex(self) -> tuple[str, str, bool]:
        """One node reference. Returns (text, id, ends_with_shape_data)."""
        s = self.s
        nid = self.node_id()
        acc_kw = nid in ("accTitle", "accDescr") and not self.risky(3)
        form = s.weighted([(55, "bare"), (35, "bracket"), (10, "data")])
        text = nid
        has_data = False
        if form == "bracket":
            if s.boolean(0.02):
                text += "[|borders:lt|" + self.plain_text("text", 2) + "]"
            else:
                shapes = BRACKET_SHAPES
                if acc_kw:  # `accDescr{` / `accDescr {` opens a multi-line accDescr block
                    shapes = [b for b in BRACKET_SHAPES if not b[0].startswith("{")]
                open_, close, _name, kind = s.choice(shapes)
                lab = self.label(kind)
                if not self.risky(2):
                    if open_ in ("(", "((") and lab.startswith("-"):
                        lab = "t" + lab  # `A(-x)` opens an ellipse `(-x-)`
                    elif open_ == "[" and lab[:1] in ("/", "\\"):
                        lab = "t" + lab  # `A[/x]` opens a trapezoid
                text += open_ + lab + close
                if self.risky(0.3):
                    text = text[:-1] + s.choice([")", "]", "}", ""])  # mismatched bracket
        elif form == "data":
            if s.boolean(0.1):
                open_, close, _name, kind = s.choice(BRACKET_SHAPES[:8])
                lab = self.plain_text(kind, 2)
                if lab[:1] in "-/\\":
                    lab = "t" + lab
                text += open_ + lab + close
            text += self.shape_data()
            has_data = True
        want_class = s.boolean(0.12)
        if want_class and not has_data and not acc_kw and not text.endswith(":"):
            # (`accTitle:::c` lexes as `accTitle:`; `A@{...}:::c` and `A:::c1:::c2` are errors;
            # an id ending in `:` turns `::::c` into `:::` + `:c`)
            text += ":::" + self.class_name()
            if self.risky(0.3):
                text += ":::" + self.class_name()
        elif want_class and self.risky(1):
            text += ":::" + self.class_name()
        return text, nid, has_data

    def group(self) -> tuple[str, int, str, bool]:
        """``A & B & C``. Returns (text, size, last vertex text, last_has_shape_data)."""
        s = self.s
        n = s.weighted([(82, 1), (13, 2), (5, 3)])
        out = ""
        last = ""
        last_data = False
        for i in range(n):
            v, nid, last_data = self.vertex()
            if i:
                amp = s.weighted([(88, " & "), (6, "  &  "), (3, "\t&\t"), (3, "&")])
                if amp == "&" and not self.risky(2):
                    amp = " & "  # `A&B` is the single id `A&B`
                out += amp
            out += v
            last = v
        return out, n, last, last_data

    # ---- links -----------------------------------------------------------------------------

    def link(self, allow_id: bool = True) -> tuple[str, bool]:
        """A link with its label. Returns (text, ends_with_open_head_glued) where the second
        value says the text ends in `-`/`=` with nothing after it (a following id starting
        with `o`/`x` would then be read as the arrow head)."""
        s = self.s
        stroke = s.weighted([(55, "normal"), (15, "dotted"), (15, "thick"), (8, "invisible"), (7, "open")])
        length = s.weighted([(80, 1), (12, 2), (6, 3), (2, 0)]) or s.integer(4, 9)
        if stroke == "open":
            stroke = "normal"
            head = "-"
        else:
            head = s.weighted([(70, ">"), (15, "-"), (8, "o"), (7, "x")])
        lhead = ""
        if head in ">ox" and s.boolean(0.18):
            lhead = {">": "<", "o": "o", "x": "x"}[head]
            if self.risky(1):
                lhead = s.choice("<ox")
        label_form = s.weighted([(60, "none"), (22, "pipe"), (18, "inline")])
        if stroke == "invisible":
            body = "~" * (2 + length)
            lhead = ""
            if label_form == "inline":
                label_form = "pipe"
        else:
            body = self._link_body(stroke, lhead, head, length)

        edge_id = ""
        if s.boolean(0.08) and (allow_id or self.risky(3)):
            self.edge_ids += 1
            edge_id = f"e{self.edge_ids if s.boolean(0.85) else 1}@"
            if s.boolean(0.1):
                edge_id = s.choice(["edge_a@", "L1@", "é1@"])

        if label_form == "inline":
            text = self._inline_text(stroke)
            start = {"normal": "--", "thick": "==", "dotted": "-."}[stroke]
            end = self._link_end(stroke, head, length)
            core = lhead + start + self.ws() + text + self.ws() + end
        else:
            core = body
        if edge_id:
            if self.risky(0.5):
                link_text = edge_id + core  # `Ae1@-->B`: an edge id needs whitespace before it
            else:
                link_text = self.ws() + edge_id + core
        else:
            link_text = self.opt_ws() + core
        if label_form == "pipe":
            lab = self.label("pipe")
            link_text += s.weighted([(70, ""), (30, " ")]) + "|" + lab + "|"
            # after `|label|` at most one whitespace character is allowed
            return link_text + (s.weighted([(60, ""), (35, " "), (5, "\t")]) if not self.risky(0.5) else "  "), False
        tail = self.opt_ws()
        return link_text + tail, tail == "" and core[-1:] in "-=."

    def _link_body(self, stroke: str, lhead: str, head: str, length: int) -> str:
        if stroke == "normal":
            core = "-" * (length + 1) + head if head != "-" else "-" * (length + 2)
        elif stroke == "thick":
            core = "=" * (length + 1) + (head if head != "-" else "=")
        else:  # dotted
            core = "-" + "." * length + "-" + (head if head != "-" else "")
        return lhead + core

    def _link_end(self, stroke: str, head: str, length: int) -> str:
        if stroke == "normal":
            return "-" * (length + 1) + head if head != "-" else "-" * (length + 2)
        if stroke == "thick":
            return "=" * (length + 1) + (head if head != "-" else "=")
        return "." * length + "-" + (head if head != "-" else "")

    def _inline_text(self, stroke: str) -> str:
        s = self.s
        if s.boolean(0.2):
            return '"' + self.quoted_text().replace("\n", " ") + '"'
        if s.boolean(0.05):
            return '"`' + self.md_text() + '`"'
        if self.risky(0.5):
            return s.choice(["a=b", "a.b", "a--b", "x==y", "(p)", "t|u", "a -- b"])
        return self.plain_text("edge-" + stroke, 3)

    # ---- statements ------------------------------------------------------------------------

    def vertex_statement(self) -> str:
        s = self.s
        g, size, last, last_data = self.group()
        out = g
        n_links = s.weighted([(15, 0), (50, 1), (22, 2), (9, 3), (4, 4)])
        if self.risky(0.2):
            return s.choice(["", g + " -->", "--> " + g, g + " --> --> B"])
        for _ in range(n_links):
            lk, glued = self.link(allow_id=not last_data)  # `A@{..} e1@--> B` is an error
            if lk[:1] in "-=.<ox" and not self.risky(3):
                if last in ("o", "x"):
                    lk = " " + lk  # `o-->B` / `A & x--x B` lex `o`/`x` as the arrow's left head
                elif last.endswith("-") and lk[:1] in "-.":
                    lk = " " + lk  # `A---->B` is `A` + `---->`; `- --> B` needs the space
            g2, size2, last2, last_data = self.group()
            if glued and g2[:1] in "ox-." and not self.risky(3):
                lk += " "  # `A---oB` is a circle-headed link to `B`; `A----B` a longer link
            out += lk + g2
            self.n_edges += size * size2
            size, last = size2, last2
        if s.boolean(0.04) and not out.endswith("}"):
            out += s.choice([" ", "  "])
        if self.risky(0.2):
            out += s.choice([" %% trailing comment", " B", '["x"]', " :::c"])
        return out

    def styles(self, link: bool = False) -> str:
        s = self.s
        parts = [s.choice(STYLE_PARTS) for _ in range(s.integer(1, 3))]
        out = s.weighted([(85, ","), (15, ", ")]).join(parts)
        if s.boolean(0.15):
            # mermaid's entity pre-pass drops a trailing `;` on `style`/`classDef` lines that
            # hold a `#`, but not on `linkStyle` lines (case-sensitive), where `#f9f;` becomes an
            # entity and the line fails
            if not (link and "#" in parts[-1]) or self.risky(3):
                out += ";"
        return out

    def class_def(self) -> str:
        s = self.s
        names = [self.class_name() for _ in range(s.weighted([(85, 1), (15, 2)]))]
        if s.boolean(0.06):
            names = ["default"]
        return "classDef" + self.ws1() + ",".join(names) + self.ws() + self.styles()

    def class_stmt(self) -> str:
        s = self.s
        ids = [self.node_id() for _ in range(s.weighted([(75, 1), (20, 2), (5, 3)]))]
        return "class" + self.ws1() + ",".join(ids) + self.ws1() + self.class_name()

    def style_stmt(self) -> str:
        return "style" + self.ws1() + self.node_id() + self.ws() + self.styles()

    def link_style(self) -> str:
        s = self.s
        if self.n_edges == 0 or s.boolean(0.15):
            target = "default"
            if self.n_edges == 0 and self.risky(1):
                target = "0"
        else:
            k = s.weighted([(80, 1), (20, 2)])
            idx = sorted({s.integer(0, self.n_edges - 1) for _ in range(k)})
            if self.risky(1):
                idx.append(self.n_edges + s.integer(0, 3))
            target = ",".join(map(str, idx))
        out = "linkStyle" + self.ws1() + target
        if s.boolean(0.15):
            out += self.ws1()
            out += "interpolate" + self.ws1() + s.choice(INTERPOLATIONS)
            if s.boolean(0.5):
                out += self.ws1() + self.styles(link=True)
        else:
            out += self.ws() + self.styles(link=True)
        return out

    def click(self) -> str:
        s = self.s
        nid = self.node_id()
        form = s.choice([
            f"click {nid} callback",
            f'click {nid} callback "tooltip text"',
            f"click {nid} call cb()",
            f'click {nid} call cb("arg", 2)',
            f'click {nid} "https://example.com"',
            f'click {nid} "https://example.com" "tip"',
            f'click {nid} "https://example.com" _blank',
            f'click {nid} href "https://example.com"',
            f'click {nid} href "https://example.com" "tip" _self',
        ])
        return form

    def acc(self) -> list[str]:
        s = self.s
        return s.choice([["accTitle: My diagram"], ["accDescr: a short description"],
                         ["accDescr {", "  multi line", "  description", "}"]])

    def statement_lines(self, depth: int, budget: list[int]) -> list[str]:
        """One statement (or a subgraph block) as a list of lines (without newlines)."""
        s = self.s
        kind = s.weighted([
            (56, "vertex"), (7 if depth < self.MAX_DEPTH else 0, "subgraph"), (4, "classDef"),
            (4, "class"), (4, "style"), (3, "linkStyle"), (2, "click"), (4, "comment"),
            (4, "blank"), (1, "acc"), (1, "direction"),
        ])
        budget[0] -= 1
        if kind == "vertex":
            return [self.vertex_statement()]
        if kind == "classDef":
            return [self.class_def()]
        if kind == "class":
            return [self.class_stmt()]
        if kind == "style":
            return [self.style_stmt()]
        if kind == "linkStyle":
            return [self.link_style()]
        if kind == "click":
            return [self.click()]
        if kind == "comment":
            return [s.choice(COMMENTS) if not s.boolean(0.08) else "%%"]
        if kind == "blank":
            return [s.choice(["", " ", "\t"])]
        if kind == "acc":
            return self.acc()
        if kind == "direction":
            return ["direction " + s.choice(SUBGRAPH_DIRECTIONS)]
        return self.subgraph(depth, budget)

    def subgraph(self, depth: int, budget: list[int]) -> list[str]:
        s = self.s
        self.subgraph_ids += 1
        form = s.weighted([(40, "id"), (25, "id-title"), (15, "spaces"), (10, "quoted"), (5, "id-md"), (5, "bare")])
        if form in ("id", "id-title", "id-md"):
            if self.ids and s.boolean(0.2):
                sid = s.choice(self.ids)
                if (sid == "default" or "," in sid) and not self.risky(3):
                    sid = "sub_" + sid.replace(",", "_")  # not valid subgraph ids
            elif self.sub_pool and s.boolean(0.1):
                sid = s.choice(self.sub_pool)
            else:
                sid = s.choice(["S", "sg", "one", "two", "Serving", "data", "box"]) + str(self.subgraph_ids)
            self.sub_pool.append(sid)
        if form == "id":
            head = "subgraph " + sid
        elif form == "id-title":
            title = self.label("text") if s.boolean(0.7) else '"' + self.quoted_text().replace("\n", " ") + '"'
            head = "subgraph " + sid + s.weighted([(70, " "), (30, "")]) + "[" + title + "]"
        elif form == "id-md":
            head = "subgraph " + sid + ' ["`' + self.md_text() + '`"]'
        elif form == "spaces":
            head = "subgraph " + " ".join(s.choice(WORDS[:20]) for _ in range(s.integer(2, 4)))
        elif form == "quoted":
            head = 'subgraph "' + self.quoted_text().replace("\n", " ") + '"'
        else:
            head = "subgraph" if self.risky(4) else "subgraph S" + str(self.subgraph_ids)
        lines = [head]
        if s.boolean(0.25):
            lines.append("direction " + s.choice(SUBGRAPH_DIRECTIONS))
        indent = s.choice(["", "  ", "    ", "\t"])
        # one "more?" choice before each statement: Hypothesis shrinks such lists well
        first = True
        while budget[0] > 0 and s.boolean(0.9 if first else 0.6):
            first = False
            for ln in self.statement_lines(depth + 1, budget):
                lines.append(indent + ln if ln else ln)
        if s.boolean(0.08):
            lines.append("direction " + s.choice(SUBGRAPH_DIRECTIONS))
        if not self.risky(0.3):
            lines.append(s.weighted([(90, "end"), (5, "end "), (5, "end;")]))
        if s.boolean(0.05) and len(lines) <= 4 and all(lines) \
                and not any("direction" in ln or ln.lstrip().startswith(("%%", "acc", "click")) or self._semi_hazard(ln)
                            for ln in lines):
            return [";".join(ln.strip() for ln in lines)]  # subgraph s1;A;end
        return lines

    # ---- document --------------------------------------------------------------------------

    def header(self) -> str:
        s = self.s
        kw = s.weighted([(48, "flowchart"), (48, "graph"), (2, "flowchart-elk"), (2, "bad")])
        if kw == "bad":
            kw = s.choice(["FLOWCHART", "Graph", "flowchat"]) if self.risky(4) else "graph"
        d = s.weighted([(12, None), (78, "dir"), (10, "space-only")])
        if d == "dir":
            direction = s.choice(DIRECTIONS)
            if self.risky(0.4):
                direction = s.choice(["td", "lr", "XY", "BR", "TB LR"])
            head = kw + self.ws() + direction
            end = s.weighted([(85, ""), (10, ";"), (5, "  ")])
            if end == ";" and self.risky(1):
                end = " ;"  # `graph TD ;` is an error
            head += end
            self.header_joinable = end == ""
        elif d == "space-only":
            head = kw + s.choice([" ", "  "])
        else:
            head = kw
            if self.risky(0.5):
                head += ";"
        if s.boolean(0.05):
            head = s.choice([" ", "  ", "\t"]) + head
        return head

    @staticmethod
    def _semi_hazard(line: str) -> bool:
        """Would a `;` written right after ``line`` change its meaning?"""
        q = line.strip()
        if re.search(r"#\w+$", line):
            return True  # `#f9f;` is an entity code (`style`/`classDef` lines aside)
        if re.search(r"\}\s+$", line):
            return True  # `A@{...} ;`: no whitespace allowed between shape data and `;`
        if re.search(r"(style|classDef).*:\S*#", q):
            return True  # the entity pre-pass (`style.*:\S*#.*;`) drops the line's last `;`
        return False

    def _can_join(self, prev: str, ln: str, prev_is_header: bool) -> bool:
        """May ``ln`` follow ``prev`` on the same line after a `;`?"""
        if not ln.strip() or not prev.strip() or "\n" in ln:
            return False
        if self.risky(2):
            return True
        p, q = prev.lstrip(), ln.lstrip()
        if "direction" in p or "direction" in q:
            return False  # `.*direction\s+XX[^\n]*` swallows the whole line
        if q.startswith(("%%", "accDescr", "accTitle", "---")):
            return False  # only whole lines are comments; acc* run to the end of the line
        if prev_is_header:
            return self.header_joinable  # `graph;` / `graph ;` / `graph TD ;` are errors
        if p.startswith(("%%", "accDescr", "accTitle", "click", "subgraph", "}")):
            return False
        if self._semi_hazard(prev.rstrip()) or re.search(r"\}\s+$", prev):
            return False
        if re.search(r"(style|classDef).*:\S*#", q) and ";" not in q:
            return False  # joined `; style A fill:#f00` would lose the joining `;`
        return True

    def _can_end_with_semi(self, ln: str, is_header: bool) -> bool:
        q = ln.strip()
        if not q or q.endswith(";"):
            return False
        if is_header and not self.header_joinable:
            return self.risky(2)
        if is_header:
            q = re.sub(r"^\S+\s+\S+;\s*", "", q)  # the statements joined onto the header
            if not q:
                return True
        if q.startswith(("%%", "subgraph", "end", "accDescr", "accTitle", "}", "click", "direction", "---")):
            return False
        if "direction" in q:
            return False
        if re.search(r"#\w+$", q) and not q.startswith(("style", "classDef")):
            return self.risky(2)
        if re.search(r"\}\s+$", ln):
            return self.risky(2)
        return True

    def document(self) -> str:
        s = self.s
        pre: list[str] = []
        if s.boolean(0.08):
            fm = s.choice(BAD_FRONT_MATTERS) if self.risky(0.5) else s.choice(FRONT_MATTERS)
            pre.append(fm.rstrip("\n"))
        if s.boolean(0.07):
            pre.append(s.choice(DIRECTIVES))
        if s.boolean(0.05):
            pre.append(s.choice(COMMENTS))
        if s.boolean(0.04):
            pre.append("")
        header = self.header()

        # seed the id pool so nodes are shared between statements
        for _ in range(s.integer(1, 6)):
            nid = self.fresh_id()
            if nid not in self.ids:
                self.ids.append(nid)

        budget = [self.max_statements]
        body: list[str] = []
        indent = s.weighted([(65, ""), (25, "    "), (6, "  "), (4, "\t")])
        first = True
        while budget[0] > 0 and s.boolean(0.95 if first else 0.78):
            first = False
            for ln in self.statement_lines(0, budget):
                body.append((indent + ln) if ln else ln)

        if s.boolean(0.03):
            body.insert(s.integer(0, len(body)), s.choice(DIRECTIVES))

        # join: mostly newlines, sometimes `;` between simple statements
        nl = s.weighted([(80, "\n"), (17, "\r\n"), (3, "mixed")])
        out = [header]
        for k, ln in enumerate(body):
            if k and body[k - 1].rstrip().endswith(("accDescr", "accTitle")) \
                    and ln.lstrip()[:1] in (":", "{") and not self.risky(3):
                ln = ln.replace(ln.lstrip(), "n" + ln.lstrip(), 1)  # `accDescr\n:x` is `accDescr: x`
            if s.boolean(0.06) and self._can_join(out[-1], ln, len(out) == 1 and out[0] == header):
                out[-1] = out[-1] + s.choice([";", "; ", ";\t"]) + ln.lstrip()
            else:
                out.append(ln)
        if s.boolean(0.1):
            # a `;` after every statement line
            out = [ln + ";" if self._can_end_with_semi(ln, k == 0) else ln for k, ln in enumerate(out)]
        if s.boolean(0.03):
            out.insert(1, "")
        lines = pre + out
        if nl == "mixed":
            text = lines[0]
            for ln in lines[1:]:
                text += s.choice(["\n", "\r\n"]) + ln
        else:
            text = nl.join(lines)
            if nl == "\r\n":
                text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        if s.boolean(0.5):
            text += "\r\n" if nl == "\r\n" else "\n"
        if s.boolean(0.03):
            text = s.choice(["\n", "\n\n", "  \n"]) + text
        return text


# --------------------------------------------------------------------------------------------
# Mutation
# --------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]+", re.UNICODE)


def mutate_text(src: _Source, text: str, n_mutations: int | None = None) -> str:
    """Apply 1-3 random edits to ``text``."""
    if n_mutations is None:
        n_mutations = src.weighted([(60, 1), (28, 2), (12, 3)])
    for _ in range(n_mutations):
        text = _mutate_once(src, text)
    return text


def _random_char(src: _Source) -> str:
    kind = src.weighted([(75, "grammar"), (25, "codepoint")])
    if kind == "grammar":
        return src.choice(MUTATION_CHARS)
    cp = src.weighted([(40, (0x20, 0x7E)), (20, (0x00, 0x1F)), (20, (0xA0, 0x2FFF)), (15, (0x3000, 0xD7FF)),
                       (5, (0xE000, 0x10FFFF))])
    c = src.integer(*cp)
    if 0xD800 <= c <= 0xDFFF:
        c = 0xFFFD
    return chr(c)


def _mutate_once(src: _Source, text: str) -> str:
    if not text:
        return _random_char(src)
    op = src.weighted([
        (13, "del_token"), (8, "dup_token"), (8, "swap_tokens"), (9, "del_line"), (6, "dup_line"),
        (6, "swap_lines"), (14, "insert_char"), (8, "insert_token"), (8, "replace_char"),
        (7, "truncate"), (4, "case_flip"), (5, "del_char"), (4, "insert_newline"),
    ])
    tokens = _TOKEN_RE.findall(text)
    lines = text.split("\n")
    pos = src.integer(0, len(text))
    if op == "del_token" and tokens:
        i = src.integer(0, len(tokens) - 1)
        return "".join(tokens[:i] + tokens[i + 1:])
    if op == "dup_token" and tokens:
        i = src.integer(0, len(tokens) - 1)
        return "".join(tokens[:i + 1] + [tokens[i]] + tokens[i + 1:])
    if op == "swap_tokens" and len(tokens) > 1:
        i = src.integer(0, len(tokens) - 2)
        j = i + 1 if src.boolean(0.6) else src.integer(0, len(tokens) - 1)
        tokens[i], tokens[j] = tokens[j], tokens[i]
        return "".join(tokens)
    if op == "del_line" and len(lines) > 1:
        i = src.integer(0, len(lines) - 1)
        return "\n".join(lines[:i] + lines[i + 1:])
    if op == "dup_line":
        i = src.integer(0, len(lines) - 1)
        return "\n".join(lines[:i + 1] + [lines[i]] + lines[i + 1:])
    if op == "swap_lines" and len(lines) > 1:
        i = src.integer(0, len(lines) - 2)
        j = i + 1 if src.boolean(0.6) else src.integer(0, len(lines) - 1)
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines)
    if op == "insert_token":
        tok = src.choice(MUTATION_TOKENS)
        return text[:pos] + tok + text[pos:]
    if op == "replace_char" and pos < len(text):
        return text[:pos] + _random_char(src) + text[pos + 1:]
    if op == "truncate":
        return text[:pos]
    if op == "case_flip" and tokens:
        idx = [i for i, t in enumerate(tokens) if t[:1].isalpha()]
        if idx:
            i = src.choice(idx)
            tokens[i] = tokens[i].swapcase()
            return "".join(tokens)
    if op == "del_char" and pos < len(text):
        return text[:pos] + text[pos + 1:]
    if op == "insert_newline":
        return text[:pos] + src.choice(["\n", "\r\n", "\n\n", "\r"]) + text[pos:]
    # insert_char, and fallback for ops that did not apply
    return text[:pos] + "".join(_random_char(src) for _ in range(src.weighted([(80, 1), (15, 2), (5, 4)]))) + text[pos:]


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


def generate_text(src: _Source, hazard: float | None = None, max_statements: int = 12) -> str:
    return FlowchartGenerator(src, hazard=hazard, max_statements=max_statements).document()


@st.composite
def _flowcharts(draw, hazard: float | None, max_statements: int) -> str:
    return generate_text(DrawSource(draw), hazard=hazard, max_statements=max_statements)


@st.composite
def _mutated(draw, hazard: float | None, max_statements: int) -> str:
    src = DrawSource(draw)
    return mutate_text(src, generate_text(src, hazard=hazard, max_statements=max_statements))


def flowcharts(max_statements: int = 12, hazard: float | None = None) -> st.SearchStrategy[str]:
    """Mostly valid Mermaid flowchart texts: about 80% are accepted by mermaid, the rest reach
    its error paths.  ``hazard`` fixes the per-document rate of deliberately risky constructs
    (default: drawn per document)."""
    return _flowcharts(hazard, max_statements)


def valid_flowcharts(max_statements: int = 12) -> st.SearchStrategy[str]:
    """Texts built without deliberate hazards (mermaid 11.17.2 accepted 5000/5000 samples)."""
    return _flowcharts(0.0, max_statements)


def mutated_flowcharts(max_statements: int = 12, hazard: float | None = None) -> st.SearchStrategy[str]:
    """A ``flowcharts()`` text with 1-3 random mutations applied (about 40% still accepted)."""
    return _mutated(hazard, max_statements)


def sample_texts(n: int, seed: int = 0, mutated: bool = False, hazard: float | None = None,
                 max_statements: int = 12) -> list[str]:
    """``n`` texts from the same generator, driven by ``random.Random(seed)`` (reproducible)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        src = RandomSource(rng)
        text = generate_text(src, hazard=hazard, max_statements=max_statements)
        if mutated:
            text = mutate_text(src, text)
        out.append(text)
    return out


if __name__ == "__main__":  # quick look: python tests/strategies.py [N] [SEED] [--mutated]
    import sys

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 5
    seed = int(args[1]) if len(args) > 1 else 0
    for t in sample_texts(n, seed, mutated="--mutated" in sys.argv):
        print("-" * 60)
        print(t)
