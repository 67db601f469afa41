"""Weekly prompts posted proactively to Teams channels through the stored conversation reference."""

from __future__ import annotations

import json

import pytest

from bot.schedule.prompts import ChannelUnavailable, WeeklyPrompt, delivery_failure
from bot.schedule.service import WeeklyPrompts
from bot.teams.cards import SAVE_REFLECTION
from bot.teams.prompts import TeamsPromptPoster
from tests.teams import payloads
from tests.teams.test_reflections import PAT_KEY

KEY = ("teams", payloads.TENANT, payloads.CHANNEL)


@pytest.fixture
def poster(teams):
    return TeamsPromptPoster.from_settings(teams.services.settings)


async def subscribe(teams) -> dict:
    """Set a schedule in the channel the way people do, and return the stored reference."""
    await teams.ask(teams.channel("schedule weekly monday 09:30 Europe/London"))
    teams.connector.posts.clear()
    return (await teams.services.store.get_subscription(*KEY)).conversation_ref


def prompt_for(teams, week: str = "2026-W48") -> WeeklyPrompt:
    return WeeklyPrompt(*KEY, week, teams.services.catalogue.get("disguised-compliance"))


async def test_prompt_is_posted_as_a_new_post_in_the_channel(teams, poster):
    ref = await subscribe(teams)
    message_id = await poster.post_prompt(prompt_for(teams), ref)

    (post,) = teams.connector.posts
    assert post.conversation_id == payloads.CHANNEL and post.reply_to_id is None
    assert message_id == post.id
    assert post.activity["conversation"]["id"] == payloads.CHANNEL
    assert post.activity["from"]["id"] == payloads.BOT["id"]


async def test_the_prompt_is_a_well_formed_activity_with_no_null_fields(teams, poster):
    # The Agents Playground's connector answered the prompt with 400 for `"id": null`; the fake
    # connector now refuses it the same way, so the post above proves it arrives.
    await poster.post_prompt(prompt_for(teams), await subscribe(teams))
    (post,) = teams.connector.posts
    assert teams.connector.refused == []
    assert [name for name, value in post.activity.items() if value is None] == []
    assert "id" not in post.activity and "replyToId" not in post.activity
    card = post.card
    assert card["body"][0]["text"] == "This week's learning: Disguised compliance"
    reflect = next(a for a in card["actions"] if a["type"] == "Action.ShowCard")
    form = reflect["card"]
    assert [i["id"] for i in form["body"] if i["type"].startswith("Input.")] == [
        "text",
        "confidence",
        "shared",
    ]
    (save,) = form["actions"]
    assert save["type"] == "Action.Execute" and save["verb"] == SAVE_REFLECTION  # Universal Actions
    assert save["data"] == {
        "action": SAVE_REFLECTION,
        "value": f"disguised-compliance|{payloads.CHANNEL}|2026-W48",
    }


async def test_reflection_from_a_posted_prompt_is_saved(teams, poster):
    ref = await subscribe(teams)
    await poster.post_prompt(prompt_for(teams), ref)
    prompt_post = teams.connector.posts[0]
    reflect = next(a for a in prompt_post.card["actions"] if a["type"] == "Action.ShowCard")
    save = reflect["card"]["actions"][0]

    # Teams sends the Save button's data merged with the form's inputs.
    inputs = {
        "text": "I will look for change, not just agreement.",
        "confidence": "3",
        "shared": "false",
    }
    teams.connector.posts.clear()
    body = await teams.execute({**save["data"], **inputs}, in_channel=True, card_id=prompt_post.id)
    assert body["statusCode"] == 200
    (reply,) = await teams.connector.wait_for(1)
    assert "is saved" in reply.activity["text"] and reply.conversation_id.startswith(payloads.CHANNEL)
    (row,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert row.week == "2026-W48" and row.channel_id == payloads.CHANNEL and row.source == "teams"


async def test_a_privacy_problem_on_a_posted_prompt_refreshes_it_with_the_text_kept(teams, poster):
    await poster.post_prompt(prompt_for(teams), await subscribe(teams))
    prompt_post = teams.connector.posts[0]
    reflect = next(a for a in prompt_post.card["actions"] if a["type"] == "Action.ShowCard")
    text = "I visited Tobiah Smith at 12 Acacia Road and will check the chronology next time."
    data = {**reflect["card"]["actions"][0]["data"], "text": text, "confidence": "3", "shared": "true"}

    body = await teams.execute(data, in_channel=True, card_id=prompt_post.id)
    card = body["value"]
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Not saved yet" in json.dumps(card) and "12 Acacia Road" in json.dumps(card)
    assert next(i for i in card["body"] if i.get("id") == "text")["value"] == text
    assert len(teams.connector.posts) == 1  # only the prompt: nothing was said in the channel


async def test_the_scheduler_posts_a_teams_prompt_once_per_week(teams, poster):
    await subscribe(teams)
    prompts = WeeklyPrompts(teams.services, {"teams": poster})

    first = await prompts.send_now(*KEY)
    second = await prompts.send_now(*KEY)

    assert first.status == "posted" and second.status == "already"
    (post,) = teams.connector.posts
    assert first.message_ts == post.id
    week = (await teams.services.store.delivery_history(*KEY))[0]
    assert week.status == "posted" and week.message_ts == post.id


async def test_a_channel_the_bot_was_removed_from_is_unavailable(teams, poster):
    ref = await subscribe(teams)
    teams.connector.fail(payloads.CHANNEL, 403)
    with pytest.raises(ChannelUnavailable) as caught:
        await poster.post_prompt(prompt_for(teams), ref)
    assert caught.value.reason == "bot_not_in_conversation"


async def test_a_deleted_channel_is_unavailable_and_the_week_is_marked_failed(teams, poster):
    await subscribe(teams)
    teams.connector.fail(payloads.CHANNEL, 404)
    outcome = await WeeklyPrompts(teams.services, {"teams": poster}).send_now(*KEY)
    assert outcome.status == "failed" and outcome.detail == "conversation_not_found"
    subscription = await teams.services.store.get_subscription(*KEY)
    assert subscription.last_error == "conversation_not_found"


async def test_throttling_is_waited_out_then_posted(teams):
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    poster = TeamsPromptPoster.from_settings(teams.services.settings, sleep=sleep)
    ref = await subscribe(teams)
    teams.connector.fail(payloads.CHANNEL, 429, retry_after="2")

    await poster.post_prompt(prompt_for(teams), ref)
    assert waits == [2.0] and len(teams.connector.posts) == 1


async def test_a_subscription_without_a_reference_cannot_be_posted_to(teams, poster):
    with pytest.raises(ChannelUnavailable) as caught:
        await poster.post_prompt(prompt_for(teams), None)
    assert caught.value.reason == "no_conversation_reference"


async def test_channel_history_cannot_be_searched_in_teams(teams, poster):
    ref = await subscribe(teams)
    assert await poster.find_prompt(prompt_for(teams), ref) is None


async def test_the_stored_reference_survives_a_json_round_trip(teams, poster):
    # PostgreSQL's JSON column hands back plain dicts; the poster must not need anything else.
    ref = json.loads(json.dumps(await subscribe(teams)))
    assert await poster.post_prompt(prompt_for(teams), ref)


async def test_an_admin_posts_this_weeks_prompt_now_with_scrbot_prompt_send(teams, tmp_path):
    import asyncio
    import os
    import sys
    from pathlib import Path

    await subscribe(teams)
    root = Path(__file__).resolve().parents[2]  # noqa: ASYNC240 (no I/O: a path from __file__)
    settings = teams.services.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRBOT_", "SLACK_"))}
    env.update(
        SCRBOT_DATABASE_URL=settings.database_url,
        SCRBOT_TEAMS_ALLOW_UNAUTHENTICATED="1",
        SCRBOT_SLACK_ENABLED="0",
        SCRBOT_SECRET=settings.person_key_secret,
    )
    command = ["prompt", "send", "--platform", "teams", "--workspace", payloads.TENANT, "--channel", payloads.CHANNEL]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *command, "--now",
        cwd=root, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()[-2000:]
    (post,) = teams.connector.posts
    assert post.conversation_id == payloads.CHANNEL and post.reply_to_id is None
    assert "This week's learning" in json.dumps(post.card)
    assert out.decode().startswith("posted ") and post.id in out.decode()


@pytest.fixture
async def scheduled(connector, tmp_path, catalogue, conversation):
    """scrbot's Teams endpoint with its weekly prompts running, as `scrbot serve` wires them; Pat
    and Sam are its configured admins."""
    import aiohttp
    from aiohttp.test_utils import TestServer

    from bot.server import create_app
    from bot.services import Services
    from tests.teams.conftest import Harness, teams_settings

    settings = teams_settings(
        tmp_path, admins=(payloads.PAT["aadObjectId"], payloads.SAM["aadObjectId"]), teams_leads_digest=True
    )
    services = Services(settings, catalogue, conversation)
    server = TestServer(create_app(services), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield Harness(connector, server, services, session)
    await server.close()


async def test_the_admins_are_told_of_a_failing_teams_channel_in_their_1_1_chat(scheduled, caplog):
    teams = scheduled
    caplog.set_level("INFO", "scrbot.teams.schedule")
    await teams.ask(payloads.installation_update(teams.service_url))  # Pat's 1:1 chat with scrbot
    await subscribe(teams)
    teams.connector.fail(payloads.CHANNEL, 403)  # scrbot was removed from the team
    assert teams.services.prompts is not None
    outcome = await teams.services.prompts.send_now(*KEY)
    assert outcome.status == "failed" and outcome.detail == "bot_not_in_conversation"

    (told,) = await teams.connector.wait_for(1)
    assert told.conversation_id == payloads.PERSONAL_CHAT and told.reply_to_id is None
    assert told.activity["text"] == delivery_failure("a Teams channel", "bot_not_in_conversation")
    assert "Add scrbot back to the team" in told.activity["text"]
    # Sam, a configured admin, has no 1:1 chat with scrbot kept: logged, not told.
    assert "no 1:1 chat with scrbot is kept" in caplog.text


async def test_the_leads_weekly_digest_reaches_each_admin_in_their_1_1_chat_once_a_week(scheduled):
    from tests.teams.test_reflections import form

    teams = scheduled
    await teams.ask(payloads.installation_update(teams.service_url))  # Pat's 1:1 chat with scrbot
    await teams.ask(teams.submit(form("I will ask to see the changes at home, not only hear of them.")))
    teams.connector.posts.clear()
    assert teams.services.prompts is not None
    (digest,) = [work for name, _, work in teams.services.prompts.housekeeping if name == "teams-digest"]

    await digest()
    (post,) = await teams.connector.wait_for(1)
    assert post.conversation_id == payloads.PERSONAL_CHAT and post.reply_to_id is None
    shown = json.dumps(post.card)
    assert "Weekly reflections digest" in shown and "Disguised compliance" in shown
    assert "I will ask to see the changes" not in shown  # figures only, never the text
    await digest()  # a second run (another replica, or a restart) the same week posts nothing
    assert len(teams.connector.posts) == 1


def test_the_teams_digest_is_switched_on_in_the_config_file_only_with_true_or_false(tmp_path):
    from bot.config import ConfigError, load_settings

    config = tmp_path / "scrbot.yaml"
    config.write_text("teams_leads_digest: true\n")
    assert load_settings({"SCRBOT_CONFIG": str(config)}).teams_leads_digest is True
    assert load_settings({}).teams_leads_digest is False
    config.write_text("teams_leads_digest: sometimes\n")
    with pytest.raises(ConfigError, match="teams_leads_digest"):
        load_settings({"SCRBOT_CONFIG": str(config)})
