"""With the database out of reach, Slack and Teams say the same core notice (bot/notices.py), a
form keeps the person's text and says so, and nothing saved before is lost."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from bot import notices
from bot.server import create_app
from bot.services import Services
from bot.slack import reflections as slack_reflections
from bot.store import Store, open_store
from bot.teams.bot import SORRY
from tests.reflections.conftest import KEYS, TEST_SECRET, ReflectHarness
from tests.slack.conftest import make_settings
from tests.teams.conftest import Harness as TeamsHarness
from tests.teams.conftest import connector, teams_settings  # noqa: F401  (fixture)
from tests.teams.test_reflections import PAT_KEY, card_inputs, card_text, form

KEPT = "I will check what I am told against what I see."
PAUSE = "schedule pause until 2099-01-05"


@contextmanager
def database_away(store: Store, where: Path) -> Iterator[None]:
    """Every query fails as it would with the database gone: the store's engine points at a
    database file that cannot be opened, until the block ends."""
    gone = create_async_engine(f"sqlite+aiosqlite:///{where}/no-such-folder/scrbot.db")
    kept = store.engine, store._sessions
    store.engine, store._sessions = gone, async_sessionmaker(gone, expire_on_commit=False)
    try:
        yield
    finally:
        store.engine, store._sessions = kept


@pytest.fixture
async def slack(fake_slack, tmp_path, catalogue, conversation) -> AsyncIterator[ReflectHarness]:
    store = open_store(f"sqlite+aiosqlite:///{tmp_path}/scrbot.db")
    await store.migrate()
    settings = make_settings(fake_slack, tmp_path, person_key_secret=TEST_SECRET, admins=("U1",))
    services = Services(settings, catalogue, conversation, store)
    server = TestServer(create_app(services, prompts=False), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield ReflectHarness(fake_slack, server, services, session)
    await server.close()
    await store.close()


@pytest.fixture
async def teams(connector, tmp_path, catalogue, conversation) -> AsyncIterator[TeamsHarness]:  # noqa: F811
    services = Services(teams_settings(tmp_path), catalogue, conversation)
    server = TestServer(create_app(services, prompts=False), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield TeamsHarness(connector, server, services, session)
    await server.close()


async def slack_command(slack: ReflectHarness, text: str) -> str:
    before = len(slack.fake.responses)
    response = await slack.command(text)
    assert response.status == 200
    return str((await slack.fake.wait_for_responses(before + 1))[before].get("text"))


async def test_slack_says_the_core_notice_and_keeps_the_text_in_the_form(slack, tmp_path):
    assert (await slack.submit(KEPT, view_id="VBEFORE")).get("response_action") == "update"
    assert slack.services.store is not None
    with database_away(slack.services.store, tmp_path):
        assert await slack_command(slack, PAUSE) == notices.STORE_UNREACHABLE
        assert await slack_command(slack, "my reflections") == notices.STORE_UNREACHABLE
        answer = await slack.submit("During the outage I will write this down.", view_id="VDURING")
        assert answer == {"response_action": "errors", "errors": {slack_reflections.TEXT_BLOCK: notices.TEXT_KEPT}}
    # Back: what was saved before is all there, and nothing from the outage.
    kept = await slack.services.store.list_reflections_for_person(KEYS("T1", "U1"))
    assert [r.text for r in kept] == [KEPT]
    assert await slack_command(slack, PAUSE) != notices.STORE_UNREACHABLE


async def test_teams_says_the_same_core_notice_not_its_apology(teams, tmp_path):
    await teams.ask(teams.submit(form(KEPT)))
    store = teams.services.store
    assert store is not None
    with database_away(store, tmp_path):
        # A schedule command: the store's own error, answered by the inbound pipeline.
        paused = await teams.ask(teams.channel(PAUSE))
        assert paused.activity["text"] == notices.STORE_UNREACHABLE != SORRY
        # "my reflections": the core catches it and says the same.
        mine = await teams.ask(teams.personal("my reflections"))
        assert mine.activity["text"] == notices.STORE_UNREACHABLE
        # The form keeps the text and says why it was not saved.
        during = "During the outage I will write this down."
        refused = await teams.ask(teams.submit(form(during)))
        assert notices.TEXT_KEPT in card_text(refused.card) and card_inputs(refused.card)["text"]["value"] == during
    kept = await store.list_reflections_for_person(PAT_KEY)
    assert [r.text for r in kept] == [KEPT]
    mine = await teams.ask(teams.personal("my reflections"))
    assert KEPT in str(mine.card)


async def test_a_teams_card_press_during_the_outage_gets_the_notice_and_deletes_nothing(teams, tmp_path):
    await teams.ask(teams.submit(form(KEPT)))
    store = teams.services.store
    assert store is not None
    confirm = await teams.ask(teams.personal("forget me"))
    forget = next(a for a in confirm.card["actions"] if a["title"] == "Delete all my reflections")
    with database_away(store, tmp_path):
        before = len(teams.connector.posts)
        assert (await teams.send(teams.press(forget["data"]))).status == 200
        (said,) = (await teams.connector.wait_for(before + 1))[before:]
        assert said.activity["text"] == notices.STORE_UNREACHABLE
    assert [r.text for r in await store.list_reflections_for_person(PAT_KEY)] == [KEPT]


async def test_a_teams_card_press_whose_store_call_fails_unwrapped_is_still_answered_200(teams, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from bot import router

    async def broken(*_args, **_kw):  # a store error no core function turned into StoreUnavailable
        raise OperationalError("DELETE ...", {}, Exception("connection refused"))

    confirm = await teams.ask(teams.personal("forget me"))
    forget = next(a for a in confirm.card["actions"] if a["title"] == "Delete all my reflections")
    monkeypatch.setattr(router.reflections, "forget", broken)
    before = len(teams.connector.posts)
    body = await teams.execute(forget["data"])
    assert body["value"] == notices.STORE_UNREACHABLE  # Teams shows the invoke's message
    (said,) = (await teams.connector.wait_for(before + 1))[before:]
    assert said.activity["text"] == notices.STORE_UNREACHABLE


async def slack_event(slack: ReflectHarness, method: str, event: dict, event_id: str) -> list:
    """Send a message event and return the calls of `method` it led to at the fake Slack."""
    before = len(slack.fake.of(method))
    assert (await slack.event(event, event_id=event_id)).status == 200
    return (await slack.fake.wait_for(method, before + 1))[before:]


def direct_message(text: str, ts: str) -> dict:
    return {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "ts": ts, "text": text}


def mention(text: str, ts: str) -> dict:
    return {"type": "app_mention", "user": "U1", "channel": "C1", "ts": ts, "text": f"<@UBOT> {text}"}


def logged(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records)


async def test_a_slack_direct_message_gets_the_core_notice_and_nothing_saved_is_lost(slack, tmp_path, caplog):
    assert (await slack.submit(KEPT, view_id="VBEFORE")).get("response_action") == "update"
    assert slack.services.store is not None
    with database_away(slack.services.store, tmp_path):
        (said,) = await slack_event(slack, "chat.postMessage", direct_message("my reflections", "1.1"), "EvDM1")
        assert said.params["channel"] == "D1" and said.params["text"] == notices.STORE_UNREACHABLE
    kept = await slack.services.store.list_reflections_for_person(KEYS("T1", "U1"))
    assert [r.text for r in kept] == [KEPT]
    (mine,) = await slack_event(slack, "chat.postMessage", direct_message("my reflections", "2.1"), "EvDM2")
    assert KEPT in str(mine.params)
    assert "answering failed" not in logged(caplog)


async def test_a_slack_direct_message_whose_store_call_fails_unwrapped_gets_the_notice(slack, monkeypatch, caplog):
    from sqlalchemy.exc import OperationalError

    from bot import router

    async def broken(*_args, **_kw):  # a store error no core function turned into StoreUnavailable
        raise OperationalError("SELECT ...", {}, Exception("connection refused"))

    monkeypatch.setattr(router.reflections, "mine", broken)
    (said,) = await slack_event(slack, "chat.postMessage", direct_message("my reflections", "3.1"), "EvDM3")
    assert said.params["channel"] == "D1" and said.params["text"] == notices.STORE_UNREACHABLE
    line = "a slack my_reflections command failed: the store is unreachable (OperationalError, request "
    assert line in logged(caplog) and "answering failed" not in logged(caplog)
    assert "SELECT" not in logged(caplog)  # the failed statement (it may carry reflection text) is not logged


async def test_a_slack_mention_gets_the_core_notice_privately(slack, tmp_path, caplog):
    assert slack.services.store is not None
    posted = len(slack.fake.of("chat.postMessage"))
    with database_away(slack.services.store, tmp_path):
        for n, text in enumerate((PAUSE, "meeting")):
            (said,) = await slack_event(slack, "chat.postEphemeral", mention(text, f"{n}.2"), f"EvM{n}")
            assert (said.params["channel"], said.params["user"]) == ("C1", "U1")
            assert said.params["text"] == notices.STORE_UNREACHABLE and said.params["thread_ts"] == f"{n}.2"
    assert len(slack.fake.of("chat.postMessage")) == posted  # nothing in the channel for everyone
    for line in ("a slack schedule command failed: the store is unreachable", "a slack meeting command failed"):
        assert line in logged(caplog)
    assert PAUSE not in logged(caplog) and "answering failed" not in logged(caplog)
    assert [r for r in caplog.records if r.exc_info] == []
    assert await slack_command(slack, PAUSE) != notices.STORE_UNREACHABLE  # and back again
