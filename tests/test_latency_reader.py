"""The latency reader stays linear, and reads exactly what it read before it was made linear.

The reader used to search each number's whole line (and walk out to its clause) again for every
number, so a label with n annotations cost O(n^2): 4,000 took 25 s. The reference below is that
reader, verbatim but for two things (``_read`` has no cache; ``/min`` no longer raises KeyError),
kept as the oracle: the new one must find the same annotations, field for field, in every text.
Its regexes are the old ones too, so it is only run on texts where their backtracking is harmless
(short runs). Sizes here prove "no hang" by a generous subprocess timeout, never by a timed
assertion.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from whiteboard import parse
from whiteboard.errors import DiagramSyntaxError
from whiteboard.latency import Annotation, find_sla, latency_ms, read_annotations

ROOT = Path(__file__).resolve().parent.parent
NO_HANG = 60  # seconds; the runs below take well under one


# --------------------------------------------------------------------------------------
# The reference: the reader before it was made linear (whiteboard/latency.py, verbatim)
# --------------------------------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_NUMBER = re.compile(_NUM)

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

_RANGE = re.compile(rf"\s*(?:(?P<u1>{_TIME_ALT})(?![A-Za-zµμ])\s*)?(?:-|–|—|\bto\b)\s*(?P<n2>{_NUM})", re.IGNORECASE)
_SLASH_LIST = re.compile(rf"(?:\s*/\s*{_NUM})+")
_MULT = re.compile(r" ?(?P<m>[kKMbB])(?![A-Za-z])")
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "b": 1e9}
_PER = {"s": 1, "sec": 1, "secs": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hr": 3600, "hour": 3600,
        "d": 86400, "day": 86400}
_TPUT_AFTER = re.compile(
    r"\s*(?:(?P<w>[QRT]P[SM])\b"
    r"|(?:(?:req(?:uest)?s?|quer(?:y|ies)|events?|msgs?|messages?|txns?|tx|transactions?|tokens?|records?"
    r"|writes?|reads?|calls?|predictions?|inferences?|items?|docs?|documents?|rows?|hits?)\s*)?"
    r"(?:/\s*|\s*\bper\s+)(?P<per>secs?|second|s|minute|min|hour|hr|h|day|d)\b)", re.IGNORECASE)
_TPUT_BEFORE = re.compile(r"\b(?:[QRT]P[SM]|throughput)\s*[:=~]?\s*(?:peak\s*[:=]?\s*)?$", re.IGNORECASE)
_UNIT_WORD = re.compile(r"(?P<gap>[ \t]*-[ \t]*|[ \t]*)(?P<word>[A-Za-zµμ]+|%|×)")

_CMP = re.compile(
    r"(?P<cmp><=|>=|≤|≥|<|>|~|≈|=|\bunder|\bwithin|\bbelow|\bless\s+than|\bup\s+to|\bat\s+most|\bmax(?:imum)?"
    r"|\bover|\babove|\bexceeds?|\bexceeding|\bmore\s+than|\bgreater\s+than|\bat\s+least)\s*[:]?\s*$", re.IGNORECASE)
_CONDITION_CMPS = frozenset({">", ">=", "≥", "over", "above", "exceeds", "exceed", "exceeding", "more than",
                             "greater than", "at least"})
_PCT_BEFORE = re.compile(r"(?<![A-Za-z0-9])(?P<p>[Tt]?[Pp]\d{2}(?:\.\d+)?)(?:\s+(?:latency|lat))?\s*[:=]?\s*$")
_PCT_AFTER = re.compile(r"[ \t]*(?:\(|\bat\b|@)?[ \t]*(?P<p>[Tt]?[Pp]\d{2}(?:\.\d+)?)(?![A-Za-z0-9.])"
                        r"(?![ \t]*(?:[:<=~≈≤>]|\d|latency))")
# A latency word right before the number: then an odd unit is unreadable, not ignored.
_LATENCY_WORD_BEFORE = re.compile(
    r"(?:\b(?:latency|lat|rtt|ttft|tpot|response\s+time|timeout)|(?<![A-Za-z0-9])[Tt]?[Pp]\d{2}(?:\.\d+)?)"
    r"\s*[:=]?\s*(?:<=|≤|<|~|≈|=|under|within|below)?\s*$", re.IGNORECASE)
# Durations that are not a hop's cost, told by the word right before the number ...
_NOT_HOP_BEFORE = re.compile(
    r"\b(?:ttl|every|each|window|horizon|retention|retained|retain|cadence|interval|period|freshness|fresh|"
    r"staleness|stale|lookback|refresh(?:ed|es)?|expiry|expires?|schedule[ds]?|cron|last|past|for|after|"
    r"cool-?down|debounce|backoff)\s*(?:of|is|=|:|at)?\s*(?:<=|≤|<|~|≈|=|under|within)?\s*$", re.IGNORECASE)
# ... or right after it (one qualifying word may stand between: "5 min sliding window").
_NOT_HOP_AFTER = re.compile(
    r"(?:[ \t]*-[ \t]*|[ \t]+|[ \t]*\([ \t]*)(?:(?:sliding|tumbling|rolling|hopping|frame|time|prediction|"
    r"planning|refresh|retention|lookback|update|cache)[ \t-]+)?"
    r"(?:ttl|window|windows|horizon|retention|cadence|interval|period|old|ago|lookback|sweep|history|"
    r"freshness|staleness|refresh|aggregates?|rollups?|cycle)\b(?![ \t]*[:=]?[ \t]*(?:<=|≤|<|~|≈)?[ \t]*\d)",
    re.IGNORECASE)
_SCOPE_TOTAL = re.compile(r"\b(?:end[- ]to[- ]end|e2e|total|overall|round[- ]trip)\b", re.IGNORECASE)
_SCOPE_BUDGET = re.compile(r"\b(?:sla|slo|budget|target)\b", re.IGNORECASE)
_SCOPE_ASYNC = re.compile(r"\b(?:async|asynchronous(?:ly)?|background|offline|non[- ]blocking)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[\n,;|()\[\]{}•·]")

_PLACEHOLDER = re.compile(
    r"(?<![\w.])(?:[~<≈≤]\s*)?(?:\?+|[xX]{1,3}|N|TBD|TBA|tbd|tba|\.\.\.|…)\s*-?\s*"
    rf"(?:{_TIME_ALT})(?![A-Za-zµμ])")
_WORDS = re.compile(
    r"(?<![\w-])(?:sub[- ]?(?P<sub>milliseconds?|msecs?|ms|seconds?|secs?)(?![A-Za-z])"
    r"|(?P<digit>single|double)[- ]digits?\s*(?:ms|msecs?|milliseconds?)(?![A-Za-z])"
    r"|(?P<vague>(?:a\s+)?few|tens\s+of|hundreds\s+of)\s+(?:ms|msecs?|milliseconds?|seconds?|secs?)(?![A-Za-z]))",
    re.IGNORECASE)
_QUALITATIVE = re.compile(
    r"(?:\b(?:latency|lat|rtt|ttft|tpot|response\s+time)|(?<![A-Za-z0-9])[Tt]?[Pp]\d{2}(?:\.\d+)?)"
    r"\s*[:=]?\s*(?:[<~≈≤]\s*)?"
    r"(?P<v>fast|quick|slow|low|high|tbd|tba|unknown|n/a|minimal|negligible|small|\?+)(?![\w?])", re.IGNORECASE)
_QUALITATIVE_TPUT = re.compile(
    r"\b(?:[QRT]P[SM]|throughput)\s*[:=]\s*(?P<v>high|low|lots|many|tbd|tba|unknown|\?+)(?![\w?])", re.IGNORECASE)
_SPEED_ONLY = re.compile(
    r"\W*(?:very\s+|super\s+|ultra[- ]?|blazing(?:ly)?\s+)?(?:fast|quick|slow|instant|low[- ]latency)\W*", re.IGNORECASE)


# Every word-based pattern below needs one of these; most labels have none (a fast exit).
_MAY_HAVE_WORDS = re.compile(
    r"\?|…|\.\.\.|\b(?:tbd|tba|n|x{1,3})\b|sub|digit|few|tens|hundreds|lat|rtt|ttft|tpot|response|"
    r"(?<![A-Za-z0-9])t?p\d\d|[qrt]p[sm]|throughput|fast|quick|slow|instant", re.IGNORECASE)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = start
    while left > 0 and not _CLAUSE_BREAK.match(text, left - 1):
        left -= 1
    right = end
    while right < len(text) and not _CLAUSE_BREAK.match(text, right):
        right += 1
    return left, right


def _scope(text: str, start: int, end: int) -> str | None:
    left, right = _clause_bounds(text, start, end)
    clause = text[left:right]
    if _SCOPE_ASYNC.search(clause):
        return "async"
    if _SCOPE_TOTAL.search(clause):
        return "total"
    if _SCOPE_BUDGET.search(clause):
        return "budget"
    return None


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


def _scan_number(text: str, s: int, line_start: int) -> tuple[int, Annotation | None]:
    """Read the quantity that starts with the number at *s*; returns (end, annotation or None)."""
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

    prefix = text[line_start:s]
    if sub:
        prefix = prefix[:-4]
    cmp_match = _CMP.search(prefix)
    cmp = None
    cmp_start = s - (4 if sub else 0)
    if cmp_match:
        raw_cmp = re.sub(r"\s+", " ", cmp_match.group("cmp").lower())
        arrow = raw_cmp == ">" and cmp_match.start() > 0 and prefix[cmp_match.start() - 1] in "-=>"
        if not arrow:
            cmp = raw_cmp
            cmp_start = line_start + cmp_match.start()
    if sub:
        cmp = cmp or "<"
    head = text[line_start:cmp_start]

    # Throughput: 5K QPS, 100K/s, 1B tokens/day, QPS: 5K.
    mult_match = _MULT.match(text, p)
    q = mult_match.end() if mult_match else p
    tput = _TPUT_AFTER.match(text, q)
    if tput is None and _TPUT_BEFORE.search(head) and not _UNIT_WORD.match(text, q):
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
                per = float(_PER[tput.group("per").lower()])  # fixed: [0] made "/min" a KeyError
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
    latency_context = bool(_LATENCY_WORD_BEFORE.search(head))
    pct = _PCT_BEFORE.search(head)
    percentile = pct.group("p").lower() if pct else None
    raw_start = line_start + pct.start() if pct else cmp_start

    def unreadable(end: int, reason: str) -> tuple[int, Annotation]:
        return end, Annotation(kind="latency", value_ms=None, raw=text[raw_start:end], start=raw_start, end=end,
                               percentile=percentile, qualifier=cmp, readable=False, reason=reason,
                               scope=_scope(text, raw_start, end))

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

    rest = text[end:]
    if re.match(r"[ \t]*\?", rest):
        if cmp is not None and cmp != "~" and cmp != "≈":
            return end + rest.index("?") + 1, None  # "p99 < 50ms?": a question, a condition
        return unreadable(end + rest.index("?") + 1, "written with '?'")
    ish = re.match(r"-?ish\b", rest, re.IGNORECASE)
    if ish:
        return unreadable(end + ish.end(), "a vague value ('-ish')")
    if unit_key == "s" and re.match(r"\s+of\b", rest, re.IGNORECASE):  # "10s of ms" / "100s of candidates"
        of = re.match(rf"\s+of\s+(?:{_TIME_ALT})(?![A-Za-zµμ])", rest, re.IGNORECASE)
        if of:
            return unreadable(end + of.end(), "a vague value ('10s of ...')")
        return end, None
    if cmp in _CONDITION_CMPS:
        return end, None
    if _NOT_HOP_BEFORE.search(head) or _NOT_HOP_AFTER.match(text, end):
        return end, None
    if percentile is None:
        after_pct = _PCT_AFTER.match(text, end)
        if after_pct:
            percentile = after_pct.group("p").lower()
            end = after_pct.end() + (1 if text[after_pct.end():after_pct.end() + 1] == ")" else 0)
    return end, Annotation(
        kind="latency", value_ms=round(max(converted), 9), raw=text[raw_start:end], start=raw_start, end=end,
        percentile=percentile, qualifier=cmp, low_ms=round(min(converted), 9) if len(converted) > 1 else None,
        scope=_scope(text, raw_start, end))


def _line_start(text: str, s: int) -> int:
    return text.rfind("\n", 0, s) + 1


def _read(text: str) -> tuple[Annotation, ...]:
    text = text.replace("\\n", "\n ")  # a literal \n (the seed writes labels that way), same length
    found: list[Annotation] = []
    taken: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _NUMBER.search(text, pos)
        if m is None:
            break
        end, annotation = _scan_number(text, m.start(), _line_start(text, m.start()))
        if annotation is not None:
            found.append(annotation)
            taken.append((annotation.start, annotation.end))
        pos = max(end, m.end())

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    if not _MAY_HAVE_WORDS.search(text):
        found.sort(key=lambda a: a.start)
        return tuple(found)

    for m in _PLACEHOLDER.finditer(text):
        if free(m.start(), m.end()):
            found.append(Annotation(kind="latency", value_ms=None, raw=m.group(), start=m.start(), end=m.end(),
                                    readable=False, reason="no number before the unit"))
            taken.append((m.start(), m.end()))
    for m in _WORDS.finditer(text):
        if not free(m.start(), m.end()):
            continue
        head = text[_line_start(text, m.start()):m.start()]
        if _NOT_HOP_BEFORE.search(head) or _NOT_HOP_AFTER.match(text, m.end()):
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
                                    qualifier=qualifier, scope=_scope(text, m.start(), m.end())))
        taken.append((m.start(), m.end()))
    for pattern, kind in ((_QUALITATIVE, "latency"), (_QUALITATIVE_TPUT, "throughput")):
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
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


_OLD_SLA_COMMENT = re.compile(r"\s*sla\s*(?:[:=]\s*|\s+(?=[<~≈≤\d.]))(?P<value>.*?)\s*$", re.IGNORECASE)
_OLD_BARE_NUMBER = re.compile(rf"\s*(?P<n>{_NUM})\s*$")


def reference_sla_from_comment(text: str) -> float | None:
    """The old ``_sla_from_comment``, with None for "not an SLA comment" too."""
    m = _OLD_SLA_COMMENT.fullmatch(text)
    if not m or not m.group("value"):
        return None
    value = m.group("value")
    bare = _OLD_BARE_NUMBER.fullmatch(value)
    if bare:
        return _number(bare.group("n"))
    return latency_ms(_read(value), hop_cost=False)


def reference(text: str) -> list[Annotation]:
    return list(_read(text)) if text else []


# --------------------------------------------------------------------------------------
# Same results as the reference
# --------------------------------------------------------------------------------------

# What labels are made of: annotations of every kind the reader knows, the words around them
# that change their meaning, and the characters that split clauses and lines.
TOKENS = [
    "~20ms", "p99 < 200 ms", "1.5s", "QPS 5k", "10ms-50ms", "10-50 ms", "5 to 8 s", "20/30/50ms", "<= 5 msec",
    "under 100ms", "within 2 s", "P99: 50ms", "tp99.9 < 1s", "30ms p99", "30 ms (p99)", "@p95", "p50", "p99",
    "sub-ms", "sub-100ms", "sub-second", "single-digit ms", "double digit msec", "a few ms", "tens of ms",
    "10s of ms", "100s of candidates", "?ms", "~?ms", "TBD ms", "N ms", "xx ms", "... ms", "20 msec?",
    "p99 < 50ms?", "10-ms-ish", "20ms-ish", "latency: fast", "latency 20 ticks", "p99 5m", "p99 TBD", "RTT",
    "TTFT", "TPOT", "response time", "timeout", "fast", "low latency", "QPS: high", "throughput: ?",
    "100K/s", "1B tokens/day", "5k req/s", "200 events per second", "10 QPM", "5K QPS", "peak",
    "> 500ms", ">= 1s", "over 2s", "exceeds 300 ms", "at least 5ms", "-->", "=>",
    "TTL 1 hour", "15-min TTL", "every 5 min", "3-8 second horizon", "5 min sliding window", "for 10s",
    "last 30 s", "30 s ago", "24h", "30-90 days", "10 Hz", "30 FPS", "150m", "5 GB", "95%", "2×",
    "NDCG@10", "v2", "DCN-V2", "$45K/month", "3.11.2", "1,000", "1,234.5 ms", "1000 candidates", "Top 20",
    "end-to-end", "e2e", "total", "SLA", "SLO", "budget", "target", "async", "background", "offline",
    "5µs", "200 us", "2 min", "1 millis", "0.5 s", ".5s", "20 ns", "1ms", "7", "42", "0", "ms", "s", "min",
    "Redis", "feature store", "ranker", "of", "is", "at", "less than", "up to", "at most", "max", "≈",
]
PIECES = [",", ";", "|", "(", ")", "[", "]", "•", "\n", "\\n", "-", "/", ":", "<", ">", "=", "~", "≤", "?",
          ".", "...", "…", "#", "_", "'"]
GLUE = ["", " ", " ", " ", "  ", "\t", ", ", "; ", "\n", "\\n", "-", "/", ": "]


@st.composite
def label_texts(draw) -> str:
    """A label text: tokens, bits of punctuation and random characters, glued in any way."""
    part = st.one_of(st.sampled_from(TOKENS), st.sampled_from(PIECES),
                     st.text(alphabet="0123456789.,-/:<>=~?() pPtTmMsµkKbBxXnNa", max_size=5))
    parts = draw(st.lists(st.tuples(part, st.sampled_from(GLUE)), max_size=24))
    return "".join(p + g for p, g in parts)


@given(label_texts())
@example("1ms " * 50)
@example("p99 < 200 ms, " * 20 + "sub-ms " * 20 + "?ms " * 20)
@example("30ms p99 20ms p95 10ms")
@example("a??ms ??~?ms ??TBD ms")
def test_same_annotations_as_before_on_random_labels(text):
    assert read_annotations(text) == reference(text)


def _repository_labels() -> list[str]:
    """Every node and edge label of the bundled examples, templates and rule cases."""
    texts = [p.read_text(encoding="utf-8") for folder in ("examples", "templates")
             for p in sorted((ROOT / folder).rglob("*.mmd"))]
    for path in sorted((ROOT / "tests" / "rules" / "cases").glob("*.yml")):
        texts += [case["diagram"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"].values()
                  if "diagram" in case]
    labels = []
    for text in texts:
        try:
            diagram = parse(text)
        except DiagramSyntaxError:
            continue
        labels += [n.text for n in diagram.nodes] + [e.text for e in diagram.edges]
    return labels


def test_same_annotations_as_before_on_every_label_in_the_repository():
    labels = _repository_labels()
    assert len(labels) > 1000
    assert sum(1 for text in labels if read_annotations(text)) > 200
    for text in labels:
        assert read_annotations(text) == reference(text), text


@given(st.sampled_from([":", " :", "=", " ", "  ", ""]), st.lists(st.one_of(st.sampled_from(TOKENS), st.sampled_from(
    [" ", "200", "1.5", "<", "~", "ms", "sla", "?"])), max_size=6).map(" ".join))
@example(":", "200")
@example(" ", "< 200ms")
@example(":", "x" + " " * 40 + "200ms")
def test_same_sla_from_a_comment_as_before(separator, value):
    try:
        diagram = parse(f"flowchart LR\n%% sla{separator}{value}\n  A --> B\n")
    except DiagramSyntaxError:
        return
    sla = find_sla(diagram, None)
    expected = reference_sla_from_comment(diagram.comments[0].text) if diagram.comments else None
    assert (sla.ms if sla else None) == expected


# Long runs of one thing: catastrophic backtracking in a regex shows as a hang on these.
LONG_RUNS = {
    "digits": "'1' * N",
    "spaces then ms": "' ' * N + 'ms'",
    "letters p": "'p' * N",
    "question marks": "'?' * N",
    "question marks after a letter": "'a' + '?' * N",
    "a latency word, spaces": "'latency' + ' ' * N + 'x'",
    "a comparator, spaces, a number": "'under' + ' ' * N + '/1ms'",
    "a latency word, spaces, a number": "'latency' + ' ' * N + '/1ms'",
    "TTL, spaces, a number": "'ttl' + ' ' * N + '/1ms'",
    "QPS, spaces, a number": "'QPS' + ' ' * N + '/5'",
    "a percentile, spaces, a number": "'p99' + ' ' * N + '/1ms'",
    "a number, spaces": "'1' + ' ' * N + 'x'",
    "a latency, spaces": "'1ms' + ' ' * N + 'x'",
    "a latency, window, spaces": "'1ms window' + ' ' * N + 'x'",
    "a placeholder, spaces": "'?' + ' ' * N + 'x'",
    "a placeholder, spaces, dash, spaces": "'?' + ' ' * N + '-' + ' ' * N + 'x'",
    "a number, spaces, a unit": "'1' + ' ' * N + 'ms'",
    "a number, spaces, per": "'1' + ' ' * N + 'per'",
    "a latency, spaces, at, spaces": "'1ms' + ' ' * N + 'at' + ' ' * N + 'x'",
    "a latency, spaces, a bracket, spaces": "'1ms' + ' ' * N + '(' + ' ' * N + 'x'",
    "a vague amount, spaces": "'a few' + ' ' * N + 'x'",
    "very, spaces": "'very' + ' ' * N + 'x'",
    "numbers and spaces": "'1 ' * (N // 2)",
    "numbers and commas": "'1,' * (N // 2)",
    "numbers and dots": "'1.' * (N // 2)",
    "a long decimal after p99": "'p99.' + '9' * N + ' 1ms'",
}


@pytest.mark.parametrize("name", LONG_RUNS)
def test_long_runs_read_as_before(name):
    text = eval(LONG_RUNS[name], {"N": 300})  # short: the reference's old regexes are quadratic here
    assert read_annotations(text) == reference(text)


def _finishes(script: str) -> str:
    """Run *script* in a fresh interpreter; a hang fails the test (after NO_HANG seconds)."""
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True,
                          timeout=NO_HANG, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_long_runs_do_not_hang():
    script = (
        "from whiteboard.latency import read_annotations\n"
        "N = 100_000\n"
        f"for name, expression in {LONG_RUNS!r}.items():\n"
        "    read_annotations(eval(expression))\n"
        "    print(name, flush=True)\n"
    )
    try:
        out = _finishes(script)
    except subprocess.TimeoutExpired as error:
        done = (error.stdout or b"").decode().splitlines()
        pytest.fail(f"hung after {done[-1:] or 'nothing'}")
    assert out.splitlines() == list(LONG_RUNS)


MIXED = ["~20ms", "p99 < 200 ms", "1.5s", "QPS 5k", "10ms-50ms", "sub-ms", "?ms", "TBD ms", "latency: fast",
         "a few ms"]


def test_twenty_thousand_annotations_in_one_label():
    label = " ".join(MIXED[i % len(MIXED)] for i in range(100))
    small = read_annotations(label)
    assert len(small) == 100  # each token is one annotation, in this company too
    readable = sum(a.readable for a in small)
    assert readable == 60  # 6 of the 10 tokens give a number
    out = _finishes(
        "from whiteboard.latency import read_annotations\n"
        f"label = ' '.join({MIXED!r}[i % {len(MIXED)}] for i in range(20_000))\n"
        "found = read_annotations(label)\n"
        "print(len(found), sum(a.readable for a in found))\n")
    assert out.split() == ["20000", "12000"]  # 200 times the 100-token label


def test_checking_an_edge_with_twenty_thousand_annotations(tmp_path):
    label = "1ms " * 20_000
    (tmp_path / "big.mmd").write_text(f'flowchart LR\n  A[Client] -->|"{label}"| B[Model serving]\n',
                                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "whiteboard", "check", "big.mmd", "--format", "json"],
                          check=False, cwd=tmp_path, capture_output=True, text=True, timeout=NO_HANG)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    findings = [f["code"] for file in json.loads(done.stdout)["files"] for d in file["diagrams"]
                for f in d["findings"]]
    assert "WB803" in findings  # latencies written, no SLA: the label was read


def test_a_long_gap_in_an_sla_comment_does_not_hang():
    out = _finishes(
        "from whiteboard import parse\n"
        "from whiteboard.latency import find_sla\n"
        "gap = ' ' * 100_000\n"
        "for comment in (f'sla: x{gap}y', f'sla{gap}x', f'sla: 200ms{gap}total'):\n"
        "    sla = find_sla(parse(f'flowchart LR\\n%% {comment}\\n  A --> B\\n'), None)\n"
        "    print(sla.ms if sla else None)\n")
    assert out.split() == ["None", "None", "200.0"]
