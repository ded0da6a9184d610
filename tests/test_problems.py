"""Canonical problems: specs load, skeletons are sound, `whiteboard new` and `problems` work.

The skeleton of every problem must pass its own check (no error, no warning), at every
stage it must parse (in mermaid-js too, where the oracle is installed), and what a user
adds with --templates must work like a shipped problem.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whiteboard.cli import app
from whiteboard.linter import CheckOptions, check_diagram_text
from whiteboard.parser import parse_text
from whiteboard.problems import list_problems, load_problem, render_skeleton
from whiteboard.rules import problem_rules

runner = CliRunner()
PROBLEMS = list_problems()
CANONICAL = ("framework", "recsys", "search", "moderation", "rag", "fraud", "perception")


def test_the_canonical_problems_are_shipped():
    assert set(CANONICAL) <= set(PROBLEMS)


@pytest.mark.parametrize("name", PROBLEMS)
def test_full_skeleton_passes_its_own_check(name):
    text = load_problem(name).skeleton()
    result = check_diagram_text(text, f"{name}.mmd", CheckOptions(problem=name))
    assert not result.syntax_error
    assert result.problem == name
    bad = [f"{f.code} {f.message}" for f in result.findings if f.severity.value in ("error", "warning")]
    assert bad == []


@pytest.mark.parametrize("name", PROBLEMS)
def test_skeleton_latency_fits_the_spec_sla(name):
    spec = load_problem(name)
    result = check_diagram_text(spec.skeleton(), f"{name}.mmd", CheckOptions(problem=name))
    if spec.sla_ms is None:
        return
    latency = result.latency
    assert latency["sla_ms"] == spec.sla_ms, "the skeleton's requirements box states the spec's SLA"
    assert latency["critical_path_ms"] is not None, "every online hop of the skeleton is annotated"
    assert latency["critical_path_ms"] <= spec.sla_ms


@pytest.mark.parametrize("name", PROBLEMS)
@pytest.mark.parametrize("stage", range(1, 8))
def test_every_stage_parses_and_grows(name, stage):
    spec = load_problem(name)
    diagram = parse_text(spec.skeleton(stage=stage), f"{name}-{stage}.mmd")
    assert diagram.nodes, "even stage 1 has the requirements box"
    if stage > 1:
        before = parse_text(spec.skeleton(stage=stage - 1), "before.mmd")
        assert {n.id for n in before.nodes} <= {n.id for n in diagram.nodes}
    if stage < 6:  # latency annotations arrive with stage 6, as the seed's whiteboard strategy says
        assert not [e for e in diagram.edges if e.label and e.label.strip().endswith("ms")]


def test_before_stage_six_only_the_latency_leaves_an_edge_label():
    text = "flowchart LR\n%% stage: 5\n  A -->|\"20ms: pass\"| B -->|\"p99 < 5ms\"| C -->|deploy| D\n"
    assert render_skeleton(text, stage=5).splitlines()[1] == '  A -->|"pass"| B --> C -->|deploy| D'
    assert render_skeleton(text, stage=6) == text.replace("%% stage: 5\n", "")


@pytest.mark.parametrize("name", PROBLEMS)
def test_stage_seven_is_the_whole_skeleton(name):
    spec = load_problem(name)
    assert parse_text(spec.skeleton(stage=7)).contract() == parse_text(spec.skeleton()).contract()


@pytest.mark.parametrize("name", PROBLEMS)
def test_direction_is_set(name):
    diagram = parse_text(load_problem(name).skeleton(direction="TD"))
    assert diagram.direction == "TB"  # mermaid stores TD as TB


def test_new_writes_the_skeleton_and_checks_clean_through_a_pipe(tmp_path):
    out = tmp_path / "answer.mmd"
    result = runner.invoke(app, ["new", "rag", "-o", str(out)])
    assert result.exit_code == 0, result.output
    checked = runner.invoke(app, ["check", str(out), "--problem", "rag", "--format", "json"])
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert report["summary"]["error"] == 0 and report["summary"]["warning"] == 0


def test_new_markdown_has_the_plan_and_the_fence():
    result = runner.invoke(app, ["new", "rag", "--format", "markdown", "--stage", "3"])
    assert result.exit_code == 0
    page = result.stdout
    assert page.startswith("# RAG pipeline")
    assert "| 8-15 | 3. Data |" in page
    assert "## The board after stage 3 (Data)" in page
    fence = page.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert parse_text(fence).nodes


def test_new_unknown_problem_lists_the_known_ones():
    result = runner.invoke(app, ["new", "ragg"])
    assert result.exit_code == 2
    assert "did you mean 'rag'" in result.stderr and "known:" in result.stderr


def test_new_bad_stage_and_direction_are_usage_errors():
    assert runner.invoke(app, ["new", "rag", "--stage", "9"]).exit_code == 2
    result = runner.invoke(app, ["new", "rag", "--direction", "UP"])
    assert result.exit_code == 2 and "expected LR, TD" in result.stderr


def test_problems_lists_every_problem_with_its_challenges():
    result = runner.invoke(app, ["problems"])
    assert result.exit_code == 0
    for name in PROBLEMS:
        assert any(line.startswith(name + " ") for line in result.stdout.splitlines())
    assert "Hallucination detection" in result.stdout


def test_rules_and_explain_include_problem_rules():
    listed = runner.invoke(app, ["rules", "--problem", "rag"]).stdout.split()
    codes = [rule.code for rule in problem_rules("rag")]
    assert codes and all(code in listed for code in codes)
    explained = runner.invoke(app, ["explain", codes[0].lower()])
    assert explained.exit_code == 0 and "## Why it matters" in explained.stdout


def test_waived_core_rules_do_not_run_for_the_problem():
    spec = load_problem("rag")
    assert "WB401" in spec.waive
    lonely = "flowchart LR\n  Client([App]) --> Serve[Model serving]\n"
    plain = {f.code for f in check_diagram_text(lonely, "x.mmd", CheckOptions()).findings}
    rag = {f.code for f in check_diagram_text(lonely, "x.mmd", CheckOptions(problem="rag")).findings}
    assert "WB401" in plain and "WB401" not in rag
    assert any(code.startswith("RAG") for code in rag)


def test_problem_comment_selects_the_rules():
    text = "%% problem: rag\nflowchart LR\n  Q([Question]) --> V[(Vector DB)] --> G[LLM] --> Q\n"
    result = check_diagram_text(text, "x.mmd", CheckOptions())
    assert result.problem == "rag"
    assert "RAG102" in {f.code for f in result.findings}


# -- a user's own problem -----------------------------------------------------------------

USER_SPEC = '''
name = "ads"
title = "Ads click prediction"
prefix = "ADS"
summary = "Predict clicks for an ad auction."
key_challenges = ["Calibration"]
must_discuss = ["Calibrated pCTR"]
serving_pattern = "online"
sla = "50ms"

[kinds.calibration]
stage = "model"
label = "calibration"
description = "probability calibration: isotonic, Platt scaling"
words = ["calibration", "isotonic", "Platt scaling"]

[[rules]]
code = "ADS101"
name = "ads.calibration"
severity = "error"
stage = "model"
summary = "pCTR is not calibrated"
what = "A calibration step after the model."
why = "Auction prices multiply pCTR by the bid."
fails = """flowchart LR
  M[pCTR model] --> A[Auction]"""
passes = """flowchart LR
  M[pCTR model] --> C[Isotonic calibration] --> A[Auction]"""
check = { type = "order", steps = [["model"], ["calibration"]] }
'''


def _user_templates(tmp_path: Path, spec: str = USER_SPEC) -> Path:
    directory = tmp_path / "my-problems"
    directory.mkdir()
    (directory / "ads.toml").write_text(spec, encoding="utf-8")
    (directory / "ads.mmd").write_text("flowchart LR\n%% stage: 1\n  Req[Requirements: p99 < 50ms]\n"
                                       "%% stage: 5\n  M[pCTR model] --> C[Isotonic calibration]\n",
                                       encoding="utf-8")
    return directory


def test_a_users_problem_works_like_a_shipped_one(tmp_path):
    directory = _user_templates(tmp_path)
    assert "ads" in list_problems(directory)
    result = runner.invoke(app, ["new", "ads", "--templates", str(directory), "--stage", "1"])
    assert result.exit_code == 0 and "pCTR" not in result.stdout and "Requirements" in result.stdout
    design = tmp_path / "design.mmd"
    design.write_text("flowchart LR\n  M[pCTR model] --> A[Auction]\n", encoding="utf-8")
    checked = runner.invoke(app, ["check", str(design), "--problem", "ads", "--templates", str(directory),
                                  "--format", "json"])
    codes = {f["code"] for f in json.loads(checked.stdout)["files"][0]["diagrams"][0]["findings"]}
    assert "ADS101" in codes
    (tmp_path / "whiteboard.toml").write_text('templates = "my-problems"\nproblem = "ads"\n', encoding="utf-8")
    by_config = runner.invoke(app, ["check", str(design), "--format", "json"])
    codes = {f["code"] for f in json.loads(by_config.stdout)["files"][0]["diagrams"][0]["findings"]}
    assert "ADS101" in codes


@pytest.mark.parametrize("broken, message", [
    (USER_SPEC.replace('prefix = "ADS"', 'prefx = "ADS"'), "unknown key 'prefx' (did you mean 'prefix'?)"),
    (USER_SPEC.replace('type = "order"', 'type = "ordr"'), "did you mean 'order'?"),
    (USER_SPEC.replace('[["model"], ["calibration"]]', '[["model"], ["calibraton"]]'),
     "unknown kind 'calibraton' (did you mean 'calibration'?)"),
    (USER_SPEC.replace('code = "ADS101"', 'code = "REC101"'), "a code is the prefix ADS and three digits"),
    (USER_SPEC.replace('severity = "error"', 'severity = "fatal"'), "expected one of error, warning, info"),
    (USER_SPEC.replace('sla = "50ms"', 'sla = "fast"'), "cannot read 'fast' as a duration"),
])
def test_a_broken_spec_is_one_clear_error(tmp_path, broken, message):
    directory = _user_templates(tmp_path, broken)
    result = runner.invoke(app, ["new", "ads", "--templates", str(directory)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "ads.toml" in result.stderr
    assert "Traceback" not in result.output


# -- real processes and the real mermaid parser -------------------------------------------

def _console_script() -> str | None:
    found = Path(sys.executable).with_name("whiteboard")
    return str(found) if found.exists() else shutil.which("whiteboard")


@pytest.mark.skipif(_console_script() is None, reason="the whiteboard console script is not installed")
@pytest.mark.parametrize("name", PROBLEMS)
def test_new_piped_into_check_with_the_installed_script(name):
    script = _console_script()
    new = subprocess.run([script, "new", name], capture_output=True, text=True, check=True)
    checked = subprocess.run([script, "check", "-", "--problem", name], input=new.stdout, capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 errors, 0 warnings" in checked.stdout


def _oracle() -> Path | None:
    here = Path(__file__).resolve().parents[2]
    for candidate in (here / "shared" / "oracle", Path("/work/oracle")):
        if (candidate / "node_modules").is_dir() and shutil.which("node"):
            return candidate
    return None


@pytest.mark.skipif(_oracle() is None, reason="mermaid oracle (node + npm ci in shared/oracle) not available")
def test_every_skeleton_at_every_stage_parses_in_mermaid(tmp_path):
    texts = [load_problem(name).skeleton(stage=stage, direction=direction)
             for name in PROBLEMS for stage in (*range(1, 8), None) for direction in (None, "TD")]
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps(texts), encoding="utf-8")
    run = subprocess.run(["node", str(_oracle() / "mermaid_oracle.mjs"), str(inputs)], capture_output=True,
                         text=True, timeout=300)
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(rows) == len(texts)
    failures = [(text.splitlines()[0], row["error"]) for text, row in zip(texts, rows) if not row["ok"]]
    assert failures == []
    ours = [len(parse_text(text).nodes) for text in texts]
    assert ours == [len(row["nodes"]) for row in rows]
