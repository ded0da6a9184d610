"""Lark callbacks: each grammar production does what mermaid's semantic action does.

The callbacks run *while* Lark's LALR parser reduces (``Lark(transformer=...)``), in the
same order as mermaid's jison actions, so the FlowBuilder sees the same sequence of
addVertex / addLink / addSubGraph calls and ends in the same state. Values passed up
mirror jison's: ids are ``(text, offset)``, texts are ``(text, label_type)``, links are
dicts from ``destruct_link``.
"""

from __future__ import annotations

from lark import Token, Transformer

from whiteboard.flowdb import DirectionStatement, FlowBuilder, FlowError, js_trim


def _destruct_end_link(text: str) -> tuple[str, str, int]:
    link = js_trim(text)
    line = link[:-1]
    kind = "arrow_open"
    last = link[-1:]
    if last == "x":
        kind = "arrow_cross"
        if link.startswith("x"):
            kind, line = "double_" + kind, line[1:]
    elif last == ">":
        kind = "arrow_point"
        if link.startswith("<"):
            kind, line = "double_" + kind, line[1:]
    elif last == "o":
        kind = "arrow_circle"
        if link.startswith("o"):
            kind, line = "double_" + kind, line[1:]
    stroke = "normal"
    length = len(line) - 1
    if line.startswith("="):
        stroke = "thick"
    if line.startswith("~"):
        stroke = "invisible"
    dots = line.count(".")
    if dots:
        stroke, length = "dotted", dots
    return kind, stroke, length


def _destruct_start_link(text: str) -> tuple[str, str]:
    link = js_trim(text)
    kind = "arrow_open"
    first = link[:1]
    if first in ("<", "x", "o"):
        kind = {"<": "arrow_point", "x": "arrow_cross", "o": "arrow_circle"}[first]
        link = link[1:]
    stroke = "normal"
    if "=" in link:
        stroke = "thick"
    if "." in link:
        stroke = "dotted"
    return kind, stroke


def destruct_link(end: str, start: str | None = None) -> dict:
    """mermaid's destructLink: arrow text -> type, stroke and extra length."""
    kind, stroke, length = _destruct_end_link(end)
    if not start:
        return {"type": kind, "stroke": stroke, "length": length}
    start_kind, start_stroke = _destruct_start_link(start)
    if start_stroke != stroke:
        return {"type": "INVALID", "stroke": "INVALID", "length": None}
    if start_kind == "arrow_open":
        start_kind = kind
    elif start_kind != kind:
        return {"type": "INVALID", "stroke": "INVALID", "length": None}
    else:
        start_kind = "double_" + start_kind
    if start_kind == "double_arrow":
        start_kind = "double_arrow_point"
    return {"type": start_kind, "stroke": start_stroke, "length": length}


class _Statement:
    """A vertexStatement: the last node group (``stmt``) and every node so far."""

    __slots__ = ("stmt", "groups")

    def __init__(self, stmt: list, groups: tuple) -> None:
        self.stmt = stmt
        self.groups = groups  # (latest group, previous groups...) as a cons list

    def nodes(self) -> list[str]:
        # mermaid builds `node.concat(previous.nodes)`: newest group first.
        out: list[str] = []
        groups = self.groups
        while groups:
            group, groups = groups
            out.extend(item[0] for item in group)
        return out


def _simple_vertex(shape: str, text_index: int):
    def callback(self: "FlowTransformer", children: list):
        vertex_id = children[0]
        self.db.add_vertex(vertex_id[0], vertex_id[1], children[text_index], shape)
        return vertex_id

    callback.__name__ = shape
    return callback


def _strs(children: list) -> list[str]:
    return [child.value for child in children if isinstance(child, Token) and child.type == "STR"]


class FlowTransformer(Transformer):
    """Callbacks named after the grammar's rules and aliases."""

    def __init__(self, db: FlowBuilder) -> None:
        super().__init__(visit_tokens=False)
        self.db = db

    # -- header and body ----------------------------------------------------------------
    def header_without_direction(self, children):
        self.db.set_direction("TB")

    def header_with_direction(self, children):
        self.db.set_direction(children[1].value)

    def document_empty(self, children):
        return []

    def document_append(self, children):
        document, line = children
        if not (isinstance(line, list) and not line):
            document.append(line)
        return document

    def line(self, children):
        return children[0]

    def line_token(self, children):
        return children[0].value

    def space_list(self, children):
        return None

    def first_stmt_separator(self, children):
        return None

    def vertex_line(self, children):
        return children[0].nodes()

    def other_line(self, children):
        return []

    def direction(self, children):
        return DirectionStatement(children[0].type.rsplit("_", 1)[1])

    def direction_line(self, children):
        return children[0]

    def acc_title(self, children):
        self.db.acc_title = js_trim(children[1].value)
        return self.db.acc_title

    def acc_descr(self, children):
        self.db.acc_descr = js_trim(children[1].value)
        return self.db.acc_descr

    def acc_descr_multiline(self, children):
        self.db.acc_descr = js_trim(children[0].value)
        return self.db.acc_descr

    # -- subgraphs ----------------------------------------------------------------------
    def subgraph_titled(self, children):
        return self.db.add_subgraph(children[2], children[7], children[4], children[0].start_pos, same_object=False)

    def subgraph_plain(self, children):
        return self.db.add_subgraph(children[2], children[4], children[2], children[0].start_pos, same_object=True)

    def subgraph_anonymous(self, children):
        return self.db.add_subgraph(None, children[2], None, children[0].start_pos, same_object=False)

    # -- texts --------------------------------------------------------------------------
    def text_first(self, children):
        return (children[0].value, "text")

    def text_more(self, children):
        previous, token = children
        return (previous[0] + token.value, previous[1])

    def text_string(self, children):
        return (children[0].value, "string")

    def text_no_tags_string(self, children):
        return (children[0].value, "text")

    def text_markdown(self, children):
        return (children[0].value, "markdown")

    def id_string(self, children):
        if len(children) == 1:
            token = children[0]
            return (token.value, token.start_pos)
        previous, token = children
        return (previous[0] + token.value, previous[1])

    def alpha_num(self, children):
        if len(children) == 1:
            return children[0].value
        return children[0] + children[1].value

    def shape_data(self, children):
        if len(children) == 1:
            return children[0].value
        return children[0] + children[1].value

    # -- vertices -----------------------------------------------------------------------
    square = _simple_vertex("square", 2)
    doublecircle = _simple_vertex("doublecircle", 2)
    circle = _simple_vertex("circle", 3)
    ellipse = _simple_vertex("ellipse", 2)
    stadium = _simple_vertex("stadium", 2)
    subroutine = _simple_vertex("subroutine", 2)
    cylinder = _simple_vertex("cylinder", 2)
    round = _simple_vertex("round", 2)
    diamond = _simple_vertex("diamond", 2)
    hexagon = _simple_vertex("hexagon", 3)
    odd = _simple_vertex("odd", 2)
    trapezoid = _simple_vertex("trapezoid", 2)
    inv_trapezoid = _simple_vertex("inv_trapezoid", 2)
    lean_right = _simple_vertex("lean_right", 2)
    lean_left = _simple_vertex("lean_left", 2)

    def rect_with_props(self, children):
        vertex_id = children[0]
        props = {children[2].value: children[4].value}
        self.db.add_vertex(vertex_id[0], vertex_id[1], children[6], "rect", props=props)
        return vertex_id

    def bare_vertex(self, children):
        vertex_id = children[0]
        self.db.add_vertex(vertex_id[0], vertex_id[1])
        return vertex_id

    def styled_vertex_class(self, children):
        vertex_id, _, class_name = children
        self.db.set_class(vertex_id[0], class_name[0])
        return vertex_id

    def node_single(self, children):
        return [children[0]]

    def node_group(self, children):
        group = children[0]
        group.append(children[4])
        return group

    def node_group_with_data(self, children):
        group = children[0]
        last = group[-1]
        self.db.add_vertex(last[0], last[1], shape_data=children[1])
        group.append(children[5])
        return group

    def first_node(self, children):
        return _Statement(children[0], (children[0], ()))

    def first_node_with_data(self, children):
        group = children[0]
        last = group[-1]
        self.db.add_vertex(last[0], last[1], shape_data=children[1])
        return _Statement(group, (group, ()))

    def chain(self, children):
        statement, link, group = children[0], children[1], children[2]
        self.db.add_link(statement.stmt, group, link)
        return _Statement(group, (group, statement.groups))

    def chain_with_data(self, children):
        statement, link, group, data = children
        last = group[-1]
        self.db.add_vertex(last[0], last[1], shape_data=data)
        self.db.add_link(statement.stmt, group, link)
        return _Statement(group, (group, statement.groups))

    # -- links --------------------------------------------------------------------------
    def link_token(self, children):
        token = children[0]
        link = destruct_link(token.value)
        link["offset"] = token.start_pos + (len(token.value) - len(token.value.lstrip()))
        return link

    def link_token_with_id(self, children):
        link_id, token = children
        link = destruct_link(token.value)
        link["id"] = link_id.value
        link["offset"] = link_id.start_pos
        return link

    def link_plain(self, children):
        return children[0]

    def link_with_pipe_text(self, children):
        link = children[0]
        link["text"] = children[1]
        return link

    def arrow_text(self, children):
        return children[1]

    def link_with_inline_text(self, children):
        start, text, end = children
        link = destruct_link(end.value, start.value)
        link["text"] = text
        link["offset"] = start.start_pos + (len(start.value) - len(start.value.lstrip()))
        return link

    def link_with_inline_text_and_id(self, children):
        link_id, start, text, end = children
        link = destruct_link(end.value, start.value)
        link["text"] = text
        link["id"] = link_id.value
        link["offset"] = link_id.start_pos
        return link

    # -- classDef, class, style, linkStyle, click ---------------------------------------
    def style(self, children):
        if len(children) == 1:
            return children[0].value
        return children[0] + children[1].value

    def styles_opt(self, children):
        if len(children) == 1:
            return [children[0]]
        children[0].append(children[2])
        return children[0]

    def num_list(self, children):
        if len(children) == 1:
            return [(children[0].value, children[0].start_pos)]
        children[0].append((children[2].value, children[2].start_pos))
        return children[0]

    def class_def_statement(self, children):
        self.db.add_class(children[2][0], children[4])

    def class_statement(self, children):
        self.db.set_class(children[2][0], children[4][0])

    def style_statement(self, children):
        vertex_id = children[2]
        self.db.add_vertex(vertex_id[0], vertex_id[1], styles=children[4])

    def link_style_default(self, children):
        self.db.update_link([("default", children[2].start_pos)], children[4])

    def link_style(self, children):
        self.db.update_link(children[2], children[4])

    def link_style_default_interpolate(self, children):
        positions = [("default", children[2].start_pos)]
        self.db.update_link_interpolate(positions, children[6])
        if len(children) > 8:
            self.db.update_link(positions, children[8])

    def link_style_interpolate(self, children):
        self.db.update_link_interpolate(children[2], children[6])
        if len(children) > 8:
            self.db.update_link(children[2], children[8])

    def click_callback(self, children):
        self.db.set_click_event(children[0].value)

    def click_callback_tooltip(self, children):
        self.db.set_click_event(children[0].value)
        self.db.set_tooltip(children[0].value, _strs(children)[-1])

    def click_callback_args(self, children):
        self.db.set_click_event(children[0].value)

    def click_callback_args_tooltip(self, children):
        self.db.set_click_event(children[0].value)
        self.db.set_tooltip(children[0].value, _strs(children)[-1])

    def click_href(self, children):
        self.db.set_link(children[0].value, _strs(children)[0])

    def click_href_tooltip(self, children):
        link, tooltip = _strs(children)[:2]
        self.db.set_link(children[0].value, link)
        self.db.set_tooltip(children[0].value, tooltip)

    def click_href_target(self, children):
        self.db.set_link(children[0].value, _strs(children)[0], children[-1].value)

    def click_href_tooltip_target(self, children):
        link, tooltip = _strs(children)[:2]
        self.db.set_link(children[0].value, link, children[-1].value)
        self.db.set_tooltip(children[0].value, tooltip)


__all__ = ["FlowTransformer", "FlowError", "destruct_link"]
