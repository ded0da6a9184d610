"""The check of one text read from stdin, as `whiteboard check -` runs it.

Anything that answers for the command line (the local page's ``POST /api/check``) builds
its result here, so the two cannot drift apart: the same settings (the configuration found
from the working directory, the flags as overrides), the same target (``-``, shown as
``<stdin>``), the same decoding of the bytes and the same JSON reporter (Contract 2).
"""

from __future__ import annotations

import difflib
import os

from whiteboard.errors import ConfigError

STDIN_NAME = "<stdin>"


class UnknownProblem(ConfigError):
    """A problem name no spec answers to; the message has the known names and a close one."""


def stdin_settings(*, problem: str | None = None, sla_ms: float | None = None, templates: str | None = None,
                   cwd: str | os.PathLike | None = None):
    """The Settings `whiteboard check - [--problem P] [--sla S] [--templates T]` runs with."""
    from whiteboard.config import Overrides, Settings

    overrides = Overrides(problem=problem.lower() if problem else None, sla_ms=sla_ms,
                          templates=str(templates) if templates else None)
    return Settings(overrides, cwd=cwd)


def problem_templates(settings) -> str | None:
    """The extra problem specs in force for stdin: the flag's, else the configuration's."""
    if settings.overrides.templates:
        return settings.overrides.templates
    config = settings.config_for(settings.cwd / "-")
    return config.templates if config is not None else None


def known_problem(name: str, settings) -> str:
    """*name* as the check uses it (lower case); UnknownProblem with "did you mean" otherwise."""
    from whiteboard.problems import list_problems

    known = list_problems(problem_templates(settings))
    if name.lower() in known:
        return name.lower()
    close = difflib.get_close_matches(name.lower(), known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise UnknownProblem(f"unknown problem {name!r}{hint} (known: {', '.join(known)})")


def check_stdin(data: bytes | str, *, problem: str | None = None, sla_ms: float | None = None,
                templates: str | None = None, cwd: str | os.PathLike | None = None):
    """The CheckResult of `whiteboard check -` given *data* on stdin.

    Bytes are decoded as the command line decodes stdin (a BOM dropped; a NUL byte or bad
    UTF-8 becomes the file's WB001 finding). ConfigError: an unknown problem or a broken
    configuration file, the cases where the command line exits 2 without a report.
    """
    from whiteboard.files import collect
    from whiteboard.linter import check_targets
    from whiteboard.source import decode

    settings = stdin_settings(problem=problem, sla_ms=sla_ms, templates=templates, cwd=cwd)
    if problem:
        known_problem(problem, settings)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return check_targets(collect(["-"], settings), settings=settings, read=lambda _: decode(raw, STDIN_NAME))


def contract_json(result) -> str:
    """Contract 2 as `--format json` prints it, byte for byte."""
    from whiteboard.reporters import REPORTERS

    return REPORTERS["json"](result, color=False, quiet=False)


__all__ = ["STDIN_NAME", "UnknownProblem", "check_stdin", "contract_json", "known_problem", "problem_templates",
           "stdin_settings"]
