"""Roles: the component kinds of each node, and why.

Expected kinds are written by hand from the domain (DOMAIN.md §3.0: what each box in an
ML design is) for diagrams written out in the tests; none is computed by the code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from whiteboard import parse
from whiteboard.errors import WhiteboardError
from whiteboard.roles import (
    KINDS,
    STAGES,
    Evidence,
    assign_roles,
    class_name,
    explain_node,
    nodes_with,
    stage_of,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def roles_of(source: str):
    return assign_roles(parse(source))


def kinds_of(source: str) -> dict[str, set[str]]:
    return {node_id: set(role.kinds) for node_id, role in roles_of(source).items()}


# -- the catalogue for other modules ------------------------------------------------------

def test_kinds_and_stages_are_exported_in_order():
    assert STAGES == ("requirements", "metrics", "data", "features", "model", "serving", "monitoring")
    assert len(KINDS) == 32
    assert KINDS[0] == "requirements" and KINDS[-1] == "retrain_trigger"
    assert stage_of("online_store") == "features"
    assert stage_of("feedback_log") == "monitoring"
    assert stage_of("client") == "serving"
    with pytest.raises(ValueError, match="did you mean 'online_store'"):
        stage_of("online_stor")


@pytest.mark.parametrize("written, name", [
    ("online_store", "online_store"), ("online-store", "online_store"), ("onlineStore", "online_store"),
    ("OnlineStore", "online_store"), ("ABTesting", "ab_testing"), ("feature store", "feature_store"),
])
def test_class_names_in_any_case_style(written, name):
    assert class_name(written) == name


# -- precedence: class > label > subgraph -------------------------------------------------

PRECEDENCE = """flowchart LR
  subgraph M [Monitoring]
    A[Kafka]:::online_store
    B[Kafka]
    C[Service X]
  end
"""


def test_a_class_decides_then_the_label_then_the_subgraph():
    roles = roles_of(PRECEDENCE)
    assert roles["A"].kinds == {"online_store"}   # the class, not the word Kafka nor the title
    assert roles["B"].kinds == {"ingestion"}      # the label: a subgraph title does not override it
    assert roles["C"].kinds == {"monitoring"}     # the label names nothing: the subgraph title


def test_the_evidence_says_where_each_kind_came_from():
    roles = roles_of(PRECEDENCE)
    assert roles["A"].evidence == (Evidence("online_store", "class", "online_store", "class :::online_store"),)
    assert roles["B"].evidence == (Evidence("ingestion", "vocabulary", "Kafka", "the word 'Kafka' in its label"),)
    assert roles["C"].evidence == (Evidence("monitoring", "subgraph", "Monitoring", "in subgraph 'Monitoring'"),)


def test_class_statements_and_class_name_styles():
    found = kinds_of("""flowchart LR
  A[Thing one] --> B[Thing two] --> C[Thing three] --> D[Kafka]
  class A,B serving
  C:::online-store
  D:::featureStore
  E[Plain]:::hot
""")
    assert found == {"A": {"serving"}, "B": {"serving"}, "C": {"online_store"}, "D": {"feature_store"},
                     "E": set()}


def test_a_class_named_after_a_stage_keeps_the_label_kinds_of_that_stage():
    found = kinds_of("""flowchart LR
  M["Success: watch time, retention"]:::metrics
  X["Kafka + Redis"]:::data
  Y[Something]:::data
""")
    # in a metrics box the objective names are metrics
    assert found["M"] == {"online_metrics"}
    # Redis (a cache) is not data; Kafka is
    assert found["X"] == {"ingestion"}
    # nothing in the label: the data stage's general kind
    assert found["Y"] == {"batch_processing"}


# -- subgraphs ----------------------------------------------------------------------------

def test_nested_subgraphs_innermost_first():
    found = kinds_of("""flowchart LR
  subgraph Out [Monitoring]
    subgraph In [Feature store]
      T[Thing]
    end
    subgraph Region [Region us-east-1]
      U[Thing two]
    end
    V[Thing three]
  end
""")
    assert found == {"T": {"feature_store"}, "U": {"monitoring"}, "V": {"monitoring"}}


def test_a_stage_title_gives_its_general_kind_only_to_nodes_that_name_none():
    found = kinds_of("""flowchart LR
  subgraph D [Data pipeline]
    S[Sessionize]
    E[(Event logs)]
    V{Data validation}
  end
  subgraph P [Perception]
    T[Kalman + Hungarian]
  end
  subgraph O [Offline]
    Q[Something offline]
  end
""")
    # "Data pipeline" does not make every member a data source
    assert found["S"] == {"batch_processing"}
    assert found["E"] == {"data_source"}
    assert found["V"] == {"data_validation"}
    assert found["T"] == {"model"}
    assert found["Q"] == set()  # "Offline" names no stage


def test_a_negated_label_gets_nothing_from_its_subgraph():
    found = kinds_of("""flowchart LR
  subgraph M [Monitoring]
    Q[TODO: monitoring]
  end
  subgraph S [Serving]
    N[No cache]
  end
""")
    assert found == {"Q": set(), "N": set()}


def test_a_label_that_is_only_a_stage_name():
    found = kinds_of("""flowchart TD
  M[Metrics] --> D[3. Data] --> F[Features]
""")
    assert found == {"M": {"offline_metrics"}, "D": {"batch_processing"}, "F": {"feature_store"}}


# -- context words: Redis and friends -----------------------------------------------------

REDIS = """flowchart LR
  R1[Redis] --> Rank[Ranking service]
  Rank --> R2[Redis]
  R3[Redis]
  R4[Redis] -.-> M[Model]
  R5[Redis] ~~~ Rank
  R6[Redis cache] --> Rank
  R7[Redis online store]
  subgraph FS [Feature store]
    R8[Redis]
    H[Hive]
  end
  H2[(Hive)]
"""


def test_redis_is_an_online_store_when_it_feeds_serving_or_sits_in_a_feature_store():
    found = kinds_of(REDIS)
    assert found["R1"] == {"online_store"}   # feeds the ranker
    assert found["R2"] == {"cache"}          # the ranker writes to it
    assert found["R3"] == {"cache"}          # on its own
    assert found["R4"] == {"online_store"}   # a dotted edge is an edge
    assert found["R5"] == {"cache"}          # `~~~` only places nodes
    assert found["R6"] == {"cache"}          # the label says cache
    assert found["R7"] == {"online_store"}   # the label says online store
    assert found["R8"] == {"online_store"}   # inside a feature store
    assert found["H"] == {"offline_store"}   # Hive inside a feature store is its offline side
    assert found["H2"] == {"storage"}        # Hive elsewhere is storage


def test_context_evidence_names_the_context():
    roles = roles_of(REDIS)
    assert roles["R1"].evidence == (Evidence(
        "online_store", "context", "Redis",
        "'Redis' in its label counts as online_store here: it feeds the ranking node 'Ranking service'"),)
    assert roles["R8"].evidence == (Evidence(
        "online_store", "context", "Redis",
        "'Redis' in its label counts as online_store here: subgraph 'Feature store'"),)
    assert roles["R3"].evidence == (Evidence("cache", "vocabulary", "Redis", "the word 'Redis' in its label"),)


def test_the_label_itself_can_be_the_context():
    found = kinds_of("""flowchart LR
  FE[real-time features, Flink + Redis]
  M["Metrics: watch time, diversity"]
  RR[Re-ranking: diversity, business rules]
  DR["Ranking model (watch time + engagement)"]
  H["Multi-task heads: CTR, watch time"]
""")
    assert found["FE"] == {"feature_pipeline", "stream_processing", "online_store"}
    assert found["M"] == {"online_metrics", "guardrail_metrics"}
    assert found["RR"] == {"reranking"}      # diversity as a re-ranking step, not a metric
    assert found["DR"] == {"ranking", "model"}
    assert found["H"] == {"model"}           # a head's objectives are not a metrics box


# -- several kinds, weak kinds ------------------------------------------------------------

def test_a_node_may_have_several_kinds():
    found = kinds_of("""flowchart LR
  D[Drift detection + retrain trigger]
  AB[A/B testing + canary]
  T[Two-tower training]
""")
    assert found == {"D": {"monitoring", "retrain_trigger"}, "AB": {"ab_testing", "safe_rollout"},
                     "T": {"model", "training"}}


def test_client_words_inside_other_boxes_do_not_make_a_client():
    found = kinds_of("""flowchart LR
  TT[two-tower, user + video tower, HNSW ANN]
  R["Requirements: 10M users, 5K QPS"]
  U([Users])
  S[Sensors]
""")
    assert found["TT"] == {"model", "candidate_retrieval"}
    assert found["R"] == {"requirements"}
    assert found["U"] == {"client"}
    assert found["S"] == {"client", "data_source"}  # perception's entry point is also a data source


def test_client_words_yield_to_the_subgraph_a_node_is_drawn_in():
    found = kinds_of("""flowchart LR
  subgraph M [Model architecture]
    I[User inputs]
  end
  subgraph D [Data sources]
    A[Mobile app]
  end
  subgraph S [Serving]
    C[Mobile app]
  end
  subgraph O [Offline]
    U[User]
  end
""")
    assert found["I"] == {"model"}         # the model's input, not the request entry point
    assert found["A"] == {"data_source"}   # where events come from
    assert found["C"] == {"client"}
    assert found["U"] == {"client"}         # "Offline" names no stage: nothing to yield to


def test_every_node_gets_roles_even_a_bare_id():
    roles = roles_of("flowchart LR\n  Kafka --> X\n")
    assert list(roles) == ["Kafka", "X"]
    assert roles["Kafka"].kinds == {"ingestion"}
    assert roles["X"].kinds == frozenset() and roles["X"].evidence == ()


def test_nodes_with():
    roles = roles_of(PRECEDENCE)
    assert nodes_with(roles, "ingestion", "monitoring") == ["B", "C"]


# -- a realistic diagram ------------------------------------------------------------------

def test_the_recsys_example_node_by_node():
    diagram = parse((EXAMPLES / "recsys.mmd").read_text(encoding="utf-8"))
    found = {node_id: set(role.kinds) for node_id, role in assign_roles(diagram).items()}
    assert found == {
        "Req": {"requirements"},                                   # :::requirements
        "Met": {"offline_metrics", "online_metrics", "guardrail_metrics"},  # NDCG; watch time, CTR; p99 latency
        "Events": {"data_source", "feedback_log"},                 # impression + click logs
        "Kafka": {"ingestion"},
        "Flink": {"stream_processing"},
        "Lake": {"storage"},                                       # S3 data lake
        "Validate": {"data_validation"},
        "Labels": {"labels"},
        "Offline": {"offline_store"},
        "Online": {"online_store"},                                # "Online store: Redis", not a cache
        "Baseline": {"baseline"},                                  # popularity + LR, though in "Training"
        "Train": {"model", "training"},                            # two-tower training
        "Registry": {"registry"},                                  # MLflow, though in "Training"
        "Items": {"model", "batch_processing"},                    # item tower, batch embeddings
        "Explore": {"serving"},                                    # in "Serving", no kind of its own
        "Client": {"client"},                                      # mobile app, though in "Serving"
        "GW": {"client"},                                          # API gateway
        "Retrieval": {"candidate_retrieval"},                      # ANN / FAISS
        "Ranker": {"ranking", "model"},
        "Rerank": {"reranking"},                                   # diversity, business rules
        "Drift": {"monitoring"},                                   # PSI
        "AB": {"ab_testing", "safe_rollout"},                      # A/B testing + canary
        "Dash": {"monitoring"},
    }


def test_the_seed_framework_diagram_covers_all_seven_stages():
    # the seed's own skeleton (DOMAIN.md §1.1): one box per stage, each listing components
    source = r"""flowchart TD
R[1. Requirements\n- Business goal\n- Users and scale\n- Latency/throughput SLA\n- Constraints] --> M[2. Metrics\n- Offline: precision, recall, NDCG\n- Online: CTR, conversion, revenue\n- Guardrails: latency p99, fairness]
M --> D[3. Data\n- Sources and collection\n- Labeling strategy\n- Pipeline: ETL, validation\n- Freshness and staleness]
D --> F[4. Features\n- Engineering and transforms\n- Feature store architecture\n- Online vs offline features\n- Freshness requirements]
F --> Mo[5. Model\n- Architecture selection\n- Training pipeline\n- Iteration strategy\n- Baseline and ablation]
Mo --> S[6. Serving\n- Batch vs online vs streaming\n- Caching and precomputation\n- Scaling and cost\n- Canary and shadow mode]
S --> Mon[7. Monitoring\n- Data drift detection\n- Model degradation alerts\n- A/B testing framework\n- Rollback strategy\n- Feedback loops]
Mon -.->|Feedback loop| D
Mon -.->|Retrain trigger| Mo
"""
    found = kinds_of(source)
    assert found["R"] == {"requirements"}
    assert found["M"] == {"offline_metrics", "online_metrics", "guardrail_metrics"}
    assert found["D"] == {"data_source", "labels", "batch_processing", "data_validation"}
    assert found["F"] == {"feature_pipeline", "feature_store", "online_store", "offline_store"}
    assert found["Mo"] == {"model", "training", "baseline", "evaluation"}
    assert found["S"] == {"serving", "cache", "batch_prediction", "safe_rollout"}
    assert found["Mon"] == {"monitoring", "ab_testing", "safe_rollout", "feedback_log"}


# -- explain-node -------------------------------------------------------------------------

def test_explain_node_says_why_in_words():
    diagram = parse((EXAMPLES / "recsys.mmd").read_text(encoding="utf-8"))
    text = explain_node(diagram, "Online")
    assert text.splitlines()[0] == 'Online (line 17, column 9): "Online store: Redis"'
    assert "subgraph 'Feature store'" in text
    assert "kinds: online_store" in text
    assert "the words 'Online store' in its label" in text
    assert "cache: 'Redis' is read as online_store here instead" in text


def test_explain_node_shows_what_did_not_count():
    diagram = parse("flowchart LR\n  subgraph M [Monitoring]\n    Q[TODO: monitoring]\n  end\n")
    text = explain_node(diagram, "Q")
    assert "kinds: none" in text
    assert "monitoring: 'monitoring' is negated by 'TODO'" in text


def test_explain_an_unknown_node():
    diagram = parse((EXAMPLES / "recsys.mmd").read_text(encoding="utf-8"))
    with pytest.raises(WhiteboardError, match="did you mean 'Online'"):
        explain_node(diagram, "Onlin")
