"""The seed's 45-minute plan: the 7 stages, their minutes, and what to draw when.

One table for everything that follows the clock (the skeleton's ``--stage N``, the
problem pages, practice rounds). The minutes are the seed's time budget; the "draw"
column is its Whiteboard Strategy table, whose rows line up with the stages one to one
(0-5 requirements, 5-8 metrics, 8-15 data, 15-20 features, 20-28 model + serving sketch,
28-36 the full system with latency annotations, 36-41 monitoring and feedback arrows).
"""

from __future__ import annotations

from typing import NamedTuple


class Phase(NamedTuple):
    number: int
    stage: str
    title: str
    minutes: int
    start: int
    cover: str
    draw: str
    purpose: str

    @property
    def end(self) -> int:
        return self.start + self.minutes


PLAN: tuple[Phase, ...] = (
    Phase(1, "requirements", "Requirements + clarification", 5, 0, "Business goal, users, scale, SLA, constraints",
          "Requirements box with bullet points", "Anchor the discussion, show structured thinking"),
    Phase(2, "metrics", "Metrics", 3, 5, "Offline, online, guardrails, metric alignment",
          "Metric table (offline vs online)", "Demonstrate you think beyond model accuracy"),
    Phase(3, "data", "Data", 7, 8, "Sources, labeling, pipeline, quality, freshness",
          "Data pipeline diagram (sources -> ETL -> store)", "Show you understand data engineering"),
    Phase(4, "features", "Features", 5, 15, "Engineering, store architecture, online/offline split",
          "Feature architecture (offline store + online store)", "Demonstrate feature store knowledge"),
    Phase(5, "model", "Model", 8, 20, "Baseline, production arch, training, iteration",
          "Model architecture + serving diagram", "The core system design artifact"),
    Phase(6, "serving", "Serving", 8, 28, "Latency, architecture, cost, deployment strategy",
          "Full system diagram with latency annotations", "Connect everything, show you can ship"),
    Phase(7, "monitoring", "Monitoring", 5, 36, "Drift, alerts, A/B testing, rollback, feedback",
          "Monitoring dashboard sketch + feedback arrows", "Close the loop, show production thinking"),
)
BUFFER_MINUTES = 4  # the seed's Q&A buffer: 41-45
TOTAL_MINUTES = 45


def phase_at(minute: float) -> Phase | None:
    """The phase the plan puts a person in at *minute* (None in the Q&A buffer and after)."""
    for phase in PLAN:
        if phase.start <= minute < phase.end:
            return phase
    return None
