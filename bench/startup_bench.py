#!/usr/bin/env python3
"""Cold start: `whiteboard check examples/recsys.mmd` beside `python -c "import networkx"`.

    .venv/bin/python bench/startup_bench.py                 # 10 runs of each, medians, ratios
    .venv/bin/python bench/startup_bench.py --runs 20 --top 20 --file examples/recsys.mmd

Every command is a new process, started the way a pre-commit hook starts it: the console
script beside this interpreter (``.venv/bin/whiteboard``), the same interpreter for the
baselines. The commands take turns run after run, so a busy machine slows them alike; the
ratios are what to compare between machines:

  x networkx   check / `python -c "import networkx"`, the one import the check cannot avoid
               (the issue's goal: at most 1.3)
  x python     check / `python -c pass`, the interpreter alone

Then one `python -X importtime` run of the same check lists the imports that cost most: the
top-level ones (what the process asked for, with everything they pulled in) and the modules
whose own code took longest. Nothing is changed; this only measures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOAL = 1.3


def _script() -> list[str]:
    script = Path(sys.executable).parent / "whiteboard"
    return [str(script)] if script.exists() else [sys.executable, "-m", "whiteboard"]


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"startup_bench: {' '.join(command)} exited {done.returncode}: {done.stderr[-400:]}")
    return elapsed


def import_times(command: list[str]) -> list[tuple[int, int, int, str]]:
    """(self us, cumulative us, depth, module) for every import of one run of *command*."""
    done = subprocess.run([sys.executable, "-X", "importtime", *command], cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        rows.append((int(own), int(cumulative), depth, name.strip()))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="runs of each command (default 10)")
    ap.add_argument("--file", default="examples/recsys.mmd", help="the diagram to check (default examples/recsys.mmd)")
    ap.add_argument("--top", type=int, default=12, help="how many imports to list (default 12)")
    args = ap.parse_args(argv)

    check = [*_script(), "check", args.file]
    commands = {"check": check, "networkx": [sys.executable, "-c", "import networkx"],
                "python": [sys.executable, "-c", "pass"]}
    _seconds(check)  # the grammar cache and the OS file cache are warm before timing
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(_seconds(command))
    median = {name: statistics.median(values) for name, values in times.items()}
    ratio_nx = median["check"] / median["networkx"]

    print(f"cold start, Python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {args.runs} runs each\n")
    print("| command | median s | min s | x networkx | x python |")
    print("|---|---:|---:|---:|---:|")
    shown = {"check": f"whiteboard check {args.file}", "networkx": 'python -c "import networkx"',
             "python": 'python -c "pass"'}
    for name in commands:
        print(f"| `{shown[name]}` | {median[name]:.3f} | {min(times[name]):.3f} | "
              f"{median[name] / median['networkx']:.2f} | {median[name] / median['python']:.2f} |")
    verdict = "met" if ratio_nx <= GOAL else "NOT met"
    print(f"\ngoal: check at most {GOAL}x `import networkx`: {verdict} ({ratio_nx:.2f}x)")

    rows = import_times(check[1:] if check[0] == sys.executable else check)
    total = sum(own for own, _, _, _ in rows)
    print(f"\n`-X importtime` of the check: {len(rows)} modules, {total / 1e6:.3f} s of import in all\n")
    print("top-level imports (with everything they import):\n")
    print("| module | cumulative ms |")
    print("|---|---:|")
    for own, cumulative, depth, name in sorted((r for r in rows if r[2] == 0), key=lambda r: -r[1])[:args.top]:
        print(f"| {name} | {cumulative / 1000:.1f} |")
    print("\nslowest modules by their own import time:\n")
    print("| module | self ms |")
    print("|---|---:|")
    for own, cumulative, depth, name in sorted(rows, key=lambda r: -r[0])[:args.top]:
        print(f"| {name} | {own / 1000:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
