"""`whiteboard check`, `rules`, `explain`, `kinds`, `explain-node` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whiteboard.cli import app
from whiteboard.rules import RULES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()

ENDS_AT_SERVING = """flowchart LR
  Req[Requirements: 5K QPS, p99 < 150ms]
  Client([Web app]) -->|"~20ms"| Serve[Model serving]
"""


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_report_follows_contract_2(tmp_path):
    name = _write(tmp_path, "design.mmd", ENDS_AT_SERVING)
    result = runner.invoke(app, ["check", name, "--format", "json"])
    assert result.exit_code == 1  # WB701 (no monitoring) is an error
    report = json.loads(result.stdout)
    assert set(report) == {"files", "summary"}
    (file,) = report["files"]
    assert file["path"] == name
    (diagram,) = file["diagrams"]
    assert set(diagram) >= {"line", "problem", "findings", "coverage", "latency"}
    assert diagram["latency"] == {"sla_ms": 150.0, "critical_path_ms": 20.0, "critical_path": ["Client", "Serve"]}
    codes = {f["code"] for f in diagram["findings"]}
    assert {"WB701", "WB301", "WB501"} <= codes
    for finding in diagram["findings"]:
        assert set(finding) == {"code", "severity", "message", "line", "column", "nodes"}
        assert finding["severity"] in ("error", "warning", "info")
    stages = [s["stage"] for s in diagram["coverage"]["stages"]]
    assert stages == ["requirements", "metrics", "data", "features", "model", "serving", "monitoring"]
    assert [s["minutes"] for s in diagram["coverage"]["stages"]] == [5, 3, 7, 5, 8, 8, 5]
    assert 0 <= diagram["coverage"]["score"] < 1
    assert report["summary"]["exit_code"] == 1


def test_text_report_names_file_line_column_and_code(tmp_path):
    name = _write(tmp_path, "design.mmd", ENDS_AT_SERVING)
    result = runner.invoke(app, ["check", name])
    assert f"{name}:1:1: WB701 [error]" in result.stdout
    assert "coverage" in result.stdout and "latency: 20 ms of a 150 ms SLA" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("3 errors") or "error" in result.stdout.splitlines()[-1]
    assert "\033[" not in result.stdout  # no colour when not on a terminal


def test_complete_examples_pass(tmp_path):
    result = runner.invoke(app, ["check", str(EXAMPLES / "recsys.mmd"), str(EXAMPLES / "fraud.mmd")])
    assert result.exit_code == 0, result.stdout
    assert "0 errors, 0 warnings" in result.stdout


def test_syntax_error_is_wb001_and_exit_2(tmp_path):
    name = _write(tmp_path, "broken.mmd", "flowchart LR\n  A[unclosed --> B\n")
    result = runner.invoke(app, ["check", name, "--format", "json"])
    assert result.exit_code == 2
    finding = json.loads(result.stdout)["files"][0]["diagrams"][0]["findings"][0]
    assert (finding["code"], finding["line"], finding["column"]) == ("WB001", 2, 4)


def test_select_ignore_strict_exit_zero(tmp_path):
    name = _write(tmp_path, "design.mmd", ENDS_AT_SERVING)
    only_data = json.loads(runner.invoke(app, ["check", name, "-f", "json", "--select", "WB3"]).stdout)
    codes = {f["code"] for f in only_data["files"][0]["diagrams"][0]["findings"]}
    assert codes and all(code.startswith("WB3") for code in codes)
    assert runner.invoke(app, ["check", name, "--ignore", "WB"]).exit_code == 0
    warnings_only = runner.invoke(app, ["check", name, "--select", "WB705"])
    assert warnings_only.exit_code == 0
    assert runner.invoke(app, ["check", name, "--select", "WB705", "--strict"]).exit_code == 1
    assert runner.invoke(app, ["check", name, "--exit-zero"]).exit_code == 0


def test_sla_flag_wins_over_the_diagram(tmp_path):
    name = _write(tmp_path, "design.mmd", ENDS_AT_SERVING)
    report = json.loads(runner.invoke(app, ["check", name, "-f", "json", "--sla", "10ms"]).stdout)
    diagram = report["files"][0]["diagrams"][0]
    assert diagram["latency"]["sla_ms"] == 10.0
    assert "WB802" in {f["code"] for f in diagram["findings"]}
    assert runner.invoke(app, ["check", name, "--sla", "soon"]).exit_code == 2


def test_unknown_problem_is_a_usage_error_listing_the_known_ones(tmp_path):
    name = _write(tmp_path, "design.mmd", ENDS_AT_SERVING)
    result = runner.invoke(app, ["check", name, "--problem", "rgs"])
    assert result.exit_code == 2
    assert "did you mean 'rag'" in result.stderr and "recsys" in result.stderr


def test_problem_comment_with_an_unknown_name_is_a_warning(tmp_path):
    name = _write(tmp_path, "design.mmd", "%% problem: chess\n" + ENDS_AT_SERVING)
    findings = json.loads(runner.invoke(app, ["check", name, "-f", "json"]).stdout)["files"][0]["diagrams"][0]
    (note,) = [f for f in findings["findings"] if f["code"] == "WB002"]
    assert (note["line"], note["column"], note["severity"]) == (1, 1, "warning")


def test_rules_lists_every_code():
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    from whiteboard.problems import list_problems
    from whiteboard.rules import problem_rules

    problems = [rule.code for name in list_problems() for rule in problem_rules(name)]
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(RULES) + problems


@pytest.mark.parametrize("code", ["WB703", "wb802"])
def test_explain_prints_the_rule_docs(code):
    result = runner.invoke(app, ["explain", code])
    assert result.exit_code == 0
    for section in ("## What it checks", "## Why it matters", "## Fails", "## Passes", "```mermaid"):
        assert section in result.stdout


def test_explain_unknown_code():
    result = runner.invoke(app, ["explain", "WB7O3"])
    assert result.exit_code == 2 and "WB703" in result.stderr


def test_kinds_and_explain_node():
    kinds = runner.invoke(app, ["kinds"])
    assert kinds.exit_code == 0 and "online_store" in kinds.stdout and "Kafka" in kinds.stdout
    node = runner.invoke(app, ["explain-node", str(EXAMPLES / "recsys.mmd"), "Kafka"])
    assert node.exit_code == 0 and "ingestion" in node.stdout and "Kafka" in node.stdout
    missing = runner.invoke(app, ["explain-node", str(EXAMPLES / "recsys.mmd"), "Kafak"])
    assert missing.exit_code == 2 and "Kafka" in missing.stderr


def test_installed_console_script_checks_stdin():
    script = Path(sys.executable).with_name("whiteboard")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "whiteboard"]
    run = subprocess.run([*command, "check", "-", "--format", "json"], input=ENDS_AT_SERVING,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert json.loads(run.stdout)["files"][0]["path"] == "<stdin>"
    assert "Traceback" not in run.stderr


def test_python_api_returns_the_same_result():
    from whiteboard import check

    result = check(ENDS_AT_SERVING)
    assert result.exit_code == 1
    assert "WB701" in {finding.code for _, finding in result.findings}
