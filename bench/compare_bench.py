#!/usr/bin/env python3
"""Our parser beside mermaid-js's own, on the same generated flowcharts, in one run.

    .venv/bin/python bench/compare_bench.py                  # 1,000 and 10,000 edges, 5 runs
    .venv/bin/python bench/compare_bench.py --big            # also 50,000 edges (slow: see below)
    .venv/bin/python bench/compare_bench.py --sizes 1000,10000,50000 --runs 3 --json out.json
    .venv/bin/python bench/compare_bench.py --no-mermaid     # our side and the baselines only

Each case is a flowchart from bench/parse_bench.py's generator (seeded: the same text every
run). Our side is ``whiteboard.parser.parse_text``; mermaid's is ``mermaid.parse()`` of the
npm ``mermaid`` package in node (bench/mermaid/parse_time.mjs; `cd bench/mermaid && npm ci`
installs it). The two take turns run after run, with parse_bench's baselines (a regex scan,
``json.loads`` of as many bytes) between them, so load from elsewhere slows all alike; the
ratios are what to compare between machines:

  ours/mermaid   our median / mermaid-js's median (the issue's goal: at most 1.0 at 10,000 edges)
  x regex        our median / the regex scan's
  x json         our median / json.loads's

mermaid-js's parse time grows faster than linearly (about 150 s for one 50,000-edge diagram
on a 2-core machine), so from 50,000 edges it is timed once, without a warm-up run. Without
node or the npm packages the table still prints, with our column and the baselines only.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
MERMAID_DIR = HERE / "mermaid"
DEFAULT_SIZES = (1_000, 10_000)
BIG_SIZE = 50_000
GOAL_EDGES, GOAL_RATIO = 10_000, 1.0


def _parse_bench():
    spec = importlib.util.spec_from_file_location("parse_bench", HERE / "parse_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def mermaid_missing() -> str | None:
    """Why mermaid-js cannot be timed here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not on PATH (apt-get install nodejs)"
    if not (MERMAID_DIR / "node_modules" / "mermaid").is_dir() or not (MERMAID_DIR / "node_modules" / "jsdom").is_dir():
        return "the npm packages are not installed (cd bench/mermaid && npm ci)"
    return None


class Mermaid:
    """The node child that parses a case when asked (parse_time.mjs without --runs)."""

    def __init__(self, cases: list[dict], folder: Path) -> None:
        path = folder / "cases.json"
        path.write_text(json.dumps(cases), encoding="utf-8")
        self.process = subprocess.Popen(
            ["node", "--expose-gc", str(MERMAID_DIR / "parse_time.mjs"), str(path)], cwd=MERMAID_DIR,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.meta = self._answer()

    def _answer(self) -> dict:
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        if not line:
            self.process.wait()
            error = self.process.stderr.read().strip().splitlines()  # type: ignore[union-attr]
            raise RuntimeError(f"node exited {self.process.returncode}: {error[-1] if error else 'no message'}")
        return json.loads(line)

    def ask(self, command: str, index: int) -> dict:
        self.process.stdin.write(f"{command} {index}\n")  # type: ignore[union-attr]
        self.process.stdin.flush()  # type: ignore[union-attr]
        answer = self._answer()
        if not answer.get("ok"):
            raise RuntimeError(f"mermaid-js failed on case {index}: {answer.get('error')}")
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()  # type: ignore[union-attr]
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _once(function) -> float:
    gc.collect()
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def measure(sizes: list[int], runs: int, seed: int, use_mermaid: bool) -> tuple[list[dict], dict | None, str | None]:
    bench = _parse_bench()
    from whiteboard.parser import parse_text

    parse_text("flowchart LR\nA --> B\n")  # the grammar is loaded before anything is timed
    cases = [{"name": f"{edges:,} edges", "edges": edges, "text": bench.generate(edges, seed)} for edges in sizes]
    for case in cases:
        found = len(parse_text(case["text"]).edges)
        if found != case["edges"]:
            raise SystemExit(f"compare_bench: generated {case['edges']} edges but the parser found {found}")

    why_not = mermaid_missing() if use_mermaid else "not asked for (--no-mermaid)"
    folder = Path(tempfile.mkdtemp(prefix="whiteboard-compare-"))
    node: Mermaid | None = None
    try:
        if why_not is None:
            try:
                node = Mermaid(cases, folder)
            except (OSError, RuntimeError, ValueError) as error:
                why_not = f"node could not load mermaid: {error}"
        rows = []
        for index, case in enumerate(cases):
            text, edges = case["text"], case["edges"]
            doc = bench.json_document(len(text.encode("utf-8")), seed)
            big = edges >= BIG_SIZE
            mermaid_runs = 1 if big else runs
            ours, regex, loads, theirs = [], [], [], []
            if node is not None and not big:
                node.ask("warm", index)  # V8 compiles mermaid's hot paths on an untimed run
            for run in range(runs):
                ours.append(_once(lambda: parse_text(text)))
                if node is not None and run < mermaid_runs:
                    theirs.append(node.ask("time", index)["s"])
                regex.append(_once(lambda: bench.regex_scan(text)))
                loads.append(_once(lambda: json.loads(doc)))
            row = {"edges": edges, "bytes": len(text.encode("utf-8")), "runs": runs,
                   "ours_s": statistics.median(ours), "regex_s": statistics.median(regex),
                   "json_s": statistics.median(loads)}
            row["x_regex"] = row["ours_s"] / row["regex_s"]
            row["x_json"] = row["ours_s"] / row["json_s"]
            if theirs:
                row.update(mermaid_s=statistics.median(theirs), mermaid_runs=len(theirs))
                row["ratio"] = row["ours_s"] / row["mermaid_s"]
            rows.append(row)
            shown = f", mermaid-js {row['mermaid_s']:.4f} s" if theirs else ""
            print(f"  {edges:>7,} edges: ours {row['ours_s']:.4f} s{shown}", file=sys.stderr, flush=True)
    finally:
        if node is not None:
            node.close()
        shutil.rmtree(folder, ignore_errors=True)
    return rows, (node.meta if node is not None else None), why_not


def format_table(rows: list[dict]) -> str:
    header = ("case", "bytes", "ours s", "mermaid-js s", "ours/mermaid", "regex s", "x regex", "json s", "x json")
    body = []
    for r in rows:
        theirs = (f"{r['mermaid_s']:.4f}" + (" (1 run)" if r["mermaid_runs"] == 1 and r["runs"] > 1 else "")
                  if "mermaid_s" in r else "-")
        body.append((f"{r['edges']:,} edges", f"{r['bytes']:,}", f"{r['ours_s']:.4f}", theirs,
                     f"{r['ratio']:.2f}" if "ratio" in r else "-", f"{r['regex_s']:.5f}", f"{r['x_regex']:.0f}",
                     f"{r['json_s']:.5f}", f"{r['x_json']:.0f}"))
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(header)]
    out = ["| " + " | ".join(h.rjust(w) for h, w in zip(header, widths)) + " |",
           "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"]
    out += ["| " + " | ".join(c.rjust(w) for c, w in zip(b, widths)) + " |" for b in body]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", help="comma-separated edge counts (default 1000,10000)")
    ap.add_argument("--big", action="store_true", help=f"also {BIG_SIZE:,} edges (mermaid-js: minutes)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per case; the median is shown (default 5)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    ap.add_argument("--no-mermaid", action="store_true", help="do not start node: our column and the baselines")
    ap.add_argument("--json", metavar="PATH", help="also write the rows (and versions) as JSON")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")] if args.sizes else list(DEFAULT_SIZES)
    if args.big and BIG_SIZE not in sizes:
        sizes.append(BIG_SIZE)

    rows, meta, why_not = measure(sizes, args.runs, args.seed, not args.no_mermaid)
    import lark

    theirs = f"mermaid {meta['mermaid']} on node {meta['node'][1:]}" if meta else "mermaid-js not measured"
    print(f"parse: whiteboard parse_text (Python {platform.python_version()}, lark {lark.__version__}) vs "
          f"{theirs}; seed {args.seed}, median of {args.runs} runs")
    print()
    print(format_table(rows))
    print()
    if why_not is not None:
        print(f"mermaid-js: not measured: {why_not}; only our time and the baseline ratios are shown")
    goal = next((r for r in rows if r["edges"] == GOAL_EDGES and "ratio" in r), None)
    if goal is not None:
        verdict = "met" if goal["ratio"] <= GOAL_RATIO else "NOT met"
        print(f"goal: ours/mermaid at {GOAL_EDGES:,} edges at most {GOAL_RATIO:.1f}: {verdict} ({goal['ratio']:.2f})")
    if args.json:
        Path(args.json).write_text(json.dumps({"mermaid": meta, "not_measured": why_not, "rows": rows}, indent=2)
                                   + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
