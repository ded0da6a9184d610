"""The grammar gate: no LALR conflicts, and grammar and lexer agree on the terminals."""

from __future__ import annotations

import re

from whiteboard.lexer import RULES, UNPARSEABLE_TOKENS
from whiteboard.parser import build_parser
from whiteboard.resources import grammar_path

# Terminals of mermaid's grammar that its lexer never produces (kept for fidelity).
NEVER_EMITTED = {"UNIT", "PCT"}


def test_grammar_builds_in_strict_mode():
    # strict=True turns any shift/reduce conflict or terminal collision into an error.
    parser, _ = build_parser(strict=True, cache=False)
    assert parser.options.parser == "lalr"


def _declared_terminals() -> set[str]:
    text = grammar_path().read_text(encoding="utf-8")
    names: set[str] = set()
    for line in text.splitlines():
        if line.startswith("%declare"):
            names.update(line.split()[1:])
    return names


def test_every_token_the_lexer_emits_is_declared():
    emitted = {rule.token for _, rule in RULES if rule.token}
    assert emitted - _declared_terminals() == set()


def test_every_declared_terminal_is_emitted_or_known_unused():
    emitted = {rule.token for _, rule in RULES if rule.token}
    assert _declared_terminals() - emitted == NEVER_EMITTED


def test_tokens_no_rule_accepts_are_declared_but_unused_in_rules():
    text = grammar_path().read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith(("%declare", "//")))
    for name in UNPARSEABLE_TOKENS:
        assert not re.search(rf"\b{name}\b", body), name
