"""Markdown fences (whiteboard.markdown): the cases in tests/markdown/fence_cases.yml, and
positions of findings inside fences mapped back into the document."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from whiteboard.linter import CheckOptions, check_markdown_text
from whiteboard.markdown import fenced_blocks, mermaid_blocks

CASES = yaml.safe_load((Path(__file__).parent / "markdown" / "fence_cases.yml").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("name", list(CASES))
def test_fence_case(name):
    case = CASES[name]
    got = [{"lang": b.language, "line": b.fence_line, "column": b.fence_column, "closed": b.closed,
            "text": b.text, "prefixes": b.prefixes} for b in fenced_blocks(case["markdown"])]
    assert got == case["expect"]


def test_only_mermaid_blocks_are_diagrams():
    text = "```python\nx\n```\n```MERMAID\ngraph LR\n```\n```\nplain\n```\n"
    assert [b.fence_line for b in mermaid_blocks(text)] == [4]


def _position_of(text: str, needle: str) -> tuple[int, int]:
    """Where *needle* really is in *text*: 1-based line and column."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# Each document has one diagram whose WB001 syntax error sits at 'A[oops' + 1 (the '[').
POSITION_DOCUMENTS = {
    "top_level": "# T\n\nprose\n\n```mermaid\nflowchart LR\n  A[oops --> B\n```\n",
    "indented_fence": "text\n\n   ```mermaid\n   flowchart LR\n     A[oops --> B\n   ```\n",
    "list_item": "- one\n- two\n\n  ```mermaid\n  flowchart LR\n    A[oops --> B\n  ```\n",
    "block_quote": "> quoted\n>\n> ```mermaid\n> flowchart LR\n>   A[oops --> B\n> ```\n",
    "tabs_in_content": "```mermaid\nflowchart LR\n\tA[oops --> B\n```\n",
    "after_front_matter_comment": "```mermaid\n%% problem: rag\nflowchart LR\n  A[oops --> B\n```\n",
}


@pytest.mark.parametrize("name", list(POSITION_DOCUMENTS))
def test_syntax_error_positions_point_into_the_document(name):
    text = POSITION_DOCUMENTS[name]
    (diagram,) = check_markdown_text(text, "notes.md", CheckOptions())
    (finding,) = [f for f in diagram.findings if f.code == "WB001"]
    line, column = _position_of(text, "A[oops")
    assert (finding.line, finding.column) == (line, column + 1)


def test_rule_positions_point_at_the_node_in_the_document():
    text = ("Intro\n\n1. Design:\n\n   ```mermaid\n   flowchart LR\n"
            "     Client([Web app]) --> Serve[Model serving]\n   ```\n")
    (diagram,) = check_markdown_text(text, "notes.md", CheckOptions(select=("WB801", "WB101")))
    by_code = {f.code: f for f in diagram.findings}
    assert (by_code["WB801"].line, by_code["WB801"].column) == _position_of(text, "--> Serve")
    assert (by_code["WB101"].line, by_code["WB101"].column) == _position_of(text, "flowchart LR")
    assert diagram.line == _position_of(text, "flowchart LR")[0]


def test_positions_past_the_last_line_land_on_the_closing_fence():
    (block,) = mermaid_blocks("  ```mermaid\n  flowchart LR\n  ```\n")
    assert block.to_file(1, 1) == (2, 3)
    assert block.to_file(2, 1) == (3, 3)  # the line after the diagram: the closing fence


def test_empty_fence_is_a_wb001_at_the_fence():
    (diagram,) = check_markdown_text("text\n```mermaid\n```\n", "n.md", CheckOptions())
    assert [(f.code, f.line, f.column) for f in diagram.findings] == [("WB001", 2, 1)]  # the opening fence


def test_parse_command_reads_markdown_one_line_per_flowchart(tmp_path):
    import json

    from typer.testing import CliRunner

    from whiteboard.cli import app

    text = ("# Notes\n\n- item\n\n  ```mermaid\n  flowchart LR\n    A[Client] --> B[Serve]\n  ```\n\n"
            "```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n\n```mermaid\ngraph TD\n  C[open\n```\n")
    (tmp_path / "notes.md").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", str(tmp_path / "notes.md")])
    assert result.exit_code == 2  # the third fence does not parse
    first, error = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["fence_line"] == 5 and first["path"].endswith("notes.md")
    assert [(n["id"], n["line"], n["column"]) for n in first["nodes"]] == [("A", 7, 5), ("B", 7, 19)]
    assert error["fence_line"] == 15 and (error["error"]["line"], error["error"]["column"]) == (17, 4)
    assert "notes.md:17:4" in result.stderr and "C[open" in result.stderr
    one = CliRunner().invoke(app, ["parse", str(tmp_path / "notes.md"), "--format", "json"])
    assert one.exit_code == 2 and "--format jsonl" in one.stderr
