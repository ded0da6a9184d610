"""Stage 1, requirements (WB1xx): the box that anchors the whole answer."""

from __future__ import annotations

import re
from typing import Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity, quote_nodes

# A scale number: 10K QPS, 5M DAU, 1B events/day, 200 req/s, 50,000 users...
_SCALE = re.compile(
    r"\d[\d,.]*\s*(?:[kKmMbB]\b|[kKmMbB](?=\s*(?:qps|rps|tps|dau|mau|users|req|events|/))|thousand|million|billion)?\s*\+?\s*"
    r"(?:qps|rps|tps|dau|mau|wau|users?|customers|requests?|req/s|queries|events?|transactions?|txns?|"
    r"items|videos|images|documents|docs|posts|ads|predictions|tokens|records|rows|messages|vehicles|cars|"
    r"frames|miles|employees|/\s*(?:s|sec|second|day|hour|min))\b",
    re.IGNORECASE,
)


def states_scale(text: str) -> bool:
    return bool(_SCALE.search(text))


def states_latency(text: str) -> bool:
    from whiteboard.latency import read_annotations

    return any(a.kind == "latency" and a.readable for a in read_annotations(text))


class MissingRequirements(Rule):
    """No requirements box, or one that states neither a latency SLA nor a scale number.

    ## What it checks
    Some node is a requirements box (its label or class says requirements, goals or
    constraints), and its text states a latency SLA (`p99 < 200ms`) or a scale number
    (`10K QPS`, `50M DAU`, `1B events/day`).

    ## Why it matters
    The first five minutes of a staff-level round are about owning the problem: who the
    users are, how many requests arrive, how fast the answer must be. Every later choice
    (online or batch, GPU or CPU, cache or not) is argued from these numbers; without them
    the design floats.

    ## Fails
    ```mermaid
    flowchart LR
      Req[Requirements: recommend videos] --> Model[Ranking model]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Req[Requirements: 10M DAU, 5K QPS, p99 < 200ms] --> Model[Ranking model]
    ```
    """

    code = "WB101"
    name = "requirements.missing"
    severity = Severity.WARNING
    stage = "requirements"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        boxes = ctx.nodes_of("requirements")
        if not boxes:
            yield self.finding(ctx, "No requirements box: add one that states the business goal, the scale "
                                    "(QPS, users, events per day) and the latency SLA (e.g. p99 < 200ms)")
            return
        for node_id in boxes:
            text = ctx.node(node_id).text  # type: ignore[union-attr]
            if states_latency(text) or states_scale(text):
                return
        yield self.finding(
            ctx, f"The requirements box {quote_nodes(ctx, boxes)} states no latency SLA and no scale number: "
                 "add e.g. 'p99 < 200ms' and '10K QPS' or '50M DAU'", nodes=boxes)


RULES = [MissingRequirements]
