"""The rule registry: every rule by code, in code order, and selection by prefix.

Explicit on purpose (yamllint's idea): reading this file tells you every rule there is.
Problem rules (REC, SRCH, MOD, RAG, FRD, AV) are data: each problem spec under
templates/problems/ lists its own, and problem_rules() builds them (rules/problems.py).
"""

from __future__ import annotations

from typing import Iterable

from whiteboard.rules import antipatterns, budget, data, features, metrics, monitoring, requirements, serving, training
from whiteboard.rules import signals, tool
from whiteboard.rules.base import Finding, Rule, RuleContext, Severity

# tool: WB0xx, findings about the input (parse errors, Markdown fences, '%% wb:' directives)
_MODULES = (tool, requirements, metrics, data, features, training, serving, monitoring, budget, antipatterns,
            signals)

RULES: dict[str, type[Rule]] = {}
for _module in _MODULES:
    for _rule in _module.RULES:
        if _rule.code in RULES:
            raise RuntimeError(f"duplicate rule code {_rule.code}")
        RULES[_rule.code] = _rule
RULES = dict(sorted(RULES.items()))



def problem_rules(problem: str | None, templates: str | None = None) -> list[type[Rule]]:
    """The named problem's rules, built from its spec (templates/problems/<name>.toml)."""
    from whiteboard.rules.problems import rules_for

    return rules_for(problem, templates)


def select(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
           problem: str | None = None, templates: str | None = None) -> list[Rule]:
    """Rule instances whose code starts with a selected prefix and no ignored one.

    With a problem: its rules are added, and the core rules its spec waives (with a
    reason, e.g. no feature store in an on-vehicle perception stack) are left out.
    """
    chosen = list(RULES.values())
    if problem:
        from whiteboard.problems import load_problem

        waived = load_problem(problem, templates).waive
        chosen = [rule for rule in chosen if rule.code not in waived] + problem_rules(problem, templates)
    selected = tuple(select or ())
    ignored = tuple(ignore or ())
    return [rule() for rule in chosen
            if (not selected or rule.code.startswith(selected)) and not rule.code.startswith(ignored or ("\0",))]


def rule_for(code: str) -> type[Rule] | None:
    code = code.upper()
    if code in RULES:
        return RULES[code]
    from whiteboard.problems import list_problems

    for problem in list_problems():
        for rule in problem_rules(problem):
            if rule.code == code or code in rule.aliases:
                return rule
    return None


__all__ = ["RULES", "problem_rules", "Finding", "Rule", "RuleContext", "Severity", "select", "rule_for"]
