"""Label sanitizing exactly as mermaid-js 11.17.2 does it (``common.sanitizeText``).

mermaid's FlowDB never stores a label as written: every node, edge and subgraph label goes
through ``sanitizeText``, which (with the default config: securityLevel ``strict``, htmlLabels
on) runs DOMPurify twice -- once with mermaid's ``<a target>`` hooks, then again with
``FORBID_TAGS: ['style']``.  ``whiteboard parse`` must report labels exactly as FlowDB holds
them, so this module re-implements that pipeline: parse the label as an HTML document (html5lib,
imported lazily), walk the body the way DOMPurify does (allow-lists of elements and attributes,
URI checks, namespace checks, markup-in-text checks, content hoisting), and serialize it the way
jsdom's ``innerHTML`` does.  A label without ``<`` is returned unchanged (DOMPurify's fast path).

The reference is the real DOMPurify 3.4.18 on jsdom 29 (``scripts/dompurify_reference.mjs``);
``tests/parse/sanitize_cases.json`` holds recorded outputs.  jsdom parses with parse5 8, which
follows a newer HTML spec than html5lib 1.1, so the html5lib parser used here is a private copy
with parse5's rules patched in (special elements, adoption agency, foster parenting, <pre>
newlines, ...; see ``_build_parser``), including a jsdom quirk: foster-parented text lands after
the table.  Known difference: ``<template>`` -- html5lib has no template contents or "in
template" insertion mode, so a label that starts with a template (parse5 puts it in <head>) or
has table rows or misnested tags inside one can come out differently.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

__all__ = ["sanitize_text"]

_HTML_NS = "http://www.w3.org/1999/xhtml"
_SVG_NS = "http://www.w3.org/2000/svg"
_MATHML_NS = "http://www.w3.org/1998/Math/MathML"

# DOMPurify default allow-list: HTML elements.
_HTML_TAGS: frozenset[str] = frozenset(
    """
    a abbr acronym address area article aside audio b bdi bdo big blink blockquote body br
    button canvas caption center cite code col colgroup content data datalist dd decorator del
    details dfn dialog dir div dl dt element em fieldset figcaption figure font footer form h1
    h2 h3 h4 h5 h6 head header hgroup hr html i img input ins kbd label legend li main map mark
    marquee menu menuitem meter nav nobr ol optgroup option output p picture pre progress q rp
    rt ruby s samp search section select shadow slot small source spacer span strike strong
    style sub summary sup table tbody td template textarea tfoot th thead time tr track tt u ul
    var video wbr
    """.split()
)

# DOMPurify default allow-list: SVG elements and filter primitives (lower-cased).
_SVG_TAGS: frozenset[str] = frozenset(
    """
    a altglyph altglyphdef altglyphitem animatecolor animatemotion animatetransform circle
    clippath defs desc ellipse feblend fecolormatrix fecomponenttransfer fecomposite
    feconvolvematrix fediffuselighting fedisplacementmap fedistantlight fedropshadow feflood
    fefunca fefuncb fefuncg fefuncr fegaussianblur feimage femerge femergenode femorphology
    feoffset fepointlight fespecularlighting fespotlight fetile feturbulence filter font g glyph
    glyphref hkern image line lineargradient marker mask metadata mpath path pattern polygon
    polyline radialgradient rect stop style svg switch symbol text textpath title tref tspan
    view vkern
    """.split()
)

# DOMPurify default allow-list: MathML elements.
_MATHML_TAGS: frozenset[str] = frozenset(
    """
    math menclose merror mfenced mfrac mglyph mi mlabeledtr mmultiscripts mn mo mover mpadded
    mphantom mprescripts mroot mrow ms mspace msqrt mstyle msub msubsup msup mtable mtd mtext
    mtr munder munderover
    """.split()
)

# SVG elements DOMPurify knows but never allows.
_SVG_DISALLOWED: frozenset[str] = frozenset(
    """
    animate color-profile cursor discard font-face font-face-format font-face-name font-face-src
    font-face-uri foreignobject hatch hatchpath mesh meshgradient meshpatch meshrow
    missing-glyph script set solidcolor unknown use
    """.split()
)

# MathML elements DOMPurify knows but never allows.
_MATHML_DISALLOWED: frozenset[str] = frozenset(
    """
    annotation annotation-xml maction maligngroup malignmark mlongdiv mprescripts mscarries
    mscarry msgroup msline msrow mstack none semantics
    """.split()
)

# DOMPurify default allow-list of attribute names (HTML, SVG, MathML, XML).
_ALLOWED_ATTRS: frozenset[str] = frozenset(
    """
    accent accent-height accentunder accept accumulate action additive align alignment-baseline
    alt amplitude ascent attributename attributetype autocapitalize autocomplete
    autopictureinpicture autoplay azimuth background basefrequency baseline-shift begin bevelled
    bgcolor bias border by capture cellpadding cellspacing checked cite class clear clip
    clip-path clip-rule clippathunits close color color-interpolation
    color-interpolation-filters color-profile color-rendering cols colspan columnalign
    columnlines columnspacing columnspan command commandfor controls controlslist coords
    crossorigin cx cy d datetime decoding default denomalign depth diffuseconstant dir direction
    disabled disablepictureinpicture disableremoteplayback display displaystyle divisor
    dominant-baseline download draggable dur dx dy edgemode elevation encoding enctype end
    enterkeyhint exponent exportparts face fence fill fill-opacity fill-rule filter filterunits
    flood-color flood-opacity font-family font-size font-size-adjust font-stretch font-style
    font-variant font-weight for frame fx fy g1 g2 glyph-name glyphref gradienttransform
    gradientunits headers height hidden high href hreflang id image-rendering in in2 inert
    inputmode integrity intercept ismap k k1 k2 k3 k4 kernelmatrix kernelunitlength kerning
    keypoints keysplines keytimes kind label lang largeop length lengthadjust letter-spacing
    lighting-color linethickness list loading local loop low lquote lspace marker-end marker-mid
    marker-start markerheight markerunits markerwidth mask mask-type maskcontentunits maskunits
    mathbackground mathcolor mathsize mathvariant max maxlength maxsize media method min
    minlength minsize mode movablelimits multiple muted name nonce noshade notation novalidate
    nowrap numalign numoctaves offset opacity open operator optimum order orient orientation
    origin overflow paint-order part path pathlength pattern patterncontentunits
    patterntransform patternunits placeholder playsinline pointer-events points popover
    popovertarget popovertargetaction poster preload preservealpha preserveaspectratio
    primitiveunits pubdate r radiogroup radius readonly refx refy rel repeatcount repeatdur
    required restart result rev reversed role rotate rowalign rowlines rows rowspacing rowspan
    rquote rspace rx ry scale scope scriptlevel scriptminsize scriptsizemultiplier seed selected
    selection separator separators shape shape-rendering size sizes slope slot span
    specularconstant specularexponent spellcheck spreadmethod src srclang srcset start
    startoffset stddeviation step stitchtiles stop-color stop-opacity stretchy stroke
    stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-opacity stroke-width style subscriptshift summary supscriptshift surfacescale
    symmetric systemlanguage tabindex tablevalues targetx targety text-anchor text-decoration
    text-orientation text-rendering textlength title transform transform-origin translate type
    u1 u2 unicode usemap valign value values vector-effect version vert-adv-y vert-origin-x
    vert-origin-y viewbox visibility voffset width word-spacing wrap writing-mode x x1 x2
    xchannelselector xlink:href xlink:title xml:id xml:space xmlns xmlns:xlink y y1 y2
    ychannelselector z zoomandpan
    """.split()
)

# Disallowed elements that are dropped together with their content.
_FORBID_CONTENTS: frozenset[str] = frozenset(
    """
    annotation-xml audio colgroup desc foreignobject head iframe math mi mn mo ms mtext noembed
    noframes noscript plaintext script selectedcontent style svg template thead title video xmp
    """.split()
)

# Elements whose src/href may hold a data: URI.
_DATA_URI_TAGS: frozenset[str] = frozenset(
    """
    audio image img source track video
    """.split()
)

# Attributes whose value is never checked as a URI.
_URI_SAFE_ATTRS: frozenset[str] = frozenset(
    """
    alt class for id label name pattern placeholder role style summary title value xmlns
    """.split()
)

# HTML raw-text elements that are dropped if they hold markup.
_LITERAL_TEXT_ELEMENTS: frozenset[str] = frozenset(
    """
    iframe noembed noframes noscript plaintext script style xmp
    """.split()
)

# MathML text integration points (as DOMPurify counts them).
_MATHML_TEXT_INTEGRATION_POINTS: frozenset[str] = frozenset(
    """
    mi mn mo ms mtext
    """.split()
)

# Names that are valid both as SVG and as HTML elements.
_COMMON_SVG_AND_HTML: frozenset[str] = frozenset(
    """
    a font script style title
    """.split()
)

# Property names of jsdom's Document and HTMLFormElement (prototype chains included): an
# id/name attribute with one of these values is dropped (DOM clobbering guard).
_DOM_PROPERTY_NAMES: frozenset[str] = frozenset(
    """
    ATTRIBUTE_NODE CDATA_SECTION_NODE COMMENT_NODE DOCUMENT_FRAGMENT_NODE DOCUMENT_NODE
    DOCUMENT_POSITION_CONTAINED_BY DOCUMENT_POSITION_CONTAINS DOCUMENT_POSITION_DISCONNECTED
    DOCUMENT_POSITION_FOLLOWING DOCUMENT_POSITION_IMPLEMENTATION_SPECIFIC
    DOCUMENT_POSITION_PRECEDING DOCUMENT_TYPE_NODE ELEMENT_NODE ENTITY_NODE
    ENTITY_REFERENCE_NODE NOTATION_NODE PROCESSING_INSTRUCTION_NODE TEXT_NODE URL
    __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__ __proto__ acceptCharset
    accessKey action activeElement addEventListener adoptNode after anchors append appendChild
    applets ariaAtomic ariaAutoComplete ariaBusy ariaChecked ariaColCount ariaColIndex
    ariaColIndexText ariaColSpan ariaCurrent ariaDescription ariaDisabled ariaExpanded
    ariaHasPopup ariaHidden ariaInvalid ariaKeyShortcuts ariaLabel ariaLevel ariaLive ariaModal
    ariaMultiLine ariaMultiSelectable ariaOrientation ariaPlaceholder ariaPosInSet ariaPressed
    ariaReadOnly ariaRelevant ariaRequired ariaRoleDescription ariaRowCount ariaRowIndex
    ariaRowIndexText ariaRowSpan ariaSelected ariaSetSize ariaSort ariaValueMax ariaValueMin
    ariaValueNow ariaValueText assignedSlot attachInternals attachShadow attributes baseURI
    before blur body captureEvents characterSet charset checkValidity childElementCount
    childNodes children classList className clear click clientHeight clientLeft clientTop
    clientWidth cloneNode close closest compareDocumentPosition compatMode constructor contains
    contentType cookie createAttribute createAttributeNS createCDATASection createComment
    createDocumentFragment createElement createElementNS createEvent createExpression
    createNSResolver createNodeIterator createProcessingInstruction createRange createTextNode
    createTreeWalker currentScript dataset defaultView dir dispatchEvent doctype documentElement
    documentURI draggable elements embeds enctype evaluate firstChild firstElementChild focus
    forms getAttribute getAttributeNS getAttributeNames getAttributeNode getAttributeNodeNS
    getBoundingClientRect getClientRects getElementById getElementsByClassName getElementsByName
    getElementsByTagName getElementsByTagNameNS getRootNode getSelection hasAttribute
    hasAttributeNS hasAttributes hasChildNodes hasFocus hasOwnProperty head hidden id images
    implementation importNode innerHTML inputEncoding insertAdjacentElement insertAdjacentHTML
    insertAdjacentText insertBefore isConnected isDefaultNamespace isEqualNode isPrototypeOf
    isSameNode lang lastChild lastElementChild lastModified length links localName location
    lookupNamespaceURI lookupPrefix matches method name namespaceURI nextElementSibling
    nextSibling noValidate nodeName nodeType nodeValue nonce normalize offsetHeight offsetLeft
    offsetParent offsetTop offsetWidth onabort onauxclick onbeforeinput onbeforematch
    onbeforetoggle onblur oncancel oncanplay oncanplaythrough onchange onclick onclose
    oncontextlost oncontextmenu oncontextrestored oncopy oncuechange oncut ondblclick ondrag
    ondragend ondragenter ondragleave ondragover ondragstart ondrop ondurationchange onemptied
    onended onerror onfocus onformdata ongotpointercapture oninput oninvalid onkeydown
    onkeypress onkeyup onload onloadeddata onloadedmetadata onloadstart onlostpointercapture
    onmousedown onmouseenter onmouseleave onmousemove onmouseout onmouseover onmouseup onpaste
    onpause onplay onplaying onpointercancel onpointerdown onpointerenter onpointerleave
    onpointermove onpointerout onpointerover onpointerrawupdate onpointerup onprogress
    onratechange onreadystatechange onreset onresize onscroll onscrollend
    onsecuritypolicyviolation onseeked onseeking onselect onslotchange onstalled onsubmit
    onsuspend ontimeupdate ontoggle ontouchcancel ontouchend ontouchmove ontouchstart
    onvisibilitychange onvolumechange onwaiting onwebkitanimationend onwebkitanimationiteration
    onwebkitanimationstart onwebkittransitionend onwheel open outerHTML ownerDocument
    parentElement parentNode plugins prefix prepend previousElementSibling previousSibling
    propertyIsEnumerable querySelector querySelectorAll readyState referrer releaseEvents remove
    removeAttribute removeAttributeNS removeAttributeNode removeChild removeEventListener
    replaceChild replaceChildren replaceWith reportValidity requestSubmit reset role scripts
    scrollHeight scrollLeft scrollTop scrollWidth setAttribute setAttributeNS setAttributeNode
    setAttributeNodeNS shadowRoot slot style styleSheets submit tabIndex tagName target
    textContent title toLocaleString toString toggleAttribute translate valueOf visibilityState
    webkitMatchesSelector write writeln
    """.split()
)

# Names derived from the lists above, as DOMPurify combines them.
_ALLOWED_TAGS: frozenset[str] = _HTML_TAGS | _SVG_TAGS | _MATHML_TAGS | {"#text"}
_ALL_SVG_TAGS: frozenset[str] = _SVG_TAGS | _SVG_DISALLOWED
_ALL_MATHML_TAGS: frozenset[str] = _MATHML_TAGS | _MATHML_DISALLOWED
_HTML_INTEGRATION_POINTS: frozenset[str] = frozenset({"annotation-xml"})

# innerHTML serialization facts (HTML namespace only).
_VOID_ELEMENTS: frozenset[str] = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param source "
    "track wbr".split()
)
_RAW_TEXT_PARENTS: frozenset[str] = frozenset(
    "style script xmp iframe noembed noframes plaintext".split()
)

# ECMAScript String.prototype.trim() white space (differs from Python's str.strip()).
_JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)

# DOMPurify's regular expressions, transcribed to Python semantics: JS ``\w`` is ASCII, ``/i``
# folds ASCII only for these patterns, and ``$`` is end of input.  Its data-attribute pattern
# ``^data-[\-\w.\u00B7-\uFFFF]+$`` is _is_data_attr() below (a JS astral character is two code
# units inside ``\u00B7-\uFFFF``).
_DATA_ATTR_ASCII = frozenset("-._0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_A_I = re.ASCII | re.IGNORECASE
_ARIA_ATTR = re.compile(r"aria-[\-\w]+\Z", re.ASCII)
_IS_ALLOWED_URI = re.compile(
    r"(?:(?:(?:f|ht)tps?|mailto|tel|callto|sms|cid|xmpp|matrix):|[^a-z]|[a-z+.\-]+(?:[^a-z+.\-:]|\Z))",
    _A_I,
)
_ATTR_WHITESPACE = re.compile("[\u0000-\u0020\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000]")
_ELEMENT_MARKUP_PROBE = re.compile(r"<[/\w!]", re.ASCII)
_COMMENT_MARKUP_PROBE = re.compile(r"<[/\w]", re.ASCII)
_ATTR_VALUE_BREAKOUT = re.compile(
    r"((--!?|])>)|</(style|script|title|xmp|textarea|noscript|iframe|noembed|noframes)", _A_I
)
_LEADING_WHITESPACE = re.compile(r"[\r\n\t ]+")
_TEXT_ESCAPES = re.compile("[&<>\u00a0]")
_ATTR_ESCAPES = re.compile('[&<>"\u00a0]')
_ESCAPE_MAP = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\u00a0": "&nbsp;"}

# mermaid's hooks keep an <a>'s target attribute across DOMPurify by parking it here.
_TEMP_TARGET = "data-temp-href-target"

_ELEMENT, _TEXT, _COMMENT, _DOCUMENT, _DOCTYPE, _FRAGMENT = 1, 3, 8, 9, 10, 11


# --- a minimal DOM, built by html5lib ------------------------------------------------------------


class _Node:
    """One DOM node.  Attributes live in an insertion-ordered dict keyed like html5lib keys
    them: the attribute name, or ``(prefix, local name, namespace)`` for namespaced ones."""

    __slots__ = ("_attrs", "_flags", "childNodes", "kind", "name", "namespace", "parent", "value")

    def __init__(self, kind: int, name: str, namespace: str | None = None, value: str = "") -> None:
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.parent: _Node | None = None
        self.childNodes: list[_Node] = []
        self._attrs: dict[Any, str] = {}
        self.value = value
        self._flags: list[str] = []

    # html5lib's Node interface -----------------------------------------------------------------
    @property
    def nameTuple(self) -> tuple[str | None, str]:
        return (self.namespace or _HTML_NS, self.name)

    @property
    def attributes(self) -> dict[Any, str]:
        return self._attrs

    @attributes.setter
    def attributes(self, value: dict[Any, str] | None) -> None:
        self._attrs = dict(value) if value else {}

    def appendChild(self, node: _Node) -> None:
        node.parent = self
        self.childNodes.append(node)

    def insertText(self, data: str, insertBefore: _Node | None = None) -> None:
        kids = self.childNodes
        index = len(kids) if insertBefore is None else kids.index(insertBefore)
        if index and kids[index - 1].kind == _TEXT:
            kids[index - 1].value += data
        else:
            # jsdom's parse5 adapter appends foster-parented text at the END of the foster parent
            # (after the table) instead of before the table; the reference is jsdom, so do so too.
            text = _Node(_TEXT, "#text", value=data)
            text.parent = self
            kids.append(text)

    def insertBefore(self, node: _Node, refNode: _Node) -> None:
        node.parent = self
        self.childNodes.insert(self.childNodes.index(refNode), node)

    def removeChild(self, node: _Node) -> None:
        self.childNodes.remove(node)
        node.parent = None

    def reparentChildren(self, newParent: _Node) -> None:
        for child in self.childNodes:
            newParent.appendChild(child)
        self.childNodes = []

    def cloneNode(self) -> _Node:
        clone = _Node(self.kind, self.name, self.namespace, self.value)
        clone._attrs = dict(self._attrs)
        return clone

    def hasContent(self) -> bool:
        return bool(self.childNodes)


def _element(name: str, namespace: str | None = None) -> _Node:
    return _Node(_ELEMENT, name, namespace)


def _comment(data: str) -> _Node:
    return _Node(_COMMENT, "#comment", value=data)


def _doctype(name: str, publicId: str | None = None, systemId: str | None = None) -> _Node:
    return _Node(_DOCTYPE, name or "")


def _document() -> _Node:
    return _Node(_DOCUMENT, "#document")


def _fragment() -> _Node:
    return _Node(_FRAGMENT, "#document-fragment")


# The "special" elements of HTML tree construction as parse5 8 lists them (html5lib 1.1 has an
# older list: no summary, main, template, ...).
_SPECIAL_ELEMENTS: frozenset[tuple[str, str]] = frozenset(
    [(_HTML_NS, name) for name in """
    address applet area article aside base basefont bgsound blockquote body br button caption
    center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form
    frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input li link listing
    main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre script
    section select source style summary table tbody td template textarea tfoot th thead title tr
    track ul wbr xmp
    """.split()]
    + [(_MATHML_NS, name) for name in ("mi", "mo", "mn", "ms", "mtext", "annotation-xml")]
    + [(_SVG_NS, name) for name in ("foreignObject", "desc", "title")]
)
_IMPLIED_END_TAGS = frozenset("dd dt li optgroup option p rb rp rt rtc".split())
_FORMATTING_ELEMENTS = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_TABLE_TEXT_PARENTS = frozenset("table tbody template tfoot thead tr".split())

_local = threading.local()


def _build_parser() -> Any:
    """An html5lib parser brought up to the parsing rules parse5 8 (jsdom's parser) follows.

    html5lib 1.1 predates a few spec changes that matter for labels.  Its tree-construction
    module is loaded a second time as a private copy, so the updates below stay out of the
    shared ``html5lib.html5parser`` module."""
    import importlib.util

    from html5lib import _tokenizer
    from html5lib.constants import tokenTypes
    from html5lib.treebuilders import base

    spec = importlib.util.find_spec("html5lib.html5parser")
    assert spec is not None and spec.loader is not None and spec.origin is not None
    module = importlib.util.module_from_spec(spec)
    # Compiled without its asserts: they encode "only in fragment parsing" assumptions that a
    # foreign element named like an HTML one (<svg><html>, <math><table>) breaks harmlessly.
    source = spec.loader.get_source(spec.name)
    assert source is not None
    exec(compile(source, spec.origin, "exec", optimize=1), module.__dict__)  # noqa: S102
    module.specialElements = _SPECIAL_ELEMENTS

    parse_error = tokenTypes["ParseError"]
    characters = tokenTypes["Characters"]
    text_tokens = (characters, tokenTypes["SpaceCharacters"])

    class _Tokenizer(_tokenizer.HTMLTokenizer):  # type: ignore[misc]
        """Drops the newline right after <pre>, <listing> or <textarea> the way parse5 does:
        only if it is the very next token (html5lib waits for the next white space)."""

        def __iter__(self) -> Any:
            parser = self.parser
            parser.skip_next_newline = False
            for token in self._merged_nul_runs():
                if parser.skip_next_newline and token["type"] != parse_error:
                    parser.skip_next_newline = False
                    if token["type"] in text_tokens and token["data"].startswith("\n"):
                        token["data"] = token["data"][1:]
                        if not token["data"]:
                            continue
                yield token

        def _merged_nul_runs(self) -> Any:
            # parse5 makes one token of a run of NULs (one U+FFFD in foreign content, where
            # html5lib writes one per NUL).  A NUL token changes no tokenizer state, so reading
            # ahead past it is safe.
            tokens = super().__iter__()
            for token in tokens:
                nul = token["type"] == characters and token["data"] == "\0"
                yield token  # (the parser may rewrite the token's data meanwhile)
                if nul:
                    for following in tokens:
                        if following["type"] == characters and following["data"] == "\0":
                            continue
                        yield following
                        if following["type"] != parse_error:
                            break

        def markupDeclarationOpenState(self) -> bool:
            # "<![CDATA[" opens a CDATA section only in foreign content proper; parse5 treats
            # an integration point (an SVG <desc>, a MathML <mi>, ...) as HTML here, where
            # html5lib looks at the namespace alone.  Show html5lib an HTML node for the check.
            stack = self.parser.tree.openElements
            current = stack[-1] if stack else None
            if current is None or current.namespace == _HTML_NS or not (
                self.parser.isHTMLIntegrationPoint(current)
                or self.parser.isMathMLTextIntegrationPoint(current)
            ):
                return bool(super().markupDeclarationOpenState())
            namespace, current.namespace = current.namespace, _HTML_NS
            try:
                return bool(super().markupDeclarationOpenState())
            finally:
                current.namespace = namespace

    module._tokenizer = type("_TokenizerModule", (), {"HTMLTokenizer": _Tokenizer})

    class _TreeBuilder(base.TreeBuilder):  # type: ignore[misc]
        documentClass = staticmethod(_document)
        elementClass = staticmethod(_element)
        commentClass = staticmethod(_comment)
        doctypeClass = staticmethod(_doctype)
        fragmentClass = staticmethod(_fragment)

        _foster_depth = 0

        def reset(self) -> None:
            self._foster_depth = 0
            super().reset()

        # html5lib sets and clears "insert from table" (foster parenting) around a nested call
        # that can itself set and clear it, e.g. the implied </li> of a fostered <li>; count.
        def _get_insert_from_table(self) -> bool:
            return self._foster_depth > 0

        def _set_insert_from_table(self, value: bool) -> None:
            self._foster_depth = self._foster_depth + 1 if value else max(0, self._foster_depth - 1)
            self.insertElement = self.insertElementTable if self._foster_depth else self.insertElementNormal

        insertFromTable = property(_get_insert_from_table, _set_insert_from_table)

        def reconstructActiveFormattingElements(self) -> None:
            # html5lib parses <textarea> text in "in body" mode (to drop its first newline),
            # which would reopen formatting elements inside the textarea; the spec's "text"
            # mode does not.
            current = self.openElements[-1] if self.openElements else None
            if current is None or current.name != "textarea" or current.namespace != _HTML_NS:
                super().reconstructActiveFormattingElements()

        def generateImpliedEndTags(self, exclude: str | None = None) -> None:
            stack = self.openElements
            while stack:
                node = stack[-1]
                if node.namespace != _HTML_NS or node.name not in _IMPLIED_END_TAGS or node.name == exclude:
                    break
                stack.pop()

    phases = module.getPhases(False)
    in_body, in_select, foreign = phases["inBody"], phases["inSelect"], phases["inForeignContent"]
    body_start = in_body.__dict__["startTagHandler"]
    body_end = in_body.__dict__["endTagHandler"]

    def start_rb_rtc(self: Any, token: dict[str, Any]) -> None:
        if self.tree.elementInScope("ruby"):
            self.tree.generateImpliedEndTags()
        self.tree.insertElement(token)

    def start_rp_rt(self: Any, token: dict[str, Any]) -> None:
        if self.tree.elementInScope("ruby"):
            self.tree.generateImpliedEndTags("rtc")
        self.tree.insertElement(token)

    def select_hr(self: Any, token: dict[str, Any]) -> None:
        stack = self.tree.openElements
        if stack[-1].name == "option":
            stack.pop()
        if stack[-1].name == "optgroup":
            stack.pop()
        self.tree.insertElement(token)
        stack.pop()
        token["selfClosingAcknowledged"] = True

    stock_foreign_end = foreign.processEndTag

    def foreign_end(self: Any, token: dict[str, Any]) -> Any:
        if token["name"] not in ("br", "p"):
            return stock_foreign_end(self, token)
        stack = self.tree.openElements
        while not (
            stack[-1].namespace == _HTML_NS
            or self.parser.isMathMLTextIntegrationPoint(stack[-1])
            or self.parser.isHTMLIntegrationPoint(stack[-1])
        ):
            stack.pop()
        # "reprocess the token according to the current insertion mode in HTML content"
        return self.parser.phase.processEndTag(token)

    def body_end_other(self: Any, token: dict[str, Any]) -> None:
        # "any other end tag" matches HTML elements only (html5lib also matches a MathML <mi>
        # or an SVG <desc> of the same name), and stops at a special element.
        name = token["name"]
        stack = self.tree.openElements
        for node in reversed(stack):
            if node.name == name and node.namespace == _HTML_NS:
                self.tree.generateImpliedEndTags(exclude=name)
                while stack.pop() is not node:
                    pass
                return
            if node.nameTuple in _SPECIAL_ELEMENTS:
                return

    def newline_skipping(handler: Any) -> Any:
        def start_tag(self: Any, token: dict[str, Any]) -> None:
            handler(self, token)
            self.processSpaceCharacters = self.processSpaceCharactersNonPre
            self.parser.skip_next_newline = True

        return start_tag

    stock_end_br = body_end["br"]

    def end_br(self: Any, token: dict[str, Any]) -> None:
        stock_end_br(self, token)  # </br> is a <br>, and a <br> rules out a <frameset>
        self.parser.framesetOK = False

    def after_body_space(self: Any, token: dict[str, Any]) -> None:
        self.parser.phases["inBody"].processSpaceCharacters(token)

    for tag in ("pre", "listing", "textarea"):
        body_start[tag] = newline_skipping(body_start[tag])
    body_end["br"] = end_br
    phases["afterBody"].processSpaceCharacters = after_body_space
    def adoption_agency(self: Any, token: dict[str, Any]) -> None:
        # The current spec's adoption agency algorithm: html5lib 1.1 has the pre-2014 one (it
        # stops the inner loop after three steps instead of dropping formatting elements
        # there, and lacks the "current node is not a formatting element" shortcut).
        tree = self.tree
        stack, formatting_list = tree.openElements, tree.activeFormattingElements
        subject = token["name"]
        current = stack[-1]
        if current.name == subject and current.namespace == _HTML_NS and current not in formatting_list:
            stack.pop()
            return
        for _ in range(8):
            formatting = None
            for entry in reversed(formatting_list):
                if entry is None:  # a scope marker
                    break
                if entry.name == subject:
                    formatting = entry
                    break
            if formatting is None:
                self.endTagOther(token)
                return
            if formatting not in stack:
                formatting_list.remove(formatting)
                return
            if not tree.elementInScope(formatting):
                return
            index = stack.index(formatting)
            furthest = next((el for el in stack[index + 1 :] if el.nameTuple in _SPECIAL_ELEMENTS), None)
            if furthest is None:
                del stack[index:]
                formatting_list.remove(formatting)
                return
            common_ancestor = stack[index - 1]
            bookmark = formatting
            last = furthest
            position = stack.index(furthest)
            inner = 0
            while True:
                inner += 1
                position -= 1
                node = stack[position]
                if node is formatting:
                    break
                listed = node in formatting_list
                if inner > 3 and listed:
                    formatting_list.remove(node)
                    listed = False
                if not listed:
                    del stack[position]
                    continue
                clone = node.cloneNode()
                formatting_list[formatting_list.index(node)] = clone
                stack[position] = clone
                if last is furthest:
                    bookmark = clone
                if last.parent is not None:
                    last.parent.removeChild(last)
                clone.appendChild(last)
                last = clone
            if last.parent is not None:
                last.parent.removeChild(last)
            if common_ancestor.name in ("table", "tbody", "tfoot", "thead", "tr"):
                parent, before = tree.getTableMisnestedNodePosition()
                if before is None:
                    parent.appendChild(last)
                else:
                    parent.insertBefore(last, before)
            else:
                common_ancestor.appendChild(last)
            clone = formatting.cloneNode()
            furthest.reparentChildren(clone)
            furthest.appendChild(clone)
            formatting_list.insert(formatting_list.index(bookmark) + 1, clone)
            formatting_list.remove(formatting)
            stack.remove(formatting)
            stack.insert(stack.index(furthest) + 1, clone)

    in_table = phases["inTable"]
    stock_table_chars = in_table.processCharacters
    stock_table_space = in_table.processSpaceCharacters

    def via_in_body(method: str) -> Any:
        # "in table", anything else: in-body rules with foster parenting.  html5lib drops the
        # in-body handler's result, so a token it hands back for reprocessing got lost.
        def handler(self: Any, token: dict[str, Any]) -> Any:
            self.tree.insertFromTable = True
            try:
                return getattr(self.parser.phases["inBody"], method)(token)
            finally:
                self.tree.insertFromTable = False

        return handler

    def table_text(stock: Any, method: str) -> Any:
        # Text goes through "in table text" only when the current node is a table-ish element;
        # elsewhere (a fostered element) it is in-body text, formatting reconstruction included.
        fostered = via_in_body(method)

        def handler(self: Any, token: dict[str, Any]) -> Any:
            current = self.tree.openElements[-1]
            if current.namespace == _HTML_NS and current.name in _TABLE_TEXT_PARENTS:
                return stock(self, token)
            return fostered(self, token)

        return handler

    def row_end_row_group(self: Any, token: dict[str, Any]) -> Any:
        # parse5 closes the row on </tbody>, </tfoot>, </thead> when that element *or* a <tr>
        # is in table scope (the spec wants both); html5lib checks the former only.
        tree = self.tree
        if tree.elementInScope(token["name"], variant="table") or tree.elementInScope("tr", variant="table"):
            self.endTagTr(module.impliedTagToken("tr"))
            return token
        return None

    in_row_end = phases["inRow"].__dict__["endTagHandler"]
    for tag in ("tbody", "tfoot", "thead"):
        in_row_end[tag] = row_end_row_group
    in_table.startTagOther = in_table.__dict__["startTagHandler"].default = via_in_body("processStartTag")
    in_table.endTagOther = in_table.__dict__["endTagHandler"].default = via_in_body("processEndTag")
    in_table.processCharacters = table_text(stock_table_chars, "processCharacters")
    in_table.processSpaceCharacters = table_text(stock_table_space, "processSpaceCharacters")

    for tag in _FORMATTING_ELEMENTS:
        body_end[tag] = adoption_agency
    in_body.endTagFormatting = adoption_agency
    in_body.endTagOther = body_end_other
    body_end.default = body_end_other
    body_start["isindex"] = body_start.default  # <isindex> is an ordinary element now
    body_start["dialog"] = body_start["search"] = body_start["p"]  # close an open <p>
    body_end["search"] = body_end["div"]
    body_start["rb"] = body_start["rtc"] = start_rb_rtc
    body_start["rp"] = body_start["rt"] = start_rp_rt
    in_select.__dict__["startTagHandler"]["hr"] = select_hr
    foreign.processEndTag = foreign_end

    return module.HTMLParser(tree=_TreeBuilder, namespaceHTMLElements=True)


def _parser() -> Any:
    """The cached parser (one per thread; html5lib parsers are not re-entrant)."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = _build_parser()
    return parser


def _parse_body(dirty: str) -> _Node | None:
    """``new DOMParser().parseFromString(dirty, 'text/html').body``, with DOMPurify's re-insertion
    of the leading white space that document parsing drops."""
    document = _parser().parse(dirty)
    body = None
    for html in document.childNodes:
        if html.kind == _ELEMENT and html.name == "html":
            for child in html.childNodes:
                if child.kind == _ELEMENT and child.name == "body" and child.namespace == _HTML_NS:
                    body = child
                    break
            break
    if body is None:
        return None
    lead = _LEADING_WHITESPACE.match(dirty)
    if lead:
        text = _Node(_TEXT, "#text", value=lead.group())
        text.parent = body
        body.childNodes.insert(0, text)
    return body


# --- serialization (jsdom innerHTML = parse5's serializer) -----------------------------------------


def _escape(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: _ESCAPE_MAP[m.group()], text) if pattern.search(text) else text


def _attr_name(key: Any) -> str:
    if isinstance(key, tuple):
        prefix, local = key[0], key[1]
        return f"{prefix}:{local}" if prefix else local
    return key


def _inner_html(node: _Node) -> str:
    """The node's ``innerHTML`` as parse5's HTML serializer writes it (iterative: labels may
    nest deeper than Python's recursion limit)."""
    out: list[str] = []
    stack: list[tuple[_Node, int]] = [(node, 0)]
    while stack:
        parent, index = stack.pop()
        kids = parent.childNodes
        if index == len(kids):
            if parent is not node:
                out.append(f"</{parent.name}>")
            continue
        stack.append((parent, index + 1))
        child = kids[index]
        kind = child.kind
        if kind == _TEXT:
            if parent.kind == _ELEMENT and parent.namespace == _HTML_NS and parent.name in _RAW_TEXT_PARENTS:
                out.append(child.value)
            else:
                out.append(_escape(child.value, _TEXT_ESCAPES))
        elif kind == _ELEMENT:
            out.append("<" + child.name)
            for key, value in child._attrs.items():
                out.append(f' {_attr_name(key)}="{_escape(value, _ATTR_ESCAPES)}"')
            out.append(">")
            if not (child.namespace == _HTML_NS and child.name in _VOID_ELEMENTS):
                stack.append((child, 0))
        elif kind == _COMMENT:
            out.append(f"<!--{child.value}-->")
        elif kind == _DOCTYPE:
            out.append(f"<!DOCTYPE {child.name}>")
    return "".join(out)


def _is_template(node: _Node) -> bool:
    # The children of an HTML <template> stand for its template contents, which the DOM keeps
    # out of childNodes and textContent.
    return node.name == "template" and node.namespace == _HTML_NS and node.kind == _ELEMENT


def _text_content(node: _Node) -> str:
    out: list[str] = []
    stack = list(reversed(node.childNodes))
    while stack:
        child = stack.pop()
        if child.kind == _TEXT:
            out.append(child.value)
        elif child.kind == _ELEMENT and not _is_template(child):
            stack.extend(reversed(child.childNodes))
    return "".join(out)


# --- DOMPurify's walk -------------------------------------------------------------------------------


def _valid_namespace(node: _Node) -> bool:
    namespace = node.namespace
    tag = node.name.lower()
    parent = node.parent
    if parent is not None and parent.kind == _ELEMENT:
        parent_ns, parent_tag = parent.namespace, parent.name.lower()
    else:
        parent_ns, parent_tag = _HTML_NS, "template"
    if namespace == _SVG_NS:
        if parent_ns == _HTML_NS:
            return tag == "svg"
        if parent_ns == _MATHML_NS:
            return tag == "svg" and (
                parent_tag == "annotation-xml" or parent_tag in _MATHML_TEXT_INTEGRATION_POINTS
            )
        return tag in _ALL_SVG_TAGS
    if namespace == _MATHML_NS:
        if parent_ns == _HTML_NS:
            return tag == "math"
        if parent_ns == _SVG_NS:
            return tag == "math" and parent_tag in _HTML_INTEGRATION_POINTS
        return tag in _ALL_MATHML_TAGS
    if namespace == _HTML_NS:
        if parent_ns == _SVG_NS and parent_tag not in _HTML_INTEGRATION_POINTS:
            return False
        if parent_ns == _MATHML_NS and parent_tag not in _MATHML_TEXT_INTEGRATION_POINTS:
            return False
        return tag not in _ALL_MATHML_TAGS and (tag in _COMMON_SVG_AND_HTML or tag not in _ALL_SVG_TAGS)
    return False


def _is_unsafe(node: _Node, tag: str) -> bool:
    """Structural checks DOMPurify applies before the allow-list (markup hidden in text)."""
    if node.kind == _COMMENT:
        return _COMMENT_MARKUP_PROBE.search(node.value) is not None
    if node.kind != _ELEMENT:
        return False
    kids = [] if _is_template(node) else node.childNodes
    has_element_child = any(k.kind == _ELEMENT for k in kids)
    if (
        kids
        and not has_element_child
        and _ELEMENT_MARKUP_PROBE.search(_text_content(node))
        and _ELEMENT_MARKUP_PROBE.search(_inner_html(node))
    ):
        return True
    return (
        tag in _LITERAL_TEXT_ELEMENTS
        and node.namespace == _HTML_NS
        and (has_element_child or _ELEMENT_MARKUP_PROBE.search(_text_content(node)) is not None)
    )


def _is_data_attr(name: str) -> bool:
    return (
        len(name) > 5
        and name.startswith("data-")
        and all(c in _DATA_ATTR_ASCII or c >= "\u00b7" for c in name[5:])
    )


def _valid_attribute(tag: str, name: str, value: str) -> bool:
    if name == "patchsrc" or (name == "for" and tag != "label" and tag != "output"):
        return False
    if (name == "id" or name == "name") and value in _DOM_PROPERTY_NAMES:
        return False
    if _is_data_attr(name) or _ARIA_ATTR.match(name):
        return True
    if name not in _ALLOWED_ATTRS:
        return False
    if name in _URI_SAFE_ATTRS:
        return True
    if _IS_ALLOWED_URI.match(_ATTR_WHITESPACE.sub("", value)):
        return True
    if name in ("src", "xlink:href", "href") and value.startswith("data:") and tag in _DATA_URI_TAGS:
        return True
    return not value


def _sanitize_attributes(node: _Node) -> None:
    attrs = node._attrs
    is_html_a = node.name == "a" and node.namespace == _HTML_NS
    if is_html_a and "target" in attrs:  # mermaid's beforeSanitizeAttributes hook
        attrs[_TEMP_TARGET] = attrs["target"]
    if attrs:
        tag = node.name.lower()
        for key in reversed(list(attrs)):
            name = _attr_name(key)
            lc_name = name.lower()
            original = attrs[key]
            value = original if name == "value" else original.strip(_JS_WHITESPACE)
            if (
                _ATTR_VALUE_BREAKOUT.search(value)
                or (lc_name == "attributename" and "href" in value)
                or not _valid_attribute(tag, lc_name, value)
            ):
                del attrs[key]
                if name == "is":  # DOMPurify blanks a removed `is` rather than dropping it
                    attrs["is"] = ""
            elif value != original:
                attrs[key] = value
    if is_html_a and _TEMP_TARGET in attrs:  # mermaid's afterSanitizeAttributes hook
        target = attrs[_TEMP_TARGET]
        attrs["target"] = target
        del attrs[_TEMP_TARGET]
        if target == "_blank":
            attrs["rel"] = "noopener"


def _sanitize(root: _Node, forbid_style: bool) -> None:
    """DOMPurify's node walk over ``root``'s descendants, in document order, editing in place."""
    stack: list[tuple[_Node, int]] = [(root, 0)]
    while stack:
        parent, index = stack.pop()
        kids = parent.childNodes
        if index >= len(kids):
            continue
        node = kids[index]
        kind = node.kind
        tag = node.name.lower() if kind == _ELEMENT else node.name
        if _is_unsafe(node, tag):
            node.parent = None
            del kids[index]
            stack.append((parent, index))
            continue
        if tag not in _ALLOWED_TAGS or (forbid_style and tag == "style"):
            node.parent = None
            if tag in _FORBID_CONTENTS:
                del kids[index]
            else:
                for child in node.childNodes:
                    child.parent = parent
                kids[index : index + 1] = node.childNodes
                node.childNodes = []
            stack.append((parent, index))
            continue
        if kind == _ELEMENT and not _valid_namespace(node):
            node.parent = None
            del kids[index]
            stack.append((parent, index))
            continue
        if kind == _ELEMENT:
            _sanitize_attributes(node)
        stack.append((parent, index + 1))
        if node.childNodes:
            stack.append((node, 0))


def _purify(dirty: str, forbid_style: bool) -> str:
    """One ``DOMPurify.sanitize(dirty, cfg)`` call with mermaid's hooks installed."""
    if "<" not in dirty:
        return dirty
    body = _parse_body(dirty)
    if body is None:
        return ""
    _sanitize(body, forbid_style)
    return _inner_html(body)


# The everyday label markup, `a<br/>b` or `<b>x</b> <i>y</i>`, comes out of both DOMPurify
# passes as it went in, modulo tag-name case and text escaping; it is handled without html5lib.
_SIMPLE_TAG = re.compile(r"<(/?)([A-Za-z]{1,6})[\t\n ]*(/?)>")
# Character references (an & not followed by a name or #), NUL, CR and FF go to the parser.
# A "<" that cannot open a tag ("p99 < 200ms", "<5ms", "a <= b") is text to the HTML
# tokenizer, so it stays on the fast path (escaped as "&lt;"); one before a letter, "/", "!"
# or "?" may start markup and goes to the full parse.
_SIMPLE_TEXT_SPOILERS = re.compile("[\x00\r\x0c]|<(?=[A-Za-z/!?])|&[A-Za-z0-9#]")
_SIMPLE_INLINE: frozenset[str] = frozenset(
    "abbr b cite code del dfn em i ins kbd mark q s samp small span strong sub sup u var".split()
)


def _simple_markup(text: str) -> str | None:
    """The sanitized label if ``text`` is only plain text, ``<br>`` tags and properly nested
    attribute-less inline elements; ``None`` for anything else."""
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    for match in _SIMPLE_TAG.finditer(text):
        chunk = text[position : match.start()]
        if _SIMPLE_TEXT_SPOILERS.search(chunk):
            return None
        out.append(_escape(chunk, _TEXT_ESCAPES))
        closing, name, self_closing = match.groups()
        name = name.lower()
        if name == "br":
            if closing:
                return None
            out.append("<br>")
        elif name not in _SIMPLE_INLINE or self_closing:
            return None
        elif closing:
            if not open_tags or open_tags.pop() != name:
                return None
            out.append(f"</{name}>")
        else:
            open_tags.append(name)
            out.append(f"<{name}>")
        position = match.end()
    tail = text[position:]
    if open_tags or _SIMPLE_TEXT_SPOILERS.search(tail):
        return None
    out.append(_escape(tail, _TEXT_ESCAPES))
    return "".join(out)


@lru_cache(maxsize=4096)
def _sanitize_markup(text: str) -> str:
    simple = _simple_markup(text)
    if simple is not None:
        return simple
    return _purify(_purify(text, False), True)


def sanitize_text(text: str) -> str:
    """What mermaid's ``common.sanitizeText(text, defaultConfig)`` returns for a label."""
    if "<" not in text:
        return text
    return _sanitize_markup(text)
