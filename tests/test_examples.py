"""Every bundled example gets the findings a reviewer would expect.

Each folder's ``expected.toml`` (examples/expected.toml, examples/rag/expected.toml...)
lists, per file beside it, the codes it must and must not produce. A problem example
names its problem with a ``%% problem:`` comment, as a user's file would.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from whiteboard.linter import CheckOptions, check_paths

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _expected() -> dict[str, dict]:
    cases = {}
    for listing in sorted(EXAMPLES.rglob("expected.toml")):
        for name, expected in tomllib.loads(listing.read_text(encoding="utf-8")).items():
            cases[str((listing.parent / name).relative_to(EXAMPLES))] = expected
    return cases


EXPECTED = _expected()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_findings(name):
    result = check_paths([str(EXAMPLES / name)], CheckOptions())
    codes = {finding.code for _, finding in result.findings}
    expected = EXPECTED[name]
    assert set(expected["must"]) <= codes, sorted(codes)
    assert not set(expected["must_not"]) & codes, [f.message for _, f in result.findings
                                                   if f.code in expected["must_not"]]
    if expected.get("clean"):  # a worked design: nothing at warning or error level
        assert not [f for _, f in result.findings if f.severity.value != "info"], \
            [f"{f.code} {f.message}" for _, f in result.findings]


def test_every_example_is_listed():
    on_disk = {str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*.mmd")}
    assert on_disk == set(EXPECTED)
