"""Times `whiteboard check`: one diagram of 50 to 50,000 nodes, and a folder of 1,000 diagrams.

    .venv/bin/python bench/check_bench.py                        # 50, 500, 5,000, 50,000 nodes + the batch
    .venv/bin/python bench/check_bench.py --sizes 50,500,5000 --batch 0 --runs 5
    .venv/bin/python bench/check_bench.py --batch 1000 --sizes '' --json out.json

Scale: each size is checked end to end through the library (`check_diagram_text`: parse,
roles, every rule, latency path, coverage, signals), its parse alone timed in the same run
as the baseline, the two taking turns run after run, so `x parse` (check time / parse time)
compares across machines. `growth` is the time per node relative to the smallest size (1.0
is linear); `x time` / `x nodes` compare each size with the one before it. The issue's bar:
10x the nodes costs at most 11x the time.

Batch: `whiteboard check DIR --quiet` (the console script, one process) on a folder of
generated diagrams of about 40 nodes each. Baselines in the same run, taking turns with it:
a Python process that imports networkx and reads the same files (what any checker of them
pays at least), and `whiteboard check` on one of the files (start-up plus one diagram), from
which the per-diagram cost once started follows.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BATCH_EDGES = 55  # about 40 nodes: a whiteboard answer


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


def _once(function) -> float:
    gc.collect()
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _interleaved(functions: list, runs: int) -> list[float]:
    """Median time of each function, taking turns run after run (load hits all alike)."""
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(runs):
        for slot, function in zip(times, functions):
            slot.append(_once(function))
    return [statistics.median(slot) for slot in times]


def scale_rows(sizes: list[int], runs: int) -> list[dict]:
    from whiteboard.linter import check_diagram_text
    from whiteboard.parser import parse_text

    generate = _generator()
    check_diagram_text("flowchart LR\n  A --> B\n")  # load grammar, vocabulary, rules once
    rows: list[dict] = []
    for size in sizes:
        text = _edges_for(size, generate)
        diagram = parse_text(text)
        size_runs = max(1, _runs_for(runs, size))
        parse_s, check_s = _interleaved([lambda: parse_text(text), lambda: check_diagram_text(text)], size_runs)
        result = check_diagram_text(text)
        row = {"nodes": len(diagram.nodes), "edges": len(diagram.edges), "runs": size_runs, "parse_s": parse_s,
               "check_s": check_s, "x_parse": check_s / parse_s, "findings": len(result.findings)}
        if rows:
            row["x_time"] = check_s / rows[-1]["check_s"]
            row["x_nodes"] = row["nodes"] / rows[-1]["nodes"]
        rows.append(row)
        print(f"  {row['nodes']:>7,} nodes: check {check_s:.4f} s, parse {parse_s:.4f} s (median of {size_runs})",
              file=sys.stderr, flush=True)
    for row in rows:
        row["growth"] = (row["check_s"] / row["nodes"]) / (rows[0]["check_s"] / rows[0]["nodes"])
    return rows


def _runs_for(runs: int, nodes: int) -> int:
    """Fewer runs for the big sizes: 3 above 1,000 nodes, 2 above 20,000."""
    return runs if nodes <= 1000 else min(runs, 3) if nodes <= 20_000 else min(runs, 2)


def _whiteboard() -> list[str]:
    script = Path(sys.executable).parent / "whiteboard"
    return [str(script)] if script.exists() else [sys.executable, "-m", "whiteboard"]


def _run(command: list[str]) -> None:
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"check_bench: {' '.join(command)} exited {done.returncode}: {done.stderr[-500:]}")


def batch_row(count: int, runs: int) -> dict:
    generate = _generator()
    folder = Path(tempfile.mkdtemp(prefix="whiteboard-batch-"))
    try:
        for index in range(count):
            (folder / f"design-{index:04d}.mmd").write_text(generate(BATCH_EDGES, seed=index), encoding="utf-8")
        read_files = [sys.executable, "-c",
                      "import sys, pathlib, networkx\n"
                      "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.mmd')): p.read_text(encoding='utf-8')",
                      str(folder)]
        check_dir = [*_whiteboard(), "check", str(folder), "--quiet"]
        check_one = [*_whiteboard(), "check", str(folder / "design-0000.mmd"), "--quiet"]
        _run(check_one)  # the grammar cache and the OS file cache are warm before timing
        batch_s, baseline_s, one_s = _interleaved(
            [lambda: _run(check_dir), lambda: _run(read_files), lambda: _run(check_one)], runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"diagrams": count, "runs": runs, "batch_s": batch_s, "diagrams_per_s": count / batch_s,
            "read_s": baseline_s, "x_read": batch_s / baseline_s, "one_s": one_s,
            "per_diagram_s": (batch_s - one_s) / max(count - 1, 1),
            "started_diagrams_per_s": max(count - 1, 1) / max(batch_s - one_s, 1e-9)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per case; fewer for big sizes (default 5)")
    parser.add_argument("--sizes", default="50,500,5000,50000", help="node counts, comma-separated ('' for none)")
    parser.add_argument("--batch", type=int, default=1000, help="diagrams in the folder case (0: skip it)")
    parser.add_argument("--batch-runs", type=int, default=3, help="runs of the folder case (default 3)")
    parser.add_argument("--json", help="also write the tables as JSON")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    print(f"whiteboard check, Python {sys.version.split()[0]}, {os.cpu_count()} cores", flush=True)
    out: dict = {}
    if sizes:
        rows = out["scale"] = scale_rows(sizes, args.runs)
        print("\n| nodes | edges | runs | parse s | check s | x parse | growth | x time | x nodes | findings |")
        print("|------:|------:|-----:|--------:|--------:|--------:|-------:|-------:|--------:|---------:|")
        for row in rows:
            step = (f"{row['x_time']:.1f} | {row['x_nodes']:.1f}") if "x_time" in row else "- | -"
            print(f"| {row['nodes']:,} | {row['edges']:,} | {row['runs']} | {row['parse_s']:.4f} | "
                  f"{row['check_s']:.4f} | {row['x_parse']:.2f} | {row['growth']:.2f} | {step} | {row['findings']} |")
        worst = max(rows[1:], key=lambda r: r["x_time"] / r["x_nodes"], default=None)
        if worst is not None:
            allowed = 1.1 * worst["x_nodes"]
            verdict = "met" if worst["x_time"] <= allowed else "NOT met"
            print(f"\nscale target (10x the nodes, at most 11x the time): {verdict}; worst step "
                  f"{worst['x_time']:.1f}x the time for {worst['x_nodes']:.1f}x the nodes (allowed {allowed:.1f}x)")
    if args.batch > 0:
        row = out["batch"] = batch_row(args.batch, args.batch_runs)
        print(f"\nbatch: `whiteboard check DIR --quiet`, {row['diagrams']:,} diagrams of ~40 nodes, median of "
              f"{row['runs']}\n")
        print("| diagrams | check DIR s | diagrams/s | read s | x read | check 1 file s | per diagram ms "
              "| started diagrams/s |")
        print("|---------:|------------:|-----------:|-------:|-------:|---------------:|---------------:"
              "|-------------------:|")
        print(f"| {row['diagrams']:,} | {row['batch_s']:.2f} | {row['diagrams_per_s']:.0f} | {row['read_s']:.3f} | "
              f"{row['x_read']:.0f} | {row['one_s']:.3f} | {row['per_diagram_s'] * 1000:.1f} | "
              f"{row['started_diagrams_per_s']:.0f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
