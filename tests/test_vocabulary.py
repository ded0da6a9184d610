"""The vocabulary: which component kinds a label names.

Every expected value is written by hand from the domain (DOMAIN.md §3.0 spine table and
vocabulary traps, §3.1-3.6) and from counting characters in the test's own strings;
none is computed by the code under test.
"""

from __future__ import annotations

import time

import pytest

from whiteboard.errors import ConfigError
from whiteboard.vocabulary import KINDS, STAGES, Match, load_vocabulary


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def kinds(vocab, text: str) -> set[str]:
    return {m.kind for m in vocab.match(text)}


# -- the catalogue ------------------------------------------------------------------------

# The fixed kind -> stage table from the issue (other modules rely on these names).
EXPECTED_STAGES = {
    "requirements": "requirements",
    "offline_metrics": "metrics", "online_metrics": "metrics", "guardrail_metrics": "metrics",
    "data_source": "data", "ingestion": "data", "batch_processing": "data", "stream_processing": "data",
    "data_validation": "data", "storage": "data", "labels": "data",
    "feature_store": "features", "offline_store": "features", "online_store": "features",
    "feature_pipeline": "features",
    "training": "model", "baseline": "model", "evaluation": "model", "registry": "model", "model": "model",
    "client": "serving", "serving": "serving", "candidate_retrieval": "serving", "ranking": "serving",
    "reranking": "serving", "cache": "serving", "batch_prediction": "serving",
    "monitoring": "monitoring", "ab_testing": "monitoring", "safe_rollout": "monitoring",
    "feedback_log": "monitoring", "retrain_trigger": "monitoring",
}


def test_the_catalogue_is_the_fixed_one(vocab):
    assert list(KINDS) == list(EXPECTED_STAGES)
    assert STAGES == ("requirements", "metrics", "data", "features", "model", "serving", "monitoring")
    assert [(k.name, k.stage) for k in vocab.kinds] == list(EXPECTED_STAGES.items())
    for kind in vocab.kinds:
        assert kind.description and "\n" not in kind.description
        assert kind.words


def test_each_stage_falls_back_to_a_kind_of_its_own(vocab):
    assert [(s.name, s.fallback) for s in vocab.stages] == [
        ("requirements", "requirements"), ("metrics", "offline_metrics"), ("data", "batch_processing"),
        ("features", "feature_store"), ("model", "model"), ("serving", "serving"), ("monitoring", "monitoring"),
    ]


@pytest.mark.parametrize("word, kind", [
    ("Kafka", "ingestion"), ("Kinesis", "ingestion"), ("Pub/Sub", "ingestion"), ("Flink", "stream_processing"),
    ("Spark", "batch_processing"), ("Airflow", "batch_processing"), ("dbt", "batch_processing"),
    ("S3", "storage"), ("data lake", "storage"), ("BigQuery", "storage"), ("Snowflake", "storage"),
    ("Feast", "feature_store"), ("Tecton", "feature_store"), ("DynamoDB", "online_store"),
    ("MLflow", "registry"), ("Triton", "serving"), ("TorchServe", "serving"), ("KServe", "serving"),
    ("vLLM", "serving"), ("FAISS", "candidate_retrieval"), ("ANN", "candidate_retrieval"),
    ("ScaNN", "candidate_retrieval"), ("Prometheus", "monitoring"), ("Grafana", "monitoring"),
    ("PSI", "monitoring"), ("KL divergence", "monitoring"), ("KS test", "monitoring"), ("Evidently", "monitoring"),
    ("NDCG", "offline_metrics"), ("AUC", "offline_metrics"), ("MRR", "offline_metrics"), ("CTR", "online_metrics"),
    ("guardrail", "guardrail_metrics"), ("cost per prediction", "guardrail_metrics"), ("chargebacks", "labels"),
    ("weak supervision", "labels"), ("implicit feedback", "labels"), ("canary", "safe_rollout"),
    ("shadow mode", "safe_rollout"), ("blue-green", "safe_rollout"), ("interleaving", "ab_testing"),
    ("holdback", "ab_testing"), ("holdout", "evaluation"), ("backtest", "evaluation"), ("XGBoost", "baseline"),
    ("logistic regression", "baseline"), ("prediction log", "feedback_log"), ("served features", "feedback_log"),
    ("continuous training", "retrain_trigger"), ("API gateway", "client"), ("load balancer", "client"),
    ("bid request", "client"), ("card authorization", "client"), ("batch inference", "batch_prediction"),
    ("re-ranker", "reranking"), ("ranker", "ranking"), ("two-tower", "model"), ("transformer", "model"),
])
def test_the_words_people_write(vocab, word, kind):
    assert kind in kinds(vocab, word)


# -- whole words --------------------------------------------------------------------------

@pytest.mark.parametrize("text, absent", [
    ("ETLX", "batch_processing"),            # another word that starts with ETL
    ("annotation", "candidate_retrieval"),   # ANN inside annotation
    ("channel", "candidate_retrieval"),      # ann inside channel
    ("LRU", "baseline"),                     # LR inside LRU
    ("Kafkaesque", "ingestion"),
    ("sparkline", "batch_processing"),
    ("retrainer", "retrain_trigger"),
])
def test_a_word_never_matches_inside_another(vocab, text, absent):
    assert absent not in kinds(vocab, text)


def test_whole_words_exactly(vocab):
    assert vocab.match("ETLX job") == []
    assert vocab.match("ETL-job") == [Match("batch_processing", "ETL", 0, 3)]
    assert vocab.match("channel") == []
    assert vocab.match("annotation") == [Match("labels", "annotation", 0, 10)]
    assert vocab.match("LRU") == [Match("cache", "LRU", 0, 3)]
    # "log" is a data-source word, but not inside "catalog": the one match is "catalog"
    assert vocab.match("catalog") == [Match("data_source", "catalog", 0, 7)]
    assert vocab.match("ANN") == [Match("candidate_retrieval", "ANN", 0, 3)]


def test_case_does_not_matter(vocab):
    assert vocab.match("kafka") == [Match("ingestion", "Kafka", 0, 5)]
    assert vocab.match("KAFKA") == [Match("ingestion", "Kafka", 0, 5)]


def test_positions_point_into_the_text(vocab):
    text = "Kafka -> Spark Streaming"
    assert vocab.match(text) == [
        Match("ingestion", "Kafka", 0, 5),
        Match("stream_processing", "Spark Streaming", 9, 24),
    ]


# -- phrases and separators ---------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "feature store", "Feature Store", "Feature-Store", "Feature\nStore", "feature_store", "feature / store",
    "Feature  store", "FeatureStore",
])
def test_phrase_words_may_be_separated_many_ways(vocab, text):
    assert vocab.match(text) == [Match("feature_store", "feature store", 0, len(text))]


def test_punctuation_between_words_breaks_a_phrase(vocab):
    assert vocab.match("feature, store") == []
    assert vocab.match("feature: store") == []


def test_a_bullet_on_a_new_line_is_not_a_phrase_separator(vocab):
    # the seed's framework box: "3. Data\n- Sources and collection" is not "data sources"
    text = "3. Data\n- Sources"
    assert vocab.match(text) == [Match("data_source", "sources", 10, 17)]
    # nor a spaced dash on one line: "engineering" counts only as a context word, settled
    # by the stage word "Features", not as the phrase "feature engineering"
    assert [m.word for m in vocab.match("Features - Engineering")] == ["engineering"]


def test_camel_case_words_may_be_written_apart(vocab):
    assert kinds(vocab, "Big Query") == {"storage"}
    assert kinds(vocab, "Dynamo DB") == {"online_store"}


# -- plurals ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    ("labels", "labels"), ("label", "labels"), ("feature stores", "feature_store"),
    ("dashboards", "monitoring"), ("alerts", "monitoring"), ("caches", "cache"), ("queries", "client"),
    ("canaries", "safe_rollout"), ("prediction logs", "feedback_log"), ("data lakes", "storage"),
])
def test_plurals(vocab, text, kind):
    assert kinds(vocab, text) == {kind}


# -- overlapping phrases: the longest wins ------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Spark Streaming", {"stream_processing"}),
    ("Kafka Streams", {"stream_processing"}),
    ("Redis cache", {"cache"}),
    ("two-tower retrieval", {"candidate_retrieval"}),
    ("Model registry", {"registry"}),
    ("Model server", {"serving"}),
    ("Shadow scoring", {"safe_rollout"}),
    ("Online evaluation", {"ab_testing"}),
    ("Experiment tracking", {"registry"}),
])
def test_the_longest_phrase_wins(vocab, text, expected):
    assert kinds(vocab, text) == expected


def test_several_kinds_in_one_label(vocab):
    assert kinds(vocab, "Drift detection + retrain trigger") == {"monitoring", "retrain_trigger"}
    assert kinds(vocab, "A/B testing + canary") == {"ab_testing", "safe_rollout"}
    assert kinds(vocab, "Kafka -> Flink -> S3") == {"ingestion", "stream_processing", "storage"}


# -- negation -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, cue", [
    ("no feature store", "no"),
    ("No Feature Store", "No"),
    ("without monitoring", "without"),
    ("TODO: monitoring", "TODO"),
    ("(missing) cache", "missing"),
    ("w/o cache", "w/o"),
    ("no real-time feature store", "no"),
    ("Not using Kafka", "Not"),
    ("monitoring (TBD)", "TBD"),
    ("Cache: none", "none"),
    ("Shadow scoring instead of A/B test", "instead of"),
])
def test_negated_words_do_not_count(vocab, text, cue):
    reading = vocab.read(text)
    negated = [m for m in reading.matches if m.negated_by]
    assert negated and negated[-1].negated_by == cue
    if text.startswith("Shadow"):
        assert kinds(vocab, text) == {"safe_rollout"}  # only the A/B test is negated
    else:
        assert vocab.match(text) == []


@pytest.mark.parametrize("text, kind", [
    ("No cache, Redis online store", "online_store"),   # a comma ends the cue's reach
    ("No cache\nFeature store", "feature_store"),       # so does a line break
    ("no A/B test but canary", "safe_rollout"),        # and "but"
    ("No budget for this year: monitoring", "monitoring"),  # too far from the cue (4 words)
    ("Missing value imputation", "feature_pipeline"),  # not a negation at all
])
def test_negation_has_a_short_reach(vocab, text, kind):
    assert kind in kinds(vocab, text)


def test_no_in_the_middle_of_a_label(vocab):
    assert kinds(vocab, "Ranker, no cache") == {"ranking"}


# -- the traps in DOMAIN.md ---------------------------------------------------------------

def test_label_studio_is_labelling(vocab):
    assert vocab.match("Label Studio") == [Match("labels", "Label Studio", 0, 12)]


def test_train_test_split_is_data_not_training(vocab):
    assert kinds(vocab, "Train/test split") == {"batch_processing"}
    assert kinds(vocab, "Train model") == {"training", "model"}
    assert kinds(vocab, "Training data") == {"storage"}


def test_a_review_queue_is_human_review_not_ingestion(vocab):
    assert kinds(vocab, "Review queue") == {"labels"}
    assert kinds(vocab, "Human review queue") == {"labels"}
    assert kinds(vocab, "Message queue") == {"ingestion"}
    assert kinds(vocab, "SQS queue") == {"ingestion"}


def test_a_feature_flag_is_rollout_not_a_feature_store(vocab):
    assert kinds(vocab, "Feature flag") == {"safe_rollout"}
    assert kinds(vocab, "feature flags for the model") == {"safe_rollout", "model"}


def test_elk_is_monitoring_but_elasticsearch_alone_is_an_index(vocab):
    assert kinds(vocab, "ELK") == {"monitoring"}
    assert kinds(vocab, "Elasticsearch logs") == {"monitoring"}
    assert kinds(vocab, "Elasticsearch") == {"candidate_retrieval"}
    assert kinds(vocab, "Elasticsearch BM25") == {"candidate_retrieval"}
    # the monitoring reading of a bare "Elasticsearch" waits for a context (roles.py)
    assert Match("monitoring", "Elasticsearch", 0, 13, contextual=True) in vocab.read("Elasticsearch").matches


def test_ann_is_approximate_nearest_neighbours(vocab):
    assert kinds(vocab, "ANN") == {"candidate_retrieval"}
    assert kinds(vocab, "HNSW ANN index") == {"candidate_retrieval"}


def test_ray_serve_and_ray_train(vocab):
    assert kinds(vocab, "Ray Serve") == {"serving"}
    assert kinds(vocab, "Ray Train") == {"training"}


def test_redis_is_a_cache_until_the_context_says_otherwise(vocab):
    assert kinds(vocab, "Redis cache") == {"cache"}
    assert kinds(vocab, "Redis") == {"cache"}
    assert Match("online_store", "Redis", 0, 5, contextual=True) in vocab.read("Redis").matches
    # the label names the online store itself: Redis is that, not a cache
    assert vocab.match("Redis online store") == [
        Match("online_store", "Redis", 0, 5, contextual=True),
        Match("online_store", "online store", 6, 18),
    ]
    # a caller that knows the context (a feature-store box) can say so
    assert kinds(vocab, "Redis") == {"cache"}
    assert {m.kind for m in vocab.match("Redis", context=["features"])} == {"online_store"}
    assert {m.kind for m in vocab.match("Redis", context=["feature_store"])} == {"online_store"}


def test_triton_the_kernel_language_is_not_serving(vocab):
    assert kinds(vocab, "Triton Inference Server") == {"serving"}
    assert vocab.match("Triton kernels") == []


@pytest.mark.parametrize("text, absent", [
    ("Freshness requirements", "requirements"),      # a features design point, not the requirements box
    ("mixed precision training", "offline_metrics"),  # precision the number format
    ("Faithfulness check", "offline_metrics"),       # an online guard in RAG
    ("10M users", "client"),                          # scale, not a client
    ("query rewriting", "client"),
    ("user tower", "client"),
    ("Schema registry", "registry"),
    ("log transform", "data_source"),
    ("Feature store architecture", "model"),
    ("Beam search", "batch_processing"),
    ("Drift detector", "model"),
])
def test_words_that_mean_something_else_next_to_others(vocab, text, absent):
    assert absent not in kinds(vocab, text)


def test_objective_names_are_metrics_only_in_a_metrics_context(vocab):
    # a model's label names what it optimises; that is not a metrics box
    assert kinds(vocab, "multi-task: watch time + engagement") == {"model"}
    assert kinds(vocab, "Multi-task heads: CTR, watch time") == {"model"}
    reading = vocab.read("watch time")
    assert reading.matches == (Match("online_metrics", "watch time", 0, 10, contextual=True),)
    # a metrics box names its stage, and then they count
    assert kinds(vocab, "Metrics: CTR, watch time") == {"online_metrics"}
    assert kinds(vocab, "Online metrics: watch time") == {"online_metrics"}
    assert kinds(vocab, "predict CTR") == set()
    # a caller that knows it is reading a metrics place can say so
    assert kinds(vocab, "Goal: more watch time") == {"requirements"}
    assert {m.kind for m in vocab.match("Goal: more watch time", context=["metrics"])} == {
        "requirements", "online_metrics"}


# -- stage names --------------------------------------------------------------------------

@pytest.mark.parametrize("text, stage", [
    ("3. Data", "data"), ("Features:", "features"), ("Metrics", "metrics"), ("7 Monitoring", "monitoring"),
    ("User data", None), ("Data validation", None),
])
def test_a_label_that_is_only_a_stage_name(vocab, text, stage):
    assert vocab.read(text).whole_stage == stage


# -- user words ---------------------------------------------------------------------------

def test_extra_words_per_kind():
    custom = load_vocabulary(extra={"online_store": ["Aerospike2", "feature vault"], "ingestion": ["Chronicle"]})
    assert {m.kind for m in custom.match("Feature-Vaults")} == {"online_store"}
    assert {m.kind for m in custom.match("Aerospike2")} == {"online_store"}
    assert {m.kind for m in custom.match("chronicle")} == {"ingestion"}
    assert "feature vault" in custom.kind("online_store").words
    # the shipped vocabulary is not changed by it
    assert load_vocabulary().match("feature vault") == []


def test_an_unknown_kind_in_extra_words_is_a_config_error():
    with pytest.raises(ConfigError) as caught:
        load_vocabulary(extra={"online-store": ["Aerospike2"]})
    message = str(caught.value)
    assert "'online-store'" in message
    assert "did you mean 'online_store'" in message
    assert "feature_store" in message and "retrain_trigger" in message  # the known kinds are named


@pytest.mark.parametrize("extra", [
    {"cache": "Hazelcast"},     # a string, not a list
    {"cache": ["cache (L1)"]},  # '(' would split it in a label
    {"cache": [""]},
])
def test_bad_extra_words_are_config_errors(extra):
    with pytest.raises(ConfigError):
        load_vocabulary(extra=extra)


def test_a_broken_vocabulary_file_is_a_config_error(tmp_path):
    path = tmp_path / "vocabulary.toml"
    path.write_text("[kinds.featurestore]\nstage = 'features'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="did you mean 'feature_store'"):
        load_vocabulary(path=path)
    path.write_text("[kinds\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_vocabulary(path=path)


# -- speed (a sanity run, not a timed assert) ---------------------------------------------

def test_five_thousand_labels_in_one_go(vocab, record_property):
    phrases = ["Kafka", "Ranking model", "Redis online store", "Drift detection: PSI", "S3 data lake",
               "Candidate retrieval: ANN / FAISS", "no monitoring", "Service"]
    expected = [{"ingestion"}, {"ranking", "model"}, {"online_store"}, {"monitoring"}, {"storage"},
                {"candidate_retrieval"}, set(), set()]
    labels = [f"{phrases[i % len(phrases)]} {i}" for i in range(5000)]
    start = time.perf_counter()
    found = [kinds(vocab, label) for label in labels]
    record_property("vocabulary_5000_labels_ms", round((time.perf_counter() - start) * 1000, 1))
    assert all(found[i] == expected[i % len(phrases)] for i in range(5000))


# -- the data is consistent with the matcher ----------------------------------------------

def test_every_listed_word_finds_its_own_kind(vocab):
    missing = []
    for kind in vocab.kinds:
        for word in kind.words + kind.context_words:
            if kind.name not in {m.kind for m in vocab.read(word).matches}:
                missing.append((kind.name, word))
    assert missing == []


def test_any_text_reads_without_error():
    from hypothesis import given
    from hypothesis import strategies as st

    vocab = load_vocabulary()
    pieces = st.sampled_from(["Kafka", "no", "feature", "store", "-", "/", "\n", "\n- ", ", ", "TODO:", "Redis",
                              "İ", "&", "10M", "users", "(missing)", "  ", "Spark", "Streaming", "ß"])

    @given(st.lists(pieces | st.text(max_size=5), max_size=12).map("".join))
    def check(text):
        reading = vocab.read(text)
        for match in reading.matches:
            assert 0 <= match.start < match.end <= len(text)
            assert match.kind in KINDS
        for match in vocab.match(text):
            assert match.negated_by is None

    check()


def test_a_long_label_reads_as_its_parts(vocab):
    # Excluded phrases ("beam search", "mixed precision") and stage words inside a kind's
    # phrase ("Feature" of "Feature store") are looked up among many spans in a long label;
    # each repeat of a part must read exactly as the part alone.
    part = "beam search over the index; mixed precision training; Feature store for features; recall@10 metric. "
    alone = vocab.read(part)
    assert [m.kind for m in alone.matches] == ["training", "feature_store", "offline_metrics"]
    assert [s.stage for s in alone.stages] == ["features", "metrics"]
    times = 300
    long = vocab.read(part * times)

    def shifted(found):
        return [(m[0], m.start - (m.start // len(part)) * len(part), m.end - (m.start // len(part)) * len(part))
                for m in found]

    assert shifted(long.matches) == shifted(alone.matches) * times
    assert shifted(long.stages) == shifted(alone.stages) * times
