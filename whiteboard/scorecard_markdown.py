"""The scorecard as a Markdown page a person keeps in their notes, the final board beside it."""

from __future__ import annotations

from typing import Any

from whiteboard.rules.signals import SIGNALS
from whiteboard.timeline import Timeline

_END = {"time": "the clock ran out", "stopped": "stopped by hand", "interrupted": "interrupted"}


def clock(minutes: float | None) -> str:
    """12.5 -> '12:30'."""
    if minutes is None:
        return "—"
    seconds = round(minutes * 60)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _title(problem: str | None) -> str:
    if not problem:
        return "no problem"
    try:
        from whiteboard.problems import load_problem

        return f"{load_problem(problem).title} (`{problem}`)"
    except Exception:  # a problem from a templates folder that is gone: the name will do
        return f"`{problem}`"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _summary(card: dict[str, Any]) -> str:
    parts = [f"**coverage {card['coverage']:.0%}**"]
    latency = card.get("latency") or {}
    if latency.get("critical_path_ms") is not None:
        sla = latency.get("sla_ms")
        parts.append(f"critical path {latency['critical_path_ms']:,.0f} ms"
                     + (f" / SLA {sla:,.0f} ms" if sla is not None else " (no SLA stated)"))
    elif latency.get("sla_ms") is not None:
        parts.append(f"SLA {latency['sla_ms']:,.0f} ms, no latencies on the request path")
    shown = sum(1 for s in card["signals"] if s.get("shown"))
    parts.append(f"signals {shown} of {len(card['signals']) or len(SIGNALS)}")
    counts = card["counts"]
    parts.append(f"{_count(counts['error'], 'error')}, {_count(counts['warning'], 'warning')}, "
                 f"{counts['info']} info")
    return " · ".join(parts)


def markdown(card: dict[str, Any], timeline: Timeline, picture: str | None) -> str:
    lines = [f"# Practice round: {_title(card['problem'])}", ""]
    when = f"started {card['started_at']}, " if card["started_at"] else ""
    end = _END.get(card["end_reason"] or "", card["end_reason"] or "open")
    lines.append(f"{card['minutes']:g}-minute round, {when}{card['saves']} saves, "
                 f"closed at {clock(card['duration_min'])} ({end}).")
    lines += ["", _summary(card), ""]
    if card["ended_broken"]:
        lines += ["The last save did not parse; the card reads the last save that did.", ""]
    if picture:
        lines += [f"![the board at the end, with the check's overlay]({picture})", ""]

    lines += ["## Stages", "",
              "| # | stage | planned | first on the board | spent / budget | missing at the end |",
              "|--:|---|---|---|---|---|"]
    for row in card["stages"]:
        start, stop = row["planned"]
        spent = f"{row['spent_min']:.1f} / {row['budget_min']:.1f} min"
        if row["over_min"] > 0:
            spent += f" (**+{row['over_min']:.1f}**)"
        if not row["on_board"]:
            missing = "**not on the board**"
        else:
            missing = ", ".join(f"`{code}`" for code in row["missing"]) or "—"
        first = clock(row["first_min"])
        if row["first_min"] is not None and row["first_min"] > stop:
            first += " (late)"
        lines.append(f"| {row['number']} | {row['title']} | {clock(start)}–{clock(stop)} | "
                     f"{first} | {spent} | {missing} |")
    lines += ["", f"Time on no stage (thinking, talking, after the last change): "
                  f"{card['unassigned_min']:.1f} min.", ""]

    lines += ["## Along the way", ""]
    if card["anti_patterns"]:
        for event in card["anti_patterns"]:
            fixed = f", gone at {clock(event['fixed_s'] / 60)}" if event["fixed_s"] is not None else ""
            evidence = f" ({'; '.join(event['evidence'])})" if event["evidence"] else ""
            lines.append(f"- {clock(event['at_s'] / 60)} **{event['name']}**: {_cell(event['message'])}"
                         f"{evidence}{fixed}")
    else:
        lines.append("- nothing the timeline flags: no model-first start, no anti-pattern on the board.")
    lines.append("")

    lines += ["## Staff signals", ""]
    labels = {key: label for key, label, _ in SIGNALS}
    codes = {key: code for key, _, code in SIGNALS}
    for signal in card["signals"]:
        key = signal["signal"]
        if signal.get("shown"):
            joiner = " → " if key == "data_flywheel" else "; "  # the flywheel's evidence is its closed path
            path = list(signal.get("evidence") or [])
            if key == "data_flywheel" and len(path) > 1:
                path.append(path[0])  # written as the closed loop it is
            evidence = joiner.join(path)
            lines.append(f"- [x] {labels.get(key, key)}" + (f": {_cell(evidence)}" if evidence else ""))
        else:
            lines.append(f"- [ ] {labels.get(key, key)} (`whiteboard explain {codes.get(key, '')}`)")
    lines.append("")

    lines += ["## Findings at the end", ""]
    shown = [f for f in card["findings"] if not f["code"].startswith("WB95")]
    if shown:
        for finding in shown:
            lines.append(f"- `{finding['code']}` {finding['severity']} at {finding['line']}:{finding['column']}: "
                         f"{_cell(finding['message'])}")
    else:
        lines.append("- none.")
    lines.append("")
    return "\n".join(lines)
