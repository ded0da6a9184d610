"""Times `whiteboard check` on generated ML-architecture diagrams of about 50, 500 and 5,000 nodes.

    .venv/bin/python bench/check_bench.py [--runs 5] [--sizes 50,500,5000] [--json out.json]

Each size is checked end to end through the library (`check_diagram_text`: parse, roles,
every rule, latency path, coverage), and its parse alone is timed in the same run as the
baseline, so `x parse` (check time / parse time) compares across machines. `growth` is the
time per node relative to the smallest size: 1.0 is linear; the issue's bar is that 10x the
nodes costs at most 11x the time.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _generator():
    spec = importlib.util.spec_from_file_location("parse_bench", HERE / "parse_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.generate


def _edges_for(nodes: int, generate) -> str:
    """A generated diagram with about *nodes* nodes (the generator is sized by edges)."""
    from whiteboard.parser import parse_text

    edges = max(10, int(nodes * 1.36))
    text = generate(edges)
    count = len(parse_text(text).nodes)
    return generate(max(10, int(edges * nodes / max(count, 1)))) if abs(count - nodes) > nodes * 0.05 else text


def _median(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="50,500,5000")
    parser.add_argument("--json")
    args = parser.parse_args()
    from whiteboard.linter import check_diagram_text
    from whiteboard.parser import parse_text

    generate = _generator()
    check_diagram_text("flowchart LR\n  A --> B\n")  # load grammar, vocabulary, rules once
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        text = _edges_for(size, generate)
        diagram = parse_text(text)
        runs = max(1, args.runs if size <= 1000 else min(args.runs, 3))
        parse_s = _median(lambda: parse_text(text), runs)
        check_s = _median(lambda: check_diagram_text(text), runs)
        result = check_diagram_text(text)
        rows.append({"nodes": len(diagram.nodes), "edges": len(diagram.edges), "parse_s": parse_s,
                     "check_s": check_s, "x_parse": check_s / parse_s, "findings": len(result.findings)})
    base = rows[0]["check_s"] / rows[0]["nodes"]
    for row in rows:
        row["growth"] = (row["check_s"] / row["nodes"]) / base
    print(f"whiteboard check, Python {sys.version.split()[0]}, median of {args.runs} runs (3 above 1,000 nodes)\n")
    print("| nodes | edges | parse s | check s | x parse | growth | findings |")
    print("|------:|------:|--------:|--------:|--------:|-------:|---------:|")
    for row in rows:
        print(f"| {row['nodes']:,} | {row['edges']:,} | {row['parse_s']:.4f} | {row['check_s']:.4f} | "
              f"{row['x_parse']:.2f} | {row['growth']:.2f} | {row['findings']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
