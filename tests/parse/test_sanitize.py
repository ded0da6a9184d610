"""whiteboard.sanitize against recorded mermaid/DOMPurify output.

``sanitize_cases.json`` holds label -> ``common.sanitizeText(label)`` pairs recorded from the real
mermaid 11.17.2 (DOMPurify 3.4.18 on jsdom) by ``scripts/dompurify_reference.mjs``.  To re-record
after changing the inputs::

    python -c "import json; d=json.load(open('tests/parse/sanitize_cases.json')); \\
        json.dump([c['input'] for c in d['cases']], open('/tmp/in.json', 'w'))"
    node scripts/dompurify_reference.mjs /tmp/in.json   # expected outputs, in order
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from whiteboard.sanitize import sanitize_text

_CASES = json.loads((Path(__file__).with_name("sanitize_cases.json")).read_text(encoding="utf-8"))["cases"]


def _param(case: dict[str, str]) -> object:
    marks = ()
    if "known_difference" in case:
        marks = (pytest.mark.xfail(strict=True, reason=f"known difference: {case['known_difference']}"),)
    return pytest.param(case["input"], case["expected"], marks=marks, id=repr(case["input"])[:60])


@pytest.mark.parametrize(("label", "expected"), [_param(c) for c in _CASES])
def test_matches_recorded_dompurify(label: str, expected: str) -> None:
    assert sanitize_text(label) == expected


def test_fixture_is_substantial() -> None:
    checked = [c for c in _CASES if "known_difference" not in c]
    assert len(checked) >= 300
    assert sum("<" in c["input"] for c in checked) >= 290


@pytest.mark.parametrize(
    "label", ["", "plain", "A & B", "x > y", "&lt;b&gt;", " \t\n", "\u00a0", "ﬂ°quot¶ß"]
)
def test_text_without_angle_bracket_is_returned_unchanged(label: str) -> None:
    assert sanitize_text(label) is label


def test_html5lib_is_imported_only_when_needed() -> None:
    code = (
        "import sys\n"
        "from whiteboard.sanitize import sanitize_text\n"
        "assert 'html5lib' not in sys.modules, 'imported by the module'\n"
        "sanitize_text('A & B, x > y')\n"
        "assert 'html5lib' not in sys.modules, 'imported for text without <'\n"
        "sanitize_text('a<br/>b & <b>c</b>')\n"
        "assert 'html5lib' not in sys.modules, 'imported for simple <br>/<b> markup'\n"
        "sanitize_text('<a href=\"x\" target=\"_blank\">l</a>')\n"
        "assert 'html5lib' in sys.modules, 'real markup should need the parser'\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_shared_html5lib_module_is_left_alone() -> None:
    sanitize_text("<isindex><p>x<summary>y</summary>")  # builds the private, patched parser
    import html5lib
    import html5lib.html5parser as shared

    assert ("http://www.w3.org/1999/xhtml", "summary") not in shared.specialElements
    body = html5lib.parse("<isindex>", namespaceHTMLElements=False).find("body")
    assert body is not None and body[0].tag == "form"  # stock html5lib still expands <isindex>
