#!/usr/bin/env python3
"""Regenerate the parse fixtures: ``tests/parse/cases/<name>.json`` from ``<name>.mmd``.

Each ``.mmd`` is one small flowchart showing one construct. Its ``.json`` holds

    {"input_sha256": sha256 of the .mmd's raw bytes,
     "contract":     whiteboard's Diagram.contract() for it (Contract 1),
     "mermaid":      what the real mermaid-js parser says (one oracle output line)}

``tests/parse/test_fixtures.py`` checks that the hash is current, that our parser still gives
the stored contract, and that the contract agrees with the stored mermaid answer field by field.

    python scripts/regen_parse_fixtures.py                # our parser + the mermaid oracle
    python scripts/regen_parse_fixtures.py --no-oracle    # keep stored "mermaid" (hash must match)
    python scripts/regen_parse_fixtures.py --check        # report what would change, write nothing
    python scripts/regen_parse_fixtures.py shapes_all     # only the named cases

The oracle is ``mermaid_oracle.mjs`` (npm mermaid, see its README), run once for all cases with
``--max-edges=100000``; it is looked up at ``--oracle``, ``$WHITEBOARD_ORACLE``, ``/work/oracle``
and ``../shared/oracle``. Every input must be text mermaid accepts; a case mermaid rejects, or
where our contract disagrees with mermaid, is reported and makes the exit code 1 (the fixture is
still written, and its test will fail until the parser or the case is fixed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "parse" / "cases"

NODE_FIELDS = ("id", "label", "shape", "classes")
EDGE_FIELDS = ("source", "target", "label", "type", "stroke", "length")
# (our contract's name, the oracle's name)
SUBGRAPH_FIELDS = (("id", "id"), ("title", "title"), ("nodes", "nodes"), ("direction", "dir"))


# ----------------------------------------------------------------------------------------------
# shared with tests/parse/test_fixtures.py
# ----------------------------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def case_paths(names: list[str] | None = None) -> list[Path]:
    paths = sorted(CASES.glob("*.mmd"))
    if names:
        wanted = {Path(n).stem for n in names}
        missing = wanted - {p.stem for p in paths}
        if missing:
            raise SystemExit(f"regen_parse_fixtures: no such case: {', '.join(sorted(missing))}")
        paths = [p for p in paths if p.stem in wanted]
    return paths


def disagreements(contract: dict[str, Any], mermaid: dict[str, Any]) -> list[str]:
    """Every place our Contract 1 output differs from mermaid's answer (empty: agreement).

    Compared: direction; nodes id/label/shape/classes; edges source/target/label/type/stroke/
    length; subgraphs id/title/nodes/direction (the oracle's ``dir``); class_defs names and
    styles. Lists are compared in order, so a count or ordering difference is reported too.
    """
    if not mermaid.get("ok"):
        return [f"mermaid rejects the input: {str(mermaid.get('error'))[:300]}"]
    problems = []
    if contract["direction"] != mermaid.get("direction"):
        problems.append(f"direction: mermaid={mermaid.get('direction')!r} ours={contract['direction']!r}")
    collections = (
        ("nodes", [(f, f) for f in NODE_FIELDS]),
        ("edges", [(f, f) for f in EDGE_FIELDS]),
        ("subgraphs", list(SUBGRAPH_FIELDS)),
    )
    for name, fields in collections:
        ours, theirs = contract[name], mermaid.get(name, [])
        if len(ours) != len(theirs):
            problems.append(f"{name}: mermaid has {len(theirs)}, ours {len(ours)}")
        for i, (a, b) in enumerate(zip(ours, theirs)):
            for our_field, their_field in fields:
                if a.get(our_field) != b.get(their_field):
                    problems.append(f"{name}[{i}].{our_field}: mermaid={b.get(their_field)!r} "
                                    f"ours={a.get(our_field)!r}")
    # class_defs: the oracle lists names in `classDefs` and styles in `classStyles` (a JSON
    # object, which cannot hold `__proto__`; such a class has no styles entry).
    names = list(mermaid.get("classDefs", []))
    styles = mermaid.get("classStyles", {})
    if list(contract["class_defs"]) != names:
        problems.append(f"class_defs names: mermaid={names!r} ours={list(contract['class_defs'])!r}")
    else:
        for cls in names:
            if cls in styles and styles[cls] != contract["class_defs"][cls]:
                problems.append(f"class_defs[{cls!r}]: mermaid={styles[cls]!r} "
                                f"ours={contract['class_defs'][cls]!r}")
    return problems


# ----------------------------------------------------------------------------------------------
# the oracle
# ----------------------------------------------------------------------------------------------


def find_oracle(arg: str | None) -> Path | None:
    candidates = [Path(arg)] if arg else []
    if os.environ.get("WHITEBOARD_ORACLE"):
        candidates.append(Path(os.environ["WHITEBOARD_ORACLE"]))
    candidates += [Path("/work/oracle"), ROOT.parent / "shared" / "oracle"]
    for c in candidates:
        script = c if c.suffix == ".mjs" else c / "mermaid_oracle.mjs"
        if script.is_file() and (script.parent / "node_modules").is_dir():
            return script
    return None


def run_oracle(script: Path, texts: list[str]) -> list[dict[str, Any]]:
    """One oracle process for all texts; one parsed JSON line per text, in order."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(texts, f, ensure_ascii=False)
        path = f.name
    try:
        proc = subprocess.run(["node", str(script), "--max-edges=100000", path],
                              capture_output=True, text=True, encoding="utf-8")
    finally:
        os.unlink(path)
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if len(lines) != len(texts):
        raise SystemExit(f"regen_parse_fixtures: the oracle gave {len(lines)} lines for {len(texts)} "
                         f"inputs (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return [json.loads(ln) for ln in lines]


# ----------------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------------


def render(fixture: dict[str, Any]) -> str:
    return json.dumps(fixture, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cases", nargs="*", help="case names (file stems); default: all")
    ap.add_argument("--no-oracle", action="store_true",
                    help="do not run mermaid: keep each stored 'mermaid' part (input hash must match)")
    ap.add_argument("--oracle", help="mermaid_oracle.mjs or its directory")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if any .json would change")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from whiteboard.errors import WhiteboardError
    from whiteboard.parser import parse_text
    from whiteboard.source import decode

    paths = case_paths(args.cases)
    raw = [p.read_bytes() for p in paths]
    texts = [decode(data, str(p)) for data, p in zip(raw, paths)]
    hashes = [sha256(data) for data in raw]

    if args.no_oracle:
        answers: list[dict[str, Any] | None] = []
        for p, digest in zip(paths, hashes):
            stored = p.with_suffix(".json")
            old = json.loads(stored.read_text(encoding="utf-8")) if stored.is_file() else None
            answers.append(old["mermaid"] if old and old.get("input_sha256") == digest else None)
    else:
        script = find_oracle(args.oracle)
        if script is None:
            print("regen_parse_fixtures: no mermaid oracle with node_modules found (--oracle, "
                  "$WHITEBOARD_ORACLE, /work/oracle, ../shared/oracle); use --no-oracle to keep "
                  "the stored mermaid answers", file=sys.stderr)
            return 2
        answers = list(run_oracle(script, texts))

    failed = changed = 0
    for p, text, digest, mermaid in zip(paths, texts, hashes, answers):
        name = p.stem
        if mermaid is None:
            print(f"{name}: SKIPPED: the input changed and --no-oracle cannot ask mermaid; "
                  f"run without --no-oracle", file=sys.stderr)
            failed += 1
            continue
        try:
            contract = parse_text(text, str(p)).contract()
        except WhiteboardError as error:
            print(f"{name}: our parser rejects it: {error}", file=sys.stderr)
            failed += 1
            continue
        problems = disagreements(contract, mermaid)
        for problem in problems:
            print(f"{name}: DISAGREES with mermaid: {problem}", file=sys.stderr)
        failed += bool(problems)
        new = render({"input_sha256": digest, "contract": contract, "mermaid": mermaid})
        target = p.with_suffix(".json")
        old = target.read_text(encoding="utf-8") if target.is_file() else None
        if new != old:
            changed += 1
            if args.check:
                print(f"{name}: would change")
            else:
                target.write_text(new, encoding="utf-8")
                print(f"{name}: written")
    for stale in sorted(set(CASES.glob("*.json")) - {p.with_suffix(".json") for p in case_paths()}):
        print(f"{stale.name}: has no .mmd (delete it)", file=sys.stderr)
        failed += 1
    verb = "would change" if args.check else "written"
    print(f"{len(paths)} cases, {changed} {verb}, {failed} with problems")
    return 1 if failed or (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
