"""Problem rules (REC, SRCH, MOD, RAG, FRD, AV...): built from the problem specs' data.

A spec's ``[[rules]]`` entry names a check type and the kinds it is about; this module
turns each entry into a Rule class, with the entry's text as its documentation, so the
problem rules list, explain and test themselves exactly like the core rules. The check
types are few on purpose, and all work on the graph, not on word presence alone:

- ``present``: some node has one of ``kinds`` (``mentions = true``: or an edge label or
  any box names one — for must-discuss topics such as position bias or class imbalance);
- ``order``: a chain of nodes, one per step, each reached from the one before (``solid =
  true``: over solid arrows only, the request path); retrieval before ranking before
  re-ranking;
- ``feeds_all``: every group of ``sources`` has a node with a path into ``into``; lexical
  and vector retrieval both feed the reranker;
- ``reaches``: a path from ``from`` to ``to`` (dotted edges count); appeals feeding labels.

A problem's own kinds (``[kinds.*]`` in its spec) are read from each node's label and
classes with the same word matching and negation as the core vocabulary, in a pass of
their own, so they add to a node's kinds and never take a core kind away.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity, quote_nodes

if TYPE_CHECKING:
    from whiteboard.problems import Problem, ProblemCheck, ProblemRuleSpec
    from whiteboard.vocabulary import Vocabulary

_SOLID = ("normal", "thick")
_STATEMENT_KINDS = frozenset({"requirements", "offline_metrics", "online_metrics", "guardrail_metrics"})


@lru_cache(maxsize=32)
def problem_vocabulary(problem: "Problem") -> "Vocabulary":
    """The problem's own kinds as a vocabulary (same stages and negation cues as the core)."""
    from whiteboard.vocabulary import KindSpec, Vocabulary, load_vocabulary

    base = load_vocabulary()
    specs = [KindSpec(name=k.name, stage=k.stage, description=k.description, words=k.words,
                      not_before=k.not_before, not_after=k.not_after, exclude=k.exclude) for k in problem.kinds]
    return Vocabulary(specs, base.stages, base.negation, source=problem.path)


def problem_kinds(ctx: RuleContext, problem: "Problem") -> dict[str, frozenset[str]]:
    """node id -> the problem's own kinds it has (by class name or label words); cached on ctx."""
    key = ("problem_kinds", problem.name)
    cached = ctx.extra.get(key)
    if cached is not None:
        return cached
    names = {k.name for k in problem.kinds}
    vocabulary = problem_vocabulary(problem) if problem.kinds else None
    found: dict[str, frozenset[str]] = {}
    for node in ctx.diagram.nodes:
        if ctx.kinds.get(node.id, frozenset()) & _STATEMENT_KINDS:
            continue  # "answers cite sources" in the requirements box is a goal, not a component
        kinds = {c.replace("-", "_").lower() for c in node.classes} & names
        if vocabulary is not None:
            kinds.update(m.kind for m in vocabulary.read(node.text).counted)
        if kinds:
            found[node.id] = frozenset(kinds)
    ctx.extra[key] = found
    return found


def kind_label(kind: str, problem: "Problem") -> str:
    own = problem.kind(kind)
    if own is not None:
        return own.label
    return _CORE_LABELS.get(kind, kind.replace("_", " "))


_CORE_LABELS = {"ab_testing": "A/B test", "batch_processing": "batch/ETL job", "storage": "data store",
                "serving": "model serving", "training": "model training", "client": "client / entry point",
                "model": "model box"}


def _labels(kinds: Iterable[str], problem: "Problem") -> str:
    labels = list(dict.fromkeys(kind_label(k, problem) for k in kinds))
    if len(labels) > 4:
        return ", ".join(labels[:3]) + f" or {len(labels) - 3} other kinds"
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


class ProblemRule(Rule):
    """A rule from a problem spec (the subclasses carry their spec's documentation).

    ## What it checks
    Set by each problem spec.

    ## Why it matters
    Set by each problem spec.

    ## Fails
    ```mermaid
    flowchart LR
      A
    ```

    ## Passes
    ```mermaid
    flowchart LR
      A
    ```
    """

    code = "PROBLEM"
    name = "problem"
    severity = Severity.WARNING
    stage = "model"
    problem: "Problem"
    spec: "ProblemRuleSpec"

    # -- the graph, with the problem's kinds added -----------------------------------
    def nodes(self, ctx: RuleContext, kinds: Iterable[str]) -> list[str]:
        wanted = frozenset(kinds)
        own = problem_kinds(ctx, self.problem)
        return [n.id for n in ctx.diagram.nodes
                if (ctx.kinds.get(n.id, frozenset()) | own.get(n.id, frozenset())) & wanted]

    def _after(self, ctx: RuleContext, starts: Iterable[str], solid: bool) -> set[str]:
        """Nodes reached by leaving one of *starts* over at least one edge.

        Over solid arrows (the request path) a walk ends at the client: the response
        going back to the user and a new request coming out again is not one request
        (``Q --> V --> LLM --> Rerank --> Q`` does not put the reranker before the LLM).
        """
        graph = ctx.graph
        entries = set(ctx.nodes_of("client")) if solid else set()
        seen: set[str] = set()
        frontier = [s for s in starts if s in graph]
        first = set(frontier)
        while frontier:
            node = frontier.pop()
            if node in entries and node not in first:
                continue
            for _, successor, data in graph.out_edges(node, data=True):
                if solid and data.get("stroke") not in _SOLID:
                    continue
                if successor not in seen:
                    seen.add(successor)
                    frontier.append(successor)
        return seen

    def _mentioned(self, ctx: RuleContext, kinds: tuple[str, ...]) -> bool:
        own = [k for k in kinds if self.problem.kind(k) is not None]
        core = [k for k in kinds if self.problem.kind(k) is None]
        if core and ctx.text_mentions(*core):
            return True
        if own:
            vocabulary = problem_vocabulary(self.problem)
            texts = [e.text for e in ctx.diagram.edges if e.label] + [s.text for s in ctx.diagram.subgraphs]
            texts += [n.text for n in ctx.diagram.nodes if ctx.kinds.get(n.id, frozenset()) & _STATEMENT_KINDS]
            return any(m.kind in own for text in texts for m in vocabulary.read(text).counted)
        return False

    # -- the checks -------------------------------------------------------------------
    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        check = self.spec.check
        result = getattr(self, f"_check_{check.type}")(ctx, check)
        if result is not None:
            detail, nodes = result
            hint = f"; {self.spec.hint}" if self.spec.hint else ""
            yield self.finding(ctx, f"{self.spec.summary}: {detail}{hint}", nodes=nodes)

    def _check_present(self, ctx: RuleContext, check: "ProblemCheck"):
        if self.nodes(ctx, check.kinds) or (check.mentions and self._mentioned(ctx, check.kinds)):
            return None
        return f"no {_labels(check.kinds, self.problem)} anywhere in the diagram", ()

    def _check_order(self, ctx: RuleContext, check: "ProblemCheck"):
        frontier = self.nodes(ctx, check.steps[0])
        if not frontier:
            return f"no {_labels(check.steps[0], self.problem)}", ()
        for previous, step in zip(check.steps, check.steps[1:]):
            candidates = self.nodes(ctx, step)
            if not candidates:
                return f"no {_labels(step, self.problem)} after the {_labels(previous, self.problem)}", frontier[:3]
            reached = self._after(ctx, frontier, check.solid)
            following = [n for n in candidates if n in reached]
            if not following:
                arrows = "over solid arrows" if check.solid else "by any path"
                return (f"the {_labels(previous, self.problem)} {quote_nodes(ctx, frontier)} does not lead "
                        f"{arrows} to a {_labels(step, self.problem)} ({quote_nodes(ctx, candidates)} is not "
                        "reached)", candidates[:3])
            frontier = following
        return None

    def _check_feeds_all(self, ctx: RuleContext, check: "ProblemCheck"):
        targets = self.nodes(ctx, check.into)
        if not targets:  # nothing to feed (another rule says so); are the sources there at all?
            absent = [group for group in check.sources if not self.nodes(ctx, group)]
            if not absent:
                return None
            return (f"no {'; no '.join(_labels(group, self.problem) for group in absent)} "
                    f"(and no {_labels(check.into, self.problem)} for it to feed)", ())
        missing = []
        for group in check.sources:
            sources = self.nodes(ctx, group)
            if not sources or not (self._after(ctx, sources, check.solid) & set(targets)):
                missing.append((group, sources))
        if not missing:
            return None
        parts = []
        for group, sources in missing:
            label = _labels(group, self.problem)
            parts.append(f"no {label}" if not sources else f"the {label} {quote_nodes(ctx, sources)} does not")
        entries = set(ctx.nodes_of("client"))
        shown = [n for n in targets if n not in entries] + [n for n in targets if n in entries]
        return (f"{'; '.join(parts)} feed{'s' if len(parts) == 1 and not missing[0][1] else ''} the "
                f"{_labels(check.into, self.problem)} {quote_nodes(ctx, shown)}", shown[:3])

    def _check_reaches(self, ctx: RuleContext, check: "ProblemCheck"):
        sources = self.nodes(ctx, check.from_)
        targets = self.nodes(ctx, check.to)
        if not sources:
            return f"no {_labels(check.from_, self.problem)}", ()
        if not targets:
            return f"no {_labels(check.to, self.problem)} for the {_labels(check.from_, self.problem)} to reach", \
                sources[:3]
        if self._after(ctx, sources, check.solid) & set(targets):
            return None
        return (f"nothing leads from the {_labels(check.from_, self.problem)} {quote_nodes(ctx, sources)} to the "
                f"{_labels(check.to, self.problem)} {quote_nodes(ctx, targets)}", sources[:3])


def _doc(spec: "ProblemRuleSpec", problem: "Problem") -> str:
    return (f"{spec.summary}.\n\n## What it checks\n{spec.what}\n\n## Why it matters\n{spec.why}\n\n"
            f"## Fails\n```mermaid\n{spec.fails.rstrip()}\n```\n\n"
            f"## Passes\n```mermaid\n{spec.passes.rstrip()}\n```\n\n"
            f"Problem: {problem.title} (`--problem {problem.name}`).")


@lru_cache(maxsize=32)
def _rules_of(problem: "Problem") -> tuple[type[ProblemRule], ...]:
    made = []
    for spec in problem.rules:
        rule = type(f"Problem_{spec.code}", (ProblemRule,), {
            "__doc__": _doc(spec, problem), "code": spec.code, "name": spec.name,
            "severity": Severity(spec.severity), "stage": spec.stage, "problem": problem, "spec": spec,
        })
        made.append(rule)
    return tuple(made)


def rules_for(name: str | None, templates: str | None = None) -> list[type[Rule]]:
    """The rule classes of the named problem (none for no problem)."""
    if not name:
        return []
    from whiteboard.problems import load_problem

    return list(_rules_of(load_problem(name, templates)))


__all__ = ["ProblemRule", "kind_label", "problem_kinds", "problem_vocabulary", "rules_for"]
