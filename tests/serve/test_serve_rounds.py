"""A practice round driven through the page's endpoints, on a real server with its own history."""

from __future__ import annotations

import json
import sqlite3

import pytest
from serve_helpers import Server, request

BOARD = 'flowchart LR\n    Req["Requirements<br/>10M DAU, p99 < 200ms"]\n'


@pytest.fixture()
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture()
def round_server(tmp_path, data_dir):
    running = Server(tmp_path, env={"WHITEBOARD_DATA_DIR": str(data_dir)})
    yield running
    errors = running.stop()
    assert "Traceback" not in errors, errors


def post_json(server, path, data):
    return request(server, "POST", path, json.dumps(data), {"Content-Type": "application/json"})


def test_a_round_from_start_to_scorecard(round_server, data_dir):
    assert request(round_server, "GET", "/api/round").json() == {"running": False}
    started = post_json(round_server, "/api/round/start", {"problem": "framework", "minutes": 45})
    assert started.status == 200, started.body
    body = started.json()
    assert body["running"] and body["problem"] == "framework" and body["phase"]["number"] == 1
    assert body["text"].startswith("%% problem: framework")
    saved = request(round_server, "POST", "/api/round/save", BOARD)
    assert saved.status == 200 and saved.json()["saves"] == 1
    assert saved.json()["stages"][0]["on_board"] is True
    state = request(round_server, "GET", "/api/round").json()
    assert state["running"] and state["elapsed_s"] >= 0 and state["round"] == body["round"]
    finished = request(round_server, "POST", "/api/round/finish")
    assert finished.status == 200
    card = finished.json()
    assert card["markdown"].startswith("# Practice round: ") and card["card"]["saves"] == 1
    assert card["card"]["end_reason"] == "stopped"
    assert request(round_server, "GET", "/api/round").json() == {"running": False}
    database = sqlite3.connect(data_dir / "history.sqlite3")
    assert database.execute("SELECT end_reason, (SELECT COUNT(*) FROM saves) FROM rounds").fetchall() == [
        ("stopped", 1)]


def test_a_round_whose_time_is_up_closes_on_the_next_poll(round_server):
    post_json(round_server, "/api/round/start", {"problem": "rag", "minutes": 0.02})  # 1.2 seconds
    request(round_server, "POST", "/api/round/save", BOARD)
    import time

    time.sleep(1.5)
    state = request(round_server, "GET", "/api/round").json()
    assert state["running"] is False and state["finished"]["card"]["end_reason"] == "time"
    assert "# Practice round: RAG pipeline" in state["finished"]["markdown"]


@pytest.mark.parametrize("data, status, message", [
    ({"problem": "nope"}, 400, "unknown problem"),
    ({}, 400, "name the problem"),
    ({"problem": "rag", "minutes": 0}, 400, "minutes must be"),
    ({"problem": "rag", "minutes": "45"}, 400, "minutes must be"),
    ({"problem": "rag", "from_stage": 9}, 400, "from_stage"),
    ({"problem": "rag", "colour": "red"}, 400, "unknown field 'colour'"),
    ([1, 2], 400, "JSON object"),
])
def test_a_start_that_cannot_be_is_a_4xx_json(round_server, data, status, message):
    answer = post_json(round_server, "/api/round/start", data)
    assert answer.status == status and message in answer.json()["error"]["message"]


def test_one_round_at_a_time_and_nothing_to_save_or_finish_without_one(round_server):
    assert request(round_server, "POST", "/api/round/save", BOARD).status == 409
    assert request(round_server, "POST", "/api/round/finish").status == 409
    assert request(round_server, "POST", "/api/round/start", b"{not json").status == 400
    assert post_json(round_server, "/api/round/start", {"problem": "search", "from_stage": 2}).status == 200
    again = post_json(round_server, "/api/round/start", {"problem": "rag"})
    assert again.status == 409 and "finish it first" in again.json()["error"]["message"]
    assert request(round_server, "POST", "/api/round/save", b"\xff\xfe").status == 400
    assert request(round_server, "POST", "/api/round/finish").status == 200
