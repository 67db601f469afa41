"""What reaches the Bot Connector: well-formed activities, never `"id": null`.

The SDK's adapter sets every outgoing activity's id to None, and its replyToId to the incoming
activity's id (None when there was none); the connector's schema types both as optional strings,
and the Agents Playground's connector answers null with 400. Our connector client leaves them out.
"""

from __future__ import annotations

import json
from pathlib import Path

from microsoft_agents.activity import Activity

from bot.teams.connector import without_null_ids
from tests.fakes.bot_connector import NOT_NULL

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads" / "teams"
FIXTURE = FIXTURES / "channel_message_mentions_scrbot.json"


def sent_body(activity: Activity) -> dict:
    """The JSON body the SDK's connector client posts for `activity`."""
    return activity.model_dump(by_alias=True, exclude_unset=True, mode="json")


def test_an_id_and_reply_to_id_set_to_none_are_left_out_of_the_body():
    activity = Activity(type="message", text="hello")
    activity.id, activity.reply_to_id = None, None  # as the SDK's adapter sets them
    assert sent_body(activity)["id"] is None  # what the SDK alone would post
    body = sent_body(without_null_ids(activity))
    assert "id" not in body and "replyToId" not in body and body["text"] == "hello"


def test_ids_that_have_values_are_kept():
    activity = Activity(type="message", text="hello", id="1763888300001", reply_to_id="1763888300000")
    body = sent_body(without_null_ids(activity))
    assert body["id"] == "1763888300001" and body["replyToId"] == "1763888300000"


async def test_a_message_without_an_activity_id_is_answered_with_no_null_id_in_the_body(teams):
    # Microsoft's documented channel message, which carries no "id" of its own.
    activity = {**json.loads(FIXTURE.read_text(encoding="utf-8"))["activity"], "serviceUrl": teams.service_url}
    assert "id" not in activity
    response = await teams.send(activity)
    assert response.status == 202
    (post,) = await teams.connector.wait_for(1)
    assert teams.connector.refused == []
    assert not [name for name in NOT_NULL if name in post.activity and post.activity[name] is None], post.activity
    assert post.card is not None and "Disguised compliance" in json.dumps(post.card)
