"""Run the mermaid conformance corpus and print agreement per field and every difference.

    python scripts/conformance.py [CORPUS.jsonl] [--show N]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "parse"))

from mermaid_compare import FIELDS, compare  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "conformance" / "mermaid-flowchart-corpus.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT))
    parser.add_argument("--show", type=int, default=50)
    args = parser.parse_args()
    cases = [json.loads(line) for line in open(args.corpus, encoding="utf-8")]
    agree = Counter()
    seen = Counter()
    failures = []
    for case in cases:
        result = compare(case["input"], case["expect"])
        ok = all(v for k, v in result.items() if k != "detail")
        for field in FIELDS:
            if field in result:
                seen[field] += 1
                agree[field] += bool(result[field])
        if not ok:
            failures.append((case["id"], case["input"], result.get("detail", "")))
    total_ok = len(cases) - len(failures)
    print(f"cases: {len(cases)}  fully agreeing: {total_ok} ({100 * total_ok / len(cases):.2f}%)")
    for field in FIELDS:
        if seen[field]:
            print(f"  {field:11s} {agree[field]}/{seen[field]} ({100 * agree[field] / seen[field]:.2f}%)")
    for case_id, text, detail in failures[: args.show]:
        print(f"\n--- {case_id}\n{text[:300]!r}\n{detail[:600]}")
    return 0 if not failures else 1


if __name__ == "__main__":
    raise SystemExit(main())
