"""A revoked token (or an uninstalled app) stops weekly prompts for the whole workspace and says
so: an error in the log, the admins told once (or the attempt logged when Slack refuses even
that), readiness reporting it, and prompts resuming once the token works again."""

from __future__ import annotations

import logging
from datetime import timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.server import create_app
from bot.services import Services
from tests.schedule.test_service import MONDAY_0930_LONDON, Clock, subscribe
from tests.slack.conftest import make_settings


@pytest.fixture
async def app(fake_slack, tmp_path, catalogue, conversation, store):
    clock = Clock(MONDAY_0930_LONDON + timedelta(minutes=1))
    settings = make_settings(fake_slack, tmp_path, admins=("UADMIN1",))
    services = Services(settings, catalogue, conversation, store, clock)
    server = TestServer(create_app(services), host="127.0.0.1")
    await server.start_server()
    try:
        yield services, server, clock
    finally:
        await server.close()


def dms_to(fake, user: str) -> list:
    return [c for c in fake.of("chat.postMessage") if c.params.get("channel") == user]


async def test_a_revoked_token_stops_every_channel_of_the_workspace_and_says_so(app, fake_slack, caplog):
    services, server, clock = app
    store, prompts = services.store, services.prompts
    for channel in ("C1", "C2", "C3"):
        await subscribe(store, channel, clock, minute=30 if channel == "C1" else 45)
    await store.upsert_subscription(
        "slack",
        "T2",
        "C9",
        weekday=0,
        hour=9,
        minute=30,
        timezone="Europe/London",
        created_by="U9",
        now=clock.now() - timedelta(days=30),
    )
    fake_slack.revoked = True
    caplog.set_level(logging.INFO)

    outcome = await prompts.deliver_current("slack", "T1", "C1")

    assert (outcome.status, outcome.detail) == ("failed", "token_revoked")
    for channel in ("C1", "C2", "C3"):
        assert (await store.get_subscription("slack", "T1", channel)).last_error == "token_revoked"
    assert (await store.get_subscription("slack", "T2", "C9")).last_error is None  # another workspace
    stopped = [r for r in caplog.records if "weekly prompts stopped for slack workspace T1" in r.getMessage()]
    assert stopped and stopped[0].levelno == logging.ERROR
    # The admins (and whoever set the schedule) are told; with the token revoked Slack refuses
    # even that, and the refusal is logged.
    assert len(dms_to(fake_slack, "UADMIN1")) == 1 and len(dms_to(fake_slack, "U1")) == 1
    assert any("could not tell UADMIN1" in r.getMessage() for r in caplog.records)

    # Later the same day: the other channels are not tried at all.
    calls = len(fake_slack.calls)
    clock.current += timedelta(minutes=15)
    for channel in ("C2", "C3"):
        outcome = await prompts.deliver_current("slack", "T1", channel)
        assert outcome.status == "skipped" and "token_revoked" in outcome.detail
    assert len(fake_slack.calls) == calls

    # Readiness says so too.
    async with aiohttp.ClientSession() as session, session.get(server.make_url("/readyz")) as response:
        assert response.status == 503 and (await response.json())["checks"]["slack"] == "token_revoked"


async def test_a_fan_out_into_a_revoked_workspace_tells_the_admins_once(app, fake_slack):
    services, _, clock = app
    for n in range(6):
        await subscribe(services.store, f"C{n}", clock)
    fake_slack.revoked = True
    outcomes = await services.prompts.reconcile()
    assert {o.status for o in outcomes} <= {"failed", "skipped"} and outcomes
    assert len(dms_to(fake_slack, "UADMIN1")) == 1


async def test_prompts_resume_when_the_reinstalled_token_works(app, fake_slack):
    services, _, clock = app
    await subscribe(services.store, "C1", clock)
    fake_slack.revoked = True
    assert (await services.prompts.deliver_current("slack", "T1", "C1")).detail == "token_revoked"

    fake_slack.revoked = False  # reinstalled; scrbot restarted with the new token
    assert await services.prompts.resume_workspaces() == 1
    clock.current += timedelta(weeks=1)
    assert (await services.prompts.deliver_current("slack", "T1", "C1")).status == "posted"


async def test_a_token_still_revoked_at_start_up_keeps_the_workspace_stopped(app, fake_slack):
    services, _, clock = app
    await subscribe(services.store, "C1", clock)
    fake_slack.revoked = True
    await services.prompts.deliver_current("slack", "T1", "C1")
    assert await services.prompts.resume_workspaces() == 0
    assert (await services.store.get_subscription("slack", "T1", "C1")).last_error == "token_revoked"
