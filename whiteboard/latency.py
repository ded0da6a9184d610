"""Latency annotations, the SLA, and the critical path of the online request path.

Three pieces, used by the WB8xx rules and by Contract 2's ``latency`` object (DESIGN.md,
"Latency annotations" and "The request path"). No printing, no I/O.

1. **The reader** (:func:`read_annotations`) finds latency and throughput annotations in one
   label. It sorts every number it meets into one of three bins:

   - *read*: a number (or range, or ``a/b/c`` list) with a time unit (``ns us µs μs ms msec s
     sec second min minute``), optionally after a percentile (``p99``, ``P99:``, ``tp99.9``,
     also after the value: ``30ms p99``) and a budget comparator (``<  <=  ≤  ~  ≈  =  under
     within below up to at most max``, ``sub-100ms``). Ranges count their upper bound.
     ``sub-ms`` reads as 1 ms, ``sub-second`` as 1000 ms, ``single-digit ms`` as 9 ms (upper
     bounds). Throughput is ``QPS/RPS/TPS`` (``QPM/RPM/TPM``), ``req/s``, ``events per
     second``, ``100K/s``, ``1B tokens/day``, with ``K/M/B`` multipliers: scale, never a hop cost.
   - *ignored* (not an annotation at all): numbers without a time unit (scores ``> 0.9``,
     ``Medium 0.5-0.9``, counts ``1000 candidates``, ``Top 20``, ``10M DAU``, ``ISO 26262``),
     other units (``%``, ``Hz``, ``FPS``, ``150m`` metres, ``GB``...), hours/days/weeks
     (freshness, cadence and label delays are never a request hop: ``24h``, ``TTL 1 hour``,
     ``30-90 days``), numbers glued to a name (``NDCG@10``, ``v2``, ``DCN-V2``,
     ``text-embedding-3-large``, ``$45K/month``, ``3.11.2``), alert conditions (``>``, ``>=``,
     ``≥``, ``over``, ``above``, ``exceeds``, ``at least``: ``p99 > 500ms`` is when to page,
     not a budget) and durations that are not a hop's cost, told by the word right before or
     after (``TTL``, ``every``, ``window``, ``horizon``, ``retention``, ``interval``,
     ``period``, ``freshness``, ``last``/``past``, ``for``, ``ago``, ``old``...:
     ``3-8 second horizon``, ``15-min TTL``, ``every 5 min``). A time comparison that ends in
     ``?`` after a comparator (``p99 < 50ms?`` in a decision diamond) is a question: ignored.
   - *unreadable* (WB804): something that is plainly meant as a latency but gives no number
     in milliseconds. That is: a time unit with a placeholder instead of a number (``~?ms``,
     ``TBD ms``, ``N ms``), a latency written with ``?`` (``20 msec?``) or ``-ish``
     (``10-ms-ish``), a vague amount (``a few ms``, ``tens of ms``, ``10s of ms``), and a
     latency word (``latency``, ``lat``, ``RTT``, ``TTFT``, ``TPOT``, ``response time``,
     ``timeout``, a percentile) directly followed by a number with no unit (``p99 < 200``), an
     unknown unit (``latency 20 ticks``), the ambiguous ``m`` (``p99 5m``) or a word instead
     of a number (``latency: fast``, ``p99 TBD``); a whole label that is only a speed word
     (``fast``, ``quick``, ``slow``, ``instant``, ``low latency``). The line between the
     last two bins: without a latency word next to it, an odd number is ignored (a label is
     full of counts and ratios); with one, it is unreadable.

2. **The SLA** (:func:`find_sla`): ``--sla`` wins, else a ``%% sla: 200ms`` comment, else
   the requirements box.

3. **The request path** (:func:`request_path`), see its docstring for the rules and the
   algorithm (linear time).
"""

from __future__ import annotations

import gc
import re
import sys
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whiteboard.model import Diagram, Edge, Node

__all__ = [
    "LOOKUP_KINDS",
    "OFF_PATH_KINDS",
    "ONLINE_KINDS",
    "Annotation",
    "Hop",
    "LatencyReport",
    "Located",
    "Lookup",
    "NodeCost",
    "PathResult",
    "Sla",
    "analyse",
    "find_sla",
    "latency_ms",
    "latency_summary",
    "read_annotations",
    "request_path",
]


# --------------------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Annotation:
    """One latency or throughput annotation found in a piece of label text.

    ``start``/``end`` index the text given to :func:`read_annotations`. ``value_ms`` is the
    upper bound in milliseconds (latency) and ``None`` for throughput or unreadable ones;
    ``per_second`` is a throughput's rate. ``scope`` tells what the number is about, from
    words in the same clause: ``"total"`` (end-to-end, total, overall, e2e, round trip),
    ``"budget"`` (SLA, SLO, budget, target), ``"async"`` (async, background, offline).
    """

    kind: str  # "latency" | "throughput"
    value_ms: float | None
    raw: str
    start: int
    end: int
    percentile: str | None = None
    qualifier: str | None = None
    readable: bool = True
    reason: str | None = None
    per_second: float | None = None
    low_ms: float | None = None
    scope: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return _flat(self)


def _flat(record: Any) -> dict[str, Any]:
    """A dataclass of plain values as a dict (dataclasses.asdict deep-copies: slow on 50k hops)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


class _Lazy:
    """A regular expression compiled on its first use, not at import.

    Compiling all ~35 patterns at import took ~6 ms, paid by every command that imports this
    module (``check``, ``problems``...) even when it needs few of them: most labels never reach
    the word patterns.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(text, pos, endpos)


_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_NUMBER = _Lazy(_NUM)

_TIME_UNITS: dict[str, float] = {}
for _names, _factor in (
    (("ns", "nsec", "nsecs", "nanosecond", "nanoseconds"), 1e-6),
    (("us", "µs", "μs", "usec", "usecs", "microsecond", "microseconds"), 1e-3),
    (("ms", "msec", "msecs", "millisecond", "milliseconds", "millis"), 1.0),
    (("s", "sec", "secs", "second", "seconds"), 1000.0),
    (("min", "mins", "minute", "minutes"), 60000.0),
):
    for _name in _names:
        _TIME_UNITS[_name] = _factor
_LONG_UNITS = frozenset({"h", "hr", "hrs", "hour", "hours", "d", "day", "days", "wk", "wks", "week", "weeks",
                         "mo", "month", "months", "yr", "yrs", "year", "years"})
# Units that are clearly not time: ignored even right after a latency word.
_OTHER_UNITS = frozenset({"hz", "khz", "mhz", "ghz", "fps", "x", "km", "cm", "mm", "gb", "mb", "kb", "tb", "pb",
                          "gib", "mib", "kib", "tib", "k", "b", "bn"})
_TIME_ALT = "|".join(sorted((re.escape(u) for u in _TIME_UNITS), key=len, reverse=True))

# No pattern may let two unbounded runs of the same characters touch (``\s*[:]?\s*`` when the
# colon is absent): on a long run of spaces the engine tries every split of it, O(n^2) or
# worse. ``\s*(?::\s*)?`` reads the same texts in one way.
_RANGE = _Lazy(rf"\s*(?:(?P<u1>{_TIME_ALT})(?![A-Za-zµμ])\s*)?(?:-|–|—|\bto\b)\s*(?P<n2>{_NUM})", re.IGNORECASE)
_SLASH_LIST = _Lazy(rf"(?:\s*/\s*{_NUM})+")
_MULT = _Lazy(r" ?(?P<m>[kKMbB])(?![A-Za-z])")
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "b": 1e9}
_PER = {"s": 1, "sec": 1, "secs": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hr": 3600, "hour": 3600,
        "d": 86400, "day": 86400}
_TPUT_AFTER = _Lazy(
    r"\s*(?:(?P<w>[QRT]P[SM])\b"
    r"|(?:(?:req(?:uest)?s?|quer(?:y|ies)|events?|msgs?|messages?|txns?|tx|transactions?|tokens?|records?"
    r"|writes?|reads?|calls?|predictions?|inferences?|items?|docs?|documents?|rows?|hits?)\s*)?"
    r"(?:/\s*|\bper\s+)(?P<per>secs?|second|s|minute|min|hour|hr|h|day|d)\b)", re.IGNORECASE)
_TPUT_BEFORE = _Lazy(r"\b(?:[QRT]P[SM]|throughput)\s*(?:[:=~]\s*)?(?:peak\s*(?:[:=]\s*)?)?$", re.IGNORECASE)
_UNIT_WORD = _Lazy(r"(?P<gap>[ \t]*-[ \t]*|[ \t]*)(?P<word>[A-Za-zµμ]+|%|×)")

_CMP = _Lazy(
    r"(?P<cmp><=|>=|≤|≥|<|>|~|≈|=|\bunder|\bwithin|\bbelow|\bless\s+than|\bup\s+to|\bat\s+most|\bmax(?:imum)?"
    r"|\bover|\babove|\bexceeds?|\bexceeding|\bmore\s+than|\bgreater\s+than|\bat\s+least)\s*(?::\s*)?$", re.IGNORECASE)
_CONDITION_CMPS = frozenset({">", ">=", "≥", "over", "above", "exceeds", "exceed", "exceeding", "more than",
                             "greater than", "at least"})
_PCT_BEFORE = _Lazy(r"(?<![A-Za-z0-9])(?P<p>[Tt]?[Pp]\d{2}(?:\.\d+)?)(?:\s+(?:latency|lat))?\s*(?:[:=]\s*)?$")
_PCT_AFTER = _Lazy(r"[ \t]*(?:(?:\(|\bat\b|@)[ \t]*)?(?P<p>[Tt]?[Pp]\d{2}(?:\.\d+)?)(?![A-Za-z0-9.])"
                   r"(?![ \t]*(?:[:<=~≈≤>]|\d|latency))")
# A latency word right before the number: then an odd unit is unreadable, not ignored.
_LATENCY_WORD_BEFORE = _Lazy(
    r"(?:\b(?:latency|lat|rtt|ttft|tpot|response\s+time|timeout)|(?<![A-Za-z0-9])[Tt]?[Pp]\d{2}(?:\.\d+)?)"
    r"\s*(?:[:=]\s*)?(?:(?:<=|≤|<|~|≈|=|under|within|below)\s*)?$", re.IGNORECASE)
# Durations that are not a hop's cost, told by the word right before the number ...
_NOT_HOP_BEFORE = _Lazy(
    r"\b(?:ttl|every|each|window|horizon|retention|retained|retain|cadence|interval|period|freshness|fresh|"
    r"staleness|stale|lookback|refresh(?:ed|es)?|expiry|expires?|schedule[ds]?|cron|last|past|for|after|"
    r"cool-?down|debounce|backoff)\s*(?:(?:of|is|=|:|at)\s*)?(?:(?:<=|≤|<|~|≈|=|under|within)\s*)?$", re.IGNORECASE)
# ... or right after it (one qualifying word may stand between: "5 min sliding window").
_NOT_HOP_AFTER = _Lazy(
    r"(?:[ \t]*-[ \t]*|[ \t]+|[ \t]*\([ \t]*)(?:(?:sliding|tumbling|rolling|hopping|frame|time|prediction|"
    r"planning|refresh|retention|lookback|update|cache)[ \t-]+)?"
    r"(?:ttl|window|windows|horizon|retention|cadence|interval|period|old|ago|lookback|sweep|history|"
    r"freshness|staleness|refresh|aggregates?|rollups?|cycle)\b"
    r"(?![ \t]*(?:[:=][ \t]*)?(?:(?:<=|≤|<|~|≈)[ \t]*)?\d)", re.IGNORECASE)
_SCOPE_TOTAL = _Lazy(r"\b(?:end[- ]to[- ]end|e2e|total|overall|round[- ]trip)\b", re.IGNORECASE)
_SCOPE_BUDGET = _Lazy(r"\b(?:sla|slo|budget|target)\b", re.IGNORECASE)
_SCOPE_ASYNC = _Lazy(r"\b(?:async|asynchronous(?:ly)?|background|offline|non[- ]blocking)\b", re.IGNORECASE)
_CLAUSE_BREAK = _Lazy(r"[\n,;|()\[\]{}•·]")
_QUESTION = _Lazy(r"[ \t]*\?")
_ISH = _Lazy(r"-?ish\b", re.IGNORECASE)
_OF = _Lazy(r"\s+of\b", re.IGNORECASE)
_OF_UNIT = _Lazy(rf"\s+of\s+(?:{_TIME_ALT})(?![A-Za-zµμ])", re.IGNORECASE)
_SPACES = _Lazy(r"\s+")

# A run of question marks is tried only from its first two places (``(?<!\?\?)``): a match that
# starts later in the run would read the same end of it, and finditer has tried that already.
_PLACEHOLDER = _Lazy(
    r"(?<![\w.])(?:[~<≈≤]\s*)?(?:(?<!\?\?)\?+|[xX]{1,3}|N|TBD|TBA|tbd|tba|\.\.\.|…)\s*(?:-\s*)?"
    rf"(?:{_TIME_ALT})(?![A-Za-zµμ])")
_WORDS = _Lazy(
    r"(?<![\w-])(?:sub[- ]?(?P<sub>milliseconds?|msecs?|ms|seconds?|secs?)(?![A-Za-z])"
    r"|(?P<digit>single|double)[- ]digits?\s*(?:ms|msecs?|milliseconds?)(?![A-Za-z])"
    r"|(?P<vague>(?:a\s+)?few|tens\s+of|hundreds\s+of)\s+(?:ms|msecs?|milliseconds?|seconds?|secs?)(?![A-Za-z]))",
    re.IGNORECASE)
_QUALITATIVE = _Lazy(
    r"(?:\b(?:latency|lat|rtt|ttft|tpot|response\s+time)|(?<![A-Za-z0-9])[Tt]?[Pp]\d{2}(?:\.\d+)?)"
    r"\s*(?:[:=]\s*)?(?:[<~≈≤]\s*)?"
    r"(?P<v>fast|quick|slow|low|high|tbd|tba|unknown|n/a|minimal|negligible|small|\?+)(?![\w?])", re.IGNORECASE)
_QUALITATIVE_TPUT = _Lazy(
    r"\b(?:[QRT]P[SM]|throughput)\s*[:=]\s*(?P<v>high|low|lots|many|tbd|tba|unknown|\?+)(?![\w?])", re.IGNORECASE)
_SPEED_ONLY = _Lazy(
    r"\W*(?:very\s+|super\s+|ultra[- ]?|blazing(?:ly)?\s+)?(?:fast|quick|slow|instant|low[- ]latency)\W*", re.IGNORECASE)


# Every word-based pattern below needs one of these; most labels have none (a fast exit).
_MAY_HAVE_WORDS = _Lazy(
    r"\?|…|\.\.\.|\b(?:tbd|tba|n|x{1,3})\b|sub|digit|few|tens|hundreds|lat|rtt|ttft|tpot|response|"
    r"(?<![A-Za-z0-9])t?p\d\d|[qrt]p[sm]|throughput|fast|quick|slow|instant", re.IGNORECASE)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


class _Clauses:
    """The clauses of one text (split at ``_CLAUSE_BREAK``), found once for all its annotations.

    Finding each annotation's clause by walking out from it, and searching it again, made a
    label with n annotations in one clause cost n times the clause: quadratic.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._breaks: list[int] | None = None
        self._found: dict[tuple[_Lazy, int, int], bool] = {}

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """From just after the last break before *start* to the first break at or after *end*."""
        if self._breaks is None:
            self._breaks = [m.start() for m in _CLAUSE_BREAK.finditer(self.text)]
        breaks = self._breaks
        i = bisect_left(breaks, start)
        j = bisect_left(breaks, end)
        return (breaks[i - 1] + 1 if i else 0), (breaks[j] if j < len(breaks) else len(self.text))

    def says(self, pattern: _Lazy, start: int, end: int) -> bool:
        """Does the clause of ``text[start:end]`` contain *pattern*?"""
        key = (pattern, *self.bounds(start, end))
        if key not in self._found:
            self._found[key] = pattern.search(self.text, key[1], key[2]) is not None
        return self._found[key]

    def scope(self, start: int, end: int) -> str | None:
        if self.says(_SCOPE_ASYNC, start, end):
            return "async"
        if self.says(_SCOPE_TOTAL, start, end):
            return "total"
        if self.says(_SCOPE_BUDGET, start, end):
            return "budget"
        return None


class _Spans:
    """The spans taken so far, sorted, so that "does this match overlap one?" is a bisection.

    Asking every taken span for every match was quadratic. This is a snapshot, made before each
    pass of ``finditer``: a match a pass takes lies before all its later matches, so the
    snapshot answers the rest of the pass as the growing list would.
    """

    def __init__(self, taken: Iterable[tuple[int, int]]) -> None:
        spans = sorted(taken)
        self.starts = [s for s, _ in spans]
        self.max_end: list[int] = []  # the furthest end among the first k spans
        furthest = -1
        for _, e in spans:
            furthest = max(furthest, e)
            self.max_end.append(furthest)

    def free(self, a: int, b: int) -> bool:
        k = bisect_left(self.starts, b)  # the first k spans start before b: one overlaps if it ends after a
        return k == 0 or self.max_end[k - 1] <= a


def _is_name_part(text: str, s: int) -> tuple[bool, bool]:
    """Is the number at *s* glued to a name (v2, NDCG@10, $45K, GPT-4)? Second: 'sub-' before."""
    if s == 0:
        return False, False
    before = text[s - 1]
    if before.isalnum() or before in "_@#$€£¥'":
        return True, False
    if before == "." and s >= 2 and text[s - 2].isdigit():
        return True, False
    if before == "-" and s >= 2 and (text[s - 2].isalnum() or text[s - 2] == "_"):
        if text[max(0, s - 4):s - 1].lower() == "sub" and (s < 5 or not text[s - 5].isalnum()):
            return False, True
        return True, False
    return False, False


def _scan_number(text: str, s: int, line_start: int, lo: int, clauses: _Clauses) -> tuple[int, Annotation | None]:
    """Read the quantity that starts with the number at *s*; returns (end, annotation or None).

    The words before the number (comparator, percentile, latency word...) are read by
    patterns anchored at its start (``...$`` searched in ``text[lo:start]``). *lo* is where the
    previous number began less two, or the line's start if that is later, and no match of
    those patterns starts before it: the comparator, throughput, latency-word and not-a-hop
    patterns hold no digit, so they start after the previous number; a percentile's digits
    (``tp99.9 <``) are the previous number itself, its ``tp`` the two characters before.
    Searching from the line's start instead made a line of n numbers cost n times the line.
    """
    glued, sub = _is_name_part(text, s)
    m = _NUMBER.match(text, s)
    assert m is not None
    p = m.end()
    if glued:
        return p, None
    values = [_number(m.group())]
    first_unit: str | None = None
    rng = _RANGE.match(text, p)
    if rng:
        first_unit = rng.group("u1")
        values.append(_number(rng.group("n2")))
        p = rng.end()
    else:
        lst = _SLASH_LIST.match(text, p)
        if lst:
            values.extend(_number(v) for v in _NUMBER.findall(lst.group()))
            p = lst.end()

    cmp_start = s - 4 if sub else s  # "sub-100ms": the comparator is before the "sub-"
    cmp_match = _CMP.search(text, lo, cmp_start)
    cmp = None
    if cmp_match:
        raw_cmp = _SPACES.compiled().sub(" ", cmp_match.group("cmp").lower())
        arrow = raw_cmp == ">" and cmp_match.start() > line_start and text[cmp_match.start() - 1] in "-=>"
        if not arrow:
            cmp = raw_cmp
            cmp_start = cmp_match.start()
    if sub:
        cmp = cmp or "<"

    # Throughput: 5K QPS, 100K/s, 1B tokens/day, QPS: 5K.
    mult_match = _MULT.match(text, p)
    q = mult_match.end() if mult_match else p
    tput = _TPUT_AFTER.match(text, q)
    if tput is None and _TPUT_BEFORE.search(text, lo, cmp_start) and not _UNIT_WORD.match(text, q):
        tput_before = True  # "QPS: 5K" (but not "QPS: 5 servers")
    else:
        tput_before = False
    if tput or tput_before:
        factor = _MULTIPLIERS[mult_match.group("m").lower()] if mult_match else 1.0
        per = 1.0
        end = q
        if tput:
            end = tput.end()
            if (tput.group("w") or "").upper().endswith("M"):
                per = 60.0
            elif tput.group("per"):
                per = float(_PER[tput.group("per").lower()])
        if cmp in _CONDITION_CMPS:
            return end, None
        return end, Annotation(
            kind="throughput", value_ms=None, raw=text[cmp_start:end], start=cmp_start, end=end,
            qualifier=cmp, per_second=max(values) * factor / per)

    unit_match = _UNIT_WORD.match(text, p)
    word = unit_match.group("word") if unit_match else None
    unit_key = word.lower() if word else None
    if word in ("M", "m"):
        unit_key = "m"
    latency_context = bool(_LATENCY_WORD_BEFORE.search(text, lo, cmp_start))
    pct = _PCT_BEFORE.search(text, lo, cmp_start)
    percentile = pct.group("p").lower() if pct else None
    raw_start = pct.start() if pct else cmp_start

    def unreadable(end: int, reason: str) -> tuple[int, Annotation]:
        return end, Annotation(kind="latency", value_ms=None, raw=text[raw_start:end], start=raw_start, end=end,
                               percentile=percentile, qualifier=cmp, readable=False, reason=reason,
                               scope=clauses.scope(raw_start, end))

    if unit_key == "ish" and unit_match is not None:
        after_ish = _UNIT_WORD.match(text, unit_match.end())
        if after_ish and after_ish.group("word").lower() in _TIME_UNITS:
            return unreadable(after_ish.end(), "a vague value ('-ish')")
    if unit_key not in _TIME_UNITS:
        unit_end = unit_match.end() if unit_match else p
        if cmp in _CONDITION_CMPS or unit_key in _LONG_UNITS or unit_key in _OTHER_UNITS or word in ("%", "×"):
            return unit_end, None  # a condition; freshness/cadence; Hz, FPS, %, GB...: not a hop latency
        if latency_context:
            if unit_key is None:
                return unreadable(p, "no time unit")
            if unit_key == "m":
                return unreadable(unit_end, "ambiguous unit 'm' (metres? minutes? million?)")
            return unreadable(unit_end, f"unknown unit '{word}'")
        return p, None

    assert unit_match is not None
    end = unit_match.end()
    factor = _TIME_UNITS[unit_key]
    first_factor = _TIME_UNITS.get(first_unit.lower(), factor) if first_unit else factor
    converted = [values[0] * first_factor] + [v * factor for v in values[1:]]

    question = _QUESTION.match(text, end)
    if question:
        if cmp is not None and cmp != "~" and cmp != "≈":
            return question.end(), None  # "p99 < 50ms?": a question, a condition
        return unreadable(question.end(), "written with '?'")
    ish = _ISH.match(text, end)
    if ish:
        return unreadable(ish.end(), "a vague value ('-ish')")
    if unit_key == "s" and _OF.match(text, end):  # "10s of ms" / "100s of candidates"
        of = _OF_UNIT.match(text, end)
        if of:
            return unreadable(of.end(), "a vague value ('10s of ...')")
        return end, None
    if cmp in _CONDITION_CMPS:
        return end, None
    if _NOT_HOP_BEFORE.search(text, lo, cmp_start) or _NOT_HOP_AFTER.match(text, end):
        return end, None
    if percentile is None:
        after_pct = _PCT_AFTER.match(text, end)
        if after_pct:
            percentile = after_pct.group("p").lower()
            end = after_pct.end() + (1 if text[after_pct.end():after_pct.end() + 1] == ")" else 0)
    return end, Annotation(
        kind="latency", value_ms=round(max(converted), 9), raw=text[raw_start:end], start=raw_start, end=end,
        percentile=percentile, qualifier=cmp, low_ms=round(min(converted), 9) if len(converted) > 1 else None,
        scope=clauses.scope(raw_start, end))


@lru_cache(maxsize=65536)
def _read(text: str) -> tuple[Annotation, ...]:
    """One pass over the numbers, then one per word pattern: linear in the text (see _scan_number)."""
    text = text.replace("\\n", "\n ")  # a literal \n (the seed writes labels that way), same length
    clauses = _Clauses(text)
    found: list[Annotation] = []
    taken: list[tuple[int, int]] = []
    pos = 0
    line_start = 0
    previous = -1  # where the previous number began
    while True:
        m = _NUMBER.search(text, pos)
        if m is None:
            break
        s = m.start()
        newline = text.rfind("\n", max(previous, 0), s)  # each character looked at once
        if newline >= 0:
            line_start = newline + 1
        lo = max(line_start, previous - 2)
        end, annotation = _scan_number(text, s, line_start, lo, clauses)
        if annotation is not None:
            found.append(annotation)
            taken.append((annotation.start, annotation.end))
        pos = max(end, m.end())
        previous = s

    if not _MAY_HAVE_WORDS.search(text):
        found.sort(key=lambda a: a.start)
        return tuple(found)

    spans = _Spans(taken)
    for m in _PLACEHOLDER.finditer(text):
        if spans.free(m.start(), m.end()):
            found.append(Annotation(kind="latency", value_ms=None, raw=m.group(), start=m.start(), end=m.end(),
                                    readable=False, reason="no number before the unit"))
            taken.append((m.start(), m.end()))
    spans = _Spans(taken)
    line_start = 0
    previous_start = previous_end = 0
    for m in _WORDS.finditer(text):
        newline = text.rfind("\n", previous_start, m.start())
        if newline >= 0:
            line_start = newline + 1
        # No "TTL"/"every"... match reaches back into the previous match (it ends in a unit).
        lo = max(line_start, previous_end)
        previous_start, previous_end = m.start(), m.end()
        if not spans.free(m.start(), m.end()):
            continue
        if _NOT_HOP_BEFORE.search(text, lo, m.start()) or _NOT_HOP_AFTER.match(text, m.end()):
            continue
        if m.group("vague"):
            found.append(Annotation(kind="latency", value_ms=None, raw=m.group(), start=m.start(), end=m.end(),
                                    readable=False, reason=f"a vague value ('{m.group('vague')}')"))
        else:
            if m.group("sub"):
                value = 1.0 if m.group("sub").lower().startswith(("ms", "msec", "milli")) else 1000.0
                qualifier = "sub"
            else:
                value = 9.0 if m.group("digit").lower() == "single" else 99.0
                qualifier = f"{m.group('digit').lower()}-digit"
            found.append(Annotation(kind="latency", value_ms=value, raw=m.group(), start=m.start(), end=m.end(),
                                    qualifier=qualifier, scope=clauses.scope(m.start(), m.end())))
        taken.append((m.start(), m.end()))
    for pattern, kind in ((_QUALITATIVE, "latency"), (_QUALITATIVE_TPUT, "throughput")):
        spans = _Spans(taken)
        for m in pattern.finditer(text):
            if spans.free(m.start(), m.end()):
                found.append(Annotation(kind=kind, value_ms=None, raw=m.group(), start=m.start(), end=m.end(),
                                        readable=False, reason=f"not a number ('{m.group('v')}')"))
                taken.append((m.start(), m.end()))
    if not found and _SPEED_ONLY.fullmatch(text):
        stripped = text.strip()
        start = text.index(stripped[0]) if stripped else 0
        found.append(Annotation(kind="latency", value_ms=None, raw=stripped, start=start, end=start + len(stripped),
                                readable=False, reason=f"not a number ('{stripped}')"))
    found.sort(key=lambda a: a.start)
    return tuple(found)


def read_annotations(text: str) -> list[Annotation]:
    """Every latency or throughput annotation in one label's plain text (see the module doc)."""
    if not text:
        return []
    return list(_read(text))


def latency_ms(annotations: Iterable[Annotation], *, hop_cost: bool = True) -> float | None:
    """The largest readable latency (the slowest percentile written wins), or None.

    With *hop_cost*, end-to-end totals (``total <3s``) are left out: they state a budget
    for the whole request, not what this hop costs.
    """
    best = None
    for a in annotations:
        if a.kind != "latency" or not a.readable or a.value_ms is None:
            continue
        if hop_cost and a.scope == "total":
            continue
        best = a.value_ms if best is None else max(best, a.value_ms)
    return best


def parse_duration_ms(value: str) -> float | None:
    """A duration written alone ("200ms", "0.5 s", "150" meaning ms) in milliseconds, or None."""
    value = value.strip()
    if not value:
        return None
    text = value if any(c.isalpha() for c in value) else value + "ms"
    readable = [a for a in read_annotations(text) if a.kind == "latency" and a.readable and a.value_ms is not None]
    return readable[0].value_ms if readable else None


# --------------------------------------------------------------------------------------
# The SLA
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Sla:
    ms: float
    source: str  # "cli" | "comment" | "requirements"
    node: str | None = None
    line: int | None = None
    column: int | None = None
    raw: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return _flat(self)


_BUDGET_QUALIFIERS = frozenset({"<", "<=", "≤", "under", "within", "below", "up to", "at most", "max", "maximum",
                                "sub"})
_LATENCY_CLAUSE = _Lazy(r"\b(?:latency|latencies|lat|response\s+time|rtt|ttft)\b", re.IGNORECASE)
_SLA_COMMENT = _Lazy(r"\s*sla(?:\s*[:=]\s*|\s+(?=[<~≈≤\d.]))(?P<value>(?:.*\S)?)\s*$", re.IGNORECASE)
_BARE_NUMBER = _Lazy(rf"\s*(?P<n>{_NUM})\s*$")


def _sla_from_comment(text: str) -> float | None | bool:
    """The SLA a ``%% sla: ...`` comment states; False when it is not such a comment."""
    m = _SLA_COMMENT.fullmatch(text)
    if not m or not m.group("value"):
        return False
    value = m.group("value")
    bare = _BARE_NUMBER.fullmatch(value)
    if bare:
        return _number(bare.group("n"))  # `%% sla: 200`: milliseconds, like --sla
    return latency_ms(read_annotations(value), hop_cost=False)


def find_sla(diagram: Diagram, requirement_nodes: Iterable[str] | None, cli_sla_ms: float | None = None
             ) -> Sla | None:
    """The SLA the path is held to: ``--sla`` wins, else ``%% sla: 200ms``, else the requirements box.

    In the requirements box (the nodes in *requirement_nodes*, in diagram order) a latency
    stated as an overall budget (``end-to-end``, ``total``, ``SLA``, ``SLO``, ``budget``,
    ``target`` in its clause) is preferred, then one stated as a latency (a percentile, a
    ``< <= ≤ under within up to max`` bound, or ``latency`` in its clause), then a bare
    duration; within the best tier the largest wins, because a
    box that lists the overall SLA and some component budgets (``p99 < 200ms``, ``Redis
    <5ms``) or several percentiles (``p50 < 50ms, p99 < 200ms``) means the largest as the
    request's bound. Async work (``full video async <5 min``) is not a request SLA; alert
    conditions (``>``) are not latencies at all.
    """
    if cli_sla_ms is not None:
        return Sla(ms=float(cli_sla_ms), source="cli")
    for comment in diagram.comments:
        value = _sla_from_comment(comment.text)
        if value is False:
            continue
        if value is not None:
            return Sla(ms=float(value), source="comment", line=comment.line, column=comment.column,
                       raw=comment.text.strip())
    wanted = set(requirement_nodes or ())
    if not wanted:
        return None
    candidates: list[tuple[int, float, int, Node, Annotation]] = []
    for order, node in enumerate(diagram.nodes):
        if node.id not in wanted:
            continue
        text = node.text.replace("\\n", "\n ")  # as the reader sees it (same offsets)
        clauses = _Clauses(text)
        for a in read_annotations(node.text):
            if a.kind != "latency" or not a.readable or a.value_ms is None or a.scope == "async":
                continue
            if a.scope in ("total", "budget"):
                tier = 2
            elif a.percentile or a.qualifier in _BUDGET_QUALIFIERS or clauses.says(_LATENCY_CLAUSE, a.start, a.end):
                tier = 1
            else:
                tier = 0  # "Batch scoring job: 30 min" is not the request's SLA if anything better is there
            candidates.append((tier, a.value_ms, -order, node, a))
    if not candidates:
        return None
    _, ms, _, node, a = max(candidates, key=lambda c: (c[0], c[1], c[2]))
    return Sla(ms=ms, source="requirements", node=node.id, line=node.line, column=node.column, raw=a.raw)


# --------------------------------------------------------------------------------------
# The request path
# --------------------------------------------------------------------------------------

# A node with one of these kinds may carry the request ...
STRONG_ONLINE_KINDS = frozenset({"client", "serving", "ranking", "reranking", "candidate_retrieval", "cache",
                                 "online_store", "batch_prediction"})
ONLINE_KINDS = STRONG_ONLINE_KINDS | {"model", "feature_store"}
# ... a node with one of these and no strong online kind may not.
OFF_PATH_KINDS = frozenset({
    "requirements", "offline_metrics", "online_metrics", "guardrail_metrics", "data_source", "ingestion",
    "batch_processing", "stream_processing", "data_validation", "storage", "labels", "offline_store",
    "feature_pipeline", "training", "evaluation", "registry", "monitoring", "ab_testing",
    "feedback_log", "retrain_trigger"})
_ANSWERS_REQUESTS = frozenset({"serving", "ranking", "reranking"})
_MODEL_OFFLINE_KINDS = frozenset({"training", "registry", "evaluation"})
# A node of these kinds that the walk does not pass is a lookup: its annotated edges add at the caller.
LOOKUP_KINDS = frozenset({"online_store", "cache", "storage", "feature_store", "candidate_retrieval",
                          "batch_prediction"})

_OFF_EDGE_WORDS = _Lazy(
    r"\b(?:async(?:hronous(?:ly)?)?|fire[- ]and[- ]forget|background|non[- ]blocking|logs?|logging|logged|"
    r"feedback|re-?train(?:ing|s)?|deploy(?:s|ed|ment)?|offline|nightly|daily|hourly|weekly|backfill|"
    r"batch\s+(?:job|load|upload|export)|mirror(?:ed|ing)?|shadow(?:ed|ing)?|replay)\b", re.IGNORECASE)
_ASYNC_NODE_WORDS = _Lazy(r"\b(?:async|asynchronous(?:ly)?|background|fire[- ]and[- ]forget|non[- ]blocking)\b",
                               re.IGNORECASE)
_HUMAN_REVIEW_WORDS = _Lazy(
    r"\b(?:(?:human|manual)[- ]review\w*|review\s+queue|human[- ]in[- ]the[- ]loop|moderators?|analysts?|"
    r"reviewers?|case\s+management|human\s+raters?|labell?ers?|appeals?)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Hop:
    """One edge of the chosen request path, and what it costs."""

    edge: str
    source: str
    target: str
    line: int
    column: int
    link_line: int
    link_column: int
    label: str
    ms: float | None  # the edge's own latency; None when the edge carries none
    covered_by: str | None  # "edge" | "target_label" | "source_label" | None (missing/unreadable)
    annotation: Annotation | None = None
    unreadable: tuple[Annotation, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        d = _flat(self)
        d["annotation"] = self.annotation.as_dict() if self.annotation else None
        d["unreadable"] = [a.as_dict() for a in self.unreadable]
        return d


@dataclass(frozen=True, slots=True)
class Lookup:
    """An annotated edge between a path node and a store/cache/index the walk does not pass."""

    node: str  # the path node the lookup adds at
    store: str
    edge: str
    line: int
    column: int
    ms: float
    counted: bool  # the slowest lookup of its node is the one that counts
    annotation: Annotation

    def as_dict(self) -> dict[str, Any]:
        d = _flat(self)
        d["annotation"] = self.annotation.as_dict()
        return d


@dataclass(frozen=True, slots=True)
class NodeCost:
    """A latency written in the label of a node on the path (it adds once per node)."""

    node: str
    line: int
    column: int
    ms: float | None
    annotation: Annotation | None
    unreadable: tuple[Annotation, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        d = _flat(self)
        d["annotation"] = self.annotation.as_dict() if self.annotation else None
        d["unreadable"] = [a.as_dict() for a in self.unreadable]
        return d


@dataclass
class PathResult:
    critical_path_ms: float | None = None
    critical_path: list[str] = field(default_factory=list)
    hops: list[Hop] = field(default_factory=list)
    missing: list[Hop] = field(default_factory=list)  # WB801
    unreadable: list[Hop] = field(default_factory=list)  # WB804 on the path (edges)
    entry: str | None = None
    lookups: list[Lookup] = field(default_factory=list)
    node_costs: list[NodeCost] = field(default_factory=list)
    unreadable_nodes: list[NodeCost] = field(default_factory=list)  # WB804 on the path (labels)
    known_ms: float = 0.0  # the sum of what is annotated on the chosen path, even when incomplete
    entries: list[str] = field(default_factory=list)
    annotated: bool = False  # does anything on the request path carry a readable latency?
    unannotated_elsewhere: list[Hop] = field(default_factory=list)  # request-path edges off the critical path

    def as_dict(self) -> dict[str, Any]:
        return {
            "critical_path_ms": self.critical_path_ms, "critical_path": list(self.critical_path),
            "entry": self.entry, "entries": list(self.entries), "known_ms": self.known_ms,
            "annotated": self.annotated,
            "hops": [h.as_dict() for h in self.hops], "missing": [h.as_dict() for h in self.missing],
            "unreadable": [h.as_dict() for h in self.unreadable],
            "unreadable_nodes": [n.as_dict() for n in self.unreadable_nodes],
            "lookups": [lk.as_dict() for lk in self.lookups], "node_costs": [n.as_dict() for n in self.node_costs],
            "unannotated_elsewhere": [h.as_dict() for h in self.unannotated_elsewhere],
        }


def _on_path_node(kinds: frozenset[str], text: str) -> bool:
    if "client" in kinds:
        return True
    if _ASYNC_NODE_WORDS.search(text):
        return False
    if kinds & STRONG_ONLINE_KINDS:
        return True
    # A model box stays on the path whatever else its label mentions ("high-precision
    # classifier", "BEV lift"), unless it is the training side of the model.
    if "model" in kinds and not kinds & _MODEL_OFFLINE_KINDS:
        return True
    if kinds & OFF_PATH_KINDS:
        return False
    return not _HUMAN_REVIEW_WORDS.search(text)


def _on_path_edge(edge: Edge, text: str) -> bool:
    if edge.stroke in ("dotted", "invisible"):
        return False
    return not _OFF_EDGE_WORDS.search(text)


def _round(ms: float) -> float:
    return round(ms, 6)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic-GC passes while the path builds ~2 containers per node.

    On a 50,000-node diagram each gen-2 pass walks the whole parsed model; pausing them cut
    the adjacency build from 0.8 s to 0.14 s. Nothing here makes reference cycles, and the
    collector's state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def request_path(diagram: Diagram, kinds: Mapping[str, frozenset[str]]) -> PathResult:
    """The online request path and its critical-path sum (DESIGN.md, "The request path").

    **What is on the path.** Nodes: a node with a kind in ``STRONG_ONLINE_KINDS`` (client,
    serving, ranking, reranking, candidate_retrieval, cache, online_store, batch_prediction),
    or with no kind in ``OFF_PATH_KINDS`` (so ``model``, ``feature_store`` and unclassified
    nodes such as a rules engine or a decision are on it); never a node whose text says
    async/background, nor (without a strong online kind) human review (review queue,
    analyst, moderator, appeals). Edges: solid (normal/thick) links between such nodes whose
    label does not say async, log, feedback, retrain, deploy, offline, shadow/mirror or a
    batch cadence. A double arrow is followed source to target only.

    **Lookups.** A node of ``LOOKUP_KINDS`` that only answers its callers (every node it
    sends to also sends to it, or it sends to nobody) is a lookup, not a hop. So is any such
    node the walk cannot reach. Each annotated, non-dotted edge in either direction between a
    path node and a lookup adds at the path node, the slowest lookup of a node counting.

    **Entries.** Nodes of kind ``client`` with an on-path edge out, not reachable from another
    such node that they cannot reach back (the first, in diagram order, of a group of mutually
    reachable ones: ``Client`` before ``GW``). Several independent entries (cameras, LiDAR,
    radar) are parallel sources: the slowest counts.

    **Ends.** A walk ends back at a client node (the response), or where it cannot go on
    (the last serving node). Trailing unannotated outcomes (unclassified nodes with no
    latency and no way on: ``Approve``, ``Block``, ``Response``), entered by an edge without an
    annotation, are not hops: the path ends at the decision before them. Only sinks are
    trimmed, so an unannotated check before ``Response`` (a faithfulness check) stays a hop.

    **Costs.** Edge latency (the largest readable latency on the label) + once per node its
    label latency (not an end-to-end total; on the entry also not a stated SLA such as
    ``p99 < 200ms``) + its slowest lookup. An edge is *covered* when it carries a latency, or
    the node it enters carries one in its label, or it is the walk's last edge, back into a
    client node, and the node it leaves carries one (a node-annotated diagram's response).
    An uncovered edge is ``missing`` (WB801), or ``unreadable`` (WB804) when its label had an
    annotation that could not be read; so is a path node whose label latency cannot be read
    (``unreadable_nodes``). Then ``critical_path_ms`` is None; ``known_ms`` keeps the partial
    sum.

    **The walk, in linear time.** Longest trail (each edge once, nodes repeatable) is
    NP-hard in general, so the walk is bounded to the shapes request paths have: a request
    leg, then a response leg back towards the entry. A depth-first search from the entries
    (edges in source order) splits the on-path edges into back edges (into a node on the
    DFS stack: a return) and the rest, which form a DAG. The walk runs on a two-phase graph:
    phase 0 (request) follows DAG edges; a back edge moves to phase 1 (response); phase 1
    follows back edges, and DAG edges into a sink (a final ``Response`` node). Phase 0 is
    acyclic, each back edge lowers the DFS preorder so phase 1 is acyclic, and phases only
    go 0 -> 1: the whole is a DAG with 2V states and at most 2E transitions, and no walk in
    it uses an edge twice or passes a node more than twice. The critical path is the
    longest path in it (max over fan-out branches, decision alternatives and entries: each
    counts once, the slowest), by one DP in topological order; ties go to the walk that
    returns to a client, then to more hops. A node's label and lookups count when the walk
    first enters it (phase 0, or a sink in phase 1), not again on the way back. (The one
    approximation: a back edge into a DFS ancestor that this walk bypassed through a forward
    edge adds no label cost in the DP; the reported sum does count it, once per distinct
    node of the chosen walk.) Everything
    (adjacency, SCCs for the entries, outcome trimming, DFS, DP) is O(V + E) time and memory,
    iterative (no recursion limit on 50,000-node diagrams). Unannotated edges weigh 0 in
    the DP; which edges the chosen walk lacks is reported, the other request-path edges
    without a latency in ``unannotated_elsewhere``.
    """
    with _gc_paused():
        return _request_path(diagram, kinds)


def _request_path(diagram: Diagram, kinds: Mapping[str, frozenset[str]]) -> PathResult:
    result = PathResult()
    nodes = diagram.nodes
    if not nodes:
        return result
    order = {n.id: i for i, n in enumerate(nodes)}
    node_by_id = {n.id: n for n in nodes}
    empty: frozenset[str] = frozenset()

    def kinds_of(node_id: str) -> frozenset[str]:
        return kinds.get(node_id, empty)

    node_text = {n.id: n.text for n in nodes}
    node_ann = {nid: read_annotations(t) for nid, t in node_text.items()}
    edges = diagram.edges
    edge_text = [e.text for e in edges]
    edge_ann = [read_annotations(t) for t in edge_text]
    edge_ms = [latency_ms(a) for a in edge_ann]
    edge_unreadable = [tuple(x for x in a if not x.readable and x.kind == "latency") for a in edge_ann]

    allowed = {nid: _on_path_node(kinds_of(nid), node_text[nid]) for nid in node_by_id}
    on_edge = [allowed.get(e.source, False) and allowed.get(e.target, False) and e.source != e.target
               and _on_path_edge(e, edge_text[i]) for i, e in enumerate(edges)]

    out_edges: dict[str, list[int]] = {nid: [] for nid in node_by_id}
    in_edges: dict[str, list[int]] = {nid: [] for nid in node_by_id}
    for i, e in enumerate(edges):
        if on_edge[i]:
            out_edges[e.source].append(i)
            in_edges[e.target].append(i)

    # Lookup-only nodes: a store/cache/index that answers its callers and passes nothing on.
    lookup_only: set[str] = set()
    for nid in node_by_id:
        k = kinds_of(nid)
        # A node that answers requests itself (a serving box that also mentions caching)
        # is a hop, never a lookup.
        if not allowed[nid] or "client" in k or not (k & LOOKUP_KINDS) or k & _ANSWERS_REQUESTS:
            continue
        senders = {edges[i].source for i in in_edges[nid]}
        if all(edges[i].target in senders for i in out_edges[nid]):
            lookup_only.add(nid)

    def label_cost(nid: str, entry: bool = False) -> tuple[float | None, Annotation | None]:
        best: tuple[float | None, Annotation | None] = (None, None)
        for a in node_ann[nid]:
            if a.kind != "latency" or not a.readable or a.value_ms is None or a.scope == "total":
                continue
            if entry and (a.scope == "budget" or a.percentile is not None):
                continue  # "App (p99 < 200ms)": the SLA the client expects, not work it does
            if best[0] is None or a.value_ms > best[0]:
                best = (a.value_ms, a)
        return best

    def label_unreadable(nid: str) -> tuple[Annotation, ...]:
        return tuple(a for a in node_ann[nid] if not a.readable and a.kind == "latency")

    # Trailing outcomes: unclassified sinks with no latency (Approve, Block, Response) reached by an
    # unannotated edge are not hops; the path ends at the node before them (the decision).
    walk_out: dict[str, list[int]] = {
        nid: [i for i in out_edges[nid] if edges[i].target not in lookup_only]
        for nid in node_by_id if allowed[nid] and nid not in lookup_only}
    outcome = {nid for nid, outs in walk_out.items()
               if not outs and not (kinds_of(nid) & ONLINE_KINDS) and not node_ann[nid]}
    for nid, outs in walk_out.items():
        walk_out[nid] = [i for i in outs if not (edges[i].target in outcome and not edge_ann[i])]

    # Entries: client nodes with a way out, not downstream of another client they cannot reach back.
    candidates = [n.id for n in nodes if "client" in kinds_of(n.id) and walk_out.get(n.id)]
    if not candidates:
        return result
    comp = _strongly_connected(list(walk_out), walk_out, edges)
    comp_has_candidate: dict[int, str] = {}
    for c in candidates:  # node order: the first candidate of a component represents it
        comp_has_candidate.setdefault(comp[c], c)
    reached_from_other = _downstream_of(comp_has_candidate, comp, walk_out, edges)
    entries = [c for c in candidates
               if comp_has_candidate.get(comp[c]) == c and comp[c] not in reached_from_other]
    result.entries = entries

    # DFS from the entries: back edges (returns) versus the DAG of the rest.
    pre: dict[str, int] = {}
    pre_order: list[str] = []
    post_order: list[str] = []
    back = set()
    on_stack: set[str] = set()
    counter = 0
    for entry in entries:
        if entry in pre:
            continue
        pre[entry] = counter
        pre_order.append(entry)
        counter += 1
        on_stack.add(entry)
        stack2: list[tuple[str, int]] = [(entry, 0)]
        while stack2:
            nid, k = stack2[-1]
            outs = walk_out[nid]
            if k < len(outs):
                stack2[-1] = (nid, k + 1)
                i = outs[k]
                target = edges[i].target
                if target in on_stack:
                    back.add(i)
                elif target not in pre:
                    pre[target] = counter
                    pre_order.append(target)
                    counter += 1
                    on_stack.add(target)
                    stack2.append((target, 0))
            else:
                stack2.pop()
                on_stack.discard(nid)
                post_order.append(nid)
    reached = pre  # the request subgraph H

    # Costs per node: label latency (once) + slowest lookup.
    lookup_edges: dict[str, list[tuple[float, int, str, Annotation]]] = {}
    for i, e in enumerate(edges):
        if e.stroke in ("dotted", "invisible") or edge_ms[i] is None or _OFF_EDGE_WORDS.search(edge_text[i]):
            continue
        for here, there in ((e.source, e.target), (e.target, e.source)):
            if here in reached and there not in reached and here != there and there in node_by_id:
                tk = kinds_of(there)
                if tk & LOOKUP_KINDS and "client" not in tk:
                    slowest = max((a for a in edge_ann[i] if a.kind == "latency" and a.readable
                                   and a.value_ms is not None and a.scope != "total"),
                                  key=lambda a: a.value_ms)
                    lookup_edges.setdefault(here, []).append((edge_ms[i], i, there, slowest))
    entry_set = set(entries)
    node_cost: dict[str, float] = {}
    for nid in reached:
        ms, _ = label_cost(nid, entry=nid in entry_set)
        lk = max((x[0] for x in lookup_edges.get(nid, ())), default=0.0)
        node_cost[nid] = (ms or 0.0) + lk

    # Longest path over the two-phase DAG, states (node, phase).
    NEG = (-1.0, -1)
    best: dict[tuple[str, int], tuple[float, int]] = {}
    pred: dict[tuple[str, int], tuple[tuple[str, int], int]] = {}
    for entry in entries:
        best[(entry, 0)] = (node_cost[entry], 0)

    def relax(src: tuple[str, int], dst: tuple[str, int], edge_index: int, add: float) -> None:
        cost, hops = best[src]
        candidate = (cost + add, hops + 1)
        if candidate > best.get(dst, NEG):
            best[dst] = candidate
            pred[dst] = (src, edge_index)

    def weight(i: int) -> float:
        return edge_ms[i] or 0.0

    sinks = {nid for nid in reached if not walk_out[nid]}
    for nid in reversed(post_order):  # topological order of the DAG edges
        if (nid, 0) not in best:
            continue
        for i in walk_out[nid]:
            target = edges[i].target
            if i in back:
                relax((nid, 0), (target, 1), i, weight(i))
            else:
                relax((nid, 0), (target, 0), i, weight(i) + node_cost[target])
    for nid in reversed(pre_order):  # back edges lower the preorder
        if (nid, 1) not in best:
            continue
        for i in walk_out[nid]:
            target = edges[i].target
            if i in back:
                relax((nid, 1), (target, 1), i, weight(i))
            elif target in sinks:
                relax((nid, 1), (target, 1), i, weight(i) + node_cost[target])

    def end_key(state: tuple[str, int]) -> tuple[float, int, int, int]:
        cost, hops = best[state]
        returned = 1 if state[1] == 1 and "client" in kinds_of(state[0]) else 0
        return (cost, returned, hops, -order[state[0]])

    final = max(best, key=end_key)
    chain: list[int] = []
    state = final
    while state in pred:
        state, i = pred[state]
        chain.append(i)
    chain.reverse()
    entry = state[0]
    result.entry = entry
    result.critical_path = [entry] + [edges[i].target for i in chain]

    # What the chosen walk costs, hop by hop.
    counted_nodes: list[str] = []
    seen_nodes: set[str] = set()
    for nid in result.critical_path:
        if nid not in seen_nodes:
            seen_nodes.add(nid)
            counted_nodes.append(nid)
    total = 0.0
    for nid in counted_nodes:
        ms, ann = label_cost(nid, entry=nid == entry)
        bad = label_unreadable(nid)
        n = node_by_id[nid]
        if ms is not None:
            result.node_costs.append(NodeCost(nid, n.line, n.column, ms, ann))
            total += ms
        if bad and ms is None:
            result.unreadable_nodes.append(NodeCost(nid, n.line, n.column, None, None, bad))
        lks = lookup_edges.get(nid, [])
        if lks:
            slowest = max(lks, key=lambda x: x[0])
            for ms_l, i, store, a in lks:
                e = edges[i]
                result.lookups.append(Lookup(nid, store, e.id, e.link_line, e.link_column, ms_l,
                                             (ms_l, i) == (slowest[0], slowest[1]), a))
            total += slowest[0]

    def make_hop(i: int, last: bool) -> Hop:
        e = edges[i]
        target_ms, _ = label_cost(e.target, entry=e.target == entry)
        source_ms, _ = label_cost(e.source, entry=e.source == entry)
        ann = None
        if edge_ms[i] is not None:
            ann = max((a for a in edge_ann[i] if a.kind == "latency" and a.readable and a.value_ms is not None
                       and a.scope != "total"), key=lambda a: a.value_ms)
        if edge_unreadable[i] and edge_ms[i] is None:
            covered = None
        elif edge_ms[i] is not None:
            covered = "edge"
        elif target_ms is not None:
            covered = "target_label"
        elif last and source_ms is not None and "client" in kinds_of(e.target):
            covered = "source_label"  # the response back to the client, in a node-annotated diagram
        else:
            covered = None
        return Hop(e.id, e.source, e.target, e.line, e.column, e.link_line, e.link_column, edge_text[i],
                   edge_ms[i], covered, ann, edge_unreadable[i])

    for k, i in enumerate(chain):
        hop = make_hop(i, k == len(chain) - 1)
        result.hops.append(hop)
        if hop.ms is not None:
            total += hop.ms
        if hop.covered_by is None:
            (result.unreadable if hop.unreadable else result.missing).append(hop)
    on_chain = set(chain)
    for nid in reached:
        for i in walk_out[nid]:
            if i in on_chain:
                continue
            hop = make_hop(i, not walk_out[edges[i].target])
            if hop.covered_by is None:
                result.unannotated_elsewhere.append(hop)
    result.unannotated_elsewhere.sort(key=lambda h: (h.line, h.column))
    result.annotated = any(
        edge_ms[i] is not None for nid in reached for i in walk_out[nid]) or any(
        label_cost(nid)[0] is not None for nid in reached) or bool(result.lookups)
    result.known_ms = _round(total)
    if chain and not result.missing and not result.unreadable and not result.unreadable_nodes:
        result.critical_path_ms = _round(total)
    return result


def _strongly_connected(nodes: list[str], out: Mapping[str, list[int]], edges: list[Edge]) -> dict[str, int]:
    """Tarjan's algorithm, iterative: node -> component number."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    comp: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    counter = 0
    n_comp = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, k = work[-1]
            outs = out.get(v, ())
            if k < len(outs):
                work[-1] = (v, k + 1)
                w = edges[outs[k]].target
                if w not in out:
                    continue
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, 0))
                elif w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[v])
                if low[v] == index[v]:
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp[w] = n_comp
                        if w == v:
                            break
                    n_comp += 1
    return comp


def _downstream_of(sources: Mapping[int, str], comp: Mapping[str, int], out: Mapping[str, list[int]],
                   edges: list[Edge]) -> set[int]:
    """Components reachable from a *different* component that holds a candidate entry."""
    succ: dict[int, set[int]] = {}
    for v, outs in out.items():
        for i in outs:
            w = edges[i].target
            if w in comp and comp[w] != comp[v]:
                succ.setdefault(comp[v], set()).add(comp[w])
    reached: set[int] = set()
    frontier = [c2 for c in sources for c2 in succ.get(c, ())]
    while frontier:
        c = frontier.pop()
        if c in reached:
            continue
        reached.add(c)
        frontier.extend(succ.get(c, ()))
    return reached


# --------------------------------------------------------------------------------------
# The report the WB8xx rules read
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Located:
    """An annotation with the place it was written: an edge label, a node label or a comment."""

    where: str  # "edge" | "node" | "comment"
    id: str | None
    source: str | None
    target: str | None
    line: int
    column: int
    annotation: Annotation
    on_path: bool = False

    def as_dict(self) -> dict[str, Any]:
        d = _flat(self)
        d["annotation"] = self.annotation.as_dict()
        return d


@dataclass
class LatencyReport:
    sla: Sla | None
    path: PathResult
    annotations: list[Located]
    unreadable: list[Located]
    throughput: list[Located]

    @property
    def over_budget(self) -> bool:
        """WB802: the annotated request path sums past the SLA."""
        return (self.sla is not None and self.path.critical_path_ms is not None
                and self.path.critical_path_ms > self.sla.ms + 1e-9)

    @property
    def needs_sla(self) -> bool:
        """WB803: latencies are annotated, but there is no SLA to hold them against."""
        return self.sla is None and any(a.annotation.kind == "latency" and a.annotation.readable
                                        for a in self.annotations)

    def contract(self) -> dict[str, Any]:
        """Contract 2's ``latency`` object."""
        return {"sla_ms": self.sla.ms if self.sla else None,
                "critical_path_ms": self.path.critical_path_ms,
                "critical_path": list(self.path.critical_path)}

    def as_dict(self) -> dict[str, Any]:
        over = None
        if self.over_budget:
            assert self.sla is not None and self.path.critical_path_ms is not None
            over = {"sla_ms": self.sla.ms, "critical_path_ms": self.path.critical_path_ms,
                    "excess_ms": _round(self.path.critical_path_ms - self.sla.ms),
                    "critical_path": list(self.path.critical_path), "sla": self.sla.as_dict()}
        no_sla = None
        if self.needs_sla:
            no_sla = {"annotations": [a.as_dict() for a in self.annotations
                                      if a.annotation.kind == "latency" and a.annotation.readable]}
        path = self.path.as_dict()
        return {
            "latency": self.contract(),
            "sla": self.sla.as_dict() if self.sla else None,
            "entry": self.path.entry,
            "hops": path.pop("hops"),
            "lookups": path.pop("lookups"),
            "missing": path.pop("missing"),                                     # WB801
            "path": path,  # entries, known_ms, node_costs, unreadable hops/nodes, unannotated_elsewhere
            "over_budget": over,                                                # WB802
            "no_sla": no_sla,                                                   # WB803
            "unreadable": [u.as_dict() for u in self.unreadable],               # WB804
            "throughput": [t.as_dict() for t in self.throughput],
        }


def analyse(diagram: Diagram, kinds: Mapping[str, frozenset[str]], cli_sla_ms: float | None = None
            ) -> LatencyReport:
    """The SLA, the request path and every annotation of one diagram."""
    with _gc_paused():
        return _analyse(diagram, kinds, cli_sla_ms)


def _analyse(diagram: Diagram, kinds: Mapping[str, frozenset[str]], cli_sla_ms: float | None) -> LatencyReport:
    requirement_nodes = {nid for nid, k in kinds.items() if "requirements" in k}
    sla = find_sla(diagram, requirement_nodes, cli_sla_ms)
    path = request_path(diagram, kinds)
    path_nodes = set(path.critical_path)
    path_edges = {h.edge for h in path.hops}
    located: list[Located] = []
    for n in diagram.nodes:
        for a in read_annotations(n.text):
            located.append(Located("node", n.id, None, None, n.line, n.column, a, n.id in path_nodes))
    for e in diagram.edges:
        for a in read_annotations(e.text):
            located.append(Located("edge", e.id, e.source, e.target, e.link_line, e.link_column, a,
                                   e.id in path_edges))
    unreadable = [x for x in located if not x.annotation.readable]
    for c in diagram.comments:
        m = _SLA_COMMENT.fullmatch(c.text)
        if m and m.group("value") and _sla_from_comment(c.text) is None:
            value = m.group("value")
            bad = [a for a in read_annotations(value) if not a.readable] or [
                Annotation(kind="latency", value_ms=None, raw=value, start=0, end=len(value), readable=False,
                           reason="no latency in the sla comment")]
            unreadable.extend(Located("comment", None, None, None, c.line, c.column, a) for a in bad)
    unreadable.sort(key=lambda x: (x.line, x.column))
    throughput = [x for x in located if x.annotation.kind == "throughput" and x.annotation.readable]
    return LatencyReport(sla=sla, path=path, annotations=located, unreadable=unreadable, throughput=throughput)


def latency_summary(diagram: Diagram, kinds: Mapping[str, frozenset[str]], cli_sla_ms: float | None = None
                    ) -> dict[str, Any]:
    """Plain data for Contract 2 (``["latency"]``) and the WB801-WB804 rules (the other keys)."""
    return analyse(diagram, kinds, cli_sla_ms).as_dict()
