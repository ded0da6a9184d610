#!/usr/bin/env python3
"""Render time: ``whiteboard render`` on generated ML-architecture flowcharts of 50 and 500 nodes.

    .venv/bin/python bench/render_bench.py                  # 50 and 500 nodes, median of 5 / 3 runs
    .venv/bin/python bench/render_bench.py --sizes 50,200 --runs 7
    .venv/bin/python bench/render_bench.py --show 50        # print the generated 50-node diagram

Each size is timed end to end (``render_text``: parse, translate, ``dot -Tsvg``, SVG check),
plain and with ``--overlay`` (which also runs the whole check), and by phase: DOT translation
alone and the ``dot`` layout alone. Two baselines are timed in the same run, taking turns with
the renders: ``dot -V`` (starting the Graphviz process, which every render pays) and rendering
a 1-node diagram through the same path. The ratios ``x dot -V`` and ``x 1-node`` compare across
machines; the seconds do not. Seeded: every run draws the same diagrams.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STAGES = [
    ("Data pipeline", ["Event logs", "Kafka topic", "Flink stream job", "S3 data lake", "Data validation",
                       "Label pipeline"]),
    ("Feature store", ["Offline store", "Online store: Redis", "Feature pipeline"]),
    ("Training", ["Two-tower trainer", "Baseline: GBDT", "Offline evaluation", "MLflow registry"]),
    ("Serving", ["Mobile app", "API gateway", "Candidate retrieval: FAISS", "Ranking model", "Re-ranker"]),
    ("Monitoring", ["Drift detection: PSI", "Dashboards", "A/B test + canary", "Retrain trigger"]),
]
SHAPES = ["[{}]", "([{}])", "[({})]", "[[{}]]", "{{{}}}", "({})"]


def diagram(nodes: int, seed: int = 1) -> str:
    """A flowchart of *nodes* nodes in stage subgraphs, chained, cross-linked, some edges timed."""
    rng = random.Random(seed)
    lines = ["flowchart LR", '  Req["Requirements<br/>5K QPS, p99 < 200ms"]']
    ids: list[str] = ["Req"]
    per_group = 10
    group = 0
    while len(ids) < nodes:
        title, labels = STAGES[group % len(STAGES)]
        lines.append(f'  subgraph G{group} ["{title} {group // len(STAGES) + 1}"]')
        members = []
        for _ in range(min(per_group, nodes - len(ids))):
            node_id = f"N{len(ids)}"
            label = f"{rng.choice(labels)} {len(ids)}"
            lines.append(f"    {node_id}{rng.choice(SHAPES).format(chr(34) + label + chr(34))}")
            ids.append(node_id)
            members.append(node_id)
        for first, second in zip(members, members[1:]):
            link = rng.choice(["-->", "-->", "-.->", "==>"])
            label = f'|"~{rng.randint(1, 40)}ms"|' if rng.random() < 0.4 else ""
            lines.append(f"    {first} {link}{label} {second}")
        lines.append("  end")
        group += 1
    for _ in range(nodes // 4):
        a, b = rng.sample(ids[1:], 2)
        lines.append(f"  {a} --> {b}")
    return "\n".join(lines) + "\n"


def timed(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,500", help="node counts, comma-separated")
    parser.add_argument("--runs", type=int, default=0, help="runs per measurement (default 5, 3 from 300 nodes)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, help="print the diagram of this many nodes and stop")
    args = parser.parse_args()
    if args.show:
        sys.stdout.write(diagram(args.show, args.seed))
        return 0

    from whiteboard.parser import parse_text
    from whiteboard.render import RenderOptions, dot_text, render_text
    from whiteboard.render.graphviz_engine import dot_available, run_dot

    if not dot_available():
        print("Graphviz 'dot' is not installed (apt-get install graphviz)", file=sys.stderr)
        return 2
    version = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False).stderr.strip()
    print(f"{version}; Python {sys.version.split()[0]}")
    trivial = "flowchart LR\n  A[Client]\n"
    render_text(trivial)  # warm imports and the grammar cache
    header = (f"{'nodes':>6} {'edges':>6} {'svg KB':>7} {'translate s':>11} {'dot s':>7} {'render s':>9} "
              f"{'overlay s':>9} {'dot -V s':>8} {'1-node s':>8} {'x dot -V':>8} {'x 1-node':>8} "
              f"{'overlay x 1-node':>16}")
    print(header)
    for size in (int(s) for s in args.sizes.split(",")):
        runs = args.runs or (5 if size < 300 else 3)
        text = diagram(size, args.seed)
        edges = len(parse_text(text).edges)
        source = dot_text(text)
        svg = render_text(text)
        rows = {"translate": [], "dot": [], "render": [], "overlay": [], "version": [], "trivial": []}
        for _ in range(runs):  # take turns, so a busy moment hits every column alike
            rows["version"].append(timed(lambda: subprocess.run(["dot", "-V"], capture_output=True, check=False), 1))
            rows["trivial"].append(timed(lambda: render_text(trivial), 1))
            rows["translate"].append(timed(lambda: dot_text(text), 1))
            rows["dot"].append(timed(lambda: run_dot(source, "svg"), 1))
            rows["render"].append(timed(lambda: render_text(text), 1))
            rows["overlay"].append(timed(lambda: render_text(text, options=RenderOptions(overlay=True)), 1))
        m = {key: statistics.median(values) for key, values in rows.items()}
        print(f"{size:>6} {edges:>6} {len(svg) / 1024:>7.0f} {m['translate']:>11.3f} {m['dot']:>7.3f} "
              f"{m['render']:>9.3f} {m['overlay']:>9.3f} {m['version']:>8.4f} {m['trivial']:>8.4f} "
              f"{m['render'] / m['version']:>8.0f} {m['render'] / m['trivial']:>8.1f} "
              f"{m['overlay'] / m['trivial']:>16.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
