"""Mermaid ``classDef``/``style``/``linkStyle`` declarations to Graphviz attributes.

Only plain colours and widths are carried over: a colour becomes ``#rrggbb[aa]`` (Graphviz
reads neither ``#rgb`` nor ``rgb()``) and anything else (gradients, ``var(--x)``, fonts,
a value with a quote in it) is left out, so no style value reaches the DOT text unchecked.
"""

from __future__ import annotations

import re

# CSS named colours (CSS Color Module Level 4) as hex: mermaid styles are CSS.
_CSS_NAMES = """
aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc
bisque ffe4c4 black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a
burlywood deb887 cadetblue 5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50
cornflowerblue 6495ed cornsilk fff8dc crimson dc143c cyan 00ffff darkblue 00008b darkcyan 008b8b
darkgoldenrod b8860b darkgray a9a9a9 darkgreen 006400 darkgrey a9a9a9 darkkhaki bdb76b
darkmagenta 8b008b darkolivegreen 556b2f darkorange ff8c00 darkorchid 9932cc darkred 8b0000
darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b darkslategray 2f4f4f
darkslategrey 2f4f4f darkturquoise 00ced1 darkviolet 9400d3 deeppink ff1493 deepskyblue 00bfff
dimgray 696969 dimgrey 696969 dodgerblue 1e90ff firebrick b22222 floralwhite fffaf0
forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc ghostwhite f8f8ff gold ffd700 goldenrod daa520
gray 808080 grey 808080 green 008000 greenyellow adff2f honeydew f0fff0 hotpink ff69b4
indianred cd5c5c indigo 4b0082 ivory fffff0 khaki f0e68c lavender e6e6fa lavenderblush fff0f5
lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 lightcoral f08080 lightcyan e0ffff
lightgoldenrodyellow fafad2 lightgray d3d3d3 lightgreen 90ee90 lightgrey d3d3d3 lightpink ffb6c1
lightsalmon ffa07a lightseagreen 20b2aa lightskyblue 87cefa lightslategray 778899
lightslategrey 778899 lightsteelblue b0c4de lightyellow ffffe0 lime 00ff00 limegreen 32cd32
linen faf0e6 magenta ff00ff maroon 800000 mediumaquamarine 66cdaa mediumblue 0000cd
mediumorchid ba55d3 mediumpurple 9370db mediumseagreen 3cb371 mediumslateblue 7b68ee
mediumspringgreen 00fa9a mediumturquoise 48d1cc mediumvioletred c71585 midnightblue 191970
mintcream f5fffa mistyrose ffe4e1 moccasin ffe4b5 navajowhite ffdead navy 000080 oldlace fdf5e6
olive 808000 olivedrab 6b8e23 orange ffa500 orangered ff4500 orchid da70d6 palegoldenrod eee8aa
palegreen 98fb98 paleturquoise afeeee palevioletred db7093 papayawhip ffefd5 peachpuff ffdab9
peru cd853f pink ffc0cb plum dda0dd powderblue b0e0e6 purple 800080 rebeccapurple 663399
red ff0000 rosybrown bc8f8f royalblue 4169e1 saddlebrown 8b4513 salmon fa8072 sandybrown f4a460
seagreen 2e8b57 seashell fff5ee sienna a0522d silver c0c0c0 skyblue 87ceeb slateblue 6a5acd
slategray 708090 slategrey 708090 snow fffafa springgreen 00ff7f steelblue 4682b4 tan d2b48c
teal 008080 thistle d8bfd8 tomato ff6347 turquoise 40e0d0 violet ee82ee wheat f5deb3
white ffffff whitesmoke f5f5f5 yellow ffff00 yellowgreen 9acd32
""".split()
CSS_COLORS: dict[str, str] = {name: "#" + value for name, value in zip(_CSS_NAMES[::2], _CSS_NAMES[1::2])}

_HEX = re.compile(r"#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_RGB = re.compile(r"rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*([01]?(?:\.\d+)?|\d{1,3}%)\s*)?\)",
                  re.IGNORECASE)
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)\s*(?:px)?")


def color(value: str) -> str | None:
    """A CSS colour as Graphviz reads it, or None when it is not a plain colour."""
    value = value.strip().rstrip(";").strip()
    if value.lower().endswith("!important"):
        value = value[: -len("!important")].strip()
    match = _HEX.fullmatch(value)
    if match:
        digits = match.group(1).lower()
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        return "#" + digits
    match = _RGB.fullmatch(value)
    if match:
        r, g, b = (min(int(match.group(i)), 255) for i in (1, 2, 3))
        text = f"#{r:02x}{g:02x}{b:02x}"
        alpha = match.group(4)
        if alpha:
            fraction = float(alpha[:-1]) / 100 if alpha.endswith("%") else float(alpha)
            text += f"{round(max(0.0, min(fraction, 1.0)) * 255):02x}"
        return text
    lowered = value.lower()
    if lowered in ("transparent", "none"):
        return "transparent"
    return CSS_COLORS.get(lowered)


def width(value: str) -> float | None:
    match = _LENGTH.fullmatch(value.strip())
    if not match:
        return None
    return min(float(match.group(1)), 20.0)


def declarations(styles: list[str] | None) -> dict[str, str]:
    """``['fill:#f9f', 'stroke:#333']`` -> ``{'fill': '#f9f', 'stroke': '#333'}`` (last wins)."""
    result: dict[str, str] = {}
    for style in styles or ():
        for part in str(style).split(";"):
            if ":" in part:
                key, value = part.split(":", 1)
                result[key.strip().lower()] = value.strip()
    return result


def node_attributes(styles: dict[str, str], *, scale: float = 0.5) -> dict[str, str]:
    """Graphviz node (or cluster) attributes for CSS declarations; widths in px scaled to points."""
    attrs: dict[str, str] = {}
    fill = color(styles["fill"]) if "fill" in styles else None
    if fill:
        attrs["fillcolor"] = fill
    stroke = color(styles["stroke"]) if "stroke" in styles else None
    if stroke:
        attrs["color"] = stroke
    text = color(styles["color"]) if "color" in styles else None
    if text:
        attrs["fontcolor"] = text
    pen = width(styles["stroke-width"]) if "stroke-width" in styles else None
    if pen is not None:
        attrs["penwidth"] = f"{max(pen * scale, 0.5):g}"
    dashes = styles.get("stroke-dasharray", "").strip()
    if dashes and dashes not in ("0", "none"):
        attrs["dashed"] = "true"
    return attrs


def edge_attributes(styles: dict[str, str]) -> dict[str, str]:
    """Graphviz edge attributes for a ``linkStyle``: a node's stroke, text and dashes, no fill."""
    return node_attributes({key: value for key, value in styles.items() if key != "fill"})
