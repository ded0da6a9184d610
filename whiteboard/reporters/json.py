"""Contract 2 (DESIGN.md): the JSON `whiteboard check --format json` prints."""

from __future__ import annotations

import json


def render(result, *, color: bool = False, **_) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
