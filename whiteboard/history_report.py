"""`whiteboard history`: the rounds as a table, the trend per problem, and a small plot for the notes.

A round that closed carries its scorecard; one that was interrupted (a crash, a kill) is
scored from its saved timeline here, so it still shows up with its minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from whiteboard.history import History, RoundRow
from whiteboard.plan import PLAN

_SHORT = {"requirements": "req", "metrics": "met", "data": "data", "features": "feat", "model": "model",
          "serving": "serve", "monitoring": "mon"}


@dataclass
class RoundLine:
    row: RoundRow
    card: dict[str, Any]

    @property
    def coverage(self) -> float:
        return float(self.card.get("coverage") or 0.0)

    @property
    def signals(self) -> int:
        return sum(1 for s in self.card.get("signals", []) if s.get("shown"))

    def spent(self) -> dict[str, float]:
        return {s["stage"]: s["spent_min"] for s in self.card.get("stages", [])}

    def missing(self) -> list[str]:
        return [s["stage"] for s in self.card.get("stages", []) if not s["on_board"]]

    def to_dict(self) -> dict[str, Any]:
        return {"round": self.row.id, "problem": self.row.problem, "started_at": self.row.started_at,
                "minutes": self.row.minutes, "saves": self.row.saves, "status": self.row.status,
                "coverage": self.coverage, "signals": self.signals, "spent_min": self.spent(),
                "missing_stages": self.missing(), "anti_patterns": [e["name"] for e in self.card.get(
                    "anti_patterns", [])]}


def lines(history: History, problem: str | None = None) -> list[RoundLine]:
    from whiteboard.scorecard import score

    out = []
    for row in history.rounds(problem):
        card = row.card
        if card is None:
            try:
                card = score(history.timeline(row.id)).to_dict()
            except Exception:  # noqa: BLE001 - a timeline from an older or foreign problem spec
                card = {}
        out.append(RoundLine(row, card))
    return out


def trend(rounds: list[RoundLine]) -> list[dict[str, Any]]:
    """Per problem: rounds, first and latest coverage, the change, the best."""
    by_problem: dict[str, list[RoundLine]] = {}
    for r in rounds:
        by_problem.setdefault(r.row.problem or "-", []).append(r)
    out = []
    for problem, items in by_problem.items():
        first, last = items[0].coverage, items[-1].coverage
        out.append({"problem": problem, "rounds": len(items), "first": first, "latest": last,
                    "change": round(last - first, 3), "best": max(i.coverage for i in items),
                    "signals_first": items[0].signals, "signals_latest": items[-1].signals})
    return out


def _trend_sentence(t: dict[str, Any], arrow: str) -> str:
    """'2 rounds, coverage 98% -> 100% (+2%), best 100%; signals 2 -> 4 of 5'."""
    return (f"{t['rounds']} rounds, coverage {t['first']:.0%} {arrow} {t['latest']:.0%} ({t['change']:+.0%}), "
            f"best {t['best']:.0%}; signals {t['signals_first']} {arrow} {t['signals_latest']} of 5")


def text_table(rounds: list[RoundLine]) -> str:
    if not rounds:
        return "no practice rounds yet: start one with `whiteboard practice PROBLEM`\n"
    stage_heads = [_SHORT[p.stage] for p in PLAN]
    head = ["round", "date", "problem", "min", "saves", "status", "coverage", "signals", *stage_heads]
    rows = [head]
    for r in rounds:
        spent = r.spent()
        rows.append([str(r.row.id), r.row.started_at[:16].replace("T", " "), r.row.problem or "-",
                     f"{r.row.minutes:g}", str(r.row.saves), r.row.status, f"{r.coverage:.0%}", f"{r.signals}/5",
                     *(_minutes(spent.get(p.stage)) for p in PLAN)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    numeric = set(range(3, len(head))) - {5}
    out = []
    for row in rows:
        out.append("  ".join(cell.rjust(w) if i in numeric else cell.ljust(w)
                             for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
    out.append("")
    out.append("minutes per stage are minutes spent drawing it (budget: " +
               ", ".join(f"{_SHORT[p.stage]} {p.minutes}" for p in PLAN) + ")")
    out += [f"trend {t['problem']}: {_trend_sentence(t, '->')}" for t in trend(rounds)]
    return "\n".join(out) + "\n"


def markdown(rounds: list[RoundLine], plot_name: str | None) -> str:
    out = ["# Practice history", ""]
    if not rounds:
        return "\n".join(out + ["No rounds yet: `whiteboard practice PROBLEM` starts one.", ""])
    if plot_name:
        out += [f"![coverage per round]({plot_name})", ""]
    stage_heads = " | ".join(p.title.split(" ")[0] for p in PLAN)
    out += [f"| round | date | problem | saves | status | coverage | signals | {stage_heads} |",
            "|--:|---|---|--:|---|--:|--:|" + "--:|" * len(PLAN)]
    for r in rounds:
        spent = r.spent()
        cells = " | ".join(_minutes(spent.get(p.stage)) for p in PLAN)
        out.append(f"| {r.row.id} | {r.row.started_at[:10]} | {r.row.problem or '-'} | {r.row.saves} | "
                   f"{r.row.status} | {r.coverage:.0%} | {r.signals}/5 | {cells} |")
    out += ["", "Stage columns: minutes spent drawing each stage (budget: "
            + ", ".join(f"{p.title.split(' ')[0].lower()} {p.minutes}" for p in PLAN) + ").", "", "## Trend", ""]
    out += [f"- **{t['problem']}**: {_trend_sentence(t, '→')}" for t in trend(rounds)]
    out.append("")
    return "\n".join(out)


_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


def plot_svg(rounds: list[RoundLine]) -> str:
    """Coverage per round, one line per problem: a small SVG with no dependencies."""
    width, height, left, bottom, top, right = 520, 240, 44, 30, 16, 120
    inner_w, inner_h = width - left - right, height - top - bottom
    n = max(len(rounds), 2)

    def x(i: int) -> float:
        return left + inner_w * i / (n - 1)

    def y(value: float) -> float:
        return top + inner_h * (1 - value)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="11">',
             '<title>coverage per practice round</title>',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + inner_w}" y2="{y(tick):.1f}" '
                     f'stroke="#ddd"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
                     f'{tick:.0%}</text>')
    parts.append(f'<text x="{left + inner_w / 2:.1f}" y="{height - 6}" text-anchor="middle">round</text>')
    problems = list(dict.fromkeys(r.row.problem or "-" for r in rounds))
    for k, problem in enumerate(problems):
        colour = _COLOURS[k % len(_COLOURS)]
        points = [(x(i), y(r.coverage)) for i, r in enumerate(rounds) if (r.row.problem or "-") == problem]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>' for px, py in points]
        ly = top + 14 * k + 6
        parts.append(f'<rect x="{left + inner_w + 14}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{left + inner_w + 30}" y="{ly + 1}">{escape(problem)}</text>')
    for i, r in enumerate(rounds):
        parts.append(f'<text x="{x(i):.1f}" y="{top + inner_h + 14}" text-anchor="middle" fill="#555">'
                     f'{r.row.id}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def notes_pages() -> dict[str, bytes]:
    """history.md and history.svg for a notes folder, when rounds have been kept (else nothing).

    Never creates the database: a notes folder made before any round has no history page.
    """
    from whiteboard.history import default_path

    if not default_path().exists():
        return {}
    with History() as history:
        rounds = lines(history)
    if not rounds:
        return {}
    return {"history.md": markdown(rounds, "history.svg").encode("utf-8"),
            "history.svg": plot_svg(rounds).encode("utf-8")}


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
