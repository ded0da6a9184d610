"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

`::error file=F,line=L,col=C,title=WB701 monitoring.missing::message`, one line per finding
(`info` findings are `notice`s), then the one-line summary. Values are escaped as the
runner expects: `%`, CR and LF everywhere, and `:` and `,` in the properties too.
"""

from __future__ import annotations

import os

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _path(path: str) -> str:
    """Relative to the working directory (the checkout) when under it, with forward slashes."""
    if path.startswith("<"):
        return path
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return (absolute if relative.startswith("..") else relative).replace(os.sep, "/")


def _name(code: str) -> str:
    from whiteboard.rules import rule_for

    rule = rule_for(code)
    return f"{code} {rule.name}" if rule is not None else code


def render(result, *, color: bool = False, **_) -> str:
    from whiteboard.reporters.text import summary_line

    lines = []
    names: dict[str, str] = {}
    for file in result.files:
        path = escape_property(_path(file.path))
        for diagram in file.diagrams:
            for finding in diagram.findings:
                title = names.setdefault(finding.code, _name(finding.code))
                lines.append(f"::{COMMANDS[finding.severity.value]} file={path},line={finding.line},"
                             f"col={finding.column},title={escape_property(title)}::{escape_data(finding.message)}")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
