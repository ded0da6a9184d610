"""Recorded rounds as data: tests/practice/rounds/<name>.toml (saves, then what the card must say)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from whiteboard.timeline import Save, Timeline

ROUNDS = Path(__file__).parent / "rounds"


def load_round(path: Path) -> tuple[Timeline, dict]:
    """A case file as a Timeline: each save's `add` is appended to the board so far, `board` replaces it."""
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    board = ""
    saves = []
    for save in case["save"]:
        if "board" in save:
            board = save["board"].lstrip("\n")
        else:
            addition = save["add"].strip("\n")
            board = board + (addition + "\n" if addition else "")
            board = board.lstrip("\n")
        saves.append(Save(save["at"] * 60, board))
    timeline = Timeline(problem=case.get("problem"), minutes=case.get("minutes", 45), saves=saves,
                        started_at="2026-12-02T10:00:00+00:00", ended_s=case["end"] * 60,
                        end_reason=case.get("end_reason", "time"))
    return timeline, case["expect"]


def round_files() -> list[Path]:
    return sorted(ROUNDS.glob("*.toml"))
