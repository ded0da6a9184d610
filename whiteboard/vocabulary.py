"""Component kinds and the words that name them, matched on node labels.

The catalogue of kinds is fixed here (the rules depend on the names and their stages);
the words live in ``templates/vocabulary.toml``, which a user can extend. ``Vocabulary``
compiles every word once into a token trie and then reads a label in one pass:

    vocabulary = load_vocabulary()
    vocabulary.match("Kafka -> Spark Streaming")
    # [Match(kind='ingestion', word='Kafka', ...), Match(kind='stream_processing', ...)]

Matching rules (the header of vocabulary.toml says the same for users):

- whole words, case-insensitive: a label is split into tokens (runs of letters and
  digits; "&" and "+" read as "and"), and a word matches whole tokens only, so "ANN" is not in
  "annotation", "LR" not in "LRU", "log" not in "catalog";
- a phrase's tokens may be separated by spaces, hyphens, slashes, underscores, "@" or
  line breaks; a phrase of 6+ letters also matches written as one word ("FeatureStore"),
  a camel-case word also split ("Big Query"); any token of 3+ letters also matches its
  plural;
- overlapping phrases: the longest one starting first wins and the shorter ones inside
  it do not count ("Spark Streaming" is not also "Spark");
- negation: a cue a few words before ("no", "without", "TODO", "(missing)"...) or right
  after ("TBD", "none") within the same clause cancels a match (``Match.negated_by``);
- per kind, ``not_before``/``not_after`` words next to a match and ``exclude`` phrases
  around it cancel it ("review" + "queue" is not a message queue);
- ``context_words`` count only in context: ``read()`` returns them flagged
  ``contextual``; ``match()`` counts those whose stage the text itself names
  ("Metrics: watch time") or the caller passes; the diagram's context (subgraphs, neighbours)
  is settled by ``roles.py``.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from whiteboard.errors import ConfigError

STAGES: tuple[str, ...] = (
    "requirements", "metrics", "data", "features", "model", "serving", "monitoring",
)

# The fixed catalogue: kind -> stage, in reading order (stage by stage).
KIND_STAGES: dict[str, str] = {
    "requirements": "requirements",
    "offline_metrics": "metrics",
    "online_metrics": "metrics",
    "guardrail_metrics": "metrics",
    "data_source": "data",
    "ingestion": "data",
    "batch_processing": "data",
    "stream_processing": "data",
    "data_validation": "data",
    "storage": "data",
    "labels": "data",
    "feature_store": "features",
    "offline_store": "features",
    "online_store": "features",
    "feature_pipeline": "features",
    "training": "model",
    "baseline": "model",
    "evaluation": "model",
    "registry": "model",
    "model": "model",
    "client": "serving",
    "serving": "serving",
    "candidate_retrieval": "serving",
    "ranking": "serving",
    "reranking": "serving",
    "cache": "serving",
    "batch_prediction": "serving",
    "monitoring": "monitoring",
    "ab_testing": "monitoring",
    "safe_rollout": "monitoring",
    "feedback_log": "monitoring",
    "retrain_trigger": "monitoring",
}
KINDS: tuple[str, ...] = tuple(KIND_STAGES)

_KIND_KEYS = {"stage", "description", "words", "context_words", "context_feeds", "not_before",
              "not_after", "exclude", "weak", "keeps_with"}
_STAGE_KEYS = {"description", "words", "fallback"}
_NEGATION_KEYS = {"before", "window", "after", "after_window", "breaks", "marks", "not_cues"}
_TOP_KEYS = {"version", "negation", "stages", "kinds"}

# A token: a run of letters/digits, or "&" or "+" (both read as "and": "User + context features").
_TOKEN = re.compile(r"[^\W_]+|[&+]")
# What may stand between the tokens of one phrase (see _joins).
_JOIN = frozenset(" \t\r\n\f\v-/_@\u00a0\u2010\u2011\u2012\u2013")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013")


def _joins(gap: str) -> bool:
    """May two tokens with ``gap`` between them be words of one phrase?

    Whitespace, line breaks included ("Feature\nStore"), or one hyphen, slash, underscore
    or "@" ("feature-store", "Pub / Sub", "recall@k"). Not a bullet on a new line
    ("Data\n- Sources") and not a spaced dash used as punctuation ("Features - Engineering").
    """
    if not gap or gap.isspace():
        return True
    core = gap.strip()
    if len(core) != 1 or core not in _JOIN or "\n" in gap or "\r" in gap:
        return False
    return not (core in _DASHES and gap[0].isspace() and gap[-1].isspace())


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NUMBER = re.compile(r"\d[\d.,]*[kmb]?|\d+(?:st|nd|rd|th)?")
_NUMBERING = re.compile(r"\d+")
_CACHE_SIZE = 20_000  # readings kept per vocabulary (labels repeat across a notes folder)


class Match(NamedTuple):
    """One word of the vocabulary found in a text.

    ``word`` is the entry as written in vocabulary.toml (``text[start:end]`` is how the
    label wrote it). ``contextual`` marks a context word, which counts only where
    ``roles.py`` finds the context; ``negated_by`` is the negation cue as written
    ("no", "TODO"), and then the match does not count.
    """

    kind: str
    word: str
    start: int
    end: int
    contextual: bool = False
    negated_by: str | None = None

    @property
    def counts(self) -> bool:
        """Does it count without any context (a plain word, not negated)?"""
        return not self.contextual and self.negated_by is None


class StageMention(NamedTuple):
    """A word naming a stage ("Data", "Serving", "Metrics"), outside any kind's phrase."""

    stage: str
    word: str
    start: int
    end: int
    negated_by: str | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything the vocabulary sees in one text (``Vocabulary.read``)."""

    text: str
    matches: tuple[Match, ...]
    stages: tuple[StageMention, ...]
    whole_stage: str | None = None
    """The stage, when the whole text is just a stage's name ("3. Data", "Features")."""

    @property
    def counted(self) -> tuple[Match, ...]:
        return tuple(m for m in self.matches if m.counts)


@dataclass(frozen=True, slots=True)
class KindSpec:
    """One component kind as vocabulary.toml describes it (see its header)."""

    name: str
    stage: str
    description: str
    words: tuple[str, ...]
    context_words: tuple[str, ...] = ()
    context_feeds: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    weak: bool = False
    keeps_with: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StageSpec:
    name: str
    description: str
    words: tuple[str, ...]
    fallback: str


class _Node:
    __slots__ = ("excludes", "next", "stages", "words")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.words: list[tuple[str, str, bool]] = []  # (kind, entry, contextual)
        self.excludes: set[str] = set()
        self.stages: list[tuple[str, str]] = []  # (stage, entry)


def _add_entry(entries: list, entry: tuple, exact: bool) -> None:
    """One entry per (kind, contextual) at a trie node; the exact spelling names it."""
    for index, old in enumerate(entries):
        if old[0] == entry[0] and old[2:] == entry[2:]:
            if exact:
                entries[index] = entry
            return
    entries.append(entry)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "and" if m.group() in "&+" else m.group().lower())
            for m in _TOKEN.finditer(text)]


def _plurals(token: str) -> list[str]:
    if len(token) < 3 or not token[-1].isalpha():
        return []
    forms = [token + "s"]
    if token.endswith(("s", "x", "z", "ch", "sh")):
        forms.append(token + "es")
    if token.endswith("y") and token[-2] not in "aeiou":
        forms.append(token[:-1] + "ies")
    if token == "index":
        forms.append("indices")
    return forms


def _check_word(word: object, where: str, path: str | None) -> str:
    if not isinstance(word, str) or not word.strip():
        raise ConfigError(f"{where}: every word must be a non-empty string, got {word!r}", path=path)
    rest = _TOKEN.sub("", word)
    if any(ch not in _JOIN for ch in rest) or not _TOKEN.search(word):
        bad = "".join(sorted({ch for ch in rest if ch not in _JOIN}))
        raise ConfigError(
            f"{where}: the word {word!r} cannot be matched as written: {bad!r} would split it in a label "
            "(words are letters and digits, separated by spaces, '-', '/', '_' or '@'; '&' and '+' read as 'and')",
            path=path,
        )
    return word


def _keys(word: str) -> set[tuple[str, ...]]:
    """Every token sequence that spells ``word``: as written, camel-split, joined, plural."""
    bases = {tuple(t for _, _, t in _tokens(word))}
    split = _CAMEL.sub(" ", word)
    if split != word:
        bases.add(tuple(t for _, _, t in _tokens(split)))
    joined = {("".join(base),) for base in bases if len(base) > 1}
    bases |= {key for key in joined if len(key[0]) >= 6 and key[0].isalnum()}
    keys = set(bases)
    for base in bases:
        for i, token in enumerate(base):
            for form in _plurals(token):
                keys.add(base[:i] + (form,) + base[i + 1:])
    return keys


def _plain(word: str) -> tuple[str, ...]:
    return tuple(t for _, _, t in _tokens(word))


def _neighbour(word: str) -> tuple[str, ...]:
    """A not_before/not_after entry as tokens; "#" stands for any number token."""
    return tuple("#" if part == "#" else token for part in word.split()
                 for token in ((part,) if part == "#" else _plain(part)))


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Spans:
    """Is the token span i..j inside an excluded phrase of a kind? A look-up per span rather than
    a scan of every phrase (a 1 MB label has tens of thousands of each)."""

    def __init__(self, by_kind: dict[str, tuple[list[int], list[int]]]) -> None:
        self.by_kind = by_kind

    @classmethod
    def of(cls, excluded: list[tuple[str, int, int]]) -> "_Spans":
        """*excluded*: (kind, first token, last token), in order of first token."""
        by_kind: dict[str, tuple[list[int], list[int]]] = {}
        for kind, a, b in excluded:
            starts, reach = by_kind.setdefault(kind, ([], []))
            starts.append(a)
            reach.append(max(b, reach[-1]) if reach else b)  # the furthest end so far
        return cls(by_kind)

    def __call__(self, kind: str, i: int, j: int) -> bool:
        found = self.by_kind.get(kind)
        if found is None:
            return False
        starts, reach = found
        last = bisect.bisect_right(starts, i) - 1  # the phrases starting at or before i
        return last >= 0 and reach[last] >= j


class Vocabulary:
    """The compiled vocabulary: kinds, stages, negation cues, one token trie."""

    def __init__(self, kinds: Iterable[KindSpec], stages: Iterable[StageSpec], negation: Mapping[str, object],
                 *, source: str | None = None) -> None:
        self._kinds = {k.name: k for k in kinds}
        self._stages = {s.name: s for s in stages}
        self.source = source
        self._root = _Node()
        for spec in self._kinds.values():
            for contextual, words in ((False, spec.words), (True, spec.context_words)):
                for word in words:
                    for node, exact in self._nodes(word):
                        _add_entry(node.words, (spec.name, word, contextual), exact)
            for word in spec.exclude:
                for node, _ in self._nodes(word):
                    node.excludes.add(spec.name)
        for stage in self._stages.values():
            for word in stage.words:
                for node, exact in self._nodes(word):
                    _add_entry(node.stages, (stage.name, word), exact)
        # kind -> (not_before, not_after), each {first or last token: [token keys]}
        self._neighbours: dict[str, tuple[dict, dict]] = {}
        for spec in self._kinds.values():
            if spec.not_before or spec.not_after:
                before: dict[str, list[tuple[str, ...]]] = {}
                for word in spec.not_before:
                    key = _neighbour(word)
                    before.setdefault(key[0], []).append(key)
                after: dict[str, list[tuple[str, ...]]] = {}
                for word in spec.not_after:
                    key = _neighbour(word)
                    after.setdefault(key[-1], []).append(key)
                self._neighbours[spec.name] = (before, after)
        self._window = int(negation.get("window", 3))
        self._after_window = int(negation.get("after_window", 1))
        self._before_cues: dict[str, list[tuple[str, ...]]] = {}
        for cue in negation.get("before", ()):
            key = _plain(cue)
            self._before_cues.setdefault(key[-1], []).append(key)
        self._after_cues: dict[str, list[tuple[str, ...]]] = {}
        for cue in negation.get("after", ()):
            key = _plain(cue)
            self._after_cues.setdefault(key[0], []).append(key)
        self._breaks = frozenset(w.lower() for w in negation.get("breaks", ()))
        self._marks = frozenset(str(negation.get("marks", "")) + "\n\r")
        self._not_cues = [_plain(w) for w in negation.get("not_cues", ())]
        self._cue_tokens = frozenset(self._before_cues) | {cue[0] for cues in self._after_cues.values() for cue in cues}
        self._cache: dict[str, Reading] = {}
        self.negation = negation  # kept so a problem's own kinds are read with the same cues

    def _nodes(self, word: str) -> list[tuple[_Node, bool]]:
        """The trie nodes (created as needed) where each spelling of ``word`` ends, and
        whether that spelling is the word exactly as written (not a plural or variant)."""
        exact = _plain(word)
        ends = []
        for key in _keys(word):
            node = self._root
            for token in key:
                node = node.next.setdefault(token, _Node())
            ends.append((node, key == exact))
        return ends

    # -- the catalogue -------------------------------------------------------------------

    @property
    def kinds(self) -> tuple[KindSpec, ...]:
        return tuple(self._kinds[name] for name in KINDS)

    @property
    def stages(self) -> tuple[StageSpec, ...]:
        return tuple(self._stages[name] for name in STAGES)

    def kind(self, name: str) -> KindSpec:
        try:
            return self._kinds[name]
        except KeyError:
            raise ConfigError(f"unknown component kind {name!r}{_suggest(name, KINDS)}") from None

    def stage(self, name: str) -> StageSpec:
        try:
            return self._stages[name]
        except KeyError:
            raise ConfigError(f"unknown stage {name!r}{_suggest(name, STAGES)}") from None

    # -- reading text --------------------------------------------------------------------

    def match(self, text: str, context: Iterable[str] = ()) -> list[Match]:
        """The kinds a text names: whole words, longest first, negated words left out.

        A context word counts when the text itself names its stage (another kind of that
        stage, or a stage word: "Metrics: CTR, watch time", "Redis online store") or when
        its stage is in ``context`` (stage names, or kinds standing for their stage); it
        then replaces the plain reading of the same words. The context that only a diagram
        knows (subgraphs, neighbours) is roles.py's business.
        """
        reading = self.read(text)
        stages = {KIND_STAGES.get(name, name) for name in context}
        settled = [m for m in reading.matches if m.contextual and m.negated_by is None
                   and (KIND_STAGES[m.kind] in stages or KIND_STAGES[m.kind] in own_stages(reading, m))]
        spans = {(m.start, m.end) for m in settled}
        return [m for m in reading.matches
                if (m.counts and (m.start, m.end) not in spans) or m in settled]

    def read(self, text: str) -> Reading:
        """Every match (also context words and negated ones, flagged) and the stage words."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters change length when lowered
            lowered = None
        spans = [m.span() for m in _TOKEN.finditer(text)]
        n = len(spans)
        if not n:
            return Reading(text, (), ())
        if lowered is not None:
            norms = [lowered[a:b] for a, b in spans]
        else:
            norms = [text[a:b].lower() for a, b in spans]
        if "&" in text or "+" in text:
            norms = ["and" if t in ("&", "+") else t for t in norms]
        line = _Line(text, spans, norms, self._marks)
        line.has_cue = not self._cue_tokens.isdisjoint(norms)

        root_get = self._root.next.get
        joins = line.joins
        words: list[tuple[int, int, _Node]] = []
        stage_hits: list[tuple[int, int, _Node]] = []
        excluded: list[tuple[str, int, int]] = []
        last = n - 1
        for i, token in enumerate(norms):
            node = root_get(token)
            if node is None:
                continue
            j = i
            best_word = best_stage = None
            while True:
                if node.words:
                    best_word = (i, j, node)
                if node.stages:
                    best_stage = (i, j, node)
                if node.excludes:
                    excluded.extend((kind, i, j) for kind in node.excludes)
                if j == last or not node.next:
                    break
                nxt = node.next.get(norms[j + 1])
                if nxt is None or not joins(j):
                    break
                node = nxt
                j += 1
            if best_word is not None:
                words.append(best_word)
            if best_stage is not None:
                stage_hits.append(best_stage)

        matches: list[Match] = []
        taken = -1
        covered: list[tuple[int, int]] = []
        neighbours = self._neighbours
        inside_excluded = _Spans.of(excluded)
        for i, j, node in words:
            if i <= taken:
                continue
            taken = j
            cue: str | None | bool = False  # computed once per span, when first needed
            plain = False
            for kind, entry, contextual in node.words:
                if excluded and inside_excluded(kind, i, j):
                    continue
                if kind in neighbours and self._blocked(kind, line, i, j):
                    continue
                if cue is False:
                    cue = self._negation(line, i, j)
                matches.append(Match(kind, entry, spans[i][0], spans[j][1], contextual, cue))
                plain = plain or not contextual
            if plain:
                covered.append((i, j))

        stages: list[StageMention] = []
        taken = -1
        covered_ends = [b for _, b in covered]  # covered spans are disjoint and in order
        for i, j, node in stage_hits:
            first = bisect.bisect_left(covered_ends, i)  # the first covered span ending at or after i
            if i <= taken or (first < len(covered) and covered[first][0] <= j):
                continue
            taken = j
            cue = self._negation(line, i, j)
            for stage, entry in node.stages:
                stages.append(StageMention(stage, entry, spans[i][0], spans[j][1], cue))

        reading = Reading(text, tuple(matches), tuple(stages), self._whole_stage(line))
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[text] = reading
        return reading

    def _whole_stage(self, line: _Line) -> str | None:
        norms, last = line.norms, len(line.norms) - 1
        first = 0
        while first < last and _NUMBERING.fullmatch(norms[first]):
            first += 1
        node = self._root.next.get(norms[first])
        j = first
        while node is not None:
            if j == last:
                return node.stages[0][0] if node.stages else None
            if not line.joins(j):
                return None
            node = node.next.get(norms[j + 1])
            j += 1
        return None

    def _blocked(self, kind: str, line: _Line, i: int, j: int) -> bool:
        norms = line.norms
        before, after = self._neighbours[kind]
        if before and j + 1 < len(norms) and not line.breaks(j):
            token = norms[j + 1]
            keys = before.get(token, ())
            if "#" in before and _NUMBER.fullmatch(token):
                keys = (*keys, *before["#"])
            if any(line.seq(j + 1, key) for key in keys):
                return True
        if after and i > 0 and not line.breaks(i - 1):
            token = norms[i - 1]
            keys = after.get(token, ())
            if "#" in after and _NUMBER.fullmatch(token):
                keys = (*keys, *after["#"])
            if any(line.seq(i - len(key), key) for key in keys):
                return True
        return False

    def _negation(self, line: _Line, i: int, j: int) -> str | None:
        if not line.has_cue:
            return None
        norms, breaks = line.norms, self._breaks
        # a cue before: its last token at most `window` tokens before the match
        end = i - 1
        while end >= 0 and end >= i - 1 - self._window:
            if line.breaks(end) or norms[end] in breaks:
                break
            for cue in self._before_cues.get(norms[end], ()):
                start = end - len(cue) + 1
                if not line.seq(start, cue) or any(line.breaks(k) for k in range(start, end)):
                    continue
                if any(line.seq(start, not_cue) for not_cue in self._not_cues):
                    continue
                return line.text[line.spans[start][0]:line.spans[end][1]]
            end -= 1
        # a cue after: its first token at most `after_window` tokens after the match
        for begin in range(j + 1, min(len(norms), j + 2 + self._after_window)):
            if line.breaks(begin - 1) or norms[begin] in breaks:
                break
            for cue in self._after_cues.get(norms[begin], ()):
                if line.seq(begin, cue):
                    return line.text[line.spans[begin][0]:line.spans[begin + len(cue) - 1][1]]
        return None


class _Line:
    """One text's tokens, with the gaps between them judged on demand."""

    __slots__ = ("_break", "_join", "_marks", "has_cue", "norms", "spans", "text")

    def __init__(self, text: str, spans, norms, marks: frozenset[str]) -> None:
        self.text, self.spans, self.norms = text, spans, norms
        self._marks = marks
        self._join: dict[int, bool] = {}
        self._break: dict[int, bool] = {}

    def _gap(self, k: int) -> str:
        return self.text[self.spans[k][1]:self.spans[k + 1][0]]

    def joins(self, k: int) -> bool:
        """May tokens k and k+1 belong to one phrase?"""
        value = self._join.get(k)
        if value is None:
            gap = self._gap(k)
            value = self._join[k] = gap == " " or _joins(gap)
        return value

    def breaks(self, k: int) -> bool:
        """Does a clause end between tokens k and k+1 (a mark or a line break)?"""
        value = self._break.get(k)
        if value is None:
            gap = self._gap(k)
            value = self._break[k] = gap != " " and not self._marks.isdisjoint(gap)
        return value

    def seq(self, start: int, key: tuple[str, ...]) -> bool:
        """Do the tokens from ``start`` spell ``key`` ("#" = any number)?"""
        norms = self.norms
        if start < 0 or start + len(key) > len(norms):
            return False
        for offset, want in enumerate(key):
            got = norms[start + offset]
            if want != got and not (want == "#" and _NUMBER.fullmatch(got)):
                return False
        return True


def own_stages(reading: Reading, match: Match) -> set[str]:
    """The stages a text names besides ``match`` itself: the stages of its other counted
    words, and its stage words ("Metrics", "Data")."""
    span = (match.start, match.end)
    stages = {KIND_STAGES[m.kind] for m in reading.matches if m.counts and (m.start, m.end) != span}
    stages.update(s.stage for s in reading.stages if s.negated_by is None)
    return stages


# -- loading ------------------------------------------------------------------------------

def _strings(table: Mapping, key: str, where: str, path: str | None) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{where}.{key}: expected a list of words, got {type(value).__name__}", path=path)
    return tuple(value)


def _unknown_keys(table: Mapping, allowed: set[str], where: str, path: str | None) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key {key!r}{_suggest(key, sorted(allowed))} "
                              f"(allowed: {', '.join(sorted(allowed))})", path=path)


def _kind_list(names: tuple[str, ...], where: str, path: str | None) -> tuple[str, ...]:
    for name in names:
        if name not in KIND_STAGES:
            raise ConfigError(f"{where}: unknown component kind {name!r}{_suggest(name, KINDS)}", path=path)
    return names


def _only_known(table: Mapping, known: tuple[str, ...], section: str, what: str, path: str | None) -> None:
    for name in table:
        if name not in known:
            raise ConfigError(f"[{section}.{name}]: unknown {what}{_suggest(name, known)} "
                              f"(the {section} are fixed: {', '.join(known)})", path=path)


def _parse(data: Mapping, path: str | None) -> tuple[list[KindSpec], list[StageSpec], Mapping]:
    _unknown_keys(data, _TOP_KEYS, "vocabulary", path)
    kinds_table = data.get("kinds")
    if not isinstance(kinds_table, dict):
        raise ConfigError("vocabulary: missing the [kinds.*] tables", path=path)
    _only_known(kinds_table, KINDS, "kinds", "component kind", path)
    kinds: list[KindSpec] = []
    for name in KINDS:
        table = kinds_table.get(name)
        where = f"[kinds.{name}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: missing (every kind needs a stage, a description and words)", path=path)
        _unknown_keys(table, _KIND_KEYS, where, path)
        if table.get("stage") != KIND_STAGES[name]:
            raise ConfigError(f"{where}: stage must be {KIND_STAGES[name]!r}, got {table.get('stage')!r}", path=path)
        description = table.get("description")
        if not isinstance(description, str) or not description.strip():
            raise ConfigError(f"{where}: needs a one-line description", path=path)
        lists = {key: _strings(table, key, where, path)
                 for key in ("words", "context_words", "not_before", "not_after", "exclude")}
        for key in ("words", "context_words", "exclude"):
            for word in lists[key]:
                _check_word(word, f"{where}.{key}", path)
        for key in ("not_before", "not_after"):
            for word in lists[key]:
                if word != "#":
                    _check_word(word, f"{where}.{key}", path)
        if not lists["words"]:
            raise ConfigError(f"{where}: needs at least one word", path=path)
        weak = table.get("weak", False)
        if not isinstance(weak, bool):
            raise ConfigError(f"{where}.weak: expected true or false", path=path)
        kinds.append(KindSpec(
            name=name, stage=KIND_STAGES[name], description=description.strip(), weak=weak,
            context_feeds=_kind_list(_strings(table, "context_feeds", where, path), f"{where}.context_feeds", path),
            keeps_with=_kind_list(_strings(table, "keeps_with", where, path), f"{where}.keeps_with", path),
            **lists,
        ))
    stages_table = data.get("stages", {})
    _only_known(stages_table, STAGES, "stages", "stage", path)
    stages: list[StageSpec] = []
    for name in STAGES:
        table = stages_table.get(name)
        where = f"[stages.{name}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: missing", path=path)
        _unknown_keys(table, _STAGE_KEYS, where, path)
        fallback = table.get("fallback")
        if KIND_STAGES.get(fallback) != name:
            raise ConfigError(f"{where}.fallback: must be a kind of stage {name!r}, got {fallback!r}", path=path)
        words = _strings(table, "words", where, path)
        for word in words:
            _check_word(word, f"{where}.words", path)
        stages.append(StageSpec(name, str(table.get("description", "")), words, fallback))
    negation = data.get("negation", {})
    if not isinstance(negation, dict):
        raise ConfigError("[negation]: expected a table", path=path)
    _unknown_keys(negation, _NEGATION_KEYS, "[negation]", path)
    for key in ("before", "after", "breaks", "not_cues"):
        for word in _strings(negation, key, "[negation]", path):
            _check_word(word, f"[negation].{key}", path)
    return kinds, stages, negation


def _extra_key(extra: Mapping[str, Iterable[str]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Validate user words per kind; a hashable form for the cache."""
    if extra is None:
        return ()
    if not isinstance(extra, Mapping):
        raise ConfigError(f"extra vocabulary: expected a table of kind = [words], got {type(extra).__name__}")
    key = []
    for name, words in extra.items():
        if name not in KIND_STAGES:
            raise ConfigError(f"extra vocabulary: unknown component kind {name!r}{_suggest(str(name), KINDS)} "
                              f"(known kinds: {', '.join(KINDS)})")
        if isinstance(words, str) or not isinstance(words, Iterable):
            raise ConfigError(f"extra vocabulary for {name!r}: expected a list of words, got {words!r}")
        key.append((name, tuple(_check_word(w, f"extra vocabulary for {name!r}", None) for w in words)))
    return tuple(sorted(key))


def _merge_extra(kinds: list[KindSpec], extra: dict[str, tuple[str, ...]]) -> list[KindSpec]:
    merged = []
    for spec in kinds:
        added = tuple(w for w in extra.get(spec.name, ()) if w not in spec.words)
        merged.append(dataclasses.replace(spec, words=spec.words + added) if added else spec)
    return merged


def default_path() -> Path:
    from whiteboard.resources import templates_dir

    return templates_dir() / "vocabulary.toml"


@lru_cache(maxsize=8)
def _build(path: str, extra: tuple[tuple[str, tuple[str, ...]], ...]) -> Vocabulary:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read the vocabulary: {error.strerror or error}", path=path) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML: {error}", path=path) from None
    kinds, stages, negation = _parse(data, path)
    kinds = _merge_extra(kinds, dict(extra))
    return Vocabulary(kinds, stages, negation, source=path)


def load_vocabulary(extra: Mapping[str, list[str]] | None = None, *, path: str | Path | None = None) -> Vocabulary:
    """The shipped vocabulary (or the one at ``path``), plus ``extra`` words per kind.

    Raises ConfigError for an unknown kind in ``extra`` (naming the known kinds, with a
    "did you mean"), a word that cannot be matched as written, or a broken TOML file.
    Compiled once per distinct (path, extra) and cached.
    """
    return _build(str(path or default_path()), _extra_key(extra))


__all__ = [
    "KINDS", "KIND_STAGES", "STAGES", "KindSpec", "Match", "Reading", "StageMention", "StageSpec", "Vocabulary",
    "load_vocabulary", "own_stages",
]
