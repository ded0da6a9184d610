"""Bad input gets one clear error: where (line:column in the file), what was expected, a caret.

Cases are data (error_cases.yml). Each was checked against mermaid-js: it rejects them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from whiteboard.errors import DiagramSyntaxError
from whiteboard.parser import parse_text

CASES = yaml.safe_load((Path(__file__).parent / "error_cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_points_at_the_problem_and_says_what_was_expected(name):
    case = CASES[name]
    with pytest.raises(DiagramSyntaxError) as caught:
        parse_text(case["input"], "notes/design.mmd")
    error = caught.value
    assert f"{error.line}:{error.column}" == case["at"], str(error)
    for words in case["says"]:
        assert words in error.message, str(error)
    rendered = str(error)
    first, *rest = rendered.splitlines()
    assert first.startswith(f"notes/design.mmd:{case['at']}: ")
    # The offending line and a caret under the column.
    assert len(rest) == 2 and rest[1].strip() == "^"
    assert rest[1].index("^") - 4 == error.column - 1
    # No Lark terminal names leak into the message.
    for internal in ("SQE", "NODE_STRING", "START_LINK", "__ANON", "$END"):
        assert internal not in error.message
