"""`/learn schedule` through real signed slash commands."""

from __future__ import annotations

import json
from dataclasses import replace


async def test_setting_a_schedule_stores_it_and_shows_the_next_prompts(slack):
    await slack.command("schedule weekly monday 09:30 Europe/London", user="U1", channel="C1")
    (posted,) = await slack.fake.wait_for_responses()
    assert posted["response_type"] == "in_channel"
    text = json.dumps(posted["blocks"])
    assert "Mondays at 09:30 (Europe/London)" in text and "Next prompts" in text
    subscription = await slack.services.store.get_subscription("slack", "T1", "C1")
    assert (subscription.weekday, subscription.hour, subscription.minute) == (0, 9, 30)
    assert slack.services.prompts.scheduler.get_job("prompt:slack:T1:C1") is not None


async def test_zone_defaults_to_the_callers_slack_time_zone(slack):
    await slack.command("schedule weekly friday 2pm")
    await slack.fake.wait_for_responses()
    subscription = await slack.services.store.get_subscription("slack", "T1", "C1")
    assert subscription.timezone == "Europe/London" and subscription.hour == 14
    assert slack.fake.of("users.info")


async def test_show_pause_and_off(slack):
    for number, text in enumerate(
        ["schedule weekly tuesday 10:00 Europe/London", "schedule", "schedule pause until 2027-01-05"], start=1
    ):
        await slack.command(text)
        responses = await slack.fake.wait_for_responses(number)
    assert "Tuesdays at 10:00" in json.dumps(responses[1])
    assert "paused weekly prompts until Tuesday 5 January 2027" in json.dumps(responses[2])
    subscription = await slack.services.store.get_subscription("slack", "T1", "C1")
    assert str(subscription.paused_until) == "2027-01-05"
    await slack.command("schedule off")
    await slack.fake.wait_for_responses(4)
    assert await slack.services.store.get_subscription("slack", "T1", "C1") is None
    assert slack.services.prompts.scheduler.get_job("prompt:slack:T1:C1") is None


async def test_non_members_cannot_change_a_schedule(slack):
    await slack.command("schedule weekly monday 09:30 Europe/London", user="U_OUTSIDER")
    (posted,) = await slack.fake.wait_for_responses()
    assert "Only members of this channel" in posted["text"]
    assert await slack.services.store.get_subscription("slack", "T1", "C1") is None


async def test_when_the_bot_is_not_in_the_channel_it_says_how_to_invite_it(slack):
    slack.fake.channel_members["C5"] = ["U1"]
    await slack.command("schedule weekly monday 09:30 Europe/London", channel="C5")
    (posted,) = await slack.fake.wait_for_responses()
    assert "/invite @scrbot" in posted["text"]


async def test_a_mistyped_zone_gets_a_suggestion(slack):
    await slack.command("schedule weekly monday 09:30 Europe/Londn")
    (posted,) = await slack.fake.wait_for_responses()
    assert "Europe/London" in posted["text"]


async def test_exclude_an_unknown_theme_is_explained(slack):
    await slack.command("schedule weekly monday 09:30 Europe/London")
    await slack.fake.wait_for_responses(1)
    await slack.command("schedule exclude no-such-theme")
    responses = await slack.fake.wait_for_responses(2)
    assert "There is no theme" in responses[1]["text"]


async def test_app_home_lists_the_channels_a_person_scheduled(slack):
    await slack.command("schedule weekly monday 09:30 Europe/London", user="U1", channel="C1")
    await slack.fake.wait_for_responses(1)
    await slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}, event_id="EvHome")
    (call,) = await slack.fake.wait_for("views.publish")
    text = json.dumps(call.params["view"])
    assert "Weekly prompts you set up" in text and "<#C1>: Mondays 09:30 Europe/London" in text


async def test_quiz_prompts_can_be_switched_on(slack):
    await slack.command("schedule weekly monday 09:30 Europe/London")
    await slack.fake.wait_for_responses(1)
    await slack.command("schedule quiz on")
    responses = await slack.fake.wait_for_responses(2)
    assert "scenario quiz" in json.dumps(responses[1])
    assert (await slack.services.store.get_subscription("slack", "T1", "C1")).quiz_prompts is True


# -- the same words in an @mention or a direct message (bot.router's schedule intent) ----------


def _mention(text: str, channel: str = "C1") -> dict:
    return {"type": "app_mention", "user": "U1", "channel": channel, "ts": "100.1", "text": f"<@UBOT> {text}"}


async def test_schedule_said_to_scrbot_in_a_channel_sets_its_weekly_prompts(slack):
    await slack.event(_mention("schedule weekly monday 09:30 Europe/London"))
    (call,) = await slack.fake.wait_for("chat.postMessage")
    text = json.dumps(call.params)
    assert call.params["channel"] == "C1" and "Mondays at 09:30 (Europe/London)" in text
    assert "I don't know that one" not in text
    subscription = await slack.services.store.get_subscription("slack", "T1", "C1")
    assert (subscription.weekday, subscription.hour, subscription.minute) == (0, 9, 30)


async def test_a_mistyped_schedule_in_a_mention_shows_the_mention_way_to_write_it(slack):
    await slack.event(_mention("schedule weekly mondya 09:30"))
    (call,) = await slack.fake.wait_for("chat.postMessage")
    text = json.dumps(call.params)
    assert "Did you mean monday?" in text and "@scrbot schedule weekly" in text and "/learn" not in text


async def test_schedule_in_a_direct_message_says_prompts_are_for_team_channels(slack):
    await slack.event(
        {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "ts": "1.1", "text": "schedule"}
    )
    (call,) = await slack.fake.wait_for("chat.postMessage")
    text = json.dumps(call.params)
    assert call.params["channel"] == "D1" and "for team channels" in text and "I don't know that one" not in text
    assert await slack.services.store.list_subscriptions() == []


async def test_the_admins_and_the_scheduler_are_told_of_a_failing_slack_channel_in_the_core_words(slack):
    from types import SimpleNamespace

    from bot.schedule.prompts import delivery_failure
    from bot.slack.app import build_client
    from bot.slack.schedule import notify_failure

    services = slack.services
    services.settings = replace(services.settings, admins=("UADMIN",))
    client = build_client("xoxb-test", slack.fake.api_url)
    subscription = SimpleNamespace(channel_id="C0TEAM", created_by="USETTER")
    await notify_failure(services, client, subscription, "not_in_channel")
    calls = await slack.fake.wait_for("chat.postMessage", 2)
    assert sorted(c.params["channel"] for c in calls) == ["UADMIN", "USETTER"]
    expected = delivery_failure("<#C0TEAM>", "not_in_channel")
    assert all(c.params["text"] == expected for c in calls)
    assert "(`/invite @scrbot`)" in expected
