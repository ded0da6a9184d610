"""Stage 6, serving (WB6xx): how requests get answers."""

from __future__ import annotations

import re
from typing import Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity, quote_nodes
from whiteboard.rules.kinds import serving_nodes


class NoServing(Rule):
    """No serving component.

    ## What it checks
    Some node serves predictions: a model server or prediction service (Triton,
    TorchServe, KServe, an endpoint), a retrieval/ranking/re-ranking service, batch
    prediction, or a model box a client calls directly.

    ## Why it matters
    Serving is where system design and ML meet: latency, batch versus online inference,
    caching, GPU cost. The seed gives it as many minutes as the model.

    ## Fails
    ```mermaid
    flowchart LR
      Data[(S3 data lake)] --> Train[Model training]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Train[Model training] --> Serve[Model serving]
    ```
    """

    code = "WB601"
    name = "serving.missing"
    severity = Severity.ERROR
    stage = "serving"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not serving_nodes(ctx):
            yield self.finding(ctx, "No serving component: show how predictions reach users (a prediction "
                                    "service, batch predictions, or a ranking service)")


class ServingUnreachable(Rule):
    """Serving is not reachable from a client or request entry point.

    ## What it checks
    A path from a client or entry node (user, app, API gateway, an incoming request or
    event) to a serving component.

    ## Why it matters
    The request path is what the latency budget is summed over; without an entry point
    there is no path to hold against the SLA.

    ## Fails
    ```mermaid
    flowchart LR
      Train[Model training] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Client[Mobile app] --> Serve[Model serving]
      Train[Model training] --> Serve
    ```
    """

    code = "WB602"
    name = "serving.unreachable"
    severity = Severity.WARNING
    stage = "serving"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        serving = serving_nodes(ctx)
        if not serving:
            return
        clients = ctx.nodes_of("client")
        if not clients:
            yield self.finding(ctx, f"Serving {quote_nodes(ctx, serving)} has no client or entry point: draw "
                                    "who sends requests (user, app, API gateway)", nodes=serving[:1])
        elif not ctx.reaches(clients, serving):
            yield self.finding(ctx, f"No request path from {quote_nodes(ctx, clients)} to serving "
                                    f"{quote_nodes(ctx, serving)}", nodes=serving[:1])


# WB603: what makes a node a batch *job* (something that runs) rather than the store of its
# results, and what makes an edge a request (not a log, a deploy or a cadence).
_JOB_WORDS = re.compile(
    r"\b(?:jobs?|cron|spark|pyspark|airflow|dataflow|emr|databricks|dags?|runs?)\b"
    r"|\b(?:nightly|daily|hourly|weekly)\b.*\b(?:inference|scoring)\b", re.IGNORECASE | re.DOTALL)
_STORE_WORDS = re.compile(
    r"\b(?:stores?|tables?|cache[sd]?|caching|look-?ups?|kv|key[- ]value|db|database|redis|dynamo\w*|bigtable|"
    r"cassandra|memcached|index(?:es)?|pre-?computed|results|reads?|served)\b", re.IGNORECASE)
_NOT_A_REQUEST = re.compile(
    r"\b(?:async(?:hronous(?:ly)?)?|fire[- ]and[- ]forget|background|non[- ]blocking|logs?|logging|logged|events?|"
    r"feedback|re-?train(?:ing|s)?|deploy(?:s|ed|ment)?|offline|nightly|daily|hourly|weekly|backfill|"
    r"schedule[ds]?|trigger(?:s|ed)?|batch\s+(?:job|load|upload|export)|mirror(?:ed|ing)?|shadow(?:ed|ing)?|"
    r"replay|writes?|publish(?:es)?|emits?|artifacts?|weights)\b", re.IGNORECASE)
_STORE_KINDS = frozenset({"cache", "online_store", "storage", "feature_store", "offline_store"})
_REQUEST_KINDS = frozenset({"client", "serving", "ranking", "reranking"})  # nodes that handle a request
_OFFLINE_KINDS = frozenset({"training", "registry", "evaluation", "batch_processing", "batch_prediction",
                            "stream_processing", "ingestion", "data_source", "storage", "offline_store",
                            "feature_pipeline", "monitoring", "feedback_log", "retrain_trigger", "labels"})
_STREAM_KINDS = frozenset({"stream_processing", "ingestion"})


class PatternMismatch(Rule):
    """The serving pattern drawn does not fit its latency: a request waits on a batch or stream job.

    ## What it checks
    The seed's serving patterns (batch, online, near-real-time, streaming) against the
    latency the diagram asks for, on the graph. Two mismatches, each only on solid links
    (dotted links and async, log, deploy or cadence edges never count):

    - **A request waits on a batch job.** With an SLA under 1 s (or, without an SLA, a
      request path annotated only in milliseconds), a request-handling node has a solid
      edge *into* a batch job. Request handlers: a client or gateway, a serving or
      ranking box, an unclassified hop a client reaches (an API), any node on the
      critical path. Batch jobs: a batch-prediction box named a job or given a cadence
      (`Nightly batch scoring job`, `Spark batch inference job`, `Daily batch
      inference`), or a batch-processing job (Spark, Airflow) whose output comes
      straight back to the caller or a client. A bare `Batch predictions` or `Batch
      inference` box may be the results as well as the job: it is left alone.
    - **A request waits on a stream job.** With an SLA of 100 ms or less, a node whose
      label is a stream job (its first named component is Flink, Kafka Streams,
      Kafka...) sits on the critical request path (`Kafka consumer + model`, `Flink
      scoring job`).

    Reading precomputed results is the batch pattern and passes: the batch job writes a
    prediction store or cache and the request path looks that up (a box that names a
    store, table, cache, Redis, an index or precomputed results is a store, not a job).
    So does the streaming pattern for features: Flink writes an online store that the
    scorer reads, with Kafka and Flink off the request path. Training boxes are left
    alone (a `Serving --> Training` arrow is the feedback loop far more often than a
    request), and so are model boxes (`Item tower --> Batch embedding job` is the model
    the job runs).

    ## Why it matters
    The seed's Serving Architecture Comparison: batch prediction has latency "N/A
    (precomputed)", is hours stale and fits email recommendations and daily reports. A
    nightly job cannot answer a 200 ms request; the store it filled can (serving-tradeoffs:
    batch is a "<5 ms lookup" from DynamoDB/Redis). Streaming is continuous, not per
    request: its output belongs in an online store (or an alert stream) that the scorer
    reads. A synchronous request that waits on a stream job waits on the stream's lag,
    which no per-request budget bounds. Near-real-time micro-batch (minutes of latency,
    1-60 min fresh, the reading of serving-tradeoffs.md) also ends in a prediction store.

    ## Fails
    ```mermaid
    flowchart LR
      Req[Requirements: p99 < 200ms]
      User([Mobile app]) --> API[Recommendation API]
      API --> Batch[Nightly batch scoring job]
      Batch --> API
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Req[Requirements: p99 < 200ms]
      Batch[Nightly batch scoring job] --> Cache[(Redis: precomputed recommendations)]
      User([Mobile app]) -->|10ms| API[Recommendation API]
      API -->|5ms| Cache
    ```
    """

    code = "WB603"
    name = "serving.pattern-mismatch"
    severity = Severity.WARNING
    stage = "serving"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not ctx.diagram.edges:
            return
        report = ctx.latency
        sla_ms = report.sla.ms if report.sla is not None else None
        yield from self._batch(ctx, sla_ms)
        if sla_ms is not None and sla_ms <= 100 + 1e-9:
            yield from self._stream(ctx, sla_ms)

    # -- a request waiting on a batch job ----------------------------------------------

    def _batch(self, ctx: RuleContext, sla_ms: float | None) -> Iterator[Finding]:
        if sla_ms is not None:
            if sla_ms >= 1000:
                return
            budget = f"the {_ms(sla_ms)} SLA"
        else:
            path_ms = _path_in_ms(ctx)
            if path_ms is None:
                return
            budget = f"a request path annotated in milliseconds ({_ms(path_ms)}) and no SLA"
        handlers = _request_handlers(ctx)
        by_id = _nodes_by_id(ctx)
        clients = set(ctx.nodes_of("client"))
        solid = [e for e in ctx.diagram.edges if e.stroke in ("normal", "thick") and e.source != e.target]
        answers: dict[str, set[str]] = {}  # node -> where its solid, request-like edges go
        for e in solid:
            if not _NOT_A_REQUEST.search(e.text):
                answers.setdefault(e.source, set()).add(e.target)
        reported: set[str] = set()
        for edge in solid:
            source, target = edge.source, edge.target
            if target in reported or _NOT_A_REQUEST.search(edge.text) or source not in handlers:
                continue
            kind = _batch_job(ctx, by_id, target)
            if kind is None:
                continue
            back = answers.get(target, set())
            if kind == "batch_processing" and source not in back and not back & clients:
                continue  # a Spark/ETL box fed by serving: logs on their way, unless it answers back
            reported.add(target)
            yield self.finding(
                ctx, f"The request path waits on a batch job: {_quote(by_id, source)} calls "
                     f"{_quote(by_id, target)} under {budget}. A batch job runs on a schedule and its "
                     "predictions are precomputed (hours stale): let it write a prediction store or cache "
                     "and have the request path look the result up in milliseconds",
                nodes=(target, source), line=by_id[target].line, column=by_id[target].column)

    # -- a request waiting on a stream job ---------------------------------------------

    def _stream(self, ctx: RuleContext, sla_ms: float) -> Iterator[Finding]:
        path = ctx.latency.path.critical_path
        by_id = _nodes_by_id(ctx)
        seen: set[str] = set()
        for node_id in path[1:]:
            if node_id in seen:
                continue
            seen.add(node_id)
            kinds = ctx.kinds.get(node_id, frozenset())
            if not kinds & _STREAM_KINDS or kinds & (_STORE_KINDS | {"client"}):
                continue
            if node_id not in by_id or _head_kind(ctx, by_id, node_id) not in _STREAM_KINDS:
                continue  # "Fraud scorer: features from Flink" names Flink, but is a scorer
            yield self.finding(
                ctx, f"A stream job is on the critical request path under the {_ms(sla_ms)} SLA: "
                     f"{_quote(by_id, node_id)} (path {' -> '.join(_dedupe(path))}). Streaming is "
                     "continuous, not per request: read its results from an online store",
                nodes=(node_id,), line=by_id[node_id].line, column=by_id[node_id].column)


def _ms(value: float) -> str:
    return f"{value:g} ms"


def _dedupe(path: list[str]) -> list[str]:
    return [node for k, node in enumerate(path) if k == 0 or node != path[k - 1]]


def _path_in_ms(ctx: RuleContext) -> float | None:
    """Without an SLA: the critical path's known sum, when every latency on it is under a second."""
    values = [a.annotation.value_ms for a in ctx.latency.annotations
              if a.on_path and a.annotation.kind == "latency" and a.annotation.readable
              and a.annotation.value_ms is not None]
    if not values or max(values) >= 1000:
        return None
    known = ctx.latency.path.known_ms
    return known if 0 < known < 1000 else None


def _request_handlers(ctx: RuleContext) -> set[str]:
    """Nodes that handle a request: clients, gateways and servers, and the unclassified hops
    (an API, a rules engine) a client reaches over solid request edges, plus the critical path
    and the serving nodes of ``ctx.request_region``.

    The walk passes model boxes (API -> model -> post-processing) but a model box is not a
    handler itself: its edge into a batch job is the artifact the job scores with.
    """
    cached = ctx.extra.get("wb603_handlers")
    if cached is not None:
        return cached
    out: dict[str, list] = {}
    for edge in ctx.diagram.edges:
        if edge.stroke in ("normal", "thick") and not _NOT_A_REQUEST.search(edge.text):
            out.setdefault(edge.source, []).append(edge.target)

    def passable(node_id: str) -> bool:
        kinds = ctx.kinds.get(node_id, frozenset())
        return bool(kinds & _REQUEST_KINDS) or not kinds or kinds <= {"model", "baseline"}

    seen = {n for n in ctx.nodes_of("client")}
    frontier = list(seen)
    while frontier:
        node = frontier.pop()
        for successor in out.get(node, ()):
            if successor not in seen and passable(successor):
                seen.add(successor)
                frontier.append(successor)
    seen |= {n for n in ctx.request_region if ctx.kinds.get(n, frozenset()) & _REQUEST_KINDS}
    handlers = {n for n in seen | set(ctx.latency.path.critical_path) if _may_handle(ctx, n)}
    ctx.extra["wb603_handlers"] = handlers
    return handlers


def _may_handle(ctx: RuleContext, node_id: str) -> bool:
    kinds = ctx.kinds.get(node_id, frozenset())
    if kinds & _REQUEST_KINDS:
        return True
    return not kinds & (_OFFLINE_KINDS | _STORE_KINDS | {"model", "baseline", "candidate_retrieval"})


def _nodes_by_id(ctx: RuleContext) -> dict:
    """Node by id, built once (Diagram.node() is a scan)."""
    cached = ctx.extra.get("wb603_nodes")
    if cached is None:
        cached = ctx.extra["wb603_nodes"] = {node.id: node for node in ctx.diagram.nodes}
    return cached


def _quote(by_id: dict, node_id: str) -> str:
    """quote_nodes() for one node, without its scan of the diagram."""
    node = by_id.get(node_id)
    text = " ".join(node.text.split()) if node is not None else node_id
    return f"'{node_id}'" if text == node_id else f"'{node_id}' ({text[:40]})"


def _batch_job(ctx: RuleContext, by_id: dict, node_id: str) -> str | None:
    """'batch_prediction' or 'batch_processing' when the node reads as a batch job, not a store."""
    kinds = ctx.kinds.get(node_id, frozenset())
    if not kinds & {"batch_prediction", "batch_processing"} or kinds & (_STORE_KINDS | _REQUEST_KINDS):
        return None
    if node_id not in by_id:
        return None
    text = by_id[node_id].text
    if _STORE_WORDS.search(text) or _head_kind(ctx, by_id, node_id) not in ("batch_prediction", "batch_processing"):
        return None
    if "batch_prediction" in kinds:
        return "batch_prediction" if _JOB_WORDS.search(text) else None
    return "batch_processing"


def _head_kind(ctx: RuleContext, by_id: dict, node_id: str) -> str | None:
    """The kind of the first component a label names ("Flink scoring job" -> stream_processing)."""
    node = by_id.get(node_id)
    if node is None:
        return None
    if ctx.vocabulary is None:
        from whiteboard.vocabulary import load_vocabulary

        ctx.vocabulary = load_vocabulary()
    matches = [m for m in ctx.vocabulary.match(node.text) if m.kind in ctx.kinds.get(node_id, frozenset())]
    return min(matches, key=lambda m: (m.start, -m.end)).kind if matches else None


RULES = [NoServing, ServingUnreachable, PatternMismatch]
