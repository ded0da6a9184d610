"""Stage 4, features (WB4xx): the feature store and its two faces."""

from __future__ import annotations

from typing import Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity, quote_nodes
from whiteboard.rules.kinds import FEATURE_STORES, serving_nodes


class NoFeatureStore(Rule):
    """No feature store.

    ## What it checks
    Some node is a feature store: an offline store, an online store, or a named product
    (Feast, Tecton, a Redis or DynamoDB online store).

    ## Why it matters
    Where features are computed and how the same definitions reach training and serving
    is the classic source of training/serving skew; the plan gives it minutes 15-20.

    ## Fails
    ```mermaid
    flowchart LR
      Lake[(S3 data lake)] --> Train[Model training]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Lake[(S3 data lake)] --> FS[(Feature store)] --> Train[Model training]
    ```
    """

    code = "WB401"
    name = "features.no-store"
    severity = Severity.WARNING
    stage = "features"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not ctx.nodes_of(*FEATURE_STORES):
            yield self.finding(ctx, "No feature store: show where features live for training (offline store) "
                                    "and for low-latency lookups at serving time (online store)")


class FeatureStoreNotSplit(Rule):
    """The feature store is not split into an offline (training) and an online (serving) store.

    ## What it checks
    When a feature store is drawn, both an offline store (batch, for training) and an
    online store (low-latency lookups, for serving) appear.

    ## Why it matters
    The two stores have different latency, freshness and cost; naming both shows how
    point-in-time correct training data and millisecond lookups coexist.

    ## Fails
    ```mermaid
    flowchart LR
      FS[(Feature store)] --> Train[Model training]
      FS --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Off[(Offline store)] --> Train[Model training]
      On[(Online store: Redis)] --> Serve[Model serving]
    ```
    """

    code = "WB402"
    name = "features.not-split"
    severity = Severity.WARNING
    stage = "features"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        stores = ctx.nodes_of(*FEATURE_STORES)
        if not stores:
            return
        offline, online = ctx.nodes_of("offline_store"), ctx.nodes_of("online_store")
        if offline and online:
            return
        missing = "an online store (for serving)" if offline else (
            "an offline store (for training)" if online else "an offline store and an online store")
        yield self.finding(ctx, f"The feature store {quote_nodes(ctx, stores)} is not split: add {missing}",
                           nodes=stores)


class StoresNotWired(Rule):
    """The offline store does not feed training, or the online store does not feed serving.

    ## What it checks
    A path (dotted edges count) from each offline store to training, and an edge either
    way between each online store and a serving component or a step of the request path
    (lookups are often drawn from the server, or a feature-assembly step, to the store).

    ## Why it matters
    A store nobody reads is decoration. The wiring is what shows the same features reach
    both training and serving.

    ## Fails
    ```mermaid
    flowchart LR
      Off[(Offline store)]
      On[(Online store)]
      Train[Model training] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Off[(Offline store)] --> Train[Model training] --> Serve[Model serving]
      Serve -->|lookup| On[(Online store)]
    ```
    """

    code = "WB403"
    name = "features.not-wired"
    severity = Severity.WARNING
    stage = "features"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        training = ctx.nodes_of("training")
        serving = serving_nodes(ctx)
        # One backward walk from training and one from serving answer every store's
        # "does it reach them" (a walk per store is quadratic on a big diagram).
        feeds_training = ctx.reaching(training) if training else set()
        training_set = set(training)
        for store in ctx.nodes_of("offline_store"):
            if training and not (store in feeds_training or ctx.adjacent([store], training_set)):
                yield self.finding(ctx, f"The offline store {quote_nodes(ctx, [store])} does not feed "
                                        f"training {quote_nodes(ctx, training)}", nodes=[store])
        feeds_serving = ctx.reaching(serving) if serving else set()
        serving_set = set(serving)
        region = ctx.request_region
        for store in ctx.nodes_of("online_store"):
            # Read by serving directly, or looked up on the request path (a feature
            # assembly step between the gateway and the model reads it for serving).
            on_request_path = store in region or ctx.adjacent([store], region)
            if serving and not (on_request_path or ctx.adjacent([store], serving_set) or store in feeds_serving):
                yield self.finding(ctx, f"The online store {quote_nodes(ctx, [store])} does not feed "
                                        f"serving {quote_nodes(ctx, serving)}", nodes=[store])


RULES = [NoFeatureStore, FeatureStoreNotSplit, StoresNotWired]
