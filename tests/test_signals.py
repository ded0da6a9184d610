"""Staff-level signals (rules/signals.py): the JSON `signals` list and the text report's line."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from whiteboard.cli import app
from whiteboard.linter import CheckOptions, check_diagram_text
from whiteboard.rules.signals import SIGNALS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()
KEYS = [key for key, _, _ in SIGNALS]


def test_json_has_five_signals_with_evidence():
    result = runner.invoke(app, ["check", str(EXAMPLES / "recsys.mmd"), "--format", "json"])
    (diagram,) = json.loads(result.stdout)["files"][0]["diagrams"]
    assert {"line", "problem", "findings", "coverage", "latency"} <= set(diagram)  # nothing taken away
    signals = diagram["signals"]
    assert [s["signal"] for s in signals] == KEYS
    for signal in signals:
        assert set(signal) == {"signal", "shown", "evidence"}
        assert signal["shown"] == bool(signal["evidence"])
    shown = {s["signal"]: s for s in signals if s["shown"]}
    # "10M DAU, 5K QPS, p99 < 200ms" is scale and an SLA, not a business goal
    assert set(shown) == {"data_flywheel", "multi_objective"}
    loop = shown["data_flywheel"]["evidence"]
    assert loop[0] == loop[-1] and "Train" in loop and "Events" in loop  # a closed path through data and training
    assert set(shown["multi_objective"]["evidence"]) >= {"Rerank"}


def test_text_report_has_the_signals_line():
    result = runner.invoke(app, ["check", str(EXAMPLES / "recsys.mmd")])
    assert "  signals: 2 of 5 (data flywheel, multi-objective)\n" in result.stdout
    assert "WB951 [info] Staff signal not shown" in result.stdout


def test_signals_are_computed_even_when_their_rules_are_not_selected():
    text = (EXAMPLES / "rag" / "design.mmd").read_text(encoding="utf-8")
    result = check_diagram_text(text, "design.mmd", CheckOptions(select=("WB701",)))
    assert [s["signal"] for s in result.signals] == KEYS
    assert not [f for f in result.findings if f.code.startswith("WB95")]
    flywheel = next(s for s in result.signals if s["signal"] == "data_flywheel")
    assert flywheel["shown"] and "Labels" in flywheel["evidence"]  # the users' thumbs up/down feed fine-tuning


def test_signal_findings_stay_out_of_coverage():
    text = (EXAMPLES / "recsys.mmd").read_text(encoding="utf-8")
    assert check_diagram_text(text, "recsys.mmd").coverage["score"] == 1.0


def test_quiet_report_leaves_out_the_signal_notes():
    result = runner.invoke(app, ["check", str(EXAMPLES / "recsys.mmd"), "--quiet"])
    assert "WB95" not in result.stdout and "signals:" not in result.stdout
    assert result.exit_code == 0


# -- the data flywheel's linear search finds what trying every serving node finds ------------

def _flywheel_by_trying_each_serving_node(ctx):
    """The detector as first written: a search per serving node, trainer and start (quadratic)."""
    from whiteboard.rules.kinds import DATA_STAGE, PROCESSING, SERVING, serving_nodes

    serving = serving_nodes(ctx)
    data = [n for n in ctx.nodes_of(*DATA_STAGE, *PROCESSING, "feedback_log") if n not in set(serving)]
    training = [n for n in ctx.nodes_of("training", "retrain_trigger") if n not in data]
    upstream = [n for n in ctx.nodes_of("client", *SERVING) if n not in training and n not in data]
    for served in serving:
        if served not in ctx.graph or served in training:
            continue
        trainers = [t for t in training if ctx.path_between([t], [served])]
        if not trainers:
            continue
        feeding = ctx.reaching(trainers)
        data_ok = [n for n in data if n in feeding]
        starts = [served] + [n for n in upstream if n != served and ctx.path_between([n], [served])]
        for start in starts:
            first = ctx.path_between(list(ctx.graph.successors(start)), data_ok)
            if first is None:
                continue
            second = ctx.path_between([first[-1]], trainers)
            third = ctx.path_between([second[-1]], [served]) if second else None
            if second and third:
                return [start, *first, *second[1:], *third[1:]]
    return []


_BOXES = ["C([Client app])", "GW[API gateway]", "S[Model serving]", "R[Ranking model]", "E[(Event log)]",
          "L[Label pipeline]", "T[Model training]", "Tr[Retrain trigger]", "M[Monitoring]", "X[Notes]"]


@given(st.lists(st.tuples(st.integers(0, len(_BOXES) - 1), st.integers(0, len(_BOXES) - 1),
                          st.sampled_from(["-->", "-.->", "==>"])), max_size=25))
def test_flywheel_search_agrees_with_trying_every_serving_node(links):
    from whiteboard.parser import parse_text
    from whiteboard.roles import assign_roles
    from whiteboard.rules.base import RuleContext
    from whiteboard.rules.signals import _data_flywheel

    ids = [box.split("[")[0].split("(")[0] for box in _BOXES]
    text = "flowchart LR\n" + "".join(f"  {box}\n" for box in _BOXES) + "".join(
        f"  {ids[a]} {arrow} {ids[b]}\n" for a, b, arrow in links)
    diagram = parse_text(text)
    kinds = {node: role.kinds for node, role in assign_roles(diagram).items()}
    assert _data_flywheel(RuleContext(diagram=diagram, kinds=kinds)) == \
        _flywheel_by_trying_each_serving_node(RuleContext(diagram=diagram, kinds=kinds))
