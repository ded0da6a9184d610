"""Stage 2, metrics (WB2xx): how success is measured before and after launch."""

from __future__ import annotations

from typing import Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity
from whiteboard.rules.kinds import METRICS


class NoMetrics(Rule):
    """No metrics: neither offline metrics, online metrics nor guardrails appear anywhere.

    ## What it checks
    Some node, edge label or box names a metric: offline (NDCG, recall@k, AUC,
    precision), online (CTR, conversion, watch time, revenue) or a guardrail (latency
    p99, fairness, cost per prediction).

    ## Why it matters
    Interviewers at staff level want the gap between offline and online metrics named
    ("NDCG up offline does not always mean CTR up online"). A design without metrics has
    no way to say it works, or to choose between two models.

    ## Fails
    ```mermaid
    flowchart LR
      Train[Model training] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Metrics[Metrics: offline NDCG@10, online CTR] -.-> Train[Model training]
      Train --> Serve[Model serving]
    ```
    """

    code = "WB201"
    name = "metrics.missing"
    severity = Severity.WARNING
    stage = "metrics"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.nodes_of(*METRICS) or ctx.text_mentions(*METRICS):
            return
        yield self.finding(ctx, "No metrics: name the offline metrics (e.g. NDCG, AUC), the online metrics "
                                "(e.g. CTR, conversion) and the guardrails (latency p99, cost)")


RULES = [NoMetrics]
