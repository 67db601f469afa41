"""The Slack Web API answers 500s and times out for a while: weekly prompts are retried once a
claim's lease runs out (the lease is the back-off), a post that went out but was never confirmed
is found in the channel instead of posted again, and requests from people are still acknowledged
at once with the failure logged."""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta

from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.schedule.service import WeeklyPrompts
from bot.services import Services
from bot.slack.prompts import SlackPromptPoster
from tests.schedule.test_service import make_prompts, subscribe

LEASE = timedelta(minutes=5)  # the default prompt_lease_seconds
WEEK = "2026-W48"


def posts_in(fake, channel: str) -> list:
    return [m for m in fake.history[channel] if (m.get("metadata") or {}).get("event_type") == "scrbot_weekly_prompt"]


async def test_a_500_is_retried_after_the_lease_and_the_prompt_posted_once(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    fake.server_error("chat.postMessage", 500)

    first = await prompts.deliver_current("slack", "T1", "C1")
    assert (first.status, first.detail) == ("retry", "SlackApiError")
    assert (await store.get_delivery("slack", "T1", "C1", WEEK)).status == "claimed"
    clock.current += LEASE / 2
    assert await prompts.reconcile() == []  # the claim still holds: no second attempt yet

    clock.current += LEASE
    (outcome,) = await prompts.reconcile()
    assert outcome.status == "posted"
    assert len(posts_in(fake, "C1")) == 1
    assert [c.method for c in fake.calls] == ["chat.postMessage", "conversations.history", "chat.postMessage"]


async def test_slack_down_for_several_leases_posts_once_when_it_is_back(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    fake.server_error("chat.postMessage", 503, times=3)
    statuses = [(await prompts.deliver_current("slack", "T1", "C1")).status]
    for _ in range(4):
        clock.current += LEASE + timedelta(seconds=1)
        statuses += [o.status for o in await prompts.reconcile()]
    assert statuses == ["retry", "retry", "retry", "posted"]
    assert len(posts_in(fake, "C1")) == 1
    assert (await store.get_delivery("slack", "T1", "C1", WEEK)).status == "posted"


async def test_a_post_that_went_out_but_timed_out_is_found_not_posted_again(
    store, catalogue, conversation, fake, clock
):
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=fake.api_url)
    services = Services(settings, catalogue, conversation, store=store, clock=clock)
    client = AsyncWebClient(
        token="xoxb-test",
        base_url=fake.api_url,
        timeout=0.5,
        retry_handlers=[AsyncConnectionErrorRetryHandler(max_retry_count=2)],
    )
    prompts = WeeklyPrompts(services, {"slack": SlackPromptPoster(client)}, replica="r1")
    await subscribe(store, "C1", clock)
    fake.slow("chat.postMessage", 1.5)  # Slack posts it, then answers too late

    started = time.monotonic()
    first = await prompts.deliver_current("slack", "T1", "C1")
    assert first.status == "retry" and time.monotonic() - started < 5
    assert len(posts_in(fake, "C1")) == 1  # it did go out, and was not sent again by a retry

    clock.current += LEASE + timedelta(seconds=1)
    (outcome,) = await prompts.reconcile()
    assert outcome.status == "already" and outcome.detail == "found in channel history"
    assert len(posts_in(fake, "C1")) == 1
    delivery = await store.get_delivery("slack", "T1", "C1", WEEK)
    assert delivery.status == "posted" and delivery.message_ts == posts_in(fake, "C1")[0]["ts"]


async def test_a_500_while_looking_for_a_lost_post_is_retried_later(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    await store.claim_delivery("slack", "T1", "C1", WEEK, "neglect", "crashed", clock.now(), LEASE)
    fake.server_error("conversations.history", 500)
    clock.current += LEASE + timedelta(seconds=1)
    assert [o.status for o in await prompts.reconcile()] == ["retry"]
    clock.current += LEASE + timedelta(seconds=1)
    assert [o.status for o in await prompts.reconcile()] == ["posted"]
    assert len(posts_in(fake, "C1")) == 1


async def test_a_fan_out_through_500s_posts_every_channel_once(store, catalogue, conversation, fake, clock):
    # (429s in a fan-out are tests/schedule/test_service.py's and bench/fanout.py's.)
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    channels = [f"C{n:02d}" for n in range(12)]
    for channel in channels:
        await subscribe(store, channel, clock)
    fake.server_error("chat.postMessage", 502, times=5)
    clock.current += timedelta(minutes=1)
    for _ in range(3):
        await prompts.reconcile()
        clock.current += LEASE + timedelta(seconds=1)
    assert {channel: len(posts_in(fake, channel)) for channel in channels} == dict.fromkeys(channels, 1)


async def test_answers_are_logged_not_lost_to_a_500_and_the_next_one_goes_out(slack, caplog):
    caplog.set_level(logging.WARNING)
    slack.fake.server_error("chat.postMessage", 500)
    event = {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "70.1", "text": "<@UBOT> what is neglect?"}
    assert (await slack.event(event, event_id="Ev500")).status == 200
    await slack.fake.wait_for("chat.postMessage", 1)
    assert (await slack.event({**event, "ts": "71.1"}, event_id="Ev501")).status == 200
    (_, answered) = await slack.fake.wait_for("chat.postMessage", 2)
    assert answered.params["thread_ts"] == "71.1"
    assert any("chat.postMessage failed for channel C1: http_500" in r.getMessage() for r in caplog.records)


async def test_a_slack_error_right_after_the_ack_is_still_acknowledged_at_once(slack):
    slack.fake.fail("conversations.info", "internal_error")
    started = time.monotonic()
    response = await slack.command("schedule weekly monday 09:30")
    assert response.status == 200 and time.monotonic() - started < 1.0
    (reply,) = await slack.fake.wait_for_responses()
    assert "internal_error" in json.dumps(reply) and "try again" in json.dumps(reply)
