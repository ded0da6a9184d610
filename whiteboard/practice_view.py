"""How a round looks in the terminal: a rich panel when there is a screen, plain lines when not.

Both read the coach's view (whiteboard/coach.py) and nothing else.
"""

from __future__ import annotations

from typing import Any

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
MAX_FINDINGS = 8


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def panel(view: dict[str, Any], title: str, file: str):
    """The live panel: clock and phase, what to draw now, stages, nudges, the findings that matter now."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    total = view["minutes"] * 60
    head = Text()
    head.append(f"{clock(view['elapsed_s'])} / {clock(total)}", style="bold red" if view["over"] else "bold")
    phase = view["phase"]
    if phase:
        head.append(f"   phase {phase['number']} of 7: {phase['title']} "
                    f"({phase['start']:g}-{phase['end']:g} min)")
        head.append(f"\ndraw now: {phase['draw']}", style="bold green")
        head.append(f"\nwhy: {phase['purpose']}", style="dim")
    elif view["over"]:
        head.append("   time is up", style="bold red")
    else:
        head.append("   Q&A buffer")

    stages = Table(box=None, pad_edge=False, show_edge=False, expand=False)
    for column in ("stage", "on the board", "first", "spent / budget"):
        stages.add_column(column, style="dim" if column == "first" else None)
    for row in view["stages"]:
        mark = Text("yes", style="green") if row["on_board"] else Text(
            "no" if row["due"] else "not yet", style="red" if row["due"] else "dim")
        over = row["spent_min"] > row["budget_min"]
        spent = Text(f"{row['spent_min']:.1f} / {row['budget_min']:.1f}", style="yellow" if over else None)
        first = "-" if row["first_min"] is None else clock(row["first_min"] * 60)
        stages.add_row(row["title"], mark, first, spent)

    parts: list[Any] = [head, Text(""), stages]
    if view["broken"]:
        broken = view["broken"]
        parts += [Text(""), Text(f"last save does not parse ({broken['line']}:{broken['column']}): "
                                 f"{broken['message']}", style="bold red")]
    if view["nudges"]:
        parts += [Text("")] + [Text(f"> {nudge}", style="magenta") for nudge in view["nudges"]]
    findings = view["findings"]
    parts.append(Text(""))
    waiting = f", {view['waiting']} for later stages" if view["waiting"] else ""
    parts.append(Text(f"findings now: {len(findings)}{waiting}", style="bold"))
    for finding in findings[:MAX_FINDINGS]:
        line = Text(f"  {finding['line']}:{finding['column']} ")
        line.append(finding["code"], style=_SEVERITY_STYLE.get(finding["severity"]))
        line.append(f" {finding['message']}")
        parts.append(line)
    if len(findings) > MAX_FINDINGS:
        parts.append(Text(f"  ... {len(findings) - MAX_FINDINGS} more", style="dim"))
    parts += [Text(""), Text(f"coverage {view['coverage']:.0%} · {view['signals']} · saves {view['saves']} · "
                             f"{file} · Ctrl-C ends the round", style="dim")]
    return Panel(Group(*parts), title=f"whiteboard practice: {title}", title_align="left")


def line(view: dict[str, Any], event: str) -> str:
    """One plain line for a log or a pipe: '[12:34] save 6: coverage 35%, 3 findings now; > nudge'."""
    phase = view["phase"]
    where = f"phase {phase['number']} {phase['title']}" if phase else ("time is up" if view["over"] else "Q&A buffer")
    codes = ", ".join(f["code"] for f in view["findings"][:6])
    text = (f"[{clock(view['elapsed_s'])}] {event} ({where}): coverage {view['coverage']:.0%}, "
            f"{len(view['findings'])} findings now" + (f" ({codes})" if codes else ""))
    if view["broken"]:
        text += f"; last save does not parse at {view['broken']['line']}:{view['broken']['column']}"
    if view["nudges"]:
        text += "; " + "; ".join(f"> {n}" for n in view["nudges"])
    return text
