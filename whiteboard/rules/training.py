"""Stage 5, model (WB5xx): training, a baseline, and the way to production."""

from __future__ import annotations

from typing import Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity, quote_nodes
from whiteboard.rules.kinds import serving_nodes


class NoTraining(Rule):
    """No model training component.

    ## What it checks
    Some node is a training step: a training pipeline, trainer, fine-tuning job, a
    Kubeflow/SageMaker/Vertex training job.

    ## Why it matters
    A model that is never trained again cannot follow the data; the training pipeline is
    where cadence, data volume and distribution shift are discussed.

    ## Fails
    ```mermaid
    flowchart LR
      Model[Two-tower model] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Train[Model training] --> Serve[Model serving]
    ```
    """

    code = "WB501"
    name = "training.missing"
    severity = Severity.ERROR
    stage = "model"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not ctx.nodes_of("training"):
            yield self.finding(ctx, "No model training: show the training pipeline that produces the model "
                                    "(how often it runs, on what data)")


class NoBaseline(Rule):
    """No baseline model named.

    ## What it checks
    Some node or edge label names a baseline: logistic regression, XGBoost/GBDT, a
    heuristic, popularity, or the word baseline itself.

    ## Why it matters
    The seed's expert answer names a simple baseline first and argues for complexity only
    when its limits are clear. Jumping straight to a transformer is the model-first
    anti-pattern.

    ## Fails
    ```mermaid
    flowchart LR
      Train[Transformer training] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Base[Baseline: logistic regression] -.-> Train[Transformer training] --> Serve[Model serving]
    ```
    """

    code = "WB502"
    name = "training.no-baseline"
    severity = Severity.WARNING
    stage = "model"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.nodes_of("baseline") or ctx.text_mentions("baseline"):
            return
        yield self.finding(ctx, "No baseline model: name a simple one first (logistic regression, GBDT, "
                                "popularity) and say why the production model beats it")


class TrainingNotDeployed(Rule):
    """No path from training to serving (deploy, registry).

    ## What it checks
    A path (dotted edges count) from a training node to a serving component, usually
    through a model registry or a deploy step.

    ## Why it matters
    How a trained model reaches production (registry, validation gate, deploy) is where
    versioning, rollback and reproducibility live.

    ## Fails
    ```mermaid
    flowchart LR
      Train[Model training] --> Reg[(Model registry)]
      Client[Client app] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Train[Model training] --> Reg[(Model registry)] -->|deploy| Serve[Model serving]
      Client[Client app] --> Serve
    ```
    """

    code = "WB503"
    name = "training.not-deployed"
    severity = Severity.WARNING
    stage = "model"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        training, serving = ctx.nodes_of("training"), serving_nodes(ctx)
        # flows_into: a node read as both (a 'matrix factorization' trainer) must still
        # have its model leave it for serving.
        if training and serving and not ctx.flows_into(training, serving):
            yield self.finding(ctx, f"Training {quote_nodes(ctx, training)} never reaches serving "
                                    f"{quote_nodes(ctx, serving)}: draw the deploy path (registry -> serving)",
                               nodes=training)


RULES = [NoTraining, NoBaseline, TrainingNotDeployed]
