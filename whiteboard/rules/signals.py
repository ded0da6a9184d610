"""Staff-level signals (WB951-WB955): the seed's five "L6+ Differentiation Signals".

One detector per signal, in staff_signals(ctx): problem ownership, organisational
constraints, the data flywheel, build vs buy, multi-objective thinking. Each returns
whether the diagram shows the signal and its evidence (node ids, or ``A->B`` for an edge
label). The linter puts the list in Contract 2 (``"signals"``) and the text report's
"signals: N of 5" line; each rule below yields an INFO finding when its signal is *not*
shown, saying how to show it. Detectors look at boxes and edge labels only.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity
from whiteboard.rules.kinds import DATA_STAGE, PROCESSING, SERVING, serving_nodes

# The five signals, in the seed's order: key, label for reports, rule code.
SIGNALS: tuple[tuple[str, str, str], ...] = (
    ("problem_ownership", "problem ownership", "WB951"),
    ("org_constraints", "organisational constraints", "WB952"),
    ("data_flywheel", "data flywheel", "WB953"),
    ("build_vs_buy", "build vs buy", "WB954"),
    ("multi_objective", "multi-objective", "WB955"),
)
SIGNAL_LABELS = {key: label for key, label, _ in SIGNALS}


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


_BUSINESS = _words(r"revenue", r"engagement", r"retention", r"conversions?", r"business (?:goal|metric|objective)s?",
                   r"success\s*(?:=|:|is|means|metric)", r"north[- ]star(?: metric)?", r"goal\s*[:=]", r"churn",
                   r"GMV", r"watch[- ]time", r"CTR", r"ARPU", r"losses", r"(?:sales|bookings)",
                   r"user satisfaction", r"KPIs?")
_ORG = _words(r"team(?: size)?\s*(?:of\s*)?[:=]?\s*\d+", r"\d+\s*(?:engineers|people|MLEs|SWEs|person team|-person team)",
              r"small team", r"team size", r"on-?call", r"pager(?:duty)?", r"compliance", r"compliant",
              r"regulat(?:ion|ions|ory|ed)", r"legal", r"GDPR", r"HIPAA", r"PCI(?:[- ]DSS)?", r"DSA", r"CCPA", r"COPPA",
              r"SOC ?2", r"ISO 26262", r"data residency", r"legacy(?: system)?", r"migrat(?:e|ion|ing)",
              r"cross-team", r"other teams?", r"owned by [\w ]+team", r"team dependenc(?:y|ies)",
              r"cost (?:budget|cap|ceiling|limit)", r"budget\s*[:=]?\s*\$\s*\d[\d,.]*\s*[kKmM]?",
              r"\$\s*\d[\d,.]*\s*[kKmM]?\s*/\s*(?:mo|month|yr|year)")
_MANAGED = _words(r"SageMaker(?: \w+)?", r"Vertex(?: AI)?", r"Bedrock", r"OpenAI(?: API)?", r"Azure OpenAI", r"Azure ML",
                  r"Anthropic(?: API)?", r"Cohere(?: \w+)?", r"Pinecone", r"Tecton", r"Databricks", r"Algolia",
                  r"managed", r"vendor", r"buy", r"SaaS", r"third[- ]party", r"off[- ]the[- ]shelf",
                  r"hosted API", r"embedding API")
_CUSTOM = _words(r"custom", r"in[- ]house", r"home[- ]?grown", r"our own", r"proprietary", r"bespoke",
                 r"self[- ]hosted", r"fine[- ]tuned", r"build\s*:", r"\(build\)", r"we build")  # not "index build"
_BUILD_VS_BUY = _words(r"build\s*(?:vs\.?|versus|or|/)\s*buy", r"buy\s*(?:vs\.?|versus|or|/)\s*build")
_MULTI = _words(r"multi[- ]?(?:task|objective|head|goal)s?", r"pareto(?: \w+)?", r"constrained(?: optimi[sz]ation)?",
                r"trade-?offs?", r"weighted (?:sum|blend|combination)", r"blend(?:ed|ing)?", r"MMoE", r"scalari[sz]ation")
# Objectives a ranker may name; two or more in one box is multi-objective thinking.
_OBJECTIVES = {
    "watch time": r"watch[- ]time", "satisfaction": r"satisfaction", "relevance": r"relevan(?:ce|cy)",
    "diversity": r"divers(?:e|ity)", "fairness": r"fair(?:ness)?", "accuracy": r"accuracy",
    "quality": r"quality", "engagement": r"engagement", "clicks": r"clicks?|CTR", "conversion": r"conversions?|CVR",
    "revenue": r"revenue|GMV", "retention": r"retention", "freshness": r"freshness", "novelty": r"novelty",
    "safety": r"safety|integrity", "likes": r"likes?", "shares": r"shares?", "dwell": r"dwell(?: time)?",
    "completion": r"completions?",
}
_OBJECTIVE_RES = {name: _words(pattern) for name, pattern in _OBJECTIVES.items()}
_RERANK_RULES = _words(r"divers(?:e|ity|ification)", r"fairness", r"business rules?", r"MMR", r"policy(?: layer)?",
                       r"constraints?", r"quotas?", r"caps?", r"dedup(?:e|lication)?", r"boosts?")
_OBJECTIVE_NODE = _words(r"objectives?", r"loss", r"reward", r"optimi[sz]e[sd]?", r"optimi[sz]ing")
_OBJECTIVE_KINDS = ("ranking", "reranking", "model", "training", "serving", "candidate_retrieval")


def _elements(ctx: RuleContext) -> list[tuple[str, str]]:
    """(evidence id, text) for every box and every labelled edge, in the file's order."""
    found = [(node.id, " ".join(node.text.split())) for node in ctx.diagram.nodes]
    found += [(f"{edge.source}->{edge.target}", " ".join(edge.text.split()))
              for edge in ctx.diagram.edges if edge.label]
    return found


def _problem_ownership(ctx: RuleContext) -> list[str]:
    return [node_id for node_id in ctx.nodes_of("requirements")
            if _BUSINESS.search(ctx.node(node_id).text)]


def _org_constraints(ctx: RuleContext) -> list[str]:
    return [where for where, text in _elements(ctx) if _ORG.search(text)]


def _data_flywheel(ctx: RuleContext) -> list[str]:
    """A closed path serving -> logged events/labels/data -> training -> the same serving node.

    The loop may leave through the client or gateway whose requests the node serves (the
    users' clicks, thumbs-up/down). Which serving nodes close a loop is decided first, in
    linear time (_loop_closers); the path is then traced for the first of them only.
    """
    serving = serving_nodes(ctx)
    serving_set = set(serving)
    data = [n for n in ctx.nodes_of(*DATA_STAGE, *PROCESSING, "feedback_log") if n not in serving_set]
    data_set = set(data)
    training = [n for n in ctx.nodes_of("training", "retrain_trigger") if n not in data_set]
    trainer_set = set(training)
    upstream = [n for n in ctx.nodes_of("client", *SERVING) if n not in trainer_set and n not in data_set]
    closers = _loop_closers(ctx, upstream, data_set, trainer_set)
    for served in serving:
        if served not in closers or served in trainer_set:
            continue
        into = ctx.reaching([served])
        trainers = [t for t in training if t in into]
        feeding = ctx.reaching(trainers)
        data_ok = [n for n in data if n in feeding]
        to_data = ctx.reaching(data_ok)
        # What was served, or the feedback of the users it was served to (a client or
        # a gateway whose requests reach it), flows into the data.
        starts = [served] + [n for n in upstream if n != served and n in into]
        for start in starts:
            following = list(ctx.graph.successors(start))
            if not any(n in to_data for n in following):
                continue
            first = ctx.path_between(following, data_ok)
            second = ctx.path_between([first[-1]], trainers) if first else None
            third = ctx.path_between([second[-1]], [served]) if second else None
            if first and second and third:
                return [start, *first, *second[1:], *third[1:]]
    return []


def _loop_closers(ctx: RuleContext, upstream: list[str], data: set[str], trainers: set[str]) -> set[str]:
    """Nodes a walk reaches over a data node and then a trainer, starting with an edge out
    of a client or serving node (``upstream``), or out of the node itself.

    The first kind: one walk over (node, phase) pairs, the phase counting the waypoints
    passed. The second: the walk is a cycle, so the node, a data node and a trainer share a
    strongly connected component. Both linear, where trying each serving node is not.
    """
    import networkx

    graph = ctx.graph
    seen: tuple[set[str], set[str], set[str]] = (set(), set(), set())
    frontier: list[tuple[str, int]] = []

    def enter(node: str, phase: int) -> None:
        if phase == 0 and node in data:
            phase = 1
        elif phase == 1 and node in trainers:
            phase = 2
        if node not in seen[phase]:
            seen[phase].add(node)
            frontier.append((node, phase))

    for start in upstream:
        if start in graph:
            for node in graph.successors(start):
                enter(node, 0)
    while frontier:
        node, phase = frontier.pop()
        for following in graph.successors(node):
            enter(following, phase)
    closers = set(seen[2])
    for component in networkx.strongly_connected_components(graph):
        if not component.isdisjoint(data) and not component.isdisjoint(trainers):
            closers |= component
    return closers


def _build_vs_buy(ctx: RuleContext) -> list[str]:
    elements = _elements(ctx)
    both = [where for where, text in elements if _BUILD_VS_BUY.search(text)]
    if both:
        return both
    managed = [where for where, text in elements if _MANAGED.search(text)]
    custom = [where for where, text in elements if _CUSTOM.search(text) and not _MANAGED.search(text)]
    # One box naming both ("vendor OCR vs in-house model") shows the decision too.
    mixed = [where for where, text in elements if _MANAGED.search(text) and _CUSTOM.search(text)]
    if managed and (custom or mixed):
        return list(dict.fromkeys([*managed[:2], *(custom or mixed)[:2]]))
    return []


def _multi_objective(ctx: RuleContext) -> list[str]:
    candidates = set(ctx.nodes_of(*_OBJECTIVE_KINDS))
    found = []
    for node in ctx.diagram.nodes:
        text = " ".join(node.text.split())
        kinds = ctx.kinds.get(node.id, frozenset())
        if node.id not in candidates and not _OBJECTIVE_NODE.search(text):
            continue
        named = [name for name, pattern in _OBJECTIVE_RES.items() if pattern.search(text)]
        if (len(named) >= 2 or _MULTI.search(text)
                or ("reranking" in kinds and _RERANK_RULES.search(text))):
            found.append(node.id)
    return found


_DETECTORS = {"problem_ownership": _problem_ownership, "org_constraints": _org_constraints,
              "data_flywheel": _data_flywheel, "build_vs_buy": _build_vs_buy, "multi_objective": _multi_objective}


def staff_signals(ctx: RuleContext) -> list[dict[str, Any]]:
    """The five signals, each {"signal", "shown", "evidence"}; computed once per diagram."""
    cached = ctx.extra.get("staff_signals")
    if cached is None:
        cached = []
        for key, _, _ in SIGNALS:
            evidence = _DETECTORS[key](ctx)
            cached.append({"signal": key, "shown": bool(evidence), "evidence": list(evidence)})
        ctx.extra["staff_signals"] = cached
    return [dict(signal, evidence=list(signal["evidence"])) for signal in cached]


def signal_line(signals: list[dict[str, Any]]) -> str:
    """'signals: 3 of 5 (problem ownership, data flywheel, multi-objective)'."""
    shown = [SIGNAL_LABELS.get(s["signal"], s["signal"]) for s in signals if s.get("shown")]
    return f"signals: {len(shown)} of {len(signals)}" + (f" ({', '.join(shown)})" if shown else "")


class _SignalRule(Rule):
    """Base of the signal rules: an INFO finding when the signal is not shown.

    ## What it checks
    ## Why it matters
    ## Fails
    ## Passes
    """

    code = "WB950"
    name = "signals.base"
    severity = Severity.INFO
    stage = "requirements"
    signal = ""
    advice = ""

    def place(self, ctx: RuleContext) -> str | None:
        return None

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        signal = next(s for s in staff_signals(ctx) if s["signal"] == self.signal)
        if not signal["shown"]:
            yield self.finding(ctx, f"Staff signal not shown: {self.advice}", at=self.place(ctx))


class ProblemOwnership(_SignalRule):
    """Staff signal not shown: no requirements box states the business goal.

    ## What it checks
    A requirements box that states a business metric or goal (revenue, engagement,
    retention, conversion, watch time, churn, "business goal", "success =", "north star"),
    not only an SLA and a QPS figure.

    ## Why it matters
    "An L6+ candidate owns the problem definition" (the seed): "What business metric are we
    optimizing? What does success look like?" A latency SLA alone is the interviewer's
    problem restated; the business goal is the candidate owning it.

    ## Fails
    ```mermaid
    flowchart LR
      Req[Requirements: p99 under 200ms, 50K QPS] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Req[Requirements: business goal = 30-day retention; p99 under 200ms] --> Serve[Model serving]
    ```
    """

    code = "WB951"
    name = "signals.problem-ownership"
    stage = "requirements"
    signal = "problem_ownership"
    advice = ("no requirements box states the business goal; write what success means in it (e.g. 'success = "
              "30-day retention +2%', revenue, engagement, conversion), not only the SLA")

    def place(self, ctx: RuleContext) -> str | None:
        return next(iter(ctx.nodes_of("requirements")), None)


class OrgConstraints(_SignalRule):
    """Staff signal not shown: no organisational constraint on the board.

    ## What it checks
    A box or an edge label naming an organisational constraint: team size, on-call,
    compliance or regulation (GDPR, HIPAA, PCI, DSA, SOC 2, ISO 26262), a migration from
    a legacy system, cross-team dependencies, a cost budget. A latency budget is not one.

    ## Why it matters
    "Real systems live inside organizations" (the seed): can this team maintain a custom
    model, who carries the pager, what must compliance sign off, how do we get off the
    legacy system. Staff answers say so.

    ## Fails
    ```mermaid
    flowchart LR
      Req[Requirements: p99 under 200ms, latency budget 200ms] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Req[Requirements: p99 under 200ms; team of 4, GDPR; migrate from legacy rules engine] --> Serve[Model serving]
    ```
    """

    code = "WB952"
    name = "signals.org-constraints"
    stage = "requirements"
    signal = "org_constraints"
    advice = ("no organisational constraint on the board; name one in the requirements (team size, on-call, "
              "GDPR/HIPAA/PCI compliance, migration from the legacy system, cross-team data owners, cost budget)")

    def place(self, ctx: RuleContext) -> str | None:
        return next(iter(ctx.nodes_of("requirements")), None)


class DataFlywheel(_SignalRule):
    """Staff signal not shown: no data flywheel (serving -> logged data -> training -> serving).

    ## What it checks
    A closed path (dotted edges count): from a serving component to logged events,
    feedback logs, labels or other data, from there into training, and from training back
    to the same serving component. A retrain trigger from monitoring alone, with no data
    on the loop, is not a flywheel.

    ## Why it matters
    "Better model -> more engagement -> more data -> better model" (the seed): showing the
    whole cycle, and how to speed it up (implicit feedback, exploration, active learning),
    is a staff signal.

    ## Fails
    ```mermaid
    flowchart LR
      Client[Client app] --> Serve[Model serving]
      Serve -.-> Mon[Drift monitoring] -.->|retrain trigger| Train[Model training]
      Train --> Serve
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Client[Client app] --> Serve[Model serving]
      Serve -.->|impressions, clicks| Logs[(Impression log)] --> Labels[Implicit labels]
      Labels --> Train[Model training] --> Serve
    ```
    """

    code = "WB953"
    name = "signals.data-flywheel"
    stage = "data"
    signal = "data_flywheel"
    advice = ("no data flywheel: no closed path serving -> logged events -> labels/data -> training -> serving; "
              "log what was served and the feedback, turn it into labels and feed training")

    def place(self, ctx: RuleContext) -> str | None:
        return next(iter(serving_nodes(ctx)), None)


class BuildVsBuy(_SignalRule):
    """Staff signal not shown: no build-vs-buy decision (a managed service beside a custom one).

    ## What it checks
    A managed or bought service (SageMaker, Vertex AI, Bedrock, the OpenAI API, Pinecone,
    Tecton, Databricks, "managed", "vendor", "SaaS") named on the same board as a custom
    one ("custom", "in-house", "fine-tuned", "build"), or a box or label saying
    "build vs buy".

    ## Why it matters
    "Not everything should be custom" (the seed): buy where it is a commodity (embedding
    APIs, feature stores, serving platforms), build where it is the competitive advantage,
    and know the total cost of ownership. Naming both shows the decision was made.

    ## Fails
    ```mermaid
    flowchart LR
      Client[Client app] --> Serve[SageMaker endpoint] --> FS[Tecton feature store]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Client[Client app] --> Serve[SageMaker endpoint] --> Ranker[Custom in-house ranker]
      Serve --> FS[Tecton feature store: buy]
    ```
    """

    code = "WB954"
    name = "signals.build-vs-buy"
    stage = "serving"
    signal = "build_vs_buy"
    advice = ("no build-vs-buy decision: name a managed service (SageMaker, Vertex AI, Pinecone, an embedding API) "
              "beside the parts you build in-house, or label the choice 'build vs buy'")

    def place(self, ctx: RuleContext) -> str | None:
        return next(iter(serving_nodes(ctx)), None)


class MultiObjective(_SignalRule):
    """Staff signal not shown: no multi-objective ranking (two objectives, or a constraint/re-rank stage).

    ## What it checks
    A ranker, model or objective box naming two or more objectives ("watch time +
    satisfaction", "relevance AND diversity"), or saying multi-task, multi-objective,
    Pareto, constrained or a weighted blend; or a re-rank stage applying diversity,
    fairness or business rules.

    ## Why it matters
    "Real systems optimize multiple objectives simultaneously" (the seed): relevance and
    diversity, accuracy and fairness, quality and latency, and a staff answer says how the
    conflicts are resolved (Pareto, constraints, multi-task learning, business-rule
    post-processing).

    ## Fails
    ```mermaid
    flowchart LR
      Client[Client app] --> Ranker[Ranking model: optimise CTR]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Client[Client app] --> Ranker[Multi-task ranker: watch time + satisfaction]
      Ranker --> Rerank[Re-rank: diversity and business rules]
    ```
    """

    code = "WB955"
    name = "signals.multi-objective"
    stage = "model"
    signal = "multi_objective"
    advice = ("no multi-objective thinking: name the objectives the ranker trades off (e.g. 'watch time + "
              "satisfaction', multi-task, Pareto) or add a re-rank stage for diversity, fairness or business rules")

    def place(self, ctx: RuleContext) -> str | None:
        return next(iter(ctx.nodes_of("ranking", "reranking") or serving_nodes(ctx)), None)


RULES = (ProblemOwnership, OrgConstraints, DataFlywheel, BuildVsBuy, MultiObjective)

__all__ = ["RULES", "SIGNALS", "SIGNAL_LABELS", "signal_line", "staff_signals"]
