"""Each rule's documentation is true: its Fails example fails it, its Passes example passes.

Problem rules (REC, RAG, ...) come from their spec files and are held to the same
standard, each run under its own problem.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from whiteboard.linter import CheckOptions, check_diagram_text, check_markdown_text
from whiteboard.problems import list_problems
from whiteboard.rules import RULES, problem_rules

ALL_RULES = {code: (rule, None) for code, rule in RULES.items()}
ALL_RULES.update({rule.code: (rule, name) for name in list_problems() for rule in problem_rules(name)})


def _run(code: str, section: str):
    """The example as the docs show it: a diagram, or a Markdown document for the rules
    with ``example_format = "markdown"`` (WB003, WB006); with the codes the rule
    ``runs_with`` (WB005 judges a WB705 directive, so WB705 must run too)."""
    rule, problem = ALL_RULES[code]
    options = CheckOptions(select=(code, *getattr(rule, "runs_with", ())), problem=problem)
    if rule.example_format == "markdown":
        diagrams = check_markdown_text(rule.example(section), "doc.md", options)
        return SimpleNamespace(findings=[f for d in diagrams for f in d.findings])
    return check_diagram_text(rule.example(section), "doc.mmd", options)


@pytest.mark.parametrize("code", list(ALL_RULES))
def test_failing_example_fails(code):
    assert code in [f.code for f in _run(code, "Fails").findings]


@pytest.mark.parametrize("code", list(ALL_RULES))
def test_passing_example_passes(code):
    result = _run(code, "Passes")
    assert code not in [f.code for f in result.findings], [f.message for f in result.findings]


@pytest.mark.parametrize("code", list(ALL_RULES))
def test_docs_have_every_section_and_a_summary(code):
    rule = ALL_RULES[code][0]
    doc = rule.doc()
    for section in ("## What it checks", "## Why it matters", "## Fails", "## Passes"):
        assert section in doc
    assert rule.summary() and not rule.summary().startswith("#")


def test_every_problem_has_rules_with_its_own_prefix():
    from whiteboard.problems import load_problem

    for name in list_problems():
        spec = load_problem(name)
        assert all(rule.code.startswith(spec.prefix) for rule in problem_rules(name))
