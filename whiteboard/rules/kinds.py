"""Groups of component kinds the rules reason about (kind names: templates/vocabulary.toml)."""

from __future__ import annotations

# Nodes that answer requests: the serving layer and the models inside it.
SERVING = frozenset({"serving", "ranking", "reranking", "candidate_retrieval", "batch_prediction"})
# Where a pipeline lands: storage and the stores built on it.
STORAGE = frozenset({"storage", "offline_store", "feature_store"})
PROCESSING = frozenset({"ingestion", "batch_processing", "stream_processing", "feature_pipeline"})
DATA_STAGE = frozenset({"data_source", "ingestion", "batch_processing", "stream_processing",
                        "data_validation", "storage", "labels"})
FEATURE_STORES = frozenset({"feature_store", "offline_store", "online_store"})
MODEL_STAGE = frozenset({"training", "baseline", "evaluation", "registry", "model"})
MONITORING = frozenset({"monitoring"})
ROLLOUT = frozenset({"ab_testing", "safe_rollout"})
METRICS = frozenset({"offline_metrics", "online_metrics", "guardrail_metrics"})
# Production: what runs after deployment, whose logs can flow back to data.
PRODUCTION = SERVING | {"client", "feedback_log", "monitoring", "cache", "model"}


def serving_nodes(ctx) -> list[str]:
    """Serving components, plus model boxes on the request path (the model *is* served)."""
    found = ctx.nodes_of(*SERVING)
    clients = set(ctx.nodes_of("client"))
    for node_id in ctx.nodes_of("model"):
        if node_id in found or node_id not in ctx.graph:
            continue
        neighbours = set(ctx.graph.predecessors(node_id)) | set(ctx.graph.successors(node_id))
        # A model box a request reaches over solid links answers that request.
        if neighbours & (clients | set(found)) or node_id in ctx.request_region:
            found.append(node_id)
    return found
