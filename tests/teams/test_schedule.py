"""`@scrbot schedule …` in a Teams channel stores a Subscription with the channel's reference."""

from __future__ import annotations

import json

from tests.teams import payloads

KEY = ("teams", payloads.TENANT, payloads.CHANNEL)


async def test_schedule_weekly_in_a_channel_stores_a_teams_subscription_with_its_reference(teams):
    post = await teams.ask(teams.channel("schedule weekly monday 09:30 Europe/London"))

    subscription = await teams.services.store.get_subscription(*KEY)
    assert (subscription.weekday, subscription.hour, subscription.minute) == (0, 9, 30)
    assert subscription.timezone == "Europe/London"
    assert subscription.created_by == payloads.PAT["aadObjectId"]
    ref = subscription.conversation_ref
    assert ref["serviceUrl"] == teams.service_url and ref["channelId"] == "msteams"
    assert ref["conversation"]["id"] == payloads.CHANNEL  # the channel, not the thread
    assert ref["conversation"]["tenantId"] == payloads.TENANT
    assert ref["bot"]["id"] == payloads.BOT["id"]
    assert "user" not in ref and "activityId" not in ref  # names the channel, never a person

    text = json.dumps(post.card)
    assert "Weekly learning prompts" in text and "Mondays at 09:30 (Europe/London)" in text
    assert "Pat Practitioner set weekly learning prompts" in text


async def test_time_zone_defaults_to_the_senders_teams_client(teams):
    activity = teams.channel("schedule weekly friday 2.30pm")
    activity["localTimezone"] = "America/New_York"
    await teams.ask(activity)
    subscription = await teams.services.store.get_subscription(*KEY)
    assert (subscription.weekday, subscription.hour, subscription.minute) == (4, 14, 30)
    assert subscription.timezone == "America/New_York"


async def test_schedule_shows_and_schedule_off_stops(teams):
    await teams.ask(teams.channel("schedule weekly monday 09:30"))
    shown = await teams.ask(teams.channel("schedule"))
    assert "Mondays at 09:30" in json.dumps(shown.card)

    stopped = await teams.ask(teams.channel("schedule off"))
    assert "turned weekly learning prompts off" in json.dumps(stopped.card)
    assert await teams.services.store.get_subscription(*KEY) is None


async def test_schedule_without_one_explains_how_to_set_it(teams):
    post = await teams.ask(teams.channel("schedule"))
    assert "@scrbot schedule weekly monday 09:30 Europe/London" in json.dumps(post.card)


async def test_a_mistyped_schedule_shows_the_teams_way_to_write_it(teams):
    post = await teams.ask(teams.channel("schedule weekly mondya 09:30"))
    text = json.dumps(post.card)
    assert "Did you mean monday?" in text and "@scrbot schedule weekly" in text and "/learn" not in text
    assert await teams.services.store.get_subscription(*KEY) is None


async def test_weekly_prompts_are_refused_in_a_one_to_one_chat(teams):
    post = await teams.ask(teams.personal("schedule weekly monday 09:30"))
    assert "for team channels" in json.dumps(post.card)
    assert await teams.services.store.list_subscriptions() == []


async def test_only_admins_may_change_a_schedule_when_admins_are_configured(teams):
    from dataclasses import replace

    teams.services.settings = replace(teams.services.settings, admins=(payloads.SAM["aadObjectId"],))
    refused = await teams.ask(teams.channel("schedule weekly monday 09:30"))
    assert "Only the scrbot admins" in json.dumps(refused.card)
    await teams.ask(teams.channel("schedule weekly monday 09:30", sender=payloads.SAM))
    assert await teams.services.store.get_subscription(*KEY) is not None


async def test_a_moved_service_url_is_refreshed_on_the_next_mention(teams):
    await teams.ask(teams.channel("schedule weekly monday 09:30"))
    activity = teams.channel("what is WNB?")
    activity["serviceUrl"] = teams.service_url.replace("127.0.0.1", "localhost")  # same fake, new URL
    await teams.send(activity)

    subscription = await teams.services.store.get_subscription(*KEY)
    assert subscription.conversation_ref["serviceUrl"] == activity["serviceUrl"]
    assert (subscription.weekday, subscription.hour) == (0, 9)  # the schedule itself is untouched
