"""Positions point into the user's file, whatever mermaid's preprocessing removed first."""

from __future__ import annotations

import pytest

from whiteboard.parser import parse_text
from whiteboard.source import decode


def _positions(text: str) -> dict[str, tuple[int, int]]:
    diagram = parse_text(text)
    return {node.id: (node.line, node.column) for node in diagram.nodes}


PLAIN = "flowchart LR\n  Kafka --> Flink\n  Flink -->|p99 20ms| Lake[(S3)]\n"


def test_plain_positions():
    assert _positions(PLAIN) == {"Kafka": (2, 3), "Flink": (2, 13), "Lake": (3, 23)}


@pytest.mark.parametrize(
    "prefix, line_shift",
    [
        ("---\ntitle: Recsys\nconfig:\n  theme: dark\n---\n", 5),
        ("%% problem: recsys\n%% sla: 200ms\n", 2),
        ("%%{init: {'theme': 'forest'}}%%\n", 1),
        ("\n\n   \n", 3),
        ("---\ntitle: T\n---\n%% note\n\n%%{init: {}}%%\n", 6),
    ],
    ids=["front-matter", "comments", "init-directive", "blank-lines", "all-of-them"],
)
def test_removed_preamble_does_not_shift_positions(prefix, line_shift):
    expected = {node: (line + line_shift, column) for node, (line, column) in _positions(PLAIN).items()}
    assert _positions(prefix + PLAIN) == expected


def test_crlf_and_bom_keep_editor_positions():
    data = ("\ufeff" + PLAIN).encode("utf-8").replace(b"\n", b"\r\n")
    assert _positions(decode(data)) == _positions(PLAIN)


def test_comment_lines_between_statements():
    text = "flowchart LR\n  A --> B\n  %% a note\n\n  %% another\n  C --> D\n"
    assert _positions(text)["C"] == (6, 3)


def test_entity_codes_do_not_shift_later_columns():
    text = 'flowchart LR\n  A["#quot;x#quot; #35;"] --> B\n'
    diagram = parse_text(text)
    assert diagram.nodes[0].label == "&quot;x&quot; &#35;"
    assert (diagram.nodes[1].line, diagram.nodes[1].column) == (2, 31)


def test_edges_point_at_their_source_and_arrow():
    diagram = parse_text("flowchart LR\n  A --> B -->|x| C\n")
    first, second = diagram.edges
    assert (first.line, first.column, first.link_line, first.link_column) == (2, 3, 2, 5)
    assert (second.line, second.column, second.link_column) == (2, 9, 11)


def test_comments_are_kept_with_their_positions():
    diagram = parse_text("%% problem: rag\nflowchart LR\n  A --> B\n    %% sla: 300ms\n")
    assert [(c.text, c.line, c.column) for c in diagram.comments] == [
        ("problem: rag", 1, 1), ("sla: 300ms", 4, 5)]


def test_header_line_is_recorded():
    assert parse_text("\n%% c\nflowchart LR\nA").start_line == 3
