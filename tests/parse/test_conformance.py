"""Every case of mermaid-js's own flowchart tests and docs, compared with mermaid's parse.

The corpus lives in ../shared/conformance (outside this repository); without it the
cases are skipped with a message. The run's summary prints the agreement per field.
"""

from __future__ import annotations

import json

import pytest

from mermaid_compare import CORPUS, FIELDS, compare, record



def _cases():
    if not CORPUS.is_file():
        return [pytest.param(None, id="corpus-missing", marks=pytest.mark.skip(
            reason=f"conformance corpus not found at {CORPUS}"))]
    cases = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [pytest.param(case, id=case["id"]) for case in cases]


@pytest.mark.parametrize("case", _cases())
def test_agrees_with_mermaid(case):
    result = compare(case["input"], case["expect"])
    for field in FIELDS:
        if field in result:
            record(field, bool(result[field]))
    assert all(value for key, value in result.items() if key != "detail"), result.get("detail")
