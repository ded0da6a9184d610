"""Practice rounds kept in SQLite under the user's data directory, one row per save.

Every save is committed the moment it is recorded (WAL journal), so a round killed mid-way
loses at most the save being written; the timeline of an interrupted round is still there
and its scorecard is computed from it. WHITEBOARD_DATA_DIR moves the database (tests, a
synced notes folder).
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from whiteboard.errors import WhiteboardError
from whiteboard.timeline import Save, Timeline

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rounds (
    id INTEGER PRIMARY KEY,
    problem TEXT,
    minutes REAL NOT NULL,
    started_at TEXT NOT NULL,
    start_text TEXT NOT NULL DEFAULT '',
    file TEXT,
    ended_s REAL,
    end_reason TEXT,
    card TEXT
);
CREATE TABLE IF NOT EXISTS saves (
    round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    at_s REAL NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS saves_by_round ON saves(round_id, at_s);
"""


def default_path() -> Path:
    override = os.environ.get("WHITEBOARD_DATA_DIR")
    if override:
        return Path(override) / "history.sqlite3"
    from platformdirs import user_data_path

    return user_data_path("whiteboard", appauthor=False) / "history.sqlite3"


@dataclass
class RoundRow:
    id: int
    problem: str | None
    minutes: float
    started_at: str
    file: str | None
    ended_s: float | None
    end_reason: str | None
    saves: int
    card: dict[str, Any] | None  # the scorecard's dict, stored when the round closed

    @property
    def status(self) -> str:
        return self.end_reason or "interrupted"


class History:
    """The database of rounds. Open it, use it, close it (or use it as a context manager)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise WhiteboardError(f"{self.path}: cannot open the practice history ({error})") from None

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- writing: each call is its own transaction ----------------------------------------------

    def start(self, timeline: Timeline, file: str | None = None) -> int:
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO rounds (problem, minutes, started_at, start_text, file) VALUES (?, ?, ?, ?, ?)",
                (timeline.problem, timeline.minutes, timeline.started_at, timeline.start_text, file))
        return int(cursor.lastrowid)

    def add_save(self, round_id: int, save: Save) -> None:
        with self._db:
            self._db.execute("INSERT INTO saves (round_id, at_s, text) VALUES (?, ?, ?)",
                             (round_id, save.at_s, save.text))

    def finish(self, round_id: int, ended_s: float, reason: str, card: dict[str, Any] | None) -> None:
        with self._db:
            self._db.execute("UPDATE rounds SET ended_s = ?, end_reason = ?, card = ? WHERE id = ?",
                             (ended_s, reason, json.dumps(card) if card is not None else None, round_id))

    def add(self, timeline: Timeline, card: dict[str, Any] | None) -> int:
        """A whole recorded round (a timeline file from another machine, or an old export)."""
        live = Timeline(timeline.problem, timeline.minutes, [], timeline.started_at,
                        start_text=timeline.start_text)
        with self._db:  # one transaction: the round is in whole or not at all
            cursor = self._db.execute(
                "INSERT INTO rounds (problem, minutes, started_at, start_text, ended_s, end_reason, card) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (live.problem, live.minutes, live.started_at, live.start_text, timeline.ended_s,
                 timeline.end_reason, json.dumps(card) if card is not None else None))
            round_id = int(cursor.lastrowid)
            self._db.executemany("INSERT INTO saves (round_id, at_s, text) VALUES (?, ?, ?)",
                                 [(round_id, save.at_s, save.text) for save in timeline.saves])
        return round_id

    # -- reading ----------------------------------------------------------------------------------

    def rounds(self, problem: str | None = None) -> list[RoundRow]:
        query = ("SELECT r.id, r.problem, r.minutes, r.started_at, r.file, r.ended_s, r.end_reason, r.card, "
                 "(SELECT COUNT(*) FROM saves s WHERE s.round_id = r.id) FROM rounds r")
        args: tuple = ()
        if problem:
            query += " WHERE r.problem = ?"
            args = (problem,)
        rows = self._db.execute(query + " ORDER BY r.started_at, r.id", args).fetchall()
        return [RoundRow(id=r[0], problem=r[1], minutes=r[2], started_at=r[3], file=r[4], ended_s=r[5],
                         end_reason=r[6], card=json.loads(r[7]) if r[7] else None, saves=r[8]) for r in rows]

    def timeline(self, round_id: int) -> Timeline:
        row = self._db.execute("SELECT problem, minutes, started_at, start_text, ended_s, end_reason "
                               "FROM rounds WHERE id = ?", (round_id,)).fetchone()
        if row is None:
            raise WhiteboardError(f"no practice round {round_id} in {self.path}")
        saves = [Save(at, text) for at, text in self._db.execute(
            "SELECT at_s, text FROM saves WHERE round_id = ? ORDER BY at_s, rowid", (round_id,))]
        return Timeline(problem=row[0], minutes=row[1], started_at=row[2], start_text=row[3], saves=saves,
                        ended_s=row[4], end_reason=row[5] or "interrupted")

    def __iter__(self) -> Iterator[RoundRow]:
        return iter(self.rounds())
