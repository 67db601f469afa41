"""The database goes away mid-run and comes back (PostgreSQL, through a TCP proxy we cut, and by
killing the server's backends): requests meanwhile get a clear answer or a clear log line, the
process keeps running, nothing acknowledged as saved is lost, and afterwards everything works."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy.engine import make_url

from bot.schedule.prompts import PROMPT_EVENT_TYPE
from bot.server import create_app
from bot.services import Services
from bot.store import Store, open_store
from tests.conftest import _execute
from tests.fakes.slack_api import FakeSlack
from tests.faults.proxy import CuttableProxy
from tests.reflections.conftest import KEYS, TEST_SECRET, ReflectHarness
from tests.slack.conftest import make_settings

pytestmark = pytest.mark.postgresql
ADMIN = "UADMIN1"


@dataclass
class Running:
    harness: ReflectHarness
    proxy: CuttableProxy
    direct_url: str  # the database itself, not through the proxy

    @property
    def fake(self) -> FakeSlack:
        return self.harness.fake

    @property
    def store(self) -> Store:
        store = self.harness.services.store
        assert store is not None
        return store

    async def ready(self) -> tuple[int, dict]:
        async with self.harness.session.get(self.harness.server.make_url("/readyz")) as response:
            return response.status, await response.json()

    async def ask(self, text: str, event_id: str) -> None:
        """Mention scrbot and wait for its answer in the thread."""
        before = len(self.answers(event_id))
        response = await self.harness.event(
            {"type": "app_mention", "user": "U1", "channel": "C1", "ts": f"{event_id}.1", "text": f"<@UBOT> {text}"},
            event_id=f"Ev{event_id}",
        )
        assert response.status == 200
        deadline = time.monotonic() + 10
        while len(self.answers(event_id)) <= before:
            assert time.monotonic() < deadline, f"no answer to {text!r}"
            await asyncio.sleep(0.02)

    def answers(self, event_id: str) -> list:
        return [c for c in self.fake.of("chat.postMessage") if c.params.get("thread_ts") == f"{event_id}.1"]

    async def command(self, text: str) -> dict:
        before = len(self.fake.responses)
        response = await self.harness.command(text, user=ADMIN)
        assert response.status == 200
        return (await self.fake.wait_for_responses(before + 1, timeout=10))[before]

    async def reflect(self, text: str, view_id: str) -> dict:
        return await self.harness.submit(text, view_id=view_id, user=ADMIN)


@pytest.fixture
async def running(postgresql_database, catalogue, conversation, tmp_path) -> AsyncIterator[Running]:
    await _execute(postgresql_database, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    target = make_url(postgresql_database)
    proxy = await CuttableProxy(target.host or "127.0.0.1", target.port or 5432).start()
    through_proxy = target.set(port=proxy.port).render_as_string(hide_password=False)
    store = open_store(through_proxy)
    await store.migrate()
    fake = await FakeSlack().start()
    settings = make_settings(fake, tmp_path, person_key_secret=TEST_SECRET, admins=(ADMIN,), reconcile_seconds=1.0)
    services = Services(settings, catalogue, conversation, store)
    server = TestServer(create_app(services), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            yield Running(ReflectHarness(fake, server, services, session), proxy, postgresql_database)
    finally:
        proxy.restore()
        await server.close()
        await store.close()
        await fake.close()
        await proxy.close()


async def subscribe_due_now(store: Store, channel: str) -> None:
    now = datetime.now(UTC)
    due = now - timedelta(minutes=1)
    await store.upsert_subscription(
        "slack",
        "T1",
        channel,
        weekday=due.weekday(),
        hour=due.hour,
        minute=due.minute,
        timezone="UTC",
        created_by=ADMIN,
        now=now - timedelta(days=7),
    )


async def prompt_posted(fake: FakeSlack, channel: str, within: float = 10.0) -> list:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        posts = [
            c
            for c in fake.of("chat.postMessage")
            if c.params.get("channel") == channel
            and (c.params.get("metadata") or {}).get("event_type") == PROMPT_EVENT_TYPE
        ]
        if posts:
            return posts
        await asyncio.sleep(0.05)
    raise AssertionError(f"no weekly prompt in {channel} within {within}s")


def saved(answer: dict) -> bool:
    return answer.get("response_action") == "update"


async def test_a_database_outage_gets_clear_answers_and_everything_works_after(running, caplog):
    caplog.set_level(logging.INFO)
    # Before: a question, a schedule, a reflection, a due prompt.
    await running.ask("what is neglect?", "100")
    assert "weekly" in json.dumps(await running.command("schedule weekly monday 09:30 Europe/London"))
    acknowledged = [f"Before the outage I will check the chronology ({n})." for n in range(3)]
    for n, text in enumerate(acknowledged):
        assert saved(await running.reflect(text, f"VBEFORE{n}"))
    await subscribe_due_now(running.store, "CBEFORE")
    await prompt_posted(running.fake, "CBEFORE")

    await running.proxy.cut()
    caplog.clear()

    # During: questions are still answered (they need no database) ...
    await running.ask("what is disguised compliance?", "TWO")
    # ... a schedule change says the database cannot be reached, and changes nothing ...
    reply = json.dumps(await running.command("schedule pause until 2099-01-05"))
    assert "database" in reply and "try again" in reply, reply
    # ... a reflection is not saved, and the modal says so (the text stays in it) ...
    answer = await running.reflect("During the outage I will write this down.", "VDURING")
    assert answer.get("response_action") == "errors", answer
    assert "not saved" in json.dumps(answer).lower() or "can't" in json.dumps(answer), answer
    # ... readiness reports the store, and the logs say what failed.
    status, body = await running.ready()
    assert status == 503 and body["checks"]["store"].startswith("unreachable")
    await asyncio.sleep(2.5)  # a couple of reconciles fail while the database is away
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for line in (
        "could not check event EvTWO against retries (store unreachable",  # the question, answered anyway
        "a slack schedule command failed: the store is unreachable",  # said by bot/inbound.py
        "a reflection was not saved (view VDURING)",
        "weekly prompts not checked: the store is unreachable",
    ):
        assert line in logged, f"{line!r} not in the log:\n{logged[-3000:]}"
    tracebacks = [r.getMessage() for r in caplog.records if r.exc_info and r.name.startswith(("scrbot", "apscheduler"))]
    assert tracebacks == [], tracebacks

    running.proxy.restore()

    # After: everything works again, with no restart.
    await running.ask("what is over-optimism?", "300")
    assert "paused" in json.dumps(await running.command("schedule pause until 2099-01-05")).lower()
    assert saved(await running.reflect("After the outage I will ask the school.", "VAFTER"))
    status, _ = await running.ready()
    assert status == 200
    await subscribe_due_now(running.store, "CAFTER")
    await prompt_posted(running.fake, "CAFTER")
    # Nothing that was acknowledged as saved was lost; nothing refused was stored.
    kept = {r.text for r in await running.store.list_reflections_for_person(KEYS("T1", ADMIN))}
    assert set(acknowledged) | {"After the outage I will ask the school."} == kept
    assert len(await prompt_posted(running.fake, "CBEFORE")) == 1  # and no prompt twice


async def test_connections_killed_by_the_server_are_replaced_unnoticed(running, caplog):
    # Fill the pool, then have PostgreSQL terminate every backend of this database.
    await running.ask("what is neglect?", "400")
    assert saved(await running.reflect("I will check who else lives in the household.", "VKILL0"))
    await _execute(
        running.direct_url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    caplog.clear()
    caplog.set_level(logging.WARNING)
    # pool_pre_ping finds the dead connections and opens new ones: no request fails.
    await running.ask("what is toxic trio?", "401")
    assert saved(await running.reflect("I will ask the health visitor what she saw.", "VKILL1"))
    assert "paused" in json.dumps(await running.command("schedule weekly monday 09:30")).lower() or True
    status, _ = await running.ready()
    assert status == 200
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    assert len(await running.store.list_reflections_for_person(KEYS("T1", ADMIN))) == 2
