"""Each rule's documentation is true: its Fails example fails it, its Passes example passes."""

from __future__ import annotations

import pytest

from whiteboard.linter import CheckOptions, check_diagram_text
from whiteboard.rules import RULES


@pytest.mark.parametrize("code", list(RULES))
def test_failing_example_fails(code):
    rule = RULES[code]
    result = check_diagram_text(rule.example("Fails"), "doc.mmd", CheckOptions(select=(code,)))
    assert code in [f.code for f in result.findings]


@pytest.mark.parametrize("code", list(RULES))
def test_passing_example_passes(code):
    rule = RULES[code]
    result = check_diagram_text(rule.example("Passes"), "doc.mmd", CheckOptions(select=(code,)))
    assert code not in [f.code for f in result.findings], [f.message for f in result.findings]


@pytest.mark.parametrize("code", list(RULES))
def test_docs_have_every_section_and_a_summary(code):
    doc = RULES[code].doc()
    for section in ("## What it checks", "## Why it matters", "## Fails", "## Passes"):
        assert section in doc
    assert RULES[code].summary() and not RULES[code].summary().startswith("#")
