"""Shared fixtures: the real catalogue (loaded once per session) and a migrated store on each
backend (SQLite always; PostgreSQL when SCRBOT_TEST_DATABASE_URL is set, else skipped with a reason)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import DEFAULT_CONTENT_DIR, Settings
from bot.content import Catalogue, load_catalogue
from bot.conversation import Conversation
from bot.engine import Engine
from bot.store import Store, async_url, open_store


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(DEFAULT_CONTENT_DIR)


@pytest.fixture(scope="session")
def engine(catalogue: Catalogue) -> Engine:
    return Engine(catalogue)


@pytest.fixture(scope="session")
def conversation(engine: Engine) -> Conversation:
    return Conversation(engine, Settings().urgent_contacts)


POSTGRESQL_URL_VARIABLE = "SCRBOT_TEST_DATABASE_URL"
POSTGRESQL_SKIP_REASON = "set SCRBOT_TEST_DATABASE_URL to run the PostgreSQL store tests"

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"postgresql: needs a PostgreSQL server (env {POSTGRESQL_URL_VARIABLE})")


@pytest.fixture
def now() -> datetime:
    """A fixed Monday morning; tests move time by adding to it."""
    return NOW


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[str]:
    """A scrbot_test_<random> database for this test run, dropped at the end.

    Creating a database costs about 0.25 s, so each test gets a fresh schema in it instead.
    """
    server_url = os.environ.get(POSTGRESQL_URL_VARIABLE)
    if not server_url:
        pytest.skip(POSTGRESQL_SKIP_REASON)
    name = f"scrbot_test_{uuid.uuid4().hex[:12]}"
    _run_beside_the_test_loop(_execute(server_url, f'CREATE DATABASE "{name}"'))
    try:
        yield async_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        _run_beside_the_test_loop(_execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'scrbot.db'}"
    url: str = request.getfixturevalue("postgresql_database")
    await _execute(url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    return url


async def _execute(url: str, *statements: str) -> None:
    engine = create_async_engine(async_url(url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


def _run_beside_the_test_loop(work: Coroutine[Any, Any, None]) -> None:
    # A thread of its own, so asyncio.run cannot disturb pytest-asyncio's event loops.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work).result()


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """A migrated Store on an empty database."""
    store = open_store(database_url)
    await store.migrate()
    try:
        yield store
    finally:
        await store.close()
