"""Forged, stale and replayed requests never run anything; echoed text is inert."""

from __future__ import annotations

import asyncio
import json
import time


async def test_forged_signature_is_refused(slack):
    response = await slack.command("what is neglect", secret="wrong-secret")
    assert response.status == 401
    await asyncio.sleep(0.2)
    assert slack.fake.responses == [] and slack.fake.of("chat.postMessage") == []


async def test_unsigned_request_is_refused(slack):
    response = await slack.command("what is neglect", sign=False)
    assert response.status == 401


async def test_request_older_than_five_minutes_is_refused(slack):
    response = await slack.command("what is neglect", timestamp=int(time.time()) - 301)
    assert response.status == 401
    await asyncio.sleep(0.2)
    assert slack.fake.responses == []


async def test_slack_retry_never_produces_a_second_answer(slack):
    event = {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "300.1", "text": "<@UBOT> neglect"}
    first = await slack.event(event, event_id="EvRetry")
    again = await slack.event(
        event, event_id="EvRetry", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert first.status == 200 and again.status == 200
    await slack.fake.wait_for("chat.postMessage")
    await asyncio.sleep(0.3)
    assert len(slack.fake.of("chat.postMessage")) == 1


async def test_event_ids_are_deduplicated_through_the_shared_store(slack):
    # A second replica shares the database: the event id is already claimed there.
    assert await slack.services.store.claim_event("slack:T1:EvShared", slack.services.clock.now())
    response = await slack.event(
        {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1.1", "text": "<@UBOT> neglect"},
        event_id="EvShared",
    )
    assert response.status == 200
    await asyncio.sleep(0.3)
    assert slack.fake.of("chat.postMessage") == []


async def test_broadcast_and_mention_markup_typed_by_a_user_is_made_inert(slack):
    await slack.event(
        {
            "type": "app_mention",
            "user": "U1",
            "channel": "C1",
            "ts": "400.1",
            "text": "<@UBOT> <!channel> <!here> <@U999> zzzz qqqq",
        }
    )
    (call,) = await slack.fake.wait_for("chat.postMessage")
    payload = json.dumps(call.params)
    assert "<!channel>" not in payload and "<!here>" not in payload and "<@U999>" not in payload


async def test_oversized_body_is_refused_before_parsing(slack):
    body = "x" * (2 * 1024 * 1024)
    response = await slack.post(body, "application/json")
    assert response.status == 413


def test_rendering_escapes_markup_in_any_text():
    from bot.replies import Reply, Section
    from bot.slack.render import messages

    reply = Reply(
        kind="answer", title="<!channel>", intro="<!here> & <@U1>", sections=(Section("h", bullets=("<#C1>",)),)
    )
    payload = json.dumps(messages(reply))
    for live in ("<!channel>", "<!here>", "<@U1>", "<#C1>"):
        assert live not in payload
    assert "&lt;!here&gt; &amp; &lt;@U1&gt;" in payload


def test_long_replies_stay_inside_block_kit_limits():
    from bot.replies import Reply, Section
    from bot.slack.render import MAX_BLOCKS, messages

    bullets = tuple("word " * 700 for _ in range(80))
    reply = Reply(kind="answer", title="Long", sections=(Section("Many", bullets=bullets),))
    sent = messages(reply)
    assert len(sent) > 1
    for message in sent:
        assert len(message["blocks"]) <= MAX_BLOCKS
        assert message["text"]
        for block in message["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000


async def test_an_unsigned_deeply_nested_payload_is_refused_unread_without_a_traceback(slack, caplog):
    nested = "[" * 100_000 + "]" * 100_000
    body = "payload=" + nested
    with caplog.at_level("DEBUG"):
        response = await slack.post(body, "application/x-www-form-urlencoded", sign=False)
    assert response.status == 401
    assert not [r for r in caplog.records if r.exc_info or r.levelname == "ERROR"]
    assert nested[:50] not in caplog.text


async def test_a_signed_deeply_nested_payload_is_refused_as_malformed_not_a_500(slack, caplog):
    body = "payload=" + "[" * 100_000 + "]" * 100_000
    response = await slack.post(body, "application/x-www-form-urlencoded")
    assert response.status == 400
    assert not [r for r in caplog.records if r.exc_info or r.levelname == "ERROR"]


async def test_slacks_certificate_check_is_answered_but_nothing_else_unsigned(slack):
    check = await slack.post("ssl_check=1&token=verification-token", "application/x-www-form-urlencoded", sign=False)
    assert check.status == 200
    other = await slack.post(
        "ssl_check=0&command=%2Flearn&text=neglect", "application/x-www-form-urlencoded", sign=False
    )
    assert other.status == 401
