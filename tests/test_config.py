"""Configuration (whiteboard.config): discovery, every key, flags winning, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whiteboard.cli import app
from whiteboard.config import KEYS, Overrides, Settings, load_config
from whiteboard.errors import ConfigError
from whiteboard.linter import check_paths

runner = CliRunner()

DESIGN = """flowchart LR
  Req[Requirements: 5K QPS, p99 < 150ms]
  Client([Web app]) -->|"~20ms"| Serve[Model serving]
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _check(tmp_path: Path, *args: str, name: str = "design.mmd"):
    result = runner.invoke(app, ["check", str(tmp_path / name), "-f", "json", *args])
    assert result.exit_code in (0, 1), result.output
    (diagram,) = json.loads(result.stdout)["files"][0]["diagrams"]
    return diagram, {f["code"]: f for f in diagram["findings"]}


def test_nearest_file_wins_and_pyproject_without_section_is_passed_over(tmp_path):
    _write(tmp_path / "pyproject.toml", '[tool.whiteboard]\nignore = ["WB7"]\n')
    _write(tmp_path / "a" / "whiteboard.toml", 'ignore = ["WB2"]\n')
    _write(tmp_path / "a" / "b" / "pyproject.toml", '[project]\nname = "x"\n')
    settings = Settings(Overrides())
    deep = tmp_path / "a" / "b" / "design.mmd"
    assert settings.config_for(deep).path == tmp_path / "a" / "whiteboard.toml"
    assert settings.config_for(tmp_path / "design.mmd").path == tmp_path / "pyproject.toml"
    assert settings.options_for(deep).ignore == ("WB2",)


def test_whiteboard_toml_comes_before_pyproject_in_one_directory(tmp_path):
    _write(tmp_path / "pyproject.toml", '[tool.whiteboard]\nignore = ["WB7"]\n')
    _write(tmp_path / "whiteboard.toml", 'ignore = ["WB2"]\n')
    assert Settings().config_for(tmp_path / "x.mmd").path.name == "whiteboard.toml"


def test_select_ignore_severity_and_sla_from_the_file(tmp_path):
    _write(tmp_path / "design.mmd", DESIGN)
    _write(tmp_path / "whiteboard.toml", 'select = ["WB7", "WB8"]\nignore = ["WB703"]\nsla = "10ms"\n'
                                         '[severity]\nWB705 = "error"\nWB7 = "info"\n')
    diagram, found = _check(tmp_path)
    assert set(found) <= {c for c in found if c.startswith(("WB7", "WB8"))} and "WB703" not in found
    assert found["WB705"]["severity"] == "error"  # the longer prefix wins
    assert found["WB701"]["severity"] == "info"
    assert diagram["latency"]["sla_ms"] == 150.0  # the diagram's own SLA comes before the file's
    _write(tmp_path / "design.mmd", DESIGN.replace(", p99 < 150ms", ""))
    diagram, found = _check(tmp_path)
    assert diagram["latency"]["sla_ms"] == 10.0 and "WB802" in found  # the file's, as a default


def test_flags_win(tmp_path):
    _write(tmp_path / "design.mmd", DESIGN)
    _write(tmp_path / "whiteboard.toml", 'select = ["WB7"]\nignore = ["WB70"]\nsla = "10ms"\n')
    diagram, found = _check(tmp_path, "--select", "WB705,WB802", "--sla", "500ms")
    assert set(found) == {"WB705"}  # --select replaced the file's; WB70 is dropped for WB705
    assert diagram["latency"]["sla_ms"] == 500.0
    _, found = _check(tmp_path, "--ignore", "WB701")
    assert "WB701" not in found and "WB705" not in found  # --ignore adds to the file's


def test_isolated_and_explicit_config(tmp_path):
    _write(tmp_path / "design.mmd", DESIGN)
    _write(tmp_path / "whiteboard.toml", 'ignore = ["WB"]\n')
    _write(tmp_path / "other" / "strict.toml", 'select = ["WB705"]\n')
    assert _check(tmp_path)[1] == {}
    assert "WB701" in _check(tmp_path, "--isolated")[1]
    assert set(_check(tmp_path, "--config", str(tmp_path / "other" / "strict.toml"))[1]) == {"WB705"}


def test_extra_vocabulary_words_reach_the_roles(tmp_path):
    text = "flowchart LR\n  Client([Web app]) --> Serve[Model serving]\n  Serve --> Aero[Tarantool]\n"
    _write(tmp_path / "design.mmd", text)
    before = check_paths([str(tmp_path / "design.mmd")]).files[0].diagrams[0].kinds["Aero"]
    _write(tmp_path / "pyproject.toml", '[tool.whiteboard.vocabulary]\nonline_store = ["Tarantool"]\n')
    result = check_paths([str(tmp_path / "design.mmd")], settings=Settings())
    assert "online_store" not in before
    assert "online_store" in result.files[0].diagrams[0].kinds["Aero"]


def test_default_problem_per_glob_and_comment_wins(tmp_path):
    _write(tmp_path / "whiteboard.toml", 'problem = "rag"\n[problems]\n"recs/**" = "recsys"\n')
    _write(tmp_path / "recs" / "a.mmd", DESIGN)
    _write(tmp_path / "b.mmd", DESIGN)
    _write(tmp_path / "recs" / "c.mmd", "%% problem: rag\n" + DESIGN)
    result = check_paths([str(tmp_path)], settings=Settings())
    problems = {Path(f.path).name: f.diagrams[0].problem for f in result.files}
    assert problems == {"a.mmd": "recsys", "b.mmd": "rag", "c.mmd": "rag"}
    assert check_paths([str(tmp_path / "b.mmd")], settings=Settings(Overrides(problem="recsys"))) \
        .files[0].diagrams[0].problem == "recsys"


def test_templates_directory_is_kept_for_the_problems(tmp_path):
    _write(tmp_path / "my-problems" / ".keep", "")
    _write(tmp_path / "whiteboard.toml", 'templates = "my-problems"\n')
    options = Settings().options_for(tmp_path / "x.mmd")
    assert options.templates_dir == str((tmp_path / "my-problems").resolve())


@pytest.mark.parametrize("text, words", [
    ('selct = ["WB7"]\n', ["selct", "did you mean 'select'"]),
    ('select = "WB7"\n', ["select", "list of strings"]),
    ('ignore = ["WB7O5"]\n', ["ignore", "WB7O5", "did you mean"]),
    ('ignore = ["ZZ9"]\n', ["ignore", "no rule code starts with 'ZZ9'"]),
    ('sla = "soon"\n', ["sla", "200ms"]),
    ('sla = -5\n', ["sla"]),
    ('problem = "rgs"\n', ["problem", "did you mean 'rag'"]),
    ('[problems]\n"notes/**" = "recsis"\n', ['problems."notes/**"', "did you mean 'recsys'"]),
    ('[severity]\nWB705 = "fatal"\n', ["severity.WB705", "error, warning, info"]),
    ('[severity]\nWB705 = "eror"\n', ["severity.WB705", "did you mean 'error'"]),
    ('[vocabulary]\nonline_stor = ["Aerospike"]\n', ["vocabulary", "online_stor", "online_store"]),
    ('[vocabulary]\nonline_store = "Aerospike"\n', ["vocabulary.online_store", "list of words"]),
    ('exclude = [1]\n', ["exclude"]),
    ('respect-gitignore = "yes"\n', ["respect-gitignore", "true or false"]),
    ('respect_gitignore = false\n', ["did you mean 'respect-gitignore'"]),
    ('templates = "missing-dir"\n', ["templates", "not a directory"]),
    ('select = [\n', ["not valid TOML"]),
])
def test_bad_configuration_is_one_clear_error(tmp_path, text, words):
    config = _write(tmp_path / "whiteboard.toml", text)
    _write(tmp_path / "design.mmd", DESIGN)
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert str(config) in str(caught.value)
    for word in words:
        assert word in str(caught.value)
    result = runner.invoke(app, ["check", str(tmp_path / "design.mmd")])
    assert result.exit_code == 2 and result.stdout == ""
    assert str(config) in result.stderr and "Traceback" not in result.stderr


def test_pyproject_errors_name_the_table(tmp_path):
    config = _write(tmp_path / "pyproject.toml", '[tool.whiteboard]\nignor = ["WB7"]\n')
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert "[tool.whiteboard].ignor" in str(caught.value) and "did you mean 'ignore'" in str(caught.value)


def test_every_key_is_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for key in KEYS:
        assert f"`{key}`" in readme, key
