"""Every reporter on the same result: text, json (Contract 2), sarif (2.1.0), github.

The result is one notes folder checked in one run: a Markdown file with two flowcharts, a
sequence diagram and an unterminated fence, a .mmd file with a suppression, and a broken
.mmd file. SARIF is validated against the official schema when ../shared/schemas holds it
(a clean clone may not: then only the structural assertions run).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from whiteboard.linter import check_paths
from whiteboard.reporters import REPORTERS, resolve_format
from whiteboard.reporters.github import escape_data, escape_property
from whiteboard.rules import RULES

SCHEMA = Path(os.environ.get("WHITEBOARD_SARIF_SCHEMA", Path(__file__).resolve().parents[2] / "shared" /
                             "schemas" / "sarif-schema-2.1.0.json"))

NOTES_MD = """# Ranking notes, with a comma, and a colon: here

```mermaid
flowchart LR
  Client([Web app]) -->|"~20ms"| Serve[Model serving]
```

```mermaid
sequenceDiagram
  Client->>API: request
```

- second design

  ```mermaid
  flowchart LR
    Client([Web app]) --> Serve[Model serving]
  ```

```mermaid
flowchart LR
  A --> B
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    root = tmp_path_factory.mktemp("reporters")
    (root / "notes").mkdir()
    (root / "notes" / "ranking 100%.md").write_text(NOTES_MD, encoding="utf-8")
    (root / "notes" / "quiet.mmd").write_text("%% wb: disable=WB7\n" + NOTES_MD.split("```mermaid\n")[1]
                                              .split("```")[0], encoding="utf-8")
    (root / "notes" / "broken.mmd").write_text("flowchart LR\n  A[open\n", encoding="utf-8")
    here = os.getcwd()
    os.chdir(root)
    try:
        checked = check_paths(["notes"])
        rendered = {name: render(checked) for name, render in REPORTERS.items()}
    finally:
        os.chdir(here)
    return checked, rendered, root


def test_the_result_has_every_kind_of_diagram(result):
    checked, _, _ = result
    assert [f.path for f in checked.files] == ["notes/broken.mmd", "notes/quiet.mmd", "notes/ranking 100%.md"]
    md = checked.files[2]
    assert [d.line for d in md.diagrams] == [4, 9, 16, 20]  # the unterminated one: its fence
    assert md.diagrams[1].skipped == "sequenceDiagram"
    assert checked.exit_code == 2


def test_every_reporter_reports_every_finding(result):
    checked, rendered, _ = result
    for path, finding in checked.findings:
        where = f"{path}:{finding.line}:{finding.column}: {finding.code}"
        assert where in rendered["text"]
        assert f"line={finding.line},col={finding.column}" in rendered["github"]
    sarif = json.loads(rendered["sarif"])
    assert len(sarif["runs"][0]["results"]) == len(checked.findings)
    report = json.loads(rendered["json"])
    assert sum(len(d["findings"]) for f in report["files"] for d in f["diagrams"]) == len(checked.findings)


def test_json_keeps_contract_2(result):
    _, rendered, _ = result
    report = json.loads(rendered["json"])
    assert set(report) == {"files", "summary"}
    for file in report["files"]:
        for diagram in file["diagrams"]:
            assert {"line", "problem", "findings", "coverage", "latency"} <= set(diagram) <= {
                "line", "problem", "findings", "coverage", "latency", "skipped", "signals"}
            for finding in diagram["findings"]:
                assert set(finding) == {"code", "severity", "message", "line", "column", "nodes"}
    summary = report["summary"]
    assert summary["files"] == 3 and summary["diagrams"] == 6 and summary["exit_code"] == 2
    assert summary["suppressed"] >= 2


def test_text_report_names_each_diagram(result):
    _, rendered, _ = result
    text = rendered["text"]
    assert "notes/ranking 100%.md:9 (skipped sequenceDiagram)" in text
    assert "WB006 [error] Unterminated ```mermaid fence" in text
    assert text.rstrip().splitlines()[-1].endswith("in 3 files (6 diagrams, %d suppressed)"
                                                   % result[0].summary()["suppressed"])


def test_sarif_structure(result):
    checked, rendered, root = result
    sarif = json.loads(rendered["sarif"])
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "whiteboard"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(RULES) <= set(rules)
    for code, rule_class in RULES.items():
        rule = rules[code]
        assert rule["name"] == rule_class.name
        assert rule["shortDescription"]["text"] == rule_class.summary()
        assert rule["fullDescription"]["text"] and "## " not in rule["fullDescription"]["text"]
        assert rule["help"]["markdown"] == rule_class.doc() and "## Fails" in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning",
                                                         "info": "note"}[rule_class.severity.value]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.as_uri() + "/"
    for item in run["results"]:
        assert driver["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
        assert item["level"] in ("error", "warning", "note")
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"] in ("notes/broken.mmd", "notes/quiet.mmd",
                                                       "notes/ranking%20100%25.md")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
    skipped = [r for r in run["results"] if r["ruleId"] == "WB003"]
    assert skipped and skipped[0]["level"] == "note"
    assert skipped[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 9, "startColumn": 1}
    assert run["invocations"][0]["executionSuccessful"] is False  # a broken file: exit 2


def test_sarif_validates_against_the_official_schema(result):
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip(f"no SARIF schema at {SCHEMA} (set WHITEBOARD_SARIF_SCHEMA)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(json.loads(result[1]["sarif"])), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_github_annotations(result):
    checked, rendered, _ = result
    lines = rendered["github"].splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(checked.findings)
    assert not lines[-1].startswith("::") and "in 3 files" in lines[-1]  # the summary, as plain text
    notice = next(line for line in commands if "WB003" in line)
    assert notice.startswith("::notice file=notes/ranking 100%25.md,line=9,col=1,title=WB003 markdown.other-diagram::")
    error = next(line for line in commands if "WB006" in line)
    assert error.startswith("::error file=notes/ranking 100%25.md,line=20,col=1,title=WB006 ")
    assert any(line.startswith("::warning ") for line in commands)


@pytest.mark.parametrize("text, data, prop", [
    ("plain", "plain", "plain"),
    ("100%", "100%25", "100%25"),
    ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
    ("k: v, w", "k: v, w", "k%3A v%2C w"),
    ("%0A", "%250A", "%250A"),
])
def test_github_escaping(text, data, prop):
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_auto_format():
    assert resolve_format("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_format("auto", {}) == "text"
    assert resolve_format("auto", {"GITHUB_ACTIONS": "false"}) == "text"
    assert resolve_format("json", {"GITHUB_ACTIONS": "true"}) == "json"
