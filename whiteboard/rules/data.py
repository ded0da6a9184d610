"""Stage 3, data (WB3xx): where training data comes from and how it flows."""

from __future__ import annotations

from typing import Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity, quote_nodes
from whiteboard.rules.kinds import PROCESSING, STORAGE


class NoDataSource(Rule):
    """No data source: nothing says where the data comes from.

    ## What it checks
    Some node is a data source: event logs, clickstream, transactions, uploads, an OLTP
    database, sensors.

    ## Why it matters
    The data stage is what separates senior from staff answers. Junior candidates assume
    clean labelled data exists; a strong answer starts from the events the product
    already produces.

    ## Fails
    ```mermaid
    flowchart LR
      Lake[(S3 data lake)] --> Train[Model training]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Events[User events] --> Lake[(S3 data lake)] --> Train[Model training]
    ```
    """

    code = "WB301"
    name = "data.no-source"
    severity = Severity.ERROR
    stage = "data"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not ctx.nodes_of("data_source"):
            yield self.finding(ctx, "No data source: show where the data comes from (event logs, "
                                    "transactions, uploads, an OLTP database)")


class NoDataPipeline(Rule):
    """No data pipeline path from sources through ETL or stream processing to storage.

    ## What it checks
    A path (dotted edges count) from a data source through a processing step (an
    ingestion stream such as Kafka, a batch ETL job such as Spark, a stream job such as
    Flink) to storage (a data lake, warehouse or feature store, or any node drawn as a
    database, such as a RAG pipeline's vector index).

    ## Why it matters
    "Sources -> ETL -> store" is the first diagram the 45-minute plan asks for (minutes
    8-15). Without the processing step nothing explains freshness, validation or cost.

    ## Fails
    ```mermaid
    flowchart LR
      Events[User events] --> Lake[(S3 data lake)]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Events[User events] --> Kafka[[Kafka]] --> ETL[Spark ETL] --> Lake[(S3 data lake)]
    ```
    """

    code = "WB302"
    name = "data.no-pipeline"
    severity = Severity.WARNING
    stage = "data"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        sources = ctx.nodes_of("data_source")
        processing = ctx.nodes_of(*PROCESSING)
        # Storage by kind, or by drawing: a pipeline that lands in a database-shaped node
        # (a RAG pipeline's vector or BM25 index) has landed in storage.
        storage = ctx.nodes_of(*STORAGE) + [node.id for node in ctx.diagram.nodes if node.shape == "cylinder"]
        if not sources:
            yield self.finding(ctx, "No data pipeline: there is no data source to start one from "
                                    "(sources -> ETL or stream processing -> storage)")
            return
        downstream, upstream = ctx.reachable_from(sources), ctx.reaching(storage)
        if any(step in downstream and step in upstream for step in processing):
            return
        if not processing:
            reason = "there is no processing step (ETL, Kafka, Spark, Flink)"
        elif not storage:
            reason = "there is no storage to land in (data lake, warehouse, feature store)"
        else:
            reason = f"no path leads from {quote_nodes(ctx, sources)} through processing to storage"
        yield self.finding(ctx, f"No data pipeline from source to storage: {reason}", nodes=sources[:1])


class NoLabels(Rule):
    """No labels: nowhere says where the training labels come from.

    ## What it checks
    Some node or edge label names labels: human labelling or annotation, weak supervision,
    implicit feedback (clicks, watch time), delayed outcomes such as chargebacks.

    ## Why it matters
    "Where do labels come from, what do they cost, how late are they?" is the question
    that exposes an answer that assumes clean data. The seed's "ignoring the data"
    anti-pattern is detected by the word 'label' never appearing.

    ## Fails
    ```mermaid
    flowchart LR
      Events[User events] --> Train[Model training]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Events[User events] -->|clicks as implicit labels| Train[Model training]
    ```
    """

    code = "WB303"
    name = "data.no-labels"
    severity = Severity.WARNING
    stage = "data"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.nodes_of("labels") or ctx.text_mentions("labels"):
            return
        yield self.finding(ctx, "No labels: say where labels come from (human annotation, implicit "
                                "feedback such as clicks, delayed outcomes such as chargebacks)")


RULES = [NoDataSource, NoDataPipeline, NoLabels]
