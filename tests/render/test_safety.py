"""Labels are user text: whatever they hold, the picture shows it as text and nothing else.

Each diagram below is written the way a user would write it in Mermaid (entity codes such
as #lt; and #quot; are how mermaid lets a label say < and "); the expected text is what a
person reads on mermaid.live.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from render_helpers import SVG, needs_dot, svg_groups
from whiteboard.parser import parse_text
from whiteboard.render import RenderOptions, dot_text, render_text
from whiteboard.render.errors import RenderError
from whiteboard.render.graphviz_engine import check_svg

pytestmark = needs_dot

CASES = [
    # (mermaid label as written, what a person reads)
    ('"#lt;script#gt;alert(1)#lt;/script#gt;"', "<script>alert(1)</script>"),
    ('"#quot;]; injected -> x; [#quot;"', '"]; injected -> x; ["'),
    ('"Tom & Jerry &amp; co"', "Tom & Jerry & co"),
    ('"it#39;s #quot;quoted#quot;"', 'it\'s "quoted"'),
    ('"back\\slash \\N \\G \\l \\\\"', "back\\slash \\N \\G \\l \\\\"),
    ('"naïve café 東京 Привет"', "naïve café 東京 Привет"),
    ('"emoji 🚀🔥 ok"', "emoji 🚀🔥 ok"),
    ('"#lt;/text#gt;#lt;/g#gt;#lt;svg onload=alert(1)#gt;"', "</text></g><svg onload=alert(1)>"),
    ('"}; node [shape=none]; {"', "}; node [shape=none]; {"),
    ('"]]#gt; #lt;![CDATA[ x ]]#gt;"', "]]> <![CDATA[ x ]]>"),
]


@pytest.mark.parametrize("written, seen", CASES)
def test_a_label_is_shown_as_text_and_only_as_text(written: str, seen: str) -> None:
    text = f"flowchart LR\n  A[{written}] -->|{written}| B\n  subgraph S [{written}]\n    B\n  end\n"
    diagram = parse_text(text)
    assert diagram.node("A").text == seen, "the parser gives the text a person reads"
    data = render_text(text)
    root = ET.fromstring(data)  # well-formed XML, whatever the label
    tags = {element.tag.replace(SVG, "") for element in root.iter()}
    assert tags <= {"svg", "g", "title", "polygon", "path", "ellipse", "text", "polyline"}
    assert not any(name.lower().startswith("on") for element in root.iter() for name in element.attrib)
    nodes = svg_groups(data, "node")
    assert nodes["n0"] == " ".join(seen.split())
    assert svg_groups(data, "edge") == {"n0->n1": " ".join(seen.split())}
    assert svg_groups(data, "cluster")["cluster_0"] == " ".join(seen.split())
    assert set(nodes) == {"n0", "n1"}, "no node was injected"


def test_the_dot_text_names_only_our_ids() -> None:
    text = 'flowchart LR\n  node["a"] --> edge["b"]\n  strict --> digraph\n  A-B --> C.D\n'
    assert [n.id for n in parse_text(text).nodes] == ["node", "edge", "strict", "digraph", "A-B", "C.D"]
    dot = dot_text(text)
    statements = [line.strip().split(" ", 1)[0] for line in dot.splitlines()[1:-1]]
    assert set(statements) <= {"graph", "node", "edge", "n0", "n1", "n2", "n3", "n4", "n5"}


def test_a_sanitized_script_tag_shows_nothing() -> None:
    """A raw <script> in a label is dropped by mermaid's DOMPurify; the picture agrees."""
    data = render_text('flowchart LR\n  A["safe<script>alert(1)</script> text"]\n')
    assert svg_groups(data, "node")["n0"] == "safe text"
    assert b"alert" not in data


def test_control_characters_do_not_break_the_xml() -> None:
    data = render_text('flowchart LR\n  A["bell\x07 and \x1b escape"]\n')
    ET.fromstring(data)
    assert svg_groups(data, "node")["n0"] == "bell and escape"


def test_the_svg_guard_refuses_foreign_markup() -> None:
    check_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><g><text>ok</text></g></svg>')
    for bad in (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
                b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
                b'<svg xmlns="http://www.w3.org/2000/svg"><text>unclosed</svg>'):
        with pytest.raises(RenderError):
            check_svg(bad)


def test_png_from_hostile_labels_renders() -> None:
    text = "flowchart LR\n" + "\n".join(f"  N{i}[{written}]" for i, (written, _) in enumerate(CASES))
    assert render_text(text, options=RenderOptions(format="png")).startswith(b"\x89PNG")
