"""Every bundled example gets the findings a reviewer would expect (examples/expected.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from whiteboard.linter import CheckOptions, check_paths

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPECTED = tomllib.loads((EXAMPLES / "expected.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_findings(name):
    result = check_paths([str(EXAMPLES / name)], CheckOptions())
    codes = {finding.code for _, finding in result.findings}
    expected = EXPECTED[name]
    assert set(expected["must"]) <= codes, sorted(codes)
    assert not set(expected["must_not"]) & codes, [f.message for _, f in result.findings
                                                   if f.code in expected["must_not"]]


def test_every_example_is_listed():
    on_disk = {str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*.mmd")}
    assert on_disk == set(EXPECTED)
