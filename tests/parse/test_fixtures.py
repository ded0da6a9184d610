"""Parse fixtures as data: one small flowchart per construct, with the answer stored beside it.

Each ``cases/<name>.mmd`` has a ``cases/<name>.json`` written by
``scripts/regen_parse_fixtures.py``: the sha256 of the input bytes, our Contract 1 output, and the
real mermaid parser's answer. Per case this checks that

- the stored hash is current (else: run scripts/regen_parse_fixtures.py),
- ``parse_text`` still gives the stored contract exactly (positions included), and
- the stored contract agrees with the stored mermaid answer field by field, so a fixture can
  never quietly record a disagreement with mermaid.

The .mmd is read as raw bytes and decoded with ``whiteboard.source.decode``, so the BOM and CRLF
cases go through the same path as a file on disk.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from whiteboard.parser import parse_text
from whiteboard.source import decode

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
REGEN = "scripts/regen_parse_fixtures.py"


def _regen_module():
    spec = importlib.util.spec_from_file_location("regen_parse_fixtures", ROOT / REGEN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


regen = _regen_module()
MMD = sorted(CASES.glob("*.mmd"))


def test_there_are_cases():
    assert len(MMD) >= 25, f"expected the parse fixtures in {CASES}"


def test_every_json_has_its_mmd():
    orphans = sorted(p.name for p in CASES.glob("*.json") if not p.with_suffix(".mmd").is_file())
    assert not orphans, f"fixtures without an input (delete them): {orphans}"


@pytest.mark.parametrize("mmd", MMD, ids=[p.stem for p in MMD])
def test_fixture(mmd: Path):
    stored_path = mmd.with_suffix(".json")
    assert stored_path.is_file(), f"{stored_path.name} is missing: run {REGEN}"
    data = mmd.read_bytes()
    stored = json.loads(stored_path.read_text(encoding="utf-8"))
    assert stored["input_sha256"] == regen.sha256(data), (
        f"{mmd.name} changed since {stored_path.name} was written: run {REGEN}"
    )

    contract = parse_text(decode(data, str(mmd)), str(mmd)).contract()
    assert contract == stored["contract"], (
        f"our parse of {mmd.name} no longer matches the stored contract; if the change is "
        f"intended, run {REGEN} (it also re-checks against mermaid)"
    )

    problems = regen.disagreements(stored["contract"], stored["mermaid"])
    assert not problems, f"{mmd.name}: our parse disagrees with mermaid:\n  " + "\n  ".join(problems)
