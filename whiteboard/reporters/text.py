"""The readable report: findings grouped by stage, a coverage table, one summary line."""

from __future__ import annotations

from whiteboard.coverage import STAGE_MINUTES

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "bold": "\033[1m", "dim": "\033[2m"}
_RESET = "\033[0m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{_COLORS[style]}{text}{_RESET}" if color else text


def _stage_of_code(code: str) -> str:
    from whiteboard.rules import rule_for

    rule = rule_for(code)
    return rule.stage if rule is not None else "tool"


def summary_line(result) -> str:
    """'1 error, 6 warnings, 0 info in 3 files' (+ diagrams and suppressed when they say more)."""
    counts = result.counts()
    files = len(result.files)
    diagrams = sum(len(file.diagrams) for file in result.files)
    suppressed = sum(len(diagram.suppressed) for file in result.files for diagram in file.diagrams)
    extra = [f"{diagrams} diagram{'s' * (diagrams != 1)}"] if diagrams != files else []
    if suppressed:
        extra.append(f"{suppressed} suppressed")
    return (f"{counts['error']} error{'s' * (counts['error'] != 1)}, "
            f"{counts['warning']} warning{'s' * (counts['warning'] != 1)}, {counts['info']} info "
            f"in {files} file{'s' * (files != 1)}" + (f" ({', '.join(extra)})" if extra else ""))


def render(result, *, color: bool = False, quiet: bool = False, **_) -> str:
    """*quiet*: findings and the summary only (no coverage tables, no latency lines)."""
    lines: list[str] = []
    several = sum(len(file.diagrams) for file in result.files) > 1
    for file in result.files:
        for diagram in file.diagrams:
            # --quiet leaves out the staff-signal notes (WB95x) with the signals line: coaching, not a defect
            listed = [f for f in diagram.findings if not (quiet and f.code.startswith("WB95"))]
            if several and (listed or not quiet):
                what = f"skipped {diagram.skipped}" if diagram.skipped else (
                    f"problem: {diagram.problem}" if diagram.problem else "")
                lines.append(_paint(f"{file.path}:{diagram.line}" + (f" ({what})" if what else ""), "dim", color))
            by_stage: dict[str, list] = {}
            for finding in listed:
                by_stage.setdefault(_stage_of_code(finding.code), []).append(finding)
            for stage in ["tool", *STAGE_MINUTES]:
                findings = by_stage.get(stage)
                if not findings:
                    continue
                minutes = f" ({STAGE_MINUTES[stage]} min)" if stage in STAGE_MINUTES else ""
                lines.append(_paint(f"{stage}{minutes}", "bold", color))
                for finding in findings:
                    severity = _paint(finding.severity.value, finding.severity.value, color)
                    lines.append(f"  {file.path}:{finding.line}:{finding.column}: {finding.code} "
                                 f"[{severity}] {finding.message}")
            if quiet:
                continue
            if diagram.coverage:
                lines.append(_coverage_table(diagram.coverage, color))
            latency = diagram.latency or {}
            if latency.get("critical_path_ms") is not None or latency.get("sla_ms") is not None:
                lines.append(_latency_line(latency))
            if diagram.signals:
                from whiteboard.rules.signals import signal_line

                lines.append("  " + signal_line(diagram.signals))
    lines.append(_paint(summary_line(result), "bold", color))
    return "\n".join(lines) + "\n"


def _coverage_table(coverage: dict, color: bool) -> str:
    rows = [_paint(f"  {'stage':13s} {'min':>3s}  {'found':32s} missing", "dim", color)]
    for stage in coverage["stages"]:
        found = ", ".join(stage["found"])
        if len(found) > 32:
            found = found[:29] + "..."
        rows.append(f"  {stage['stage']:13s} {stage['minutes']:>3d}  {found or '-':32s} "
                    f"{', '.join(stage['missing']) or '-'}")
    rows.append(f"  coverage {round(100 * coverage['score'])}% (weighted by the 45-minute plan)")
    return "\n".join(rows)


def _latency_line(latency: dict) -> str:
    path = " -> ".join(latency.get("critical_path") or [])
    total = latency.get("critical_path_ms")
    sla = latency.get("sla_ms")
    if total is None:
        return f"  latency: SLA {sla:g} ms; no fully annotated request path"
    against = f" of a {sla:g} ms SLA" if sla is not None else " (no SLA stated)"
    return f"  latency: {total:g} ms{against} on {path}"
