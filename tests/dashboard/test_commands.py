"""`/learn dashboard` in Slack and `dashboard` in Teams: a private one-time link for admins,
a polite refusal and no link for anyone else."""

from __future__ import annotations

import json

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import func, select

from bot import router
from bot.dashboard.signin import NOT_ADMIN, NOT_CONFIGURED, PLATFORM_AND_SCRBOT_ADMINS, SCRBOT_ADMINS
from bot.server import create_app
from bot.services import Services
from bot.store import DashboardLink
from tests.dashboard.conftest import PUBLIC_URL
from tests.slack.conftest import Harness, fake_slack, make_settings  # noqa: F401  (fixture)
from tests.teams.conftest import Harness as TeamsHarness
from tests.teams.conftest import connector, teams_settings  # noqa: F401  (fixture)
from tests.teams.payloads import PAT


async def _links(store) -> int:
    async with store.engine.connect() as connection:
        return (await connection.execute(select(func.count()).select_from(DashboardLink))).scalar_one()


@pytest.fixture
async def slack(fake_slack, tmp_path, catalogue, conversation, store):  # noqa: F811
    settings = make_settings(fake_slack, tmp_path, admins=("UCONF",), public_url=PUBLIC_URL)
    services = Services(settings, catalogue, conversation, store)
    server = TestServer(create_app(services, manage_store=False, prompts=False), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield Harness(fake_slack, server, services, session)
    await server.close()


@pytest.mark.parametrize("admin", ["UCONF", "UADMIN1", "UOWNER1"])
async def test_an_admin_gets_a_one_time_link_privately(slack, store, admin):
    await slack.command("dashboard", user=admin)
    (posted,) = await slack.fake.wait_for_responses()
    assert posted["response_type"] == "ephemeral"
    assert f"{PUBLIC_URL}/dashboard/sign-in?token=" in posted["text"]
    assert "works once" in posted["text"] and "10 minutes" in posted["text"]
    assert await _links(store) == 1
    async with store.engine.connect() as connection:
        (scope,) = (await connection.execute(select(DashboardLink.scope))).one()
    # Configured scrbot admins see every workspace; a workspace's own admins see only theirs.
    assert scope == (None if admin == "UCONF" else "T1")


async def test_anyone_else_is_told_so_and_gets_no_link(slack, store):
    await slack.command("dashboard", user="U1")
    (posted,) = await slack.fake.wait_for_responses()
    assert posted["text"] == NOT_ADMIN.format(who=PLATFORM_AND_SCRBOT_ADMINS)
    assert "token=" not in json.dumps(posted)
    assert await _links(store) == 0


async def test_without_a_public_url_the_admin_is_told_what_to_set(slack, store):
    from dataclasses import replace

    slack.services.settings = replace(slack.services.settings, public_url=None)
    await slack.command("dashboard", user="UCONF")
    (posted,) = await slack.fake.wait_for_responses()
    assert posted["text"] == NOT_CONFIGURED and "SCRBOT_PUBLIC_URL" in posted["text"]
    assert await _links(store) == 0


@pytest.fixture
async def teams(connector, tmp_path, catalogue, conversation, store):  # noqa: F811
    settings = teams_settings(tmp_path, admins=(PAT["aadObjectId"],), public_url=PUBLIC_URL)
    services = Services(settings, catalogue, conversation, store)
    server = TestServer(create_app(services, manage_store=False, prompts=False), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield TeamsHarness(connector, server, services, session)
    await server.close()


async def test_a_teams_admin_gets_the_link_in_a_one_to_one_chat(teams, store):
    post = await teams.ask(teams.personal("dashboard"))
    assert f"{PUBLIC_URL}/dashboard/sign-in?token=" in post.activity["text"]
    assert await _links(store) == 1


async def test_a_teams_admin_asking_in_a_channel_gets_no_link(teams, store):
    post = await teams.ask(teams.channel("dashboard"))
    assert post.activity["text"] == router.DASHBOARD_ONLY_IN_CHAT
    assert await _links(store) == 0


async def test_someone_else_in_teams_is_refused(teams, store):
    from tests.teams.payloads import personal_message

    other = {**PAT, "aadObjectId": "0f1e2d3c-4b5a-4968-8776-655443322110", "id": "29:someone-else"}
    post = await teams.ask(personal_message(teams.service_url, "dashboard", sender=other))
    assert post.activity["text"] == NOT_ADMIN.format(who=SCRBOT_ADMINS)
    assert await _links(store) == 0


async def test_dashboard_in_a_slack_direct_message_gets_the_link(slack, store):
    await slack.event(
        {"type": "message", "channel_type": "im", "user": "UADMIN1", "channel": "D1", "ts": "1.1", "text": "dashboard"}
    )
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "D1" and f"{PUBLIC_URL}/dashboard/sign-in?token=" in json.dumps(call.params)
    assert await _links(store) == 1


async def test_dashboard_said_to_scrbot_in_a_slack_channel_gets_no_link(slack, store):
    mention = {"type": "app_mention", "user": "UCONF", "channel": "C1", "ts": "1.1", "text": "<@UBOT> dashboard"}
    await slack.event(mention)
    (call,) = await slack.fake.wait_for("chat.postEphemeral")
    assert call.params["user"] == "UCONF" and call.params["text"] == router.DASHBOARD_ONLY_IN_CHAT
    assert not slack.fake.of("chat.postMessage") and await _links(store) == 0
