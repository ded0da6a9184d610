#!/usr/bin/env python3
"""Differential test: our parser vs mermaid-js's real parser, on generated flowcharts.

Generates N texts from ``tests/strategies.py``, parses them all with the mermaid oracle (one node
process, one batch) and with ``whiteboard.parser.parse_text``, and compares field by field:

  acceptance   mermaid ok  vs  we return a Diagram (not DiagramSyntaxError)
  direction
  nodes        id, label, shape, classes (lists, in order)
  edges        source, target, label, type, stroke, length (lists, in order)
  subgraphs    id, title, nodes, direction (lists, in order)
  class_defs   {name: [styles]}

Prints an agreement summary per field and writes every disagreement to ``--out`` (JSONL,
smallest input first) with the input text, mermaid's view and ours.

    python scripts/oracle_diff.py --n 2000 --seed 1 --out /tmp/diff.jsonl
    python scripts/oracle_diff.py --n 2000 --mutated --out /tmp/diff-mut.jsonl
    python scripts/oracle_diff.py --n 2000 --oracle-only          # before the parser exists

Exit code: 0 when everything agrees (or --oracle-only), 1 when there is any disagreement, 2 when
whiteboard.parser cannot be imported.  A parser exception other than DiagramSyntaxError, or a
parse taking longer than --timeout, is reported as a "crash" disagreement.
Only the standard library and hypothesis (through tests/strategies.py) are used.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

NODE_FIELDS = ("id", "label", "shape", "classes")
EDGE_FIELDS = ("source", "target", "label", "type", "stroke", "length")
SUBGRAPH_FIELDS = ("id", "title", "nodes", "direction")


# ----------------------------------------------------------------------------------------------
# inputs
# ----------------------------------------------------------------------------------------------


def generate(n: int, seed: int, mutated: bool, engine: str, hazard: float | None) -> list[str]:
    import strategies  # tests/strategies.py

    if engine == "random":
        return strategies.sample_texts(n, seed=seed, mutated=mutated, hazard=hazard)

    # engine == "hypothesis": run the real strategies under a seeded @given, collecting examples
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    strat = (strategies.mutated_flowcharts(hazard=hazard) if mutated
             else strategies.flowcharts(hazard=hazard))
    out: list[str] = []

    @hseed(seed)
    @settings(max_examples=n, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strat)
    def collect(text):
        if len(out) < n:
            out.append(text)

    collect()
    return out


# ----------------------------------------------------------------------------------------------
# the oracle
# ----------------------------------------------------------------------------------------------


def find_oracle(arg: str | None) -> Path:
    candidates = [Path(arg)] if arg else [ROOT.parent / "shared" / "oracle"]
    candidates.append(Path("/work/oracle"))
    for c in candidates:
        if (c / "mermaid_oracle.mjs").is_file() and (c / "node_modules").is_dir():
            return c
    tried = ", ".join(str(c) for c in candidates)
    sys.exit(f"oracle_diff: no mermaid oracle with node_modules found (tried {tried}); run `npm ci` there")


def run_oracle(oracle_dir: Path, texts: list[str], jobs: int) -> list[dict]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(texts, f)
        path = f.name
    try:
        cmd = ["node", str(oracle_dir / "mermaid_oracle.mjs"), "--max-edges=100000", path]
        if jobs > 1:
            cmd.insert(2, f"--jobs={jobs}")
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
    finally:
        os.unlink(path)
    # split on "\n" only: JSON.stringify leaves U+2028 / U+2029 / U+0085 raw, which
    # str.splitlines() would treat as line breaks
    lines = [ln for ln in proc.stdout.split("\n") if ln.strip()]
    if len(lines) != len(texts):
        sys.exit(f"oracle_diff: oracle returned {len(lines)} lines for {len(texts)} inputs "
                 f"(exit {proc.returncode}): {proc.stderr[-2000:]}")
    return [json.loads(ln) for ln in lines]


def mermaid_view(o: dict) -> dict:
    if not o.get("ok"):
        return {"ok": False, "error": o.get("error"), "errorLine": o.get("errorLine")}
    return {
        "ok": True,
        "direction": o.get("direction"),
        "nodes": [{k: n.get(k) for k in NODE_FIELDS} for n in o.get("nodes", [])],
        "edges": [{k: e.get(k) for k in EDGE_FIELDS} for e in o.get("edges", [])],
        "subgraphs": [{"id": s.get("id"), "title": s.get("title"), "nodes": s.get("nodes"),
                       "direction": s.get("dir")} for s in o.get("subgraphs", [])],
        "class_defs": o.get("classStyles", {}),
    }


# ----------------------------------------------------------------------------------------------
# our parser
# ----------------------------------------------------------------------------------------------


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def our_view(text: str, timeout: float) -> dict:
    from whiteboard.errors import DiagramSyntaxError
    from whiteboard.parser import parse_text

    use_alarm = timeout > 0 and hasattr(signal, "setitimer")
    if use_alarm:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        c = parse_text(text, path="<oracle_diff>").contract()
    except DiagramSyntaxError as e:
        return {"ok": False, "error": getattr(e, "message", str(e)),
                "line": getattr(e, "line", None), "column": getattr(e, "column", None)}
    except _Timeout:
        return {"ok": None, "crash": f"timeout after {timeout}s"}
    except Exception as e:  # a crash is a disagreement of its own kind
        return {"ok": None, "crash": f"{type(e).__name__}: {e}",
                "traceback": traceback.format_exc(limit=6)}
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return {
        "ok": True,
        "direction": c.get("direction"),
        "nodes": [{k: n.get(k) for k in NODE_FIELDS} for n in c.get("nodes", [])],
        "edges": [{k: e.get(k) for k in EDGE_FIELDS} for e in c.get("edges", [])],
        "subgraphs": [{"id": s.get("id"), "title": s.get("title"), "nodes": s.get("nodes"),
                       "direction": s.get("direction")} for s in c.get("subgraphs", [])],
        "class_defs": c.get("class_defs", {}),
    }


# ----------------------------------------------------------------------------------------------
# comparison
# ----------------------------------------------------------------------------------------------


def compare(m: dict, ours: dict) -> list[str]:
    """Names of the fields that differ (empty = agreement)."""
    if ours.get("ok") is None:
        return ["crash"]
    if m["ok"] != ours["ok"]:
        return ["acceptance"]
    if not m["ok"]:
        return []
    bad = []
    if m["direction"] != ours["direction"]:
        bad.append("direction")
    for coll, fields in (("nodes", NODE_FIELDS), ("edges", EDGE_FIELDS), ("subgraphs", SUBGRAPH_FIELDS)):
        a, b = m[coll], ours[coll]
        if len(a) != len(b):
            bad.append(f"{coll}.count")
        for f in fields:
            if [x.get(f) for x in a] != [y.get(f) for y in b]:
                bad.append(f"{coll}.{f}")
    if m["class_defs"] != ours["class_defs"]:
        bad.append("class_defs")
    return bad


def field_names() -> list[str]:
    names = ["direction"]
    for coll, fields in (("nodes", NODE_FIELDS), ("edges", EDGE_FIELDS), ("subgraphs", SUBGRAPH_FIELDS)):
        names.append(f"{coll}.count")
        names += [f"{coll}.{f}" for f in fields]
    names.append("class_defs")
    return names


def error_kind(err: str | None) -> str:
    if not err:
        return "?"
    if err.startswith("Parse error"):
        return "parse error"
    if err.startswith("Lexical error"):
        return "lexical error"
    if err.startswith("No such shape"):
        return "unknown @{shape}"
    if err.startswith("No diagram type"):
        return "no diagram type"
    if "properties of undefined" in err:
        return "TypeError in FlowDB"
    if re.search(r"\(\d+:\d+\)", err.split("\n")[0]) or "YAML" in err:
        return "YAML error (@{...} or front matter)"
    if err.startswith("Diagrams beginning with ---"):
        return "bad front matter"
    return err.split("\n")[0][:60]


# ----------------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=500, help="number of generated inputs (default 500)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    ap.add_argument("--mutated", action="store_true", help="use mutated_flowcharts() instead of flowcharts()")
    ap.add_argument("--out", help="JSONL file for disagreements (oracle-only: every input and mermaid's view)")
    ap.add_argument("--oracle-dir", help="directory of mermaid_oracle.mjs (default ../shared/oracle, "
                                         "else /work/oracle)")
    ap.add_argument("--oracle-only", action="store_true", help="only run mermaid; report its acceptance")
    ap.add_argument("--engine", choices=("random", "hypothesis"), default="random",
                    help="random: the strategies' generator on random.Random(seed) (fast, exact); "
                         "hypothesis: the Hypothesis strategies under @seed(seed)")
    ap.add_argument("--hazard", type=float, default=None,
                    help="force the per-document hazard rate (0 = no deliberate invalid constructs)")
    ap.add_argument("--jobs", type=int, default=1, help="oracle worker threads")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per input for our parser (0 = none)")
    ap.add_argument("--show", type=int, default=5, help="print the N smallest disagreements")
    args = ap.parse_args(argv)

    t0 = time.time()
    texts = generate(args.n, args.seed, args.mutated, args.engine, args.hazard)
    t1 = time.time()
    oracle_dir = find_oracle(args.oracle_dir)
    raw = run_oracle(oracle_dir, texts, args.jobs)
    t2 = time.time()
    mviews = [mermaid_view(o) for o in raw]
    n = len(texts)
    accepted = sum(1 for v in mviews if v["ok"])
    label = "mutated_flowcharts()" if args.mutated else "flowcharts()"
    print(f"{n} inputs from {label} (seed {args.seed}, engine {args.engine}); generated in "
          f"{t1 - t0:.1f}s, oracle {t2 - t1:.1f}s ({oracle_dir})")
    print(f"mermaid accepts {accepted}/{n} = {100.0 * accepted / max(n, 1):.1f}%")
    kinds = collections.Counter(error_kind(v["error"]) for v in mviews if not v["ok"])
    for k, c in kinds.most_common():
        print(f"  rejected: {k:36} {c}")

    if args.oracle_only:
        if args.out:
            order = sorted(range(n), key=lambda i: (len(texts[i]), i))
            with open(args.out, "w", encoding="utf-8") as f:
                for i in order:
                    f.write(json.dumps({"index": i, "text": texts[i], "mermaid": mviews[i]}, ensure_ascii=False) + "\n")
            print(f"wrote {n} inputs with mermaid's view to {args.out}")
        return 0

    try:
        import whiteboard.parser  # noqa: F401
    except ImportError as e:
        print(f"oracle_diff: cannot import whiteboard.parser ({e}); use --oracle-only", file=sys.stderr)
        return 2

    names = field_names()
    agree = collections.Counter()
    both_ok = 0
    acc_agree = 0
    confusion = collections.Counter()
    err_lines = [0, 0]
    diffs = []
    t3 = time.time()
    for i, text in enumerate(texts):
        ours = our_view(text, args.timeout)
        m = mviews[i]
        bad = compare(m, ours)
        ours_state = {True: "ok", False: "error", None: "crash"}[ours.get("ok")]
        confusion[("ok" if m["ok"] else "error", ours_state)] += 1
        if ours.get("ok") is not None and m["ok"] == ours["ok"]:
            acc_agree += 1
        if m["ok"] is False and ours.get("ok") is False and m.get("errorLine") is not None:
            err_lines[1] += 1
            err_lines[0] += int(m["errorLine"] == ours.get("line"))
        if m["ok"] and ours.get("ok"):
            both_ok += 1
            for f in names:
                if f not in bad:
                    agree[f] += 1
        if bad:
            diffs.append({"index": i, "fields": bad, "text": text, "mermaid": m, "ours": ours})
    t4 = time.time()

    print(f"our parser: {n} inputs in {t4 - t3:.1f}s")
    print(f"acceptance agreement: {acc_agree}/{n} = {100.0 * acc_agree / max(n, 1):.1f}%")
    print("  mermaid ok    & we ok:    {:6}".format(confusion[("ok", "ok")]))
    print("  mermaid ok    & we error: {:6}".format(confusion[("ok", "error")]))
    print("  mermaid error & we ok:    {:6}".format(confusion[("error", "ok")]))
    print("  mermaid error & we error: {:6}".format(confusion[("error", "error")]))
    crashes = confusion[("ok", "crash")] + confusion[("error", "crash")]
    print("  we crash (not DiagramSyntaxError): {}".format(crashes))
    print(f"field agreement over the {both_ok} inputs both accept:")
    for f in names:
        pct = 100.0 * agree[f] / both_ok if both_ok else 100.0
        print(f"  {f:20} {agree[f]:6}/{both_ok:<6} {pct:6.1f}%")
    if err_lines[1]:
        print(f"(info) error line agrees where both reject and mermaid names a line: "
              f"{err_lines[0]}/{err_lines[1]}  (mermaid counts lines after removing front matter "
              f"and directives, so this is only a hint)")
    print(f"inputs with any disagreement: {len(diffs)}/{n}")

    diffs.sort(key=lambda d: (len(d["text"]), d["index"]))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for d in diffs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"wrote {len(diffs)} disagreements to {args.out}")
    for d in diffs[: args.show]:
        print("-" * 70)
        print(f"#{d['index']} {', '.join(d['fields'])}: {d['text']!r}")
        print("  mermaid:", json.dumps(d["mermaid"], ensure_ascii=False)[:400])
        print("  ours:   ", json.dumps(d["ours"], ensure_ascii=False)[:400])
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
