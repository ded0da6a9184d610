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
    cached = ctx.extra.get("serving_nodes")
    if cached is not None:
        return list(cached)
    found = ctx.nodes_of(*SERVING)
    found_set = set(found)
    answering = set(ctx.nodes_of("client")) | found_set
    for node_id in ctx.nodes_of("model"):
        if node_id in found_set or node_id not in ctx.graph:
            continue
        # A model box next to a client or a server, or that a request reaches over solid
        # links, answers that request.
        if (node_id in ctx.request_region or any(n in answering for n in ctx.graph.predecessors(node_id))
                or any(n in answering for n in ctx.graph.successors(node_id))):
            found.append(node_id)
            found_set.add(node_id)
    ctx.extra["serving_nodes"] = tuple(found)
    return list(found)
