"""Stage coverage: the 7 stages, their minutes in the 45-minute plan, found and missing.

The figure is weighted by the seed's time budget (requirements 5, metrics 3, data 7,
features 5, model 8, serving 8, monitoring 5 minutes): a stage counts in full when none
of its rules found a problem, and in proportion to the rules that passed otherwise, so
a missing serving layer costs more than a missing metrics table, as in the interview.
"""

from __future__ import annotations

from typing import Any, Iterable

STAGE_MINUTES: dict[str, int] = {
    "requirements": 5, "metrics": 3, "data": 7, "features": 5, "model": 8, "serving": 8, "monitoring": 5,
}


def stage_coverage(kinds: dict[str, frozenset[str]], node_order: Iterable[str], findings: Iterable,
                   rules: Iterable, extra_stages: dict[str, str] | None = None) -> dict[str, Any]:
    """*extra_stages*: the stage of each kind a problem spec adds (``chunking`` -> data)."""
    from whiteboard.roles import stage_of as core_stage

    extra_stages = extra_stages or {}

    def stage_of(kind: str) -> str:
        return extra_stages.get(kind) or core_stage(kind)

    findings = list(findings)
    rules = list(rules)
    stages = []
    credit = 0.0
    for stage, minutes in STAGE_MINUTES.items():
        found = [node for node in node_order if any(stage_of(kind) == stage for kind in kinds.get(node, ()))]
        stage_rules = [rule for rule in rules if rule.stage == stage and not rule.code.startswith("WB9")]
        failed = sorted({f.code for f in findings if any(r.code == f.code for r in stage_rules)})
        share = 1.0 if not stage_rules else 1.0 - len(failed) / len(stage_rules)
        if not found:
            share = 0.0
        credit += minutes * share
        stages.append({"stage": stage, "minutes": minutes, "found": found, "missing": failed})
    return {"score": round(credit / sum(STAGE_MINUTES.values()), 3), "stages": stages}
