"""Stage 6, serving (WB6xx): how requests get answers."""

from __future__ import annotations

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


RULES = [NoServing, ServingUnreachable]
