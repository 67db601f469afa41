"""Installing scrbot keeps the conversation's reference whether or not weekly prompts are set up,
so a later schedule or proactive message reaches that conversation; removal forgets it."""

from __future__ import annotations

import asyncio

from bot.reflections.service import PersonKeys
from bot.schedule.prompts import WeeklyPrompt
from bot.schedule.service import WeeklyPrompts
from bot.teams.prompts import TeamsPromptPoster
from tests.teams import payloads
from tests.teams.conftest import SECRET

PAT_KEY = PersonKeys(SECRET)(payloads.TENANT, payloads.PAT["aadObjectId"])


async def installed(teams, activity: dict) -> None:
    response = await teams.send(activity)
    assert response.status in (200, 202)
    await asyncio.sleep(0.05)


async def test_adding_scrbot_to_a_team_keeps_the_reference_and_a_prompt_reaches_the_channel(teams):
    await installed(teams, payloads.bot_added_to_team(teams.service_url))
    assert teams.connector.posts == []  # quiet in a team until someone mentions it

    kept = await teams.services.store.get_conversation("teams", payloads.TENANT, payloads.TEAM)
    assert kept is not None and kept.kind == "channel" and kept.person_key is None
    assert kept.conversation_ref["conversation"]["id"] == payloads.TEAM
    assert kept.conversation_ref["serviceUrl"] == teams.service_url

    poster = TeamsPromptPoster.from_settings(teams.services.settings)
    prompt = WeeklyPrompt("teams", payloads.TENANT, payloads.TEAM, "2026-W48", teams.services.catalogue.get("neglect"))
    await poster.post_prompt(prompt, kept.conversation_ref)
    (post,) = teams.connector.posts
    assert post.conversation_id == payloads.TEAM and "This week's learning: Neglect" in str(post.card)


async def test_an_installation_update_in_a_team_keeps_the_reference_without_a_schedule(teams):
    await installed(teams, payloads.installation_update(teams.service_url, in_team=True))
    assert await teams.services.store.get_subscription("teams", payloads.TENANT, payloads.CHANNEL) is None
    kept = await teams.services.store.get_conversation("teams", payloads.TENANT, payloads.CHANNEL)
    assert kept is not None and kept.conversation_ref["conversation"]["id"] == payloads.CHANNEL


async def test_a_schedule_without_a_reference_posts_through_the_one_kept_at_install(teams):
    await installed(teams, payloads.installation_update(teams.service_url, in_team=True))
    now = teams.services.clock.now()
    key = ("teams", payloads.TENANT, payloads.CHANNEL)
    settings = dict(weekday=0, hour=9, minute=30, timezone="Europe/London", created_by="an admin")
    await teams.services.store.upsert_subscription(*key, now=now, **settings)
    poster = TeamsPromptPoster.from_settings(teams.services.settings)
    prompts = WeeklyPrompts(teams.services, {"teams": poster})
    outcome = await prompts.send_now("teams", payloads.TENANT, payloads.CHANNEL)
    assert outcome.status == "posted"
    (post,) = teams.connector.posts
    assert post.conversation_id == payloads.CHANNEL


async def test_installing_for_yourself_keeps_the_chat_under_your_pseudonymous_key(teams):
    welcome = await teams.ask(payloads.installation_update(teams.service_url))
    assert "Hello, I'm scrbot" in str(welcome.card)
    kept = await teams.services.store.get_conversation("teams", payloads.TENANT, payloads.PERSONAL_CHAT)
    assert kept is not None and kept.kind == "personal" and kept.person_key == PAT_KEY
    assert payloads.PAT["id"] not in str(kept.conversation_ref)  # the reference names the chat, not the person


async def test_the_welcomes_theme_picker_opens_a_theme_with_action_execute(teams):
    welcome = await teams.ask(payloads.installation_update(teams.service_url))
    picker = next(item for item in welcome.card["body"] if item["type"] == "Input.ChoiceSet")
    (show,) = welcome.card["actions"]
    assert (show["type"], show["title"], show["verb"]) == ("Action.Execute", "Show theme", "show_theme")
    answer = await teams.ask(teams.press({**show["data"], picker["id"]: "neglect"}))  # the choice, merged in
    assert answer.card["body"][0]["text"] == "Neglect"


async def test_uninstalling_and_removal_forget_the_reference(teams):
    await installed(teams, payloads.installation_update(teams.service_url))
    await installed(teams, payloads.installation_update(teams.service_url, "remove"))
    assert await teams.services.store.get_conversation("teams", payloads.TENANT, payloads.PERSONAL_CHAT) is None

    await installed(teams, payloads.installation_update(teams.service_url, in_team=True))
    await installed(teams, payloads.bot_removed_from_channel(teams.service_url))
    assert await teams.services.store.get_conversation("teams", payloads.TENANT, payloads.CHANNEL) is None


async def test_forget_me_deletes_the_kept_reference_of_your_chat(teams):
    await installed(teams, payloads.installation_update(teams.service_url))
    confirm = await teams.ask(teams.personal("forget me"))
    forget = next(a for a in confirm.card["actions"] if a["title"] == "Delete all my reflections")
    await teams.ask(teams.submit(forget["data"]))
    assert await teams.services.store.get_conversation("teams", payloads.TENANT, payloads.PERSONAL_CHAT) is None


async def test_a_store_failure_on_install_still_welcomes(teams, monkeypatch):
    from sqlalchemy.exc import OperationalError

    async def broken(*_args, **_kw):
        raise OperationalError("INSERT ...", {}, Exception("connection refused"))

    monkeypatch.setattr(teams.services.store, "save_conversation", broken)
    welcome = await teams.ask(payloads.installation_update(teams.service_url))
    assert "Hello, I'm scrbot" in str(welcome.card)
