"""The report's participation in Teams: a channel's members from the Bot Connector (the fake's
GET /v3/conversations/{id}/members), without bots and never by name; a members call that fails
leaves participation out and the report still comes."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.reflections.reports import gather_report
from bot.server import channel_members
from bot.teams.cards import SAVE_REFLECTION
from tests.teams import payloads
from tests.teams.conftest import Harness

TEXT = "I will ask to see the changes at home, not only hear that the family agree with the plan."
OTHER_BOT = {"id": "28:another-bot-app-id", "name": "Polly"}


async def reflect_in_the_channel(teams: Harness) -> None:
    """scrbot installed in the team (its channel reference kept), and Pat reflects there."""
    response = await teams.send(payloads.installation_update(teams.service_url, in_team=True))
    assert response.status in (200, 202)
    value = f"disguised-compliance|{payloads.CHANNEL}|2026-W48"
    form = {"action": SAVE_REFLECTION, "value": value, "text": TEXT, "confidence": "4", "shared": "false"}
    saved = await teams.ask(teams.submit(form, in_channel=True))
    assert "is saved" in saved.activity["text"]


async def report_card(teams: Harness) -> str:
    before = len(teams.connector.posts)
    await teams.send(teams.personal("report 8"))
    figures, _chart = (await teams.connector.wait_for(before + 2))[before:]
    return json.dumps(figures.card)


async def test_a_teams_report_counts_participation_against_the_channels_members_without_bots(admin_teams):
    admin_teams.connector.members[payloads.CHANNEL] = [payloads.PAT, payloads.SAM, payloads.BOT, OTHER_BOT]
    await reflect_in_the_channel(admin_teams)
    card = await report_card(admin_teams)
    assert f"{payloads.CHANNEL}: 1 from 1, participation 1/2 (50%)" in card  # Pat of Pat and Sam
    assert [c for c, _ in admin_teams.connector.member_requests] == [payloads.CHANNEL]
    for name in ("Pat Practitioner", "Sam Social Worker", payloads.PAT["aadObjectId"], payloads.SAM["id"]):
        assert name not in card


@pytest.mark.parametrize(("status", "reason"), [(403, "bot_not_in_conversation"), (404, "conversation_not_found")])
async def test_a_refused_members_call_leaves_participation_out_and_the_report_still_comes(
    admin_teams, caplog, status, reason
):
    admin_teams.connector.refuse_members(payloads.CHANNEL, status)
    await reflect_in_the_channel(admin_teams)
    with caplog.at_level(logging.WARNING, logger="scrbot.teams.members"):
        card = await report_card(admin_teams)
    assert "Reflections report" in card
    assert f"{payloads.CHANNEL}: 1 from 1, participation -," in card
    (line,) = [r.getMessage() for r in caplog.records if r.name == "scrbot.teams.members"]
    assert "would not list the members" in line and reason in line and "participation left out" in line


async def test_the_cli_report_asks_teams_for_teams_channels(admin_teams):
    """`scrbot report` (bot.server.channel_members) on a Teams-only deployment."""
    admin_teams.connector.members[payloads.CHANNEL] = [payloads.PAT, payloads.SAM, payloads.BOT]
    await reflect_in_the_channel(admin_teams)
    services = admin_teams.services
    members = channel_members(services.settings, services.store)
    assert members is not None
    now = datetime.now(UTC)
    report = await gather_report(
        services.store,
        services.catalogue,
        now - timedelta(weeks=8),
        now + timedelta(minutes=1),
        members=members,
        keys=await services.person_keys(),
    )
    (row,) = report.channels
    assert (row.channel_id, row.participants, row.members) == (payloads.CHANNEL, 1, 2)


async def test_a_dead_conversation_leaves_participation_out(admin_teams, caplog, unused_tcp_port):
    """The kept reference points at a service nobody answers at: logged, and no participation."""
    await reflect_in_the_channel(admin_teams)
    services = admin_teams.services
    kept = await services.store.get_conversation("teams", payloads.TENANT, payloads.CHANNEL)
    assert kept is not None
    await services.store.save_conversation(
        "teams",
        payloads.TENANT,
        payloads.CHANNEL,
        kind="channel",
        conversation_ref={**kept.conversation_ref, "serviceUrl": f"http://127.0.0.1:{unused_tcp_port}/"},
        now=services.clock.now(),
    )
    members = channel_members(services.settings, services.store)
    assert members is not None
    with caplog.at_level(logging.WARNING, logger="scrbot.teams.members"):
        assert await members(payloads.TENANT, payloads.CHANNEL) is None
    assert any("participation left out" in r.getMessage() for r in caplog.records)


async def test_a_channel_with_no_kept_reference_has_no_participation(admin_teams, caplog):
    services = admin_teams.services
    members = channel_members(services.settings, services.store)
    assert members is not None
    with caplog.at_level(logging.INFO):
        assert await members(payloads.TENANT, "19:never-installed@thread.tacv2") is None
    assert admin_teams.connector.member_requests == []
    assert any("no Teams conversation reference" in r.getMessage() for r in caplog.records)
