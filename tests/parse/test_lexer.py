"""The lexer's first-character dispatch never changes a token stream.

Dispatch skips rules that cannot start with the current character; the reference is the
full alternation in rule order (mermaid's first-match order).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mermaid_compare import CORPUS
from whiteboard.errors import WhiteboardError
from whiteboard.lexer import tokenize
from whiteboard.preprocess import prepare



def _stream(text: str, dispatch: bool):
    out = []
    try:
        for token in tokenize(text, dispatch=dispatch):
            out.append((token.type, str(token), token.start_pos, token.line, token.column))
    except WhiteboardError as error:
        out.append(("error", error.message, getattr(error, "offset", None)))
    return out


def _prepared(text: str) -> str:
    try:
        return prepare(text).text
    except WhiteboardError:
        return text


@pytest.mark.skipif(not CORPUS.is_file(), reason=f"conformance corpus not found at {CORPUS}")
def test_dispatch_matches_full_alternation_on_the_corpus():
    texts = [json.loads(line)["input"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    differing = [t for t in texts if _stream(_prepared(t), True) != _stream(_prepared(t), False)]
    assert differing == []


ALPHABET = st.sampled_from(list("AaBxov09 _-.=>~<|[](){}\"`&:;,#*@/\\!%^\t\n") + ["-->", "==>", "-.->",
                           "flowchart ", "graph LR\n", "subgraph ", "end", "style ", "click ", "é", "中"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_dispatch_matches_full_alternation_on_random_text(body):
    text = "flowchart TD\n" + body
    assert _stream(text, True) == _stream(text, False)


def test_keywords_need_a_word_boundary():
    kinds = [t.type for t in tokenize("flowchart TD\nendpoint --> end\n")]
    assert kinds[3] == "NODE_STRING" and "END" in kinds


def test_first_graph_keyword_only_opens_the_direction():
    kinds = [t.type for t in tokenize("graph LR\ngraph --> x\n")]
    assert kinds[:2] == ["GRAPH", "DIR"] and kinds.count("DIR") == 1
