"""Property tests: no input ends in anything but a Diagram or one clear error, quickly.

Random flowcharts (tests/strategies.py) cover the whole language, mutated ones (deleted,
duplicated, swapped tokens, inserted bytes, truncation) reach the error paths, raw bytes
reach decoding. Where mermaid-js's own parser (the oracle in ../shared/oracle or
/work/oracle, with node_modules) is available, generated texts are also compared with it.
"""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import flowcharts, mutated_flowcharts, sample_texts
from whiteboard.errors import DiagramSyntaxError, WhiteboardError
from whiteboard.parser import parse_text
from whiteboard.source import decode

# CPU seconds, not wall time: a busy machine must not fail the bound, a runaway loop must.
SECONDS_PER_INPUT = 2.0


@contextmanager
def bounded():
    """The CPU time of the block must stay under SECONDS_PER_INPUT. The collector is off while
    it runs: after hours of a long campaign a full collection of hypothesis's own heap can
    take seconds (seen once at 2.05 s on a 90-character input), which says nothing about ours."""
    gc.disable()
    started = time.process_time()
    try:
        yield
    finally:
        spent = time.process_time() - started
        gc.enable()
    assert spent < SECONDS_PER_INPUT


def _parse_or_error(text: str):
    with bounded():
        try:
            result = parse_text(text, "fuzz.mmd")
        except DiagramSyntaxError as error:
            assert error.line >= 1 and error.column >= 1
            assert error.message and "Traceback" not in str(error)
            assert str(error).startswith("fuzz.mmd:")
            result = error
    return result


PROBLEMS = (None, "framework", "recsys", "search", "moderation", "rag", "fraud", "perception")


@given(st.one_of(flowcharts(), mutated_flowcharts()), st.sampled_from(PROBLEMS))
def test_the_check_answers_every_input(text, problem):
    """The whole check, not only the parse: a result with placed findings and a JSON document."""
    from whiteboard.linter import CheckOptions, check_diagram_text

    with bounded():
        result = check_diagram_text(text, "fuzz.mmd", CheckOptions(problem=problem))
    lines = text.count("\n") + 1
    for finding in result.findings:
        assert 1 <= finding.line <= lines + 1 and finding.column >= 1, finding
        assert finding.message and finding.code
    json.dumps(result.to_dict())
    assert result.syntax_error == (result.diagram is None)


@given(flowcharts())
def test_random_flowcharts_parse_or_fail_cleanly(text):
    result = _parse_or_error(text)
    if not isinstance(result, DiagramSyntaxError):
        result.contract()  # the output of `whiteboard parse` can be built
        json.dumps(result.contract())


@given(mutated_flowcharts())
def test_mutated_flowcharts_parse_or_fail_cleanly(text):
    _parse_or_error(text)


@given(st.binary(max_size=400))
def test_arbitrary_bytes_fail_cleanly(data):
    try:
        text = decode(data, "fuzz.mmd")
    except WhiteboardError as error:
        assert str(error).startswith("fuzz.mmd")
        return
    _parse_or_error(text)


@given(st.text(max_size=200))
def test_arbitrary_text_after_a_header(text):
    _parse_or_error("flowchart LR\n" + text)


def _oracle() -> Path | None:
    here = Path(__file__).resolve().parents[1]
    for candidate in (here.parent / "shared" / "oracle", Path("/work/oracle")):
        if (candidate / "node_modules" / "mermaid").is_dir() and shutil.which("node"):
            return candidate
    return None


@pytest.mark.skipif(_oracle() is None, reason="mermaid oracle (node + npm ci in shared/oracle) not available")
def test_generated_flowcharts_agree_with_mermaid(tmp_path):
    from mermaid_compare import compare  # noqa: PLC0415 - test helper module beside test_conformance

    texts = sample_texts(300, seed=20261201) + sample_texts(200, seed=7, mutated=True)
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps(texts), encoding="utf-8")
    run = subprocess.run(
        ["node", str(_oracle() / "mermaid_oracle.mjs"), "--max-edges=1000000", str(inputs)],
        capture_output=True, text=True, check=True, timeout=600,
    )
    answers = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(answers) == len(texts)
    disagreements = []
    for text, answer in zip(texts, answers):
        if not answer["ok"] and "not a flowchart" in (answer.get("error") or ""):
            answer = {"ok": False, "error": answer["error"]}
        result = compare(text, answer)
        if not all(value for key, value in result.items() if key != "detail"):
            disagreements.append((text, result.get("detail")))
    assert disagreements == []
