"""A problem's skeleton as a Markdown study page (``whiteboard new P --format markdown``)."""

from __future__ import annotations

from whiteboard.plan import BUFFER_MINUTES, PLAN, TOTAL_MINUTES
from whiteboard.problems import Problem


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|")


def as_markdown(problem: Problem, diagram: str, stage: int | None = None) -> str:
    """The page: what the problem is about, the time plan, the budget and the diagram."""
    lines = [f"# {problem.title}", "", problem.summary, ""]
    if problem.key_challenges:
        lines += ["## Key challenges", ""] + [f"- {item}" for item in problem.key_challenges] + [""]
    if problem.must_discuss:
        lines += ["## Must discuss", ""] + [f"- {item}" for item in problem.must_discuss] + [""]
    lines += ["## The 45-minute plan", "", "| minutes | stage | cover | draw |", "|---|---|---|---|"]
    for phase in PLAN:
        lines.append(f"| {phase.start}-{phase.end} | {phase.number}. {phase.title} | {_escape_cell(phase.cover)} | "
                     f"{_escape_cell(phase.draw)} |")
    lines += [f"| {TOTAL_MINUTES - BUFFER_MINUTES}-{TOTAL_MINUTES} | Q&A buffer | Deep-dives, defend tradeoffs | |",
              ""]
    lines += ["## Serving", "", f"Pattern: **{problem.serving_pattern}**."]
    if problem.sla_ms is not None:
        lines.append(f"SLA: **{problem.sla_ms:g} ms** on the request path (parallel branches count once).")
    if problem.sla_note:
        lines += ["", " ".join(problem.sla_note.split())]
    if problem.budget:
        lines += ["", "| hop | p99 budget (ms) | source |", "|---|---:|---|"]
        lines += [f"| {_escape_cell(h.hop)} | {h.ms:g} | {_escape_cell(h.source)} |" for h in problem.budget]
    lines.append("")
    heading = "## Skeleton" if stage is None else f"## The board after stage {stage} ({PLAN[stage - 1].title})"
    lines += [heading, "", f"`whiteboard check --problem {problem.name}` holds a drawing to this problem's rules.",
              "", "```mermaid", diagram.rstrip("\n"), "```", ""]
    return "\n".join(lines)
