"""A running scrbot (real aiohttp server, bolt, slack_sdk client and store) beside the fake Slack,
with what the fuzzers need to judge one request: the errors it logged, and a way to wait until
the work it started after the ack has finished."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import func, select

from bot.server import SLACK_ANSWERS, create_app
from bot.services import Services
from bot.store import Base, Store
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import Harness, make_settings

# Bolt runs a listener in a task of this name after the ack (process_before_response=False).
_LISTENER_TASK = "run_ack_function_asynchronously"


class ErrorLog(logging.Handler):
    """Every WARNING or worse logged while a request was handled, kept for the assertion."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        taken, self.records = self.records, []
        return taken


def describe(records: list[logging.LogRecord]) -> str:
    import traceback

    lines = []
    for record in records:
        lines.append(f"{record.name} {record.levelname}: {record.getMessage()[:300]}")
        if record.exc_info:
            lines.append("".join(traceback.format_exception(*record.exc_info))[-1500:])
    return "\n".join(lines)


class FuzzHarness:
    """The Slack test harness (post, event, command, ...) plus the error log; a plain class so
    that hypothesis prints it in one line when it reports a failing example."""

    def __init__(self, harness: Harness, errors: ErrorLog):
        self.harness, self.errors = harness, errors
        self.fake, self.server, self.services, self.session = (
            harness.fake,
            harness.server,
            harness.services,
            harness.session,
        )

    def __getattr__(self, name: str):
        return getattr(self.harness, name)

    def __repr__(self) -> str:
        return f"FuzzHarness({self.services.store.dialect if self.services.store else 'no store'})"

    async def settle(self, limit: float = 5.0) -> None:
        """Wait for the listeners bolt started after the ack and for the answers queued."""
        deadline = asyncio.get_running_loop().time() + limit
        while asyncio.get_running_loop().time() < deadline:
            listeners = [t for t in asyncio.all_tasks() if not t.done() and _LISTENER_TASK in t.get_coro().__qualname__]
            queue = getattr(self.server.app[SLACK_ANSWERS], "_queue", None)
            if not listeners and (queue is None or queue._unfinished_tasks == 0):
                return
            await asyncio.sleep(0.005)
        raise AssertionError("work started by a request was still running after 5 s")

    async def row_counts(self) -> dict[str, int]:
        store = self.services.store
        assert store is not None
        counts = {}
        async with store.engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                if table.name == "alembic_version":
                    continue
                counts[table.name] = (await connection.execute(select(func.count()).select_from(table))).scalar_one()
        return counts


@pytest.fixture
async def fuzz_slack(store: Store, tmp_path, catalogue, conversation) -> AsyncIterator[FuzzHarness]:
    """scrbot on the parametrized store (SQLite and PostgreSQL), weekly prompts off."""
    fake = await FakeSlack().start()
    settings = make_settings(fake, tmp_path, person_key_secret="fuzz-secret", admins=("UADMIN1",))
    services = Services(settings, catalogue, conversation, store)
    server = TestServer(create_app(services, prompts=False), host="127.0.0.1")
    await server.start_server()
    errors = ErrorLog()
    root = logging.getLogger()
    root.addHandler(errors)
    try:
        async with aiohttp.ClientSession() as session:
            yield FuzzHarness(Harness(fake, server, services, session), errors)
    finally:
        root.removeHandler(errors)
        await server.close()
        await fake.close()
