"""SARIF 2.1.0: the static-analysis interchange format code-scanning tools read.

One run, one result per finding. `tool.driver.rules` holds every rule's documentation
(its docstring, the same text `whiteboard explain` prints), so a code-scanning UI can
show what a finding means and how to fix it. Paths are relative to the working
directory under the `%SRCROOT%` base (GitHub resolves them against the checkout).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from whiteboard import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_SECTION = re.compile(r"^## What it checks\n(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)


def _all_rules(codes: set[str]) -> list:
    """Every rule class: the core rules, every shipped problem's, and any other code in *codes*."""
    from whiteboard.rules import RULES, rule_for

    rules = dict(RULES)
    try:
        from whiteboard.problems import list_problems
        from whiteboard.rules import problem_rules
    except ImportError:  # pragma: no cover - a checkout without the problems work
        pass
    else:
        for name in list_problems():
            for rule in problem_rules(name):
                rules.setdefault(rule.code, rule)
    for code in sorted(codes - set(rules)):
        rule = rule_for(code)
        if rule is not None:
            rules[code] = rule
    return [rules[code] for code in sorted(rules)]


def _descriptor(rule) -> dict:
    doc = rule.doc()
    section = _SECTION.search(doc)
    full = " ".join(section.group(1).split()) if section else rule.summary()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": full},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
        "properties": {"tags": [rule.stage], "stage": rule.stage},
    }


def artifact_uri(path: str, root: Path) -> tuple[str, bool]:
    """(uri, relative?): a path under *root* as a relative URI reference, others as file: URIs."""
    if path.startswith("<") and path.endswith(">"):
        return quote(path.strip("<>")), True
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return absolute.as_uri(), False
    return quote(relative.as_posix()), True


def render(result, *, color: bool = False, **_) -> str:
    root = Path.cwd()
    codes = {finding.code for _, finding in result.findings}
    rules = _all_rules(codes)
    index = {rule.code: i for i, rule in enumerate(rules)}
    descriptors = [_descriptor(rule) for rule in rules]
    for code in sorted(codes - set(index)):  # a code no rule documents: still named
        index[code] = len(descriptors)
        descriptors.append({"id": code, "shortDescription": {"text": code}})
    results = []
    for file in result.files:
        uri, relative = artifact_uri(file.path, root)
        location = {"uri": uri, **({"uriBaseId": "%SRCROOT%"} if relative else {})}
        for diagram in file.diagrams:
            for finding in diagram.findings:
                results.append({
                    "ruleId": finding.code,
                    "ruleIndex": index[finding.code],
                    "level": LEVELS[finding.severity.value],
                    "message": {"text": finding.message},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": location,
                        "region": {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)},
                    }}],
                    **({"properties": {"nodes": list(finding.nodes)}} if finding.nodes else {}),
                })
    run = {
        "tool": {"driver": {"name": "whiteboard", "version": __version__, "semanticVersion": __version__,
                            "rules": descriptors}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri().rstrip("/") + "/"}},
        "invocations": [{"executionSuccessful": result.exit_code != 2, "exitCode": result.exit_code}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False) + "\n"
