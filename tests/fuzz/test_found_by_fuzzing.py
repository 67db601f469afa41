"""What the payload fuzzers found, pinned as plain tests so each stays fixed."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest


@pytest.mark.parametrize("action_id", ["questions", "related", "show_theme", "discuss"])
async def test_a_theme_button_in_the_home_tab_is_answered_by_direct_message(fuzz_slack, action_id):
    # Buttons in the App Home tab (and in modals) come without a response_url: `respond` cannot
    # answer them, and used to raise right after the ack.
    payload = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T1"},
        "team": {"id": "T1"},
        "container": {"type": "view", "view_id": "VH1"},
        "view": {"id": "VH1", "type": "home"},
        "trigger_id": "t",
        "actions": [{"action_id": action_id, "value": "neglect", "type": "button", "block_id": "b", "action_ts": "1"}],
    }
    started = time.monotonic()
    response = await fuzz_slack.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert response.status == 200 and time.monotonic() - started < 1.0
    (dm,) = await fuzz_slack.fake.wait_for("chat.postMessage")
    assert dm.params["channel"] == "U1" and "Neglect" in json.dumps(dm.params)
    await fuzz_slack.settle()
    assert [r.getMessage() for r in fuzz_slack.errors.take() if r.levelname == "ERROR"] == []


async def test_a_command_without_a_response_url_is_answered_in_the_ack(fuzz_slack):
    form = {"command": "/learn", "text": "what is neglect", "user_id": "U1", "team_id": "T1", "channel_id": "C1"}
    response = await fuzz_slack.post(urlencode(form), "application/x-www-form-urlencoded")
    assert response.status == 200 and "can't answer" in await response.text()


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "view_submission", "user": {"id": "U1"}, "view": {"callback_id": "team_actions", "state": True}},
        {"type": "block_actions", "user": "U1", "actions": [{"action_id": "questions", "value": 5}]},
        {"type": "block_actions", "user": {"id": "U1"}, "actions": "questions"},
        {"type": "event_callback", "team_id": "T1", "event": None},
        {"type": "event_callback", "team_id": "T1", "event": {"type": "app_mention", "text": 5, "channel": "C1"}},
    ],
    ids=["view-state-not-an-object", "user-not-an-object", "actions-not-a-list", "null-event", "numeric-text"],
)
async def test_a_signed_payload_with_fields_of_the_wrong_type_is_refused_with_400(fuzz_slack, payload):
    if payload["type"] == "event_callback":
        body, content_type = json.dumps(payload), "application/json"
    else:
        body, content_type = urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    response = await fuzz_slack.post(body, content_type)
    assert response.status == 400, await response.text()
    await fuzz_slack.settle()
    assert [r.getMessage() for r in fuzz_slack.errors.take() if r.levelname == "ERROR"] == []


async def test_a_signed_reflection_carrying_half_an_emoji_is_refused_with_400_not_an_error(fuzz_slack):
    # JSON can escape a lone surrogate ("\ud800"), which Slack never sends and which neither the
    # database nor the Web API can encode: it used to fail inside the listener, after the ack.
    fixture = Path(__file__).parents[1] / "fixtures" / "payloads" / "slack" / "view_submission_other_callback.json"
    payload = json.loads(fixture.read_text())["form"]["payload"]
    payload["team"]["id"], payload["user"]["id"] = "T1", "U1"
    payload["view"]["callback_id"] = "reflection_new"
    text = "I will check the plan with the school before the review \ud800 and ring the nurse"
    payload["view"]["state"] = {"values": {"reflection_text": {"text": {"type": "plain_text_input", "value": text}}}}
    body = urlencode({"payload": json.dumps(payload)})  # json.dumps escapes it as \ud800
    response = await fuzz_slack.post(body, "application/x-www-form-urlencoded")
    assert response.status == 400
    await fuzz_slack.settle()
    assert [r.getMessage() for r in fuzz_slack.errors.take() if r.levelname == "ERROR"] == []
    assert set((await fuzz_slack.row_counts()).values()) == {0}


async def test_a_whole_emoji_spelled_as_a_surrogate_pair_is_fine(fuzz_slack):
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": "U1",
        "ts": "9.1",
        "text": "what is neglect \U0001f642",
    }
    body = json.dumps({"type": "event_callback", "team_id": "T1", "event_id": "EvPair", "event": event})
    assert "\\ud83d\\ude42" in body
    response = await fuzz_slack.post(body, "application/json")
    assert response.status == 200
    await fuzz_slack.fake.wait_for("chat.postMessage")
