#!/usr/bin/env python3
"""Parser throughput: ``whiteboard.parser.parse_text`` on generated flowcharts of 100 to 10,000 edges.

    .venv/bin/python bench/parse_bench.py                 # 100, 1,000, 10,000 edges, 5 runs each
    .venv/bin/python bench/parse_bench.py --big           # also 50,000 edges (3 runs at most)
    .venv/bin/python bench/parse_bench.py --runs 9 --json bench/latest.json
    .venv/bin/python bench/parse_bench.py --sizes 500,2000 --seed 7
    .venv/bin/python bench/parse_bench.py --show 100      # print the generated 100-edge diagram

The diagrams look like ML system design answers (seeded, so every run parses the same text):
nodes of every classic shape with labels (some with ``<br/>``, some ``@{ shape: ... }``), edge
labels such as ``-->|"p99 20ms"|`` and ``-- batch -->``, dotted and thick links, chains
``A --> B --> C``, ``A & B --> C`` groups, subgraphs (some nested, some with ``direction``),
``classDef``/``class``/``:::`` lines, ``style`` lines and ``%%`` comments.

Table columns:

  edges      edges in the diagram (as parsed; a chain of n links counts n)
  bytes      UTF-8 size of the text
  lines      lines of the text
  median s   median wall time of parse_text over the runs (grammar already loaded)
  lines/s    lines / median s
  edges/s    edges / median s
  regex s    baseline: str.splitlines() plus one regex tokenizing pass over the same text
  x regex    median s / regex s (how many times slower than a bare regex scan)
  json s     baseline: json.loads of a JSON document of about the same byte size
  x json     median s / json s

The two baselines are timed in the same process, taking turns with our parser run after run,
so the ratios can be compared across machines (and survive a busy machine) where the absolute
seconds cannot. Building the grammar is not in the
timed region; it is reported on its own: "cold" is ``build_parser(cache=False)`` (Lark analyses
the grammar), "warm" is ``build_parser()`` loading the on-disk cache (what a normal start-up
pays once per process). The garbage collector stays on (as in real use); ``gc.collect()`` runs
before each timed run. Only the standard library and the project's own dependencies are used.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SIZES = (100, 1_000, 10_000)
BIG_SIZE = 50_000
BIG_RUNS = 3

# ----------------------------------------------------------------------------------------------
# the generated diagrams
# ----------------------------------------------------------------------------------------------

COMPONENTS = [
    ("client", "Mobile app"), ("gateway", "API gateway"), ("auth", "Auth service"),
    ("router", "A/B router"), ("retrieval", "Candidate retrieval"), ("ann", "ANN index: FAISS"),
    ("embed", "Embedding service"), ("ranker", "Ranking model"), ("rerank", "Re-ranker"),
    ("blender", "Blender"), ("cache", "Redis cache"), ("features", "Feature store"),
    ("online_fs", "Online store"), ("offline_fs", "Offline store"), ("kafka", "Kafka topic"),
    ("flink", "Flink stream job"), ("lake", "S3 data lake"), ("warehouse", "Warehouse"),
    ("labels", "Label pipeline"), ("validate", "Data validation"), ("trainer", "Two-tower trainer"),
    ("evaluator", "Offline evaluation"), ("registry", "Model registry"), ("canary", "Canary deploy"),
    ("monitor", "Monitoring"), ("drift", "Drift detector"), ("alerts", "Alerting"),
    ("dash", "Dashboards"), ("logger", "Impression logger"), ("safety", "Safety filter"),
    ("llm", "LLM generator"), ("vectordb", "Vector DB"), ("chunker", "Document chunker"),
    ("reranker_x", "Cross-encoder"), ("guard", "Guardrails"), ("batch", "Batch scorer"),
]
DETAILS = [
    "p99 20ms", "10K QPS", "GBDT, 200 features", "nightly", "hourly", "500 GB/day", "TTL 1h",
    "GPU x8", "recall@100", "NDCG@10", "shadow mode", "5% traffic", "INT8", "k=200",
]
LATENCIES = ["p99 5ms", "p99 20ms", "p95 12ms", "~10ms", "~30ms", "p50 2ms", "p99 150ms", "1s SLA"]
EDGE_WORDS = ["batch", "events", "features", "scores", "candidates", "embeddings", "labels",
              "deploy", "retrain", "logs", "metrics", "query", "top k", "async"]
CLASSES = ["store", "model", "service", "stream", "monitoring"]
SUBGRAPHS = [("data", "Data pipeline"), ("train", "Training"), ("serve", "Serving"),
             ("retrieval_tier", "Retrieval tier"), ("ranking_tier", "Ranking tier"),
             ("observe", "Monitoring"), ("rag", "RAG answerer"), ("offline", "Offline jobs")]
SHAPES = [("[", "]"), ("(", ")"), ("([", "])"), ("[[", "]]"), ("[(", ")]"), ("((", "))"),
          ("{", "}"), ("{{", "}}"), ("[/", "/]"), (">", "]")]
AT_SHAPES = ["cyl", "rounded", "diam", "hex", "docs", "lin-cyl", "stadium", "fr-rect"]


class _Gen:
    """Emits statements until the diagram has exactly ``edges`` edges."""

    def __init__(self, edges: int, seed: int) -> None:
        self.r = random.Random(f"whiteboard-bench-{seed}-{edges}")
        self.target = edges
        self.edges = 0
        self.lines: list[str] = []
        self.nodes: list[str] = []
        self.counter = 0

    # nodes ------------------------------------------------------------------------------------

    def new_node(self) -> str:
        """A first mention: id with a shape and label (sometimes a class or @{...} data)."""
        r = self.r
        slug, name = r.choice(COMPONENTS)
        self.counter += 1
        node_id = f"{slug}{self.counter}"
        self.nodes.append(node_id)
        roll = r.random()
        if roll < 0.08:
            return f'{node_id}@{{ shape: {r.choice(AT_SHAPES)}, label: "{name} {self.counter}" }}'
        open_, close = r.choice(SHAPES)
        if roll < 0.35:
            label = f'"{name}<br/>{r.choice(DETAILS)}"'
        elif roll < 0.55:
            label = f'"{name} ({r.choice(DETAILS)})"'
        else:
            label = f"{name} {self.counter}"
        text = f"{node_id}{open_}{label}{close}"
        if r.random() < 0.15:
            text += f":::{r.choice(CLASSES)}"
        return text

    def node(self) -> str:
        """A new node, or (mostly) a recent one by bare id: diagrams are local."""
        if len(self.nodes) < 3 or self.r.random() < 0.45:
            return self.new_node()
        recent = self.nodes[-40:]
        return self.r.choice(recent)

    # links ------------------------------------------------------------------------------------

    def link(self) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.30:
            return f'-->|"{r.choice(LATENCIES)}"|'
        if roll < 0.45:
            return f"-- {r.choice(EDGE_WORDS)} -->"
        if roll < 0.55:
            return f"-.->|{r.choice(EDGE_WORDS)}|"
        if roll < 0.62:
            return "-.->"
        if roll < 0.68:
            return "==>"
        if roll < 0.71:
            return "---"
        if roll < 0.73:
            return "--o"
        return "-->"

    # statements -------------------------------------------------------------------------------

    def edge_statement(self, indent: str) -> None:
        r = self.r
        left = self.target - self.edges
        roll = r.random()
        if roll < 0.15 and left >= 3:  # chain of 3
            parts = [self.node(), self.link(), self.node(), self.link(), self.node(), self.link(), self.node()]
            self.edges += 3
        elif roll < 0.30 and left >= 2:  # chain of 2
            parts = [self.node(), self.link(), self.node(), self.link(), self.node()]
            self.edges += 2
        elif roll < 0.38 and left >= 2:  # A & B --> C
            parts = [self.node(), "&", self.node(), self.link(), self.node()]
            self.edges += 2
        elif roll < 0.43 and left >= 2:  # A --> B & C
            parts = [self.node(), self.link(), self.node(), "&", self.node()]
            self.edges += 2
        else:
            parts = [self.node(), self.link(), self.node()]
            self.edges += 1
        self.lines.append(indent + " ".join(parts))

    def extra_statement(self, indent: str) -> None:
        r = self.r
        roll = r.random()
        if roll < 0.35:
            self.lines.append(f"{indent}%% {r.choice(EDGE_WORDS)}: {r.choice(DETAILS)}")
        elif roll < 0.65 and self.nodes:
            picked = sorted(set(r.sample(self.nodes[-30:], min(3, len(self.nodes[-30:])))))
            self.lines.append(f"{indent}class {','.join(picked)} {r.choice(CLASSES)}")
        elif roll < 0.85 and self.nodes:
            self.lines.append(f"{indent}style {r.choice(self.nodes[-30:])} fill:#f9f,stroke:#333,stroke-width:2px")
        else:
            self.lines.append("")

    def block(self, depth: int) -> None:
        """A subgraph of 10-60 edges (sometimes with a nested one and a direction)."""
        r = self.r
        slug, title = r.choice(SUBGRAPHS)
        self.counter += 1
        outer, indent = "    " * (depth + 1), "    " * (depth + 2)
        self.lines.append(f'{outer}subgraph {slug}{self.counter} ["{title}"]')
        if r.random() < 0.3:
            self.lines.append(f"{indent}direction {r.choice(['TB', 'LR', 'RL', 'BT'])}")
        for _ in range(r.randint(10, 60)):
            if self.edges >= self.target:
                break
            if depth < 2 and r.random() < 0.04:
                self.block(depth + 1)
                continue
            self.edge_statement(indent)
            if r.random() < 0.12:
                self.extra_statement(indent)
        self.lines.append(f"{outer}end")

    def diagram(self) -> str:
        r = self.r
        self.lines = ["%% problem: recsys", "%% generated by bench/parse_bench.py", "flowchart LR"]
        self.lines += [
            "    classDef store fill:#e8f4ff,stroke:#369",
            "    classDef model fill:#fff4e0,stroke:#c60,stroke-width:2px",
            "    classDef service fill:#f0fff0,stroke:#393",
            "    classDef stream fill:#fdf,stroke:#939",
            "    classDef monitoring fill:#eee,stroke:#666,stroke-dasharray: 5 5",
        ]
        while self.edges < self.target:
            if r.random() < 0.7:
                self.block(0)
            else:  # cross-tier links at top level
                for _ in range(r.randint(2, 8)):
                    if self.edges >= self.target:
                        break
                    self.edge_statement("    ")
        self.lines.append("    linkStyle 0 stroke:#f00,stroke-width:3px")
        return "\n".join(self.lines) + "\n"


def generate(edges: int, seed: int = 0) -> str:
    """A deterministic ML-architecture-like flowchart with exactly *edges* edges."""
    return _Gen(edges, seed).diagram()


# ----------------------------------------------------------------------------------------------
# baselines
# ----------------------------------------------------------------------------------------------

_TOKEN = re.compile(r'"[^"\n]*"|\|[^|\n]*\||[-=.~<>ox]{2,}|[\w.]+|:::|\S')


def regex_scan(text: str) -> int:
    count = 0
    findall = _TOKEN.findall
    for line in text.splitlines():
        count += len(findall(line))
    return count


def json_document(size: int, seed: int) -> str:
    """A JSON array of edge-like records, about *size* bytes."""
    r = random.Random(seed)
    records = []
    total = 2
    while total < size:
        record = {"source": f"{r.choice(COMPONENTS)[0]}{len(records)}", "target": f"n{r.randrange(10**6)}",
                  "label": r.choice(LATENCIES), "type": "arrow_point", "stroke": "normal", "length": 1}
        records.append(record)
        total += len(json.dumps(record)) + 2
    return json.dumps(records)


# ----------------------------------------------------------------------------------------------
# timing
# ----------------------------------------------------------------------------------------------


def _once(fn) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_time(fn, runs: int) -> float:
    return statistics.median(_once(fn) for _ in range(runs))


def interleaved_medians(fns: list, runs: int) -> list[float]:
    """Median time of each function, the functions taking turns run after run.

    Taking turns means a burst of load from elsewhere on the machine slows ours and the
    baselines alike, so the ratios hold up better than the absolute times.
    """
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for slot, fn in zip(times, fns):
            slot.append(_once(fn))
    return [statistics.median(slot) for slot in times]


def grammar_times(runs: int) -> dict[str, float]:
    from whiteboard.parser import build_parser

    build_parser()  # make sure the on-disk cache exists before timing the warm load
    cold = median_time(lambda: build_parser(cache=False), max(1, min(runs, 3)))
    warm = median_time(lambda: build_parser(), runs)
    return {"cold_s": cold, "warm_s": warm}


def bench_size(edges: int, runs: int, seed: int) -> dict[str, float | int]:
    from whiteboard.parser import parse_text

    text = generate(edges, seed)
    parsed = parse_text(text)  # untimed: checks the text parses, and how many edges it has
    if len(parsed.edges) != edges:
        raise SystemExit(f"parse_bench: generated {edges} edges but the parser found {len(parsed.edges)}")
    nbytes = len(text.encode("utf-8"))
    lines = text.count("\n")
    doc = json_document(nbytes, seed)
    seconds, regex_s, json_s = interleaved_medians(
        [lambda: parse_text(text), lambda: regex_scan(text), lambda: json.loads(doc)], runs)
    return {
        "edges": edges, "nodes": len(parsed.nodes), "subgraphs": len(parsed.subgraphs),
        "bytes": nbytes, "lines": lines, "runs": runs, "median_s": seconds,
        "lines_per_s": lines / seconds, "edges_per_s": edges / seconds,
        "regex_s": regex_s, "x_regex": seconds / regex_s,
        "json_bytes": len(doc), "json_s": json_s, "x_json": seconds / json_s,
    }


def format_table(rows: list[dict], grammar: dict[str, float]) -> str:
    header = ("edges", "bytes", "lines", "median s", "lines/s", "edges/s", "regex s", "x regex",
              "json s", "x json")
    body = [
        (f"{r['edges']:,}", f"{r['bytes']:,}", f"{r['lines']:,}", f"{r['median_s']:.4f}",
         f"{r['lines_per_s']:,.0f}", f"{r['edges_per_s']:,.0f}", f"{r['regex_s']:.5f}",
         f"{r['x_regex']:.0f}", f"{r['json_s']:.5f}", f"{r['x_json']:.0f}")
        for r in rows
    ]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(header)]
    out = ["| " + " | ".join(h.rjust(w) for h, w in zip(header, widths)) + " |",
           "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"]
    out += ["| " + " | ".join(c.rjust(w) for c, w in zip(b, widths)) + " |" for b in body]
    out.append("")
    out.append(f"grammar build (not in the timings above): cold {grammar['cold_s']:.3f} s "
               f"(build_parser(cache=False)), warm {grammar['warm_s']:.3f} s (from the on-disk cache)")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs per size; the median is shown (default 5)")
    ap.add_argument("--big", action="store_true", help=f"also {BIG_SIZE:,} edges (at most {BIG_RUNS} runs)")
    ap.add_argument("--sizes", help="comma-separated edge counts instead of 100,1000,10000")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    ap.add_argument("--json", metavar="PATH", help="also write the table (and machine details) as JSON")
    ap.add_argument("--show", type=int, metavar="EDGES", help="print the generated diagram of EDGES edges and exit")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    if args.show is not None:
        sys.stdout.write(generate(args.show, args.seed))
        return 0

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")] if args.sizes else list(DEFAULT_SIZES)
    if args.big and BIG_SIZE not in sizes:
        sizes.append(BIG_SIZE)

    import lark

    import whiteboard
    from whiteboard.parser import parse_text

    grammar = grammar_times(args.runs)
    parse_text("flowchart LR\nA --> B\n")  # load the process-wide parser outside the timings

    rows = []
    for edges in sizes:
        runs = min(args.runs, BIG_RUNS) if edges >= BIG_SIZE else args.runs
        rows.append(bench_size(edges, runs, args.seed))
        print(f"  {edges:>7,} edges: {rows[-1]['median_s']:.4f} s (median of {runs})", file=sys.stderr, flush=True)

    meta = {
        "python": platform.python_version(), "implementation": platform.python_implementation(),
        "machine": platform.machine(), "system": platform.system(), "lark": lark.__version__,
        "whiteboard": whiteboard.__version__, "seed": args.seed, "runs": args.runs,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }
    runs_note = f" ({min(args.runs, BIG_RUNS)} at {BIG_SIZE:,} edges)" if BIG_SIZE in sizes else ""
    print(f"whiteboard {meta['whiteboard']} parse_text, Python {meta['python']} ({meta['machine']}), "
          f"lark {meta['lark']}, seed {args.seed}, median of {args.runs} runs{runs_note}")
    print()
    print(format_table(rows, grammar))
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "grammar": grammar, "rows": rows}, indent=2) + "\n",
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
