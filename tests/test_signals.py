"""Staff-level signals (rules/signals.py): the JSON `signals` list and the text report's line."""

from __future__ import annotations

import json
from pathlib import Path

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
