"""One runner for every rule's cases (tests/rules/cases/<CODE>.yml, sqlfluff's idea).

Each case is a small diagram (or a `markdown:` document) and the findings it must produce,
as CODE@LINE:COLUMN; `expect: []` is a passing case. Only the file's rule runs (and the
codes a case lists under `with:`), so a case tests one thing.
Test ids are <CODE>-<case>, so `pytest -k WB703` runs one rule's cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from whiteboard.linter import CheckOptions, check_diagram_text, check_markdown_text
from whiteboard.problems import list_problems
from whiteboard.rules import RULES, problem_rules

CASES_DIR = Path(__file__).parent / "cases"


def _cases():
    for path in sorted(CASES_DIR.glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in spec["cases"].items():
            yield pytest.param(spec["rule"], case, id=f"{spec['rule']}-{name}",
                               marks=[pytest.mark.skip(reason=case["skip"])] if case.get("skip") else [])


@pytest.mark.parametrize("code, case", list(_cases()))
def test_rule_case(code, case):
    options = CheckOptions(problem=case.get("problem"), select=(code, *case.get("with", ())))
    if "markdown" in case:  # a Markdown document: positions are in the document
        findings = [f for d in check_markdown_text(case["markdown"], "case.md", options) for f in d.findings]
    else:
        findings = check_diagram_text(case["diagram"], "case.mmd", options).findings
    got = sorted(f"{f.code}@{f.line}:{f.column}" for f in findings if f.code == code)
    assert got == sorted(case["expect"]), [f.message for f in findings]


def test_every_rule_has_a_failing_and_a_passing_case():
    covered: dict[str, set[str]] = {}
    for path in CASES_DIR.glob("*.yml"):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"].values():
            covered.setdefault(spec["rule"], set()).add("fail" if case["expect"] else "pass")
    codes = list(RULES) + [rule.code for name in list_problems() for rule in problem_rules(name)]
    missing = [code for code in codes if covered.get(code) != {"fail", "pass"}]
    assert missing == []
