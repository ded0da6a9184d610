"""Stage 6 budget (WB8xx): latency annotations on the request path against the SLA.

The reading and the path live in whiteboard/latency.py; these rules turn its report into
findings. `RuleContext.latency` computes the report once per diagram.
"""

from __future__ import annotations

from typing import Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity


def _path_text(path: list[str]) -> str:
    return " -> ".join(path)


class UnannotatedHop(Rule):
    """A hop on the online request path has no latency annotation.

    ## What it checks
    Every edge of the request path (from the client or entry, through serving, back to the
    response) carries a readable latency, on the edge (`-->|"~20ms"|`) or in the label of
    the node it reaches.

    ## Why it matters
    "Full system diagram with latency annotations" is minutes 28-36 of the plan: the sum
    against the SLA is the evidence that the design can ship. One blank hop makes the sum
    meaningless.

    ## Fails
    ```mermaid
    flowchart LR
      Req[Requirements: p99 < 200ms]
      User([User]) -->|"~10ms"| GW[API gateway]
      GW --> Ranker[Ranking model]
      Ranker -->|"~5ms"| GW
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Req[Requirements: p99 < 200ms]
      User([User]) -->|"~10ms"| GW[API gateway]
      GW -->|"~40ms"| Ranker[Ranking model]
      Ranker -->|"~5ms"| GW
    ```
    """

    code = "WB801"
    name = "budget.unannotated-hop"
    severity = Severity.WARNING
    stage = "serving"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        report = ctx.latency
        if report.path.missing and not report.path.annotated:
            first = report.path.missing[0]
            yield self.finding(
                ctx, f"No hop of the request path {_path_text(report.path.critical_path) or first.source} has a "
                     "latency annotation: annotate each hop (e.g. -->|\"~20ms\"|) so the sum can be held "
                     "against the SLA", nodes=[first.source, first.target], line=first.link_line,
                column=first.link_column)
            return
        for hop in report.path.missing:
            yield self.finding(
                ctx, f"The request-path hop '{hop.source}' -> '{hop.target}' has no latency annotation "
                     f"(path: {_path_text(report.path.critical_path) or hop.source}); write e.g. -->|\"~20ms\"|",
                nodes=[hop.source, hop.target], line=hop.link_line, column=hop.link_column)


class OverBudget(Rule):
    """Latency budget exceeded: the slowest request path sums past the SLA.

    ## What it checks
    The sum of the annotated latencies along the request path (parallel fan-out counts
    its slowest branch once, alternatives after a decision count the worst one, lookups to
    a store or cache add at the node that makes them) is within the SLA.

    ## Why it matters
    Percentiles do not add, so the sum of per-hop p99s is a conservative bound; a design
    whose bound is over the SLA needs a cheaper hop, a cache, or precomputation, and an
    interviewer will ask which.

    ## Fails
    ```mermaid
    flowchart LR
      Req[Requirements: p99 < 100ms]
      User([User]) -->|"~10ms"| GW[API gateway]
      GW -->|"~80ms"| Ranker[Ranking model]
      Ranker -->|"~30ms"| GW
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Req[Requirements: p99 < 100ms]
      User([User]) -->|"~10ms"| GW[API gateway]
      GW -->|"~40ms"| Ranker[Ranking model]
      Ranker -->|"~10ms"| GW
    ```
    """

    code = "WB802"
    name = "budget.exceeded"
    severity = Severity.ERROR
    stage = "serving"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        report = ctx.latency
        if not report.over_budget:
            return
        total, sla = report.path.critical_path_ms, report.sla.ms  # type: ignore[union-attr]
        yield self.finding(
            ctx, f"The request path {_path_text(report.path.critical_path)} sums to {total:g} ms, over the "
                 f"{sla:g} ms SLA by {total - sla:g} ms (sum of annotated latencies; parallel branches count once)",
            nodes=report.path.critical_path[:1], at=report.path.entry)


class NoSlaForLatencies(Rule):
    """Latencies are annotated but no SLA is stated to hold them against.

    ## What it checks
    When some node or edge carries a latency, an SLA exists: in the requirements box
    (`p99 < 200ms`), a `%% sla: 200ms` comment, or `--sla`.

    ## Why it matters
    A latency budget is only a budget against a target; the SLA is a requirement the
    candidate should state in the first five minutes.

    ## Fails
    ```mermaid
    flowchart LR
      User([User]) -->|"~10ms"| Ranker[Ranking model]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Req[Requirements: p99 < 50ms]
      User([User]) -->|"~10ms"| Ranker[Ranking model]
    ```
    """

    code = "WB803"
    name = "budget.no-sla"
    severity = Severity.WARNING
    stage = "requirements"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        report = ctx.latency
        if not report.needs_sla:
            return
        first = next(a for a in report.annotations if a.annotation.kind == "latency" and a.annotation.readable)
        yield self.finding(ctx, f"Latencies are annotated (e.g. '{first.annotation.raw}') but no SLA is stated: "
                                "add it to the requirements box (p99 < 200ms) or as '%% sla: 200ms'",
                           line=first.line, column=first.column)


class UnreadableAnnotation(Rule):
    """A latency or throughput annotation that cannot be read (unit, range).

    ## What it checks
    Every annotation that looks like a latency (a number next to a latency word, an `ms`
    typo, a range without a unit) can be read as a number of milliseconds.

    ## Why it matters
    An annotation the reader cannot parse silently drops out of the budget; it is usually
    a typo (`20 msec?`, `10-ms-ish`) that a reviewer would also stumble over.

    ## Fails
    ```mermaid
    flowchart LR
      Req[Requirements: p99 < 100ms]
      User([User]) -->|"latency: fast"| Ranker[Ranking model]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Req[Requirements: p99 < 100ms]
      User([User]) -->|"latency: 20ms"| Ranker[Ranking model]
    ```
    """

    code = "WB804"
    name = "budget.unreadable"
    severity = Severity.WARNING
    stage = "serving"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for located in ctx.latency.unreadable:
            where = {"edge": f"on the edge '{located.source}' -> '{located.target}'",
                     "node": f"in node '{located.id}'", "comment": "in the sla comment"}[located.where]
            reason = located.annotation.reason or "unknown unit"
            yield self.finding(ctx, f"Cannot read the latency '{located.annotation.raw}' {where} ({reason}); "
                                    "write e.g. '20ms', '~5 ms' or 'p99 < 50ms'",
                               nodes=[n for n in (located.id if located.where == "node" else None,
                                                  located.source, located.target) if n],
                               line=located.line, column=located.column)


RULES = [UnannotatedHop, OverBudget, NoSlaForLatencies, UnreadableAnnotation]
