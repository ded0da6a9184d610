"""The rule registry: every rule by code, in code order, and selection by prefix.

Explicit on purpose (yamllint's idea): reading this file tells you every rule there is.
Problem rules (REC, SRCH, MOD, RAG, FRD, AV) register in PROBLEM_RULES per problem.
"""

from __future__ import annotations

from typing import Iterable

from whiteboard.rules import antipatterns, budget, data, features, metrics, monitoring, requirements, serving, training
from whiteboard.rules.base import Finding, Rule, RuleContext, Severity

_MODULES = (requirements, metrics, data, features, training, serving, monitoring, budget, antipatterns)

RULES: dict[str, type[Rule]] = {}
for _module in _MODULES:
    for _rule in _module.RULES:
        if _rule.code in RULES:
            raise RuntimeError(f"duplicate rule code {_rule.code}")
        RULES[_rule.code] = _rule
RULES = dict(sorted(RULES.items()))

# problem name -> rules; filled by the problems work (templates/problems + rules/problems).
PROBLEM_RULES: dict[str, list[type[Rule]]] = {}


def select(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
           problem: str | None = None) -> list[Rule]:
    """Rule instances whose code starts with a selected prefix and no ignored one."""
    chosen = list(RULES.values()) + list(PROBLEM_RULES.get(problem or "", []))
    selected = tuple(select or ())
    ignored = tuple(ignore or ())
    return [rule() for rule in chosen
            if (not selected or rule.code.startswith(selected)) and not rule.code.startswith(ignored or ("\0",))]


def rule_for(code: str) -> type[Rule] | None:
    code = code.upper()
    if code in RULES:
        return RULES[code]
    for rules in PROBLEM_RULES.values():
        for rule in rules:
            if rule.code == code or code in rule.aliases:
                return rule
    return None


__all__ = ["RULES", "PROBLEM_RULES", "Finding", "Rule", "RuleContext", "Severity", "select", "rule_for"]
