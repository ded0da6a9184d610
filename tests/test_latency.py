"""The latency reader, the SLA and the request path (whiteboard/latency.py).

Every expected number here was worked out by hand from the diagram, never read back from
the code: the comment next to each sum shows the arithmetic.
"""

from __future__ import annotations

import time

import pytest

from whiteboard import parse
from whiteboard.latency import (
    analyse,
    find_sla,
    latency_summary,
    read_annotations,
    request_path,
)


def lat(text: str) -> list[float | None]:
    """The latency values the reader finds (None for an unreadable one)."""
    return [a.value_ms for a in read_annotations(text) if a.kind == "latency"]


def one(text: str):
    found = read_annotations(text)
    assert len(found) == 1, found
    return found[0]


def kinds_for(**by_kind: str) -> dict[str, frozenset[str]]:
    """kinds_for(client="User GW", ranking="Ranker") -> {node: frozenset(kinds)}."""
    out: dict[str, set[str]] = {}
    for kind, names in by_kind.items():
        for name in names.split():
            out.setdefault(name, set()).add(kind)
    return {k: frozenset(v) for k, v in out.items()}


def node_text(diagram_text: str, node: str) -> str:
    return parse(diagram_text).node(node).text


# --------------------------------------------------------------------------------------
# The reader: DOMAIN.md §4.1, what people write
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, ms, percentile, qualifier", [
    ("p99: 50ms", 50.0, "p99", None),
    ("p99: 5ms", 5.0, "p99", None),
    ("Transaction rollback, p99: 20ms", 20.0, "p99", None),
    ("Lag: <500ms", 500.0, None, "<"),
    ("Target: <30ms", 30.0, None, "<"),
    ("P99 < 5ms", 5.0, "p99", "<"),
    ("P99 < 60s", 60_000.0, "p99", "<"),
    ("p99 20ms", 20.0, "p99", None),
    ("~30 ms", 30.0, None, "~"),
])
def test_edge_label_forms_of_section_4_1(text, ms, percentile, qualifier):
    a = one(text)
    assert (a.kind, a.value_ms, a.percentile, a.qualifier, a.readable) == ("latency", ms, percentile, qualifier, True)


def test_latency_inside_node_labels_after_decoding():
    diagram = parse('flowchart LR\n'
                    '  D["ML Scoring Service<br/><50 ms SLA"]\n'
                    '  FS[("Online Feature Store<br/>Redis, p99 < 10ms")]\n'
                    '  L1["GBDT 1000→100\\n&lt;10ms"]\n'
                    '  R["Ranker<br/>~30 ms"]\n'
                    '  E["#lt;15ms"]\n')
    assert lat(diagram.node("D").text) == [50.0]
    assert one(diagram.node("D").text).scope == "budget"
    assert [(a.value_ms, a.percentile) for a in read_annotations(diagram.node("FS").text)] == [(10.0, "p99")]
    assert lat(diagram.node("L1").text) == [10.0]  # the seed's literal \n and &lt;
    assert lat(diagram.node("R").text) == [30.0]
    assert lat(diagram.node("E").text) == [15.0]  # mermaid's #lt; entity code


def test_a_literal_backslash_n_separates_lines_and_keeps_offsets():
    text = "GBDT\\n<10ms"
    a = one(text)
    assert (a.value_ms, a.raw, text[a.start:a.end]) == (10.0, "<10ms", "<10ms")


@pytest.mark.parametrize("text, per_second", [
    ("Throughput: 100K/s", 100_000.0),
    ("10k QPS", 10_000.0),
    ("15K QPS peak", 15_000.0),
    ("10K TPS", 10_000.0),
    ("~500K QPS peak", 500_000.0),
    ("3K RPS", 3_000.0),
    ("1.5M RPS", 1_500_000.0),
    ("1,000 QPS", 1_000.0),
    ("60K QPM", 1_000.0),              # 60,000 per minute
    ("1B tokens/day", 1e9 / 86_400),
    ("600 req/min", 10.0),             # "/min" used to be a KeyError (it looked up "m")
    ("36K events per hour", 10.0),
    ("QPS: 5K", 5_000.0),
])
def test_throughput_is_scale_not_latency(text, per_second):
    a = one(text)
    assert a.kind == "throughput" and a.value_ms is None
    assert a.per_second == pytest.approx(per_second)


# --------------------------------------------------------------------------------------
# The reader: DOMAIN.md §4.3 grammar
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, ms", [
    ("200 ns", 0.0002), ("50 us", 0.05), ("50 µs", 0.05), ("50 μs", 0.05),  # micro sign and Greek mu
    ("20ms", 20.0), ("20 msec", 20.0), ("20 milliseconds", 20.0),
    ("2s", 2000.0), ("2 sec", 2000.0), ("2 secs", 2000.0), ("1 second", 1000.0), ("3 seconds", 3000.0),
    ("5 min", 300_000.0), ("5 mins", 300_000.0), ("1 minute", 60_000.0), ("0.5ms", 0.5), (".5s", 500.0),
    ("20 MS", 20.0),
])
def test_units(text, ms):
    assert lat(text) == [pytest.approx(ms)]


@pytest.mark.parametrize("text, percentile", [
    ("p50 10ms", "p50"), ("p90: 10ms", "p90"), ("p95 < 10ms", "p95"), ("p99 <= 10ms", "p99"),
    ("p99.9 ≤ 10ms", "p99.9"), ("P99 ~ 10ms", "p99"), ("TP99 ≈ 10ms", "tp99"), ("tp99.9=10ms", "tp99.9"),
    ("p99 latency < 10ms", "p99"), ("10ms p99", "p99"), ("10 ms (p95)", "p95"),
])
def test_percentile_prefixes_and_suffixes(text, percentile):
    a = one(text)
    assert (a.value_ms, a.percentile) == (10.0, percentile)


@pytest.mark.parametrize("text, qualifier", [
    ("<20ms", "<"), ("<=20ms", "<="), ("≤ 20 ms", "≤"), ("~20ms", "~"), ("≈20ms", "≈"), ("under 20ms", "under"),
    ("within 20 ms", "within"), ("up to 20ms", "up to"), ("max 20ms", "max"), ("sub-20ms", "<"),
])
def test_budget_comparators_keep_the_value(text, qualifier):
    a = one(text)
    assert (a.value_ms, a.qualifier) == (20.0, qualifier)


@pytest.mark.parametrize("text", [
    "p99 > 500ms", ">20ms", ">= 20ms", "≥ 20 ms", "over 20ms", "above 20 ms", "latency exceeds 200ms",
    "at least 5ms", "p99 > 2× baseline", "alert on p99 >50 ms",
])
def test_conditions_are_not_budgets(text):
    assert read_annotations(text) == []


@pytest.mark.parametrize("text, ms, low", [
    ("10-50ms", 50.0, 10.0), ("10–50 ms", 50.0, 10.0), ("1-10ms", 10.0, 1.0), ("10 to 50 ms", 50.0, 10.0),
    ("10ms-50ms", 50.0, 10.0), ("2-3s", 3000.0, 2000.0), ("500ms-2s", 2000.0, 500.0),
])
def test_ranges_count_their_upper_bound(text, ms, low):
    a = one(text)
    assert (a.value_ms, a.low_ms) == (ms, low)


def test_slash_lists_take_the_slowest():
    a = one("p50/p95/p99: 10/20/50ms")
    assert (a.value_ms, a.percentile) == (50.0, "p99")


@pytest.mark.parametrize("text, ms", [("sub-ms", 1.0), ("sub-millisecond", 1.0), ("sub-second", 1000.0),
                                      ("single-digit ms", 9.0), ("double-digit ms", 99.0)])
def test_words_read_as_upper_bounds(text, ms):
    assert lat(text) == [ms]


def test_several_annotations_in_one_label():
    assert lat("homepage <200 ms, Up Next <100 ms") == [200.0, 100.0]
    assert lat("p50 10ms\np99 30ms") == [10.0, 30.0]


# The false-alarm fixtures: DOMAIN.md §0.4, §4.1, §4.3 and the brief. None is an annotation.
NOT_LATENCIES = [
    "High risk > 0.9", "Low risk < 0.5", "Medium 0.5-0.9", "> 0.9", "< 0.5",   # scores
    "<0.1%", ">95%", "Error rate: <0.1%", "precision >95%",                    # percentages
    "10 Hz", "30 FPS", "6 cameras, 30 FPS", "LiDAR, 10 Hz, 150m range",         # frequencies, metres
    "150m range", "within 50m", "50 m",                                         # distances
    "3-8 second horizon", "Prediction (3–8 s horizon)", "horizon: 3-8 s",       # prediction horizons
    "1000 candidates", 'Retrieval ("1000 candidates")', "Top 20 -> Top 5",      # counts
    "100 -> 30 candidates", "Top 20", "top 20→5", "10,000 candidates", "100s of candidates",
    "TTL 1 hour", "embedding cache TTL 1 h", "15-min TTL", "answer cache TTL 1 h",  # TTLs
    "retrain every 6 hours", "every 5 min", "daily", "hourly", "24h", "24h freshness",  # cadence, freshness
    "freshness < 5 min", "5-min window", "5 min sliding window", "last 5 min clicks", "30 s old",
    "chargebacks arrive 30–90 days late", "≥7-day test", "counts over 1 h/24 h/7 d",
    "$45K/month", "60 instances", "Cost $2.5K/day",                             # money, counts
    "text-embedding-3-large", "BGE-reranker-v2-m3", "DCN-V2", "GPT-4o", "Llama-3-70B",  # model names
    "ISO 26262", "v1.2.3", "Python 3.11", "ASIL-D", "INT8",                     # standards, versions
    "NDCG@10", "recall@100", "Recall@K",                                         # metrics
    "10M DAU", "2B+ MAU", "100K+ documents", "10M+ chunks",                     # users, sizes
    "20并发", "PSI >0.1 threshold", "canary 1% → 5% → 50/50",
    "Latency/throughput SLA", "Guardrails: latency p99, fairness",              # words, no numbers
    "rewrite 100 + search 100 + rerank 200", "20 ticks", "SLA: 99.9%", "SLA: high availability",
    "low-latency serving", "Real-time features", "p99 < 50ms?",
]


@pytest.mark.parametrize("text", NOT_LATENCIES)
def test_numbers_that_are_not_latencies(text):
    assert read_annotations(text) == []


# Unreadable: meant as a latency, but no millisecond value can be had (WB804).
UNREADABLE = [
    ("20 msec?", "'?'"),
    ("~20ms?", "'?'"),
    ("fast", "fast"),
    ("Quick", "Quick"),
    ("low latency", "low latency"),
    ("~?ms", "no number"),
    ("TBD ms", "no number"),
    ("10-ms-ish", "-ish"),
    ("100ms-ish", "-ish"),
    ("latency 20 ticks", "unknown unit 'ticks'"),
    ("p99 < 20 cycles", "unknown unit 'cycles'"),
    ("p99 < 200", "no time unit"),
    ("latency: 10-50", "no time unit"),
    ("p99 5m", "ambiguous unit 'm'"),
    ("latency: fast", "fast"),
    ("p99: ?", "'?'"),
    ("latency TBD", "TBD"),
    ("a few ms", "few"),
    ("tens of ms", "tens of"),
    ("10s of ms", "10s of"),
    ("QPS: high", "high"),
]


@pytest.mark.parametrize("text, reason", UNREADABLE)
def test_unreadable_annotations_say_why(text, reason):
    a = one(text)
    assert not a.readable and a.value_ms is None
    assert reason in a.reason


def test_the_line_between_ignored_and_unreadable():
    # An odd unit alone is ignored (labels are full of counts); after a latency word it is unreadable.
    assert read_annotations("20 ticks") == []
    assert not one("latency 20 ticks").readable
    # Known non-time units stay ignored even after a latency word.
    assert read_annotations("latency 10 Hz") == []
    assert read_annotations("p99 5%") == []
    # A question after a comparator is a condition (decision diamond); a bare '?' doubts the value.
    assert read_annotations("p99 < 50ms?") == []
    assert not one("50ms?").readable


def test_context_words_stay_on_their_line():
    # "horizon" ends line 1; the 15ms on line 2 is the node's latency, the 3-8 s is not.
    assert lat("Prediction, 3-8 s horizon\n15ms") == [15.0]
    assert lat("TTL 1h\n5ms") == [5.0]


def test_scopes():
    assert one("total <3s").scope == "total"
    assert one("end-to-end < 50ms").scope == "total"
    assert one("latency SLA 100 ms").scope == "budget"
    assert one("full video async <5 min").scope == "async"
    assert one("first token <500ms").scope is None


# --------------------------------------------------------------------------------------
# The SLA
# --------------------------------------------------------------------------------------

REQ = """flowchart LR
  Req["Requirements<br/>10M DAU, 5K QPS peak<br/>p99 < 200ms"]
  Client -->|10ms| Model
"""


def test_sla_from_the_requirements_box():
    sla = find_sla(parse(REQ), {"Req"}, None)
    assert (sla.ms, sla.source, sla.node, sla.line) == (200.0, "requirements", "Req", 2)


@pytest.mark.parametrize("box, ms", [
    ("p99 < 200ms", 200.0),
    ("latency SLA 100 ms", 100.0),
    ("end-to-end < 50ms", 50.0),
    ("Requirements: 5K QPS, p99 < 150ms", 150.0),
    ("<100 ms before authorization, 10K TPS", 100.0),
    ("p50 < 50ms, p99 < 200ms", 200.0),                       # the largest percentile bounds the request
    ("ranking <50ms p99<br/>Redis features <5 ms<br/>homepage <200 ms", 200.0),
    ("total <3s<br/>first token <500ms", 3000.0),             # an overall total wins over a part
    ("SLA: 120 ms<br/>ranker budget 80ms<br/>re-index <500ms", 120.0),  # SLA/budget words first
    ("text <100 ms, image <500 ms<br/>full video async <5 min", 500.0),  # async work is not the request
    ("alert if p99 > 300ms<br/>p99 < 250ms", 250.0),          # the alert condition is not a latency
    ("p99 < 200ms<br/>Batch scoring job: 30 min", 200.0),     # a bare duration is the last resort
    ("Latency: 150ms<br/>nightly batch 2 min", 150.0),        # "latency" in the clause
    ("Response in 2 s", 2000.0),                              # a bare duration when nothing better is there
])
def test_sla_phrasings(box, ms):
    d = parse(f'flowchart LR\n  R["{box}"]\n  A --> B\n')
    assert find_sla(d, {"R"}, None).ms == ms


def test_sla_comment_and_precedence():
    d = parse("%% sla: 150ms\n" + REQ)
    assert find_sla(d, {"Req"}, None).ms == 150.0 and find_sla(d, {"Req"}, None).source == "comment"
    assert find_sla(d, {"Req"}, 90.0).ms == 90.0 and find_sla(d, {"Req"}, 90.0).source == "cli"
    assert find_sla(parse(REQ), {"Req"}, 90.0).source == "cli"
    assert find_sla(parse(REQ), set(), None) is None  # no requirements node, no comment, no flag


@pytest.mark.parametrize("comment, ms", [
    ("%% sla: 200ms", 200.0), ("%% SLA = 0.2s", 200.0), ("%%sla: 200", 200.0), ("%% sla: p99 < 80 ms", 80.0),
    ("%% sla 250ms", 250.0),
])
def test_sla_comment_forms(comment, ms):
    d = parse(comment + "\nflowchart LR\n  A --> B\n")
    sla = find_sla(d, set(), None)
    assert (sla.ms, sla.source, sla.line) == (ms, "comment", 1)


def test_other_comments_are_not_an_sla():
    d = parse("%% A sketch of a recsys answer\n%% slack channel: #ml\nflowchart LR\n  A --> B\n")
    assert find_sla(d, set(), None) is None


def test_an_unreadable_sla_comment_falls_through_and_is_reported():
    d = parse("%% sla: fast\n" + REQ)
    assert find_sla(d, {"Req"}, None).source == "requirements"
    report = analyse(d, kinds_for(requirements="Req", client="Client", model="Model"))
    assert [(u.where, u.line) for u in report.unreadable] == [("comment", 1)]


# --------------------------------------------------------------------------------------
# The request path
# --------------------------------------------------------------------------------------

def path(text: str, **by_kind: str):
    return request_path(parse(text), kinds_for(**by_kind))


def test_linear_path():
    r = path("flowchart LR\n  Client -->|5ms| API -->|20ms| Model\n", client="Client", serving="API", model="Model")
    assert r.critical_path_ms == 25.0  # 5 + 20
    assert r.critical_path == ["Client", "API", "Model"]
    assert r.entry == "Client" and not r.missing


def test_the_contract_example_round_trip():
    r = path("flowchart LR\n  Client -->|10ms| GW -->|80ms| Ranker -->|15ms| Client\n",
             client="Client GW", ranking="Ranker")
    assert r.critical_path_ms == 105.0  # 10 + 80 + 15
    assert r.critical_path == ["Client", "GW", "Ranker", "Client"]


def test_request_and_response_through_the_same_gateway():
    r = path("flowchart LR\n  Client -->|5ms| GW -->|10ms| Ranker -->|30ms| GW -->|5ms| Client\n",
             client="Client GW", ranking="Ranker")
    assert r.critical_path_ms == 50.0  # 5 + 10 + 30 + 5: GW passed twice, each edge once
    assert r.critical_path == ["Client", "GW", "Ranker", "GW", "Client"]


def test_a_label_latency_counts_once_even_when_the_node_is_passed_twice():
    r = path('flowchart LR\n  Client -->|1ms| GW["Gateway ~5ms"] -->|1ms| R -->|1ms| GW -->|1ms| Client\n',
             client="Client GW", ranking="R")
    assert r.critical_path_ms == 9.0  # 4 edges x 1 + the gateway's 5 once


def test_parallel_fan_out_counts_the_slowest_branch_once():
    r = path("""flowchart LR
      Client -->|2ms| GW
      GW -->|10ms| UserFeat[User features]
      GW -->|30ms| ItemFeat[Item features]
      UserFeat -->|5ms| Ranker
      ItemFeat -->|5ms| Ranker
      Ranker -->|3ms| Client
    """, client="Client GW", ranking="Ranker")
    assert r.critical_path_ms == 40.0  # 2 + max(10 + 5, 30 + 5) + 3, not the sum 55
    assert r.critical_path == ["Client", "GW", "ItemFeat", "Ranker", "Client"]


def test_alternatives_after_a_decision_count_as_the_worst():
    r = path("""flowchart TD
      Tx([Card authorization]) -->|10ms| Score[Risk model]
      Score -->|5ms| Decision{Threshold}
      Decision -->|approve, 1ms| Approve
      Decision -->|"block, 3ms"| Block
      Decision -->|review| Review[Manual review queue]
    """, client="Tx", model="Score")
    assert r.critical_path_ms == 18.0  # 10 + 5 + max(1, 3); human review is off the path
    assert r.critical_path == ["Tx", "Score", "Decision", "Block"]


def test_the_seed_fraud_design_ends_at_the_decision():
    # DOMAIN.md §1.2 #5 with the template's budget: feature lookup 10 + rules 2 + ML 10 + decision 5.
    r = path("""flowchart TD
      Tx[Transaction] -->|10ms| FE["Real-time features<br/>Flink + Redis"]
      FE -->|2ms| Rules[Rules: blacklists, velocity limits]
      Rules -->|"Pass, 10ms"| Ensemble[XGBoost + GNN + sequence model]
      Rules -->|Block| Block
      Ensemble -->|5ms| Decision{Score Threshold}
      Decision -->|High risk > 0.9| Block
      Decision -->|Medium 0.5-0.9| Review
      Decision -->|Low risk < 0.5| Approve
      Review --> Analyst -->|Fraud confirmed| Retrain
    """, client="Tx", online_store="FE", stream_processing="FE", model="Ensemble", training="Retrain")
    assert r.critical_path_ms == 27.0  # 10 + 2 + 10 + 5 = the seed's "~27 ms p50"
    assert r.critical_path == ["Tx", "FE", "Rules", "Ensemble", "Decision"]
    assert not r.missing  # the score conditions on the outcome edges are not hops without a latency


def test_lookups_add_the_slowest_at_their_node():
    r = path("""flowchart LR
      Client -->|5ms| Ranker -->|10ms| Client
      Online[(Online store)] -->|"p99 5ms"| Ranker
      Ranker -->|3ms| Cache[(Embedding cache)]
      Flink -->|1s| Online
    """, client="Client", ranking="Ranker", online_store="Online", cache="Cache", stream_processing="Flink")
    assert r.critical_path_ms == 20.0  # 5 + 10 + max(5, 3): several lookups from one node, the slowest
    assert sorted((lk.store, lk.ms, lk.counted) for lk in r.lookups) == [("Cache", 3.0, False), ("Online", 5.0, True)]
    assert r.critical_path == ["Client", "Ranker", "Client"]  # the stores are not passed through


def test_a_feature_store_lookup_in_both_directions():
    r = path("""flowchart LR
      User -->|2ms| API -->|20ms| Model -->|3ms| User
      API -->|4ms| FS[Feature store]
      FS -->|6ms| API
    """, client="User", serving="API", model="Model", feature_store="FS")
    assert r.critical_path_ms == 31.0  # 2 + 20 + 3 + max(4, 6) at the API
    assert [lk.store for lk in r.lookups if lk.counted] == ["FS"]


def test_a_cache_the_request_passes_through_is_a_hop_not_a_lookup():
    r = path("flowchart LR\n  Client -->|1ms| Cache[(Prediction cache)] -->|miss, 40ms| Ranker -->|2ms| Client\n",
             client="Client", cache="Cache", ranking="Ranker")
    assert r.critical_path_ms == 43.0  # 1 + 40 + 2
    assert r.critical_path == ["Client", "Cache", "Ranker", "Client"] and not r.lookups


def test_dotted_monitoring_logging_and_async_edges_are_off_the_path():
    r = path("""flowchart LR
      Client -->|10ms| Ranker -->|20ms| Client
      Ranker -.->|500ms| Drift[Drift monitor]
      Ranker -->|900ms| Mon[Dashboards]
      Ranker -->|log, 700ms| Logger
      Ranker -->|"async, 800ms"| Video[Deep analysis]
      Ranker -->|600ms| PredLog[(Prediction log)]
      Ranker ~~~ Hidden
      Registry[(Model registry)] -->|deploy, 5 min| Ranker
      Ranker -->|400ms| Train[Trainer]
    """, client="Client", ranking="Ranker", monitoring="Drift Mon", feedback_log="PredLog", registry="Registry",
             training="Train")
    assert r.critical_path_ms == 30.0  # 10 + 20; every other edge is off the path
    assert r.critical_path == ["Client", "Ranker", "Client"]


def test_human_review_and_async_nodes_are_off_the_path():
    r = path("""flowchart LR
      Upload([Upload]) -->|5ms| Clf[Text classifier] -->|2ms| Publish
      Clf -->|900ms| Queue[Human review queue]
      Clf -->|800ms| Async[Full video analysis, async]
    """, client="Upload", model="Clf")
    assert r.critical_path_ms == 7.0  # 5 + 2


def test_a_missing_annotation_names_the_hop():
    r = path("""flowchart LR
      User -->|10ms| GW[API gateway]
      GW --> Ranker[Ranking model]
      Ranker -->|5ms| GW
    """, client="User GW", ranking="Ranker")
    assert r.critical_path_ms is None
    assert [(h.source, h.target, h.line, h.column) for h in r.missing] == [("GW", "Ranker", 3, 7)]
    assert r.known_ms == 15.0  # 10 + 5, what is annotated
    assert r.critical_path == ["User", "GW", "Ranker", "GW"]


def test_an_unreadable_hop_is_not_a_number():
    r = path('flowchart LR\n  Client -->|10ms| Model -->|"20 msec?"| Client\n', client="Client", model="Model")
    assert r.critical_path_ms is None and not r.missing
    assert [(h.source, h.target, h.unreadable[0].reason) for h in r.unreadable] == [
        ("Model", "Client", "written with '?'")]


def test_an_unreadable_label_on_a_path_node_is_not_a_number():
    r = path('flowchart LR\n  Client -->|10ms| Model["Model ~?ms"] -->|5ms| Client\n', client="Client", model="Model")
    assert r.critical_path_ms is None and not r.missing
    assert [n.node for n in r.unreadable_nodes] == ["Model"]


def test_thick_links_are_followed_and_invisible_ones_are_not():
    r = path("flowchart LR\n  Client ==>|10ms| Model ==>|5ms| Client\n  Model ~~~ Other\n",
             client="Client", model="Model Other")
    assert r.critical_path_ms == 15.0 and r.critical_path == ["Client", "Model", "Client"]


def test_node_annotated_style():
    # Latencies in the labels, none on the edges: each hop is covered by the node it enters,
    # and the response edge by the node that sends it.
    r = path('flowchart LR\n  Client --> GW["Gateway<br/>~5ms"] --> R["Ranker<br/>~30ms"] --> Client\n',
             client="Client GW", ranking="R")
    assert r.critical_path_ms == 35.0  # 5 + 30
    assert [h.covered_by for h in r.hops] == ["target_label", "target_label", "source_label"]


def test_an_unannotated_component_in_a_node_annotated_chain_is_missing():
    r = path('flowchart LR\n  Client --> A["A 5ms"] --> B[B] --> C["C 5ms"] --> Client\n',
             client="Client", serving="A B C")
    assert [(h.source, h.target) for h in r.missing] == [("A", "B")]
    assert r.critical_path_ms is None and r.known_ms == 10.0


def test_the_entry_label_states_the_sla_not_a_cost():
    r = path('flowchart LR\n  App["Mobile app<br/>p99 < 200ms"] -->|10ms| Model -->|5ms| App\n',
             client="App", model="Model")
    assert r.critical_path_ms == 15.0  # 10 + 5; the app's "p99 < 200ms" is its SLA


def test_cycles_terminate_and_each_edge_is_used_once():
    r = path("""flowchart LR
      Client -->|1ms| S1 -->|2ms| S2 -->|3ms| S3
      S3 -->|4ms| S1
      S3 -->|5ms| Client
      S2 -->|7ms| S2
    """, client="Client", serving="S1 S2 S3")
    # Walks: Client S1 S2 S3 Client = 1+2+3+5 = 11; Client S1 S2 S3 S1 = 10; the self-loop is no hop.
    assert r.critical_path_ms == 11.0
    assert r.critical_path == ["Client", "S1", "S2", "S3", "Client"]


# A guard against an exponential walk (which would never finish), not a speed target: those
# live in bench/. A linear walk takes well under a second here.
HANG_GUARD_S = 60


def test_a_dense_cyclic_graph_is_fast():
    names = [f"S{i}" for i in range(60)]
    lines = ["flowchart LR", "  Client -->|1ms| S0"]
    lines += [f"  {a} -->|1ms| {b}" for a in names for b in names if a != b]  # 3,540 edges, all cycles
    start = time.perf_counter()
    r = path("\n".join(lines), client="Client", serving=" ".join(names))
    assert time.perf_counter() - start < HANG_GUARD_S
    # The DFS goes S0 S1 ... S59 (edges in source order), so the request leg is Client, S0..S59
    # (1 + 59 hops). Every S(i+1) -> S(i) is then a back edge, and each back edge lowers the
    # preorder by at least one, so the longest response leg is S59 -> S58 -> ... -> S0 (59 hops).
    # 1 + 59 + 59 = 119: every node passed at most twice, every edge once (the bound, by design:
    # an Euler trail of all 3,541 edges is not a request path).
    assert r.critical_path_ms == 119.0
    assert r.critical_path[:3] == ["Client", "S0", "S1"] and r.critical_path[-2:] == ["S1", "S0"]
    assert len(set(zip(r.critical_path, r.critical_path[1:])))== 119  # no edge twice


def test_no_client_no_request_path():
    r = path("flowchart LR\n  A -->|5ms| B\n", serving="A B")
    assert (r.critical_path_ms, r.critical_path, r.entry) == (None, [], None)


def test_the_first_client_is_the_entry_and_gateways_are_not_entries():
    r = path("flowchart LR\n  User([User]) -->|1ms| App -->|2ms| GW -->|3ms| Model\n",
             client="User App GW", model="Model")
    assert r.entries == ["User"] and r.critical_path_ms == 6.0  # 1 + 2 + 3


def test_a_big_layered_graph_finishes_fast():
    # 400 layers x 5 nodes; every node feeds every node of the next layer, the edge into node k
    # costing k+1 ms. 5^400 distinct walks: only a linear algorithm finishes. The slowest walk
    # takes node 4 in every layer: 1 (in) + 399 x 5 + 1 (back) = 1997 ms.
    layers, width = 400, 5
    lines = ["flowchart LR"]
    lines += [f"  Client -->|1ms| L0_{k}" for k in range(width)]
    for i in range(layers - 1):
        for j in range(width):
            for k in range(width):
                lines.append(f"  L{i}_{j} -->|{k + 1}ms| L{i + 1}_{k}")
    lines += [f"  L{layers - 1}_{j} -->|1ms| Client" for j in range(width)]
    diagram = parse("\n".join(lines))
    assert len(diagram.nodes) == 2001
    kinds = {n.id: frozenset({"serving"}) for n in diagram.nodes}
    kinds["Client"] = frozenset({"client"})
    start = time.perf_counter()
    r = request_path(diagram, kinds)
    elapsed = time.perf_counter() - start
    assert r.critical_path_ms == 1997.0
    assert r.critical_path[0] == r.critical_path[-1] == "Client" and len(r.critical_path) == layers + 2
    assert all(n.endswith("_4") for n in r.critical_path[2:-1])
    assert elapsed < HANG_GUARD_S, elapsed


# --------------------------------------------------------------------------------------
# The seed's own examples (DOMAIN.md §1.2 and §1.5)
# --------------------------------------------------------------------------------------

PERCEPTION_NODES = """flowchart TD
    Req["Requirements<br/><100 ms end to end"]
    subgraph Sensors
        C["6 cameras, 30 FPS"]
        L["LiDAR, 10 Hz, 150 m range"]
        R["5 radars, 20 Hz"]
    end
    subgraph Perception
        C --> BEV["BEV encoder (LSS)<br/>camera 20ms"]
        L --> VX["PointPillars<br/>LiDAR 15ms"]
        BEV --> Fusion["Transformer BEV fusion<br/>10ms"]
        VX --> Fusion
        R --> Fusion
        Fusion --> Det["CenterPoint 3D detection<br/>15ms"]
        Fusion --> Seg[Road / lane segmentation]
        Det --> Track["Kalman + Hungarian tracking<br/>5ms"]
    end
    Track --> Predict["Prediction, 3-8 s horizon<br/>15ms"] --> Plan[Planner]
"""
PERCEPTION_KINDS = {"requirements": "Req", "client": "C L R", "model": "BEV VX Fusion Det Seg Track Predict"}


def test_seed_perception_parallel_sensor_branches_count_once():
    d = parse(PERCEPTION_NODES)
    summary = latency_summary(d, kinds_for(**PERCEPTION_KINDS))
    # max(camera 20, LiDAR 15) + fusion 10 + detection 15 + tracking 5 + prediction 15 = 65,
    # not the prose's 80 (which adds the two parallel sensor branches).
    assert summary["latency"] == {"sla_ms": 100.0, "critical_path_ms": 65.0,
                                  "critical_path": ["C", "BEV", "Fusion", "Det", "Track", "Predict"]}
    assert summary["missing"] == [] and summary["over_budget"] is None
    assert summary["unreadable"] == []  # 30 FPS, 10 Hz, 150 m, 3-8 s horizon are no latencies
    # The unannotated segmentation head is a side branch, reported but not on the critical path.
    assert [(h["source"], h["target"]) for h in summary["path"]["unannotated_elsewhere"]] == [("Fusion", "Seg")]


def test_seed_perception_with_edge_annotations():
    d = parse("""flowchart TD
        C[Cameras] -->|camera 20ms| BEV[BEV encoder]
        L[LiDAR] -->|LiDAR 15ms| VX[VoxelNet]
        BEV -->|fusion 10ms| Fusion
        VX -->|fusion 10ms| Fusion
        R[Radar] -->|fusion 10ms| Fusion
        Fusion -->|15ms| Det -->|5ms| Track -->|15ms| Predict --> Plan
    """)
    r = request_path(d, kinds_for(client="C L R", model="BEV VX Fusion Det Track Predict"))
    assert r.critical_path_ms == 65.0  # max(20 + 10, 15 + 10, 10) + 15 + 5 + 15
    assert r.critical_path == ["C", "BEV", "Fusion", "Det", "Track", "Predict"]


RAG = """flowchart TD
    Req["Requirements<br/>{req}"]
    Q([Query + history]) --> QR["Query rewriting<br/>~100 ms"]
    QR --> HS["Hybrid search: HNSW ANN + BM25, RRF<br/>~100 ms"]
    HS --> Rerank["Cross-encoder rerank, top 20→5<br/>~200 ms"]
    Rerank --> Gen["LLM with citation prompt, streaming<br/>TTFT <500ms"]
    Gen --> Response[Response with inline citations]
"""
RAG_KINDS = {"requirements": "Req", "client": "Q", "candidate_retrieval": "HS", "reranking": "Rerank",
             "model": "QR Gen"}


def test_seed_rag_first_token_is_over_its_500ms_budget():
    d = parse(RAG.format(req="streaming first token <500ms"))
    summary = latency_summary(d, kinds_for(**RAG_KINDS))
    # rewrite 100 + search 100 + rerank 200 + TTFT 500 = 900 before the first token (§1.5).
    assert summary["latency"]["critical_path_ms"] == 900.0
    assert summary["latency"]["critical_path"] == ["Q", "QR", "HS", "Rerank", "Gen"]  # Response: no hop
    assert summary["over_budget"]["excess_ms"] == 400.0  # 900 - 500


def test_seed_rag_within_a_3s_total():
    d = parse(RAG.format(req="total <3s, first token <500ms"))
    summary = latency_summary(d, kinds_for(**RAG_KINDS))
    assert summary["latency"]["sla_ms"] == 3000.0 and summary["latency"]["critical_path_ms"] == 900.0
    assert summary["over_budget"] is None


def test_seed_rag_with_its_unannotated_acl_filter():
    # The seed's chain has an ACL filter (and a faithfulness check) with no latency of their own.
    d = parse("""flowchart TD
        Q([Query]) --> QR["Query rewriting ~100 ms"] --> HS["Hybrid search ~100 ms"] --> ACL[Access filter]
        ACL --> Rerank["Rerank ~200 ms"] --> Gen["LLM, TTFT <500ms"] --> FC[Faithfulness check] --> Response
    """)
    r = request_path(d, kinds_for(client="Q", candidate_retrieval="HS", reranking="Rerank", model="QR Gen"))
    assert r.critical_path_ms is None
    assert [(h.source, h.target) for h in r.missing] == [("HS", "ACL"), ("Gen", "FC")]
    assert r.known_ms == 900.0  # 100 + 100 + 200 + 500


# --------------------------------------------------------------------------------------
# The summary the WB8xx rules read, and Contract 2
# --------------------------------------------------------------------------------------

def test_summary_over_budget_wb802():
    d = parse("""flowchart LR
        Req["Requirements<br/>p99 < 100ms, 20K QPS"]
        User([User]) -->|"~10ms"| GW[API gateway]
        GW -->|"~40ms"| Retrieval[Candidate retrieval: ANN]
        Retrieval -->|"~60ms"| Ranker[Ranking model]
        Ranker -->|"~30ms"| GW
    """)
    s = latency_summary(d, kinds_for(requirements="Req", client="User GW", candidate_retrieval="Retrieval",
                                     ranking="Ranker"))
    assert s["latency"] == {"sla_ms": 100.0, "critical_path_ms": 140.0,  # 10 + 40 + 60 + 30
                            "critical_path": ["User", "GW", "Retrieval", "Ranker", "GW"]}
    assert s["over_budget"]["excess_ms"] == 40.0
    assert s["missing"] == [] and s["no_sla"] is None and s["unreadable"] == []
    assert [t["annotation"]["per_second"] for t in s["throughput"]] == [20_000.0]


def test_summary_sla_cli_overrides_and_contract_numbers():
    d = parse(REQ)
    kinds = kinds_for(requirements="Req", client="Client", model="Model")
    assert latency_summary(d, kinds)["latency"] == {"sla_ms": 200.0, "critical_path_ms": 10.0,
                                                    "critical_path": ["Client", "Model"]}
    assert latency_summary(d, kinds, cli_sla_ms=5.0)["over_budget"]["excess_ms"] == 5.0  # 10 - 5


def test_summary_latencies_without_an_sla_wb803():
    d = parse("flowchart LR\n  Client -->|10ms| Model\n")
    s = latency_summary(d, kinds_for(client="Client", model="Model"))
    assert s["latency"] == {"sla_ms": None, "critical_path_ms": 10.0, "critical_path": ["Client", "Model"]}
    assert [a["annotation"]["raw"] for a in s["no_sla"]["annotations"]] == ["10ms"]
    assert latency_summary(parse("flowchart LR\n  Client --> Model\n"), kinds_for(client="Client"))["no_sla"] is None


def test_summary_missing_hops_wb801_and_unreadable_wb804():
    d = parse("""flowchart LR
        Req[Requirements: p99 < 200ms]
        User([User]) -->|"~10ms"| GW[API gateway]
        GW --> Ranker[Ranking model]
        Ranker -->|"~5ms"| GW
        Ranker -.->|"p99 ~?ms"| Mon[Monitoring]
    """)
    s = latency_summary(d, kinds_for(requirements="Req", client="User GW", ranking="Ranker", monitoring="Mon"))
    assert s["latency"]["critical_path_ms"] is None and s["latency"]["sla_ms"] == 200.0
    assert [(h["source"], h["target"], h["line"]) for h in s["missing"]] == [("GW", "Ranker", 4)]
    assert [(u["where"], u["source"], u["target"], u["on_path"]) for u in s["unreadable"]] == [
        ("edge", "Ranker", "Mon", False)]
    assert s["over_budget"] is None


def test_no_request_path_gives_nulls():
    d = parse('flowchart LR\n  Req["p99 < 200ms"] --> Train[Trainer]\n')
    s = latency_summary(d, kinds_for(requirements="Req", training="Train"))
    assert s["latency"] == {"sla_ms": 200.0, "critical_path_ms": None, "critical_path": []}
    assert s["missing"] == [] and s["over_budget"] is None


def test_the_bundled_recsys_example():
    from pathlib import Path

    text = (Path(__file__).parent.parent / "examples" / "recsys.mmd").read_text()
    d = parse(text)
    kinds = kinds_for(requirements="Req", offline_metrics="Met", data_source="Events", ingestion="Kafka",
                      stream_processing="Flink", storage="Lake", data_validation="Validate", labels="Labels",
                      offline_store="Offline", online_store="Online", baseline="Baseline", training="Train",
                      registry="Registry", client="Client GW", candidate_retrieval="Retrieval", ranking="Ranker",
                      reranking="Rerank", monitoring="Drift Dash", ab_testing="AB")
    s = latency_summary(d, kinds)
    # 10 + 5 + 30 + 15 + 5 on the edges, + the online store's p99 5ms looked up by the ranker.
    assert s["latency"] == {"sla_ms": 200.0, "critical_path_ms": 70.0,
                            "critical_path": ["Client", "GW", "Retrieval", "Ranker", "Rerank", "GW"]}
    assert [(lk["node"], lk["store"], lk["ms"]) for lk in s["lookups"]] == [("Ranker", "Online", 5.0)]
