"""Stage 7, monitoring (WB7xx): what happens after deployment, and the loops back."""

from __future__ import annotations

from typing import Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity, quote_nodes
from whiteboard.rules.kinds import DATA_STAGE, PROCESSING, PRODUCTION, ROLLOUT, serving_nodes


class NoMonitoring(Rule):
    """No monitoring component.

    ## What it checks
    Some node monitors the system: drift detection (PSI, KL divergence), model quality
    alerts, dashboards, Prometheus/Grafana/Datadog, an observability service.

    ## Why it matters
    "Skipping monitoring is the most common L5 mistake" (the seed). A staff answer says how
    degradation is detected before users notice.

    ## Fails
    ```mermaid
    flowchart LR
      Client[Client app] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Client[Client app] --> Serve[Model serving]
      Serve -.->|predictions| Mon[Drift monitoring: PSI]
    ```
    """

    code = "WB701"
    name = "monitoring.missing"
    severity = Severity.ERROR
    stage = "monitoring"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not ctx.nodes_of("monitoring"):
            yield self.finding(ctx, "No monitoring: add drift detection (PSI, KL divergence), model quality "
                                    "alerts and dashboards fed by the serving logs")


class ServingNotMonitored(Rule):
    """Serving output never reaches monitoring: predictions and logs are not monitored.

    ## What it checks
    A path (dotted edges count) from a serving component to a monitoring node, directly or
    through prediction logs.

    ## Why it matters
    A monitor that sees no predictions cannot detect drift or quality decay; the logged
    predictions are also the raw material of the feedback loop.

    ## Fails
    ```mermaid
    flowchart LR
      Client[Client app] --> Serve[Model serving]
      Mon[Drift monitoring]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Client[Client app] --> Serve[Model serving]
      Serve -.->|prediction log| Mon[Drift monitoring]
    ```
    """

    code = "WB702"
    name = "monitoring.not-fed"
    severity = Severity.WARNING
    stage = "monitoring"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        serving, monitors = serving_nodes(ctx), ctx.nodes_of("monitoring")
        if serving and monitors and not ctx.flows_into(serving, monitors):
            yield self.finding(ctx, f"Serving {quote_nodes(ctx, serving)} never reaches monitoring "
                                    f"{quote_nodes(ctx, monitors)}: log predictions to the monitor",
                               nodes=serving[:1])


class NoFeedbackLoop(Rule):
    """No feedback edge from production back to data (the data flywheel).

    ## What it checks
    A path (dotted edges count) from production (serving, its prediction or event logs,
    monitoring, the client's logged events) back to the data side (sources, ingestion,
    pipelines, storage, labels). Labels that arrive only from outside, with no logged
    predictions or events, do not close the loop.

    ## Why it matters
    Better model -> more engagement -> more data -> better model: the flywheel is a staff
    signal, and without it the model only ever learns from the past.

    ## Fails
    ```mermaid
    flowchart LR
      Events[User events] --> Train[Model training] --> Serve[Model serving]
      Client[Client app] --> Serve
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Events[User events] --> Train[Model training] --> Serve[Model serving]
      Client[Client app] --> Serve
      Serve -.->|impressions, clicks| Events
    ```
    """

    code = "WB703"
    name = "monitoring.no-feedback"
    severity = Severity.WARNING
    stage = "monitoring"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        data_side = set(ctx.nodes_of(*DATA_STAGE)) | set(ctx.nodes_of(*PROCESSING))
        production = [n for n in ctx.nodes_of(*PRODUCTION) if n not in data_side]
        listed = set(production)  # membership in the list itself would be quadratic
        production += [n for n in serving_nodes(ctx) if n not in listed and n not in data_side]
        if not production:
            return  # nothing runs in production yet: WB601/WB701 say so
        if ctx.flows_into(production, data_side):
            return
        yield self.finding(ctx, "No feedback loop: nothing from production (serving, prediction logs, "
                                "monitoring) flows back to the data (events, labels, storage)",
                           nodes=production[:1])


class NoRetrainTrigger(Rule):
    """No retraining trigger: nothing from monitoring reaches training.

    ## What it checks
    When the diagram has training, a path (dotted edges count) from a monitoring node or a
    retraining trigger to training.

    ## Why it matters
    Drift detection that does not lead to retraining is an alarm nobody answers; the seed's
    skeleton draws `Monitoring -.->|Retrain trigger| Model`.

    ## Fails
    ```mermaid
    flowchart LR
      Train[Model training] --> Serve[Model serving] -.-> Mon[Drift monitoring]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Train[Model training] --> Serve[Model serving] -.-> Mon[Drift monitoring]
      Mon -.->|retrain trigger| Train
    ```
    """

    code = "WB704"
    name = "monitoring.no-retrain"
    severity = Severity.WARNING
    stage = "monitoring"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        training = ctx.nodes_of("training")
        if not training:
            return
        triggers = ctx.nodes_of("monitoring", "retrain_trigger")
        if triggers and ctx.flows_into(triggers, training):
            return
        where = triggers[0] if triggers else None
        yield self.finding(ctx, f"No retraining trigger: nothing from monitoring reaches training "
                                f"{quote_nodes(ctx, training)}", nodes=[where] if where else training[:1])


class NoSafeRollout(Rule):
    """No safe rollout: no A/B test, canary, shadow mode or rollback anywhere.

    ## What it checks
    Some node, edge label or box mentions an A/B test or experiment, a canary, shadow
    mode, blue-green, a feature flag or a rollback.

    ## Why it matters
    A new model is a risk until it has been compared with the old one on live traffic; the
    seed lists A/B testing and rollback strategy under monitoring.

    ## Fails
    ```mermaid
    flowchart LR
      Reg[(Model registry)] -->|deploy| Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Reg[(Model registry)] -->|canary 5%| Serve[Model serving]
    ```
    """

    code = "WB705"
    name = "monitoring.no-rollout"
    severity = Severity.WARNING
    stage = "monitoring"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.nodes_of(*ROLLOUT) or ctx.text_mentions(*ROLLOUT):
            return
        yield self.finding(ctx, "No safe rollout: say how a new model is released (A/B test, canary, "
                                "shadow mode) and rolled back")


RULES = [NoMonitoring, ServingNotMonitored, NoFeedbackLoop, NoRetrainTrigger, NoSafeRollout]
