"""`%% wb:` directives (whiteboard.suppression) applied by the check."""

from __future__ import annotations

import pytest

from whiteboard.linter import CheckOptions, check_diagram_text

# No monitoring, no rollout, an unannotated hop: WB701, WB705, WB801 (and more) fire.
DESIGN = """flowchart LR
  Req[Requirements: 5K QPS, p99 < 150ms]
  Client([Web app]) --> Serve[Model serving]
"""


def _codes(text: str, **options) -> tuple[set[str], set[str]]:
    result = check_diagram_text(text, "d.mmd", CheckOptions(**options))
    return {f.code for f in result.findings}, {f.code for f in result.suppressed}


@pytest.mark.parametrize("directive, silenced", [
    ("%% wb: disable=WB705", {"WB705"}),
    ("%% wb: disable=WB705,WB701", {"WB705", "WB701"}),
    ("%% wb: disable = wb705 , wb701", {"WB705", "WB701"}),
    ("%% WB: DISABLE=WB705", {"WB705"}),
    ("%%wb:disable=WB705", {"WB705"}),
    ("%% wb: disable=WB705 -- a drill about the data pipeline", {"WB705"}),
    ("%% wb: disable=WB7", {"WB701", "WB703", "WB705"}),
])
def test_whole_diagram_directives(directive, silenced):
    assert silenced <= _codes(DESIGN)[0]  # they fire without the directive
    found, suppressed = _codes(directive + "\n" + DESIGN)
    assert silenced <= suppressed and not (silenced & found)
    assert "WB004" not in found and "WB005" not in found


def test_bare_disable_silences_everything():
    found, suppressed = _codes("%% wb: disable\n" + DESIGN)
    assert found == set() and {"WB701", "WB801"} <= suppressed


def test_disable_next_line_skips_comments_and_blank_lines():
    text = DESIGN.replace("  Client([Web app])",
                          "  %% wb: disable-next-line=WB801\n  %% the web client\n\n  Client([Web app])")
    found, suppressed = _codes(text)
    assert "WB801" in suppressed and "WB801" not in found
    assert "WB701" in found  # other lines and codes untouched


def test_disable_next_line_only_touches_that_line():
    text = DESIGN.replace("  Req[", "  %% wb: disable-next-line=WB801\n  Req[")
    found, suppressed = _codes(text)
    assert "WB801" in found and "WB801" not in suppressed
    assert "WB005" in found  # and the directive is reported as unused


def test_directive_after_the_last_line_is_unused():
    result = check_diagram_text(DESIGN + "  %% wb: disable-next-line=WB801\n", "d.mmd", CheckOptions())
    (note,) = [f for f in result.findings if f.code == "WB005"]
    assert "no line after it" in note.message and note.line == 4


def test_unused_note_obeys_a_disable_of_wb005():
    found, _ = _codes("%% wb: disable=WB005\n%% wb: disable-next-line=WB705\n" + DESIGN.replace("-->", "-->|canary|"))
    assert "WB005" not in found


def test_malformed_directive_message_gives_the_expected_form():
    result = check_diagram_text("%% wb: disabel=WB705\n" + DESIGN, "d.mmd", CheckOptions())
    (finding,) = [f for f in result.findings if f.code == "WB004"]
    assert "did you mean 'disable'" in finding.message
    assert "%% wb: disable=CODE" in finding.message and (finding.line, finding.column) == (1, 1)
    assert finding.severity.value == "warning"


def test_misspelt_code_gets_a_suggestion():
    result = check_diagram_text("%% wb: disable=WB7O5\n" + DESIGN, "d.mmd", CheckOptions())
    (finding,) = [f for f in result.findings if f.code == "WB004"]
    assert "did you mean" in finding.message and "WB705" in finding.message


def test_ordinary_comments_are_not_directives():
    found, _ = _codes("%% wbs are whiteboards\n%% note: wb: disable\n" + DESIGN)
    assert "WB004" not in found


def test_tool_notes_follow_select_and_ignore():
    text = "%% wb: disable WB705\n" + DESIGN
    assert "WB004" in _codes(text)[0]
    assert "WB004" not in _codes(text, ignore=("WB0",))[0]
    assert _codes(text, select=("WB7",))[0] <= {"WB701", "WB703", "WB704", "WB705"}


def test_suppressed_count_in_the_summary():
    from whiteboard.linter import CheckResult, FileResult

    result = check_diagram_text("%% wb: disable=WB7\n" + DESIGN, "d.mmd", CheckOptions())
    summary = CheckResult([FileResult("d.mmd", [result])]).summary()
    assert summary["suppressed"] == len(result.suppressed) >= 3
