"""Anti-patterns (WB9xx): the three answers the seed warns against, seen on the diagram."""

from __future__ import annotations

import re
from typing import Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity
from whiteboard.rules.kinds import DATA_STAGE, FEATURE_STORES, MODEL_STAGE, PROCESSING, ROLLOUT, serving_nodes

_FRESHNESS = re.compile(r"\b(fresh(ness)?|stale(ness)?|real[- ]?time|hourly|daily|TTL|latency of data|backfill)\b",
                        re.IGNORECASE)


def _has_pipeline(ctx: RuleContext) -> bool:
    return bool(ctx.nodes_of(*PROCESSING) or ctx.nodes_of("storage", "data_source"))


def _model_detail(ctx: RuleContext) -> list[str]:
    """Evidence that the model part is detailed: a model subgraph, or several model nodes."""
    model_nodes = ctx.nodes_of(*MODEL_STAGE)
    evidence = []
    for subgraph in ctx.diagram.subgraphs:
        members = [n for n in subgraph.nodes if n in model_nodes]
        if len(members) >= 2 or (members and re.search(r"\bmodel|architecture|network|tower|transformer\b",
                                                        subgraph.text, re.IGNORECASE)):
            evidence.append(f"the model subgraph '{subgraph.title or subgraph.id}'")
            break
    architecture = ctx.nodes_of("model")
    if len(architecture) >= 2 or len(model_nodes) >= 3:
        evidence.append(f"{len(model_nodes)} model nodes")
    return evidence


class ModelFirst(Rule):
    """Anti-pattern: model-first thinking (the model is detailed, data/serving/monitoring are thin).

    ## What it checks
    The model part is detailed (a model subgraph, or several nodes describing the
    architecture) while at least three of data pipeline, feature store, serving and
    monitoring are missing.

    ## Why it matters
    The seed's novice spends 70% of the time on the architecture and none on serving. The
    expert spends the first ten minutes on requirements, metrics and data, and gives serving
    and monitoring equal time.

    ## Fails
    ```mermaid
    flowchart LR
      subgraph Model [Model architecture]
        Emb[Embedding layer] --> Tower[Two-tower model] --> Head[Transformer head]
      end
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Events[User events] --> ETL[Spark ETL] --> Lake[(S3 data lake)] --> Train[Model training]
      Train --> Serve[Model serving] -.-> Mon[Drift monitoring]
      Client[Client app] --> Serve
    ```
    """

    code = "WB901"
    name = "antipattern.model-first"
    severity = Severity.WARNING
    stage = "model"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        evidence = _model_detail(ctx)
        if not evidence:
            return
        thin = [name for name, present in (
            ("data pipeline", _has_pipeline(ctx)),
            ("feature store", bool(ctx.nodes_of(*FEATURE_STORES))),
            ("serving", bool(serving_nodes(ctx))),
            ("monitoring", bool(ctx.nodes_of("monitoring"))),
        ) if not present]
        if len(thin) >= 3:
            yield self.finding(ctx, f"Model-first: {' and '.join(evidence)} but no {', no '.join(thin)}; "
                                    "spend the first minutes on requirements, metrics and data",
                               nodes=ctx.nodes_of(*MODEL_STAGE)[:3])


class IgnoringTheData(Rule):
    """Anti-pattern: ignoring the data (no labels, no quality checks, no freshness, no pipeline).

    ## What it checks
    Nowhere in the diagram: labels, a data quality or validation check, data freshness,
    or a data pipeline.

    ## Why it matters
    "Assumes clean, labelled data exists at scale" is the seed's novice. Asking where
    labels come from, what they cost, and how stale data gets is what the data stage is
    for.

    ## Fails
    ```mermaid
    flowchart LR
      Train[Model training] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Events[User events] --> Kafka[[Kafka]] --> Lake[(S3 data lake)] --> Train[Model training]
      Train --> Serve[Model serving]
    ```
    """

    code = "WB902"
    name = "antipattern.ignoring-data"
    severity = Severity.WARNING
    stage = "data"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        texts = [node.text for node in ctx.diagram.nodes] + [edge.text for edge in ctx.diagram.edges]
        if (ctx.nodes_of("labels") or ctx.text_mentions("labels") or ctx.nodes_of("data_validation")
                or _has_pipeline(ctx) or ctx.nodes_of(*DATA_STAGE)
                or any(_FRESHNESS.search(text) for text in texts)):
            return
        yield self.finding(ctx, "Ignoring the data: no labels, no data quality check, no freshness and no "
                                "data pipeline anywhere")


class NoMonitoringStory(Rule):
    """Anti-pattern: no monitoring story (no monitoring, no feedback, no safe rollout).

    ## What it checks
    All three are absent: a monitoring component, a feedback path to data or training, and
    any A/B test, canary, shadow or rollback.

    ## Why it matters
    "The design ends at the serving layer" is the seed's novice: nothing says how
    degradation is detected, how to roll back, or how the model improves over time.

    ## Fails
    ```mermaid
    flowchart LR
      Train[Model training] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Train[Model training] --> Serve[Model serving] -.-> Mon[Drift monitoring]
      Mon -.->|retrain trigger| Train
    ```
    """

    code = "WB903"
    name = "antipattern.no-monitoring-story"
    severity = Severity.WARNING
    stage = "monitoring"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.nodes_of("monitoring") or ctx.nodes_of(*ROLLOUT) or ctx.text_mentions(*ROLLOUT):
            return
        data_or_training = set(ctx.nodes_of(*DATA_STAGE)) | set(ctx.nodes_of("training"))
        serving = serving_nodes(ctx)
        if ctx.flows_into(serving, data_or_training):
            return
        yield self.finding(ctx, "No monitoring story: the design ends at serving: no monitoring, no "
                                "feedback to data or training, no A/B test, canary or rollback",
                           nodes=serving[:1])


RULES = [ModelFirst, IgnoringTheData, NoMonitoringStory]
