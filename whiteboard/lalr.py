"""A lean driver for Lark's LALR tables: the same automaton, fewer Python operations.

Lark analyses the grammar and builds the parse table and the reduce callbacks (our
transformer's methods); this module only runs that table. Lark's own loop looks up each
reduction's callback by its ``Rule`` object, whose ``__eq__``/``__hash__`` are Python
functions; on a 10,000-edge flowchart that is a third of the parse. Here every action is
one integer (a shift target, or a negative rule number) and every rule a tuple.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from lark import Lark, Token
from lark.exceptions import UnexpectedToken
from lark.parsers.lalr_analysis import Shift


class Tables:
    """Lark's parse table, flattened to dicts of ints."""

    def __init__(self, lark_parser: Lark, start: str = "start") -> None:
        inner = lark_parser.parser.parser.parser
        table = inner.parse_table
        callbacks = inner.callbacks
        self.rules: list[tuple[int, Callable[[list], Any], str]] = []
        index_of: dict[Any, int] = {}
        self.actions: dict[int, dict[str, int]] = {}
        for state, actions in table.states.items():
            flat: dict[str, int] = {}
            for symbol, (action, argument) in actions.items():
                if action is Shift:
                    flat[symbol] = argument
                else:
                    if argument not in index_of:
                        index_of[argument] = len(self.rules)
                        self.rules.append((len(argument.expansion), callbacks[argument], argument.origin.name))
                    flat[symbol] = -1 - index_of[argument]
            self.actions[state] = flat
        self.start_state = table.start_states[start]
        self.end_state = table.end_states[start]

    def expected(self, state: int) -> set[str]:
        return {symbol for symbol in self.actions[state] if symbol.isupper()}


def _unexpected(token: Token, tables: Tables, state_stack: list[int], value_stack: list[Any]) -> UnexpectedToken:
    error = UnexpectedToken(token, tables.expected(state_stack[-1]))
    # The tokens still on the stack say what is open (a '[' or a 'subgraph'), for the message.
    error.open_tokens = [value for value in value_stack if isinstance(value, Token)]  # type: ignore[attr-defined]
    return error


def _with_end(tokens: Iterable[Token]) -> Iterator[Token]:
    """The tokens, then Lark's $END (placed at the last token, as Lark places it)."""
    token = None
    for token in tokens:
        yield token
    yield Token.new_borrow_pos("$END", "", token) if token is not None else Token("$END", "", 0, 1, 1)


def run(tables: Tables, tokens: Iterable[Token]) -> Any:
    """Parse *tokens*; raise lark's UnexpectedToken (token, expected) on a syntax error.

    The error also carries ``open_tokens``: the shifted tokens not yet reduced.
    """
    actions = tables.actions
    rules = tables.rules
    end_state = tables.end_state
    state_stack = [tables.start_state]
    value_stack: list[Any] = []
    for token in _with_end(tokens):
        kind = token.type
        while True:
            action = actions[state_stack[-1]].get(kind)
            if action is None or (action >= 0 and kind == "$END"):  # Lark's tables never shift $END
                raise _unexpected(token, tables, state_stack, value_stack)
            if action >= 0:
                state_stack.append(action)
                value_stack.append(token)
                break
            size, callback, origin = rules[-1 - action]
            if size:
                arguments = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                arguments = []
            value_stack.append(callback(arguments))
            state_stack.append(actions[state_stack[-1]][origin])
            if kind == "$END" and state_stack[-1] == end_state:
                return value_stack[-1]
    raise AssertionError("unreachable: $END either completes the parse or raises")  # pragma: no cover
