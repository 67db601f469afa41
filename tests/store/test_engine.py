"""SQLite set-up and URL handling; no server needed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import platformdirs
from sqlalchemy import text

from bot.store import async_url, default_database_url, open_store


def test_default_database_is_a_sqlite_file_in_the_user_data_folder() -> None:
    url = default_database_url()

    assert url.startswith("sqlite+aiosqlite:///")
    assert Path(url.removeprefix("sqlite+aiosqlite:///")) == (Path(platformdirs.user_data_dir("scrbot")) / "scrbot.db")


def test_plain_urls_get_the_async_drivers() -> None:
    assert async_url("sqlite:///x.db").drivername == "sqlite+aiosqlite"
    assert async_url("postgres://u@h/db").drivername == "postgresql+asyncpg"
    assert async_url("postgresql://u@h/db").drivername == "postgresql+asyncpg"
    assert async_url("postgresql+asyncpg://u@h/db").drivername == "postgresql+asyncpg"


async def test_opening_a_sqlite_store_creates_its_folder_and_uses_wal(tmp_path: Path) -> None:
    db_file = tmp_path / "not" / "yet" / "there" / "scrbot.db"

    store = open_store(f"sqlite:///{db_file}")
    try:
        await store.ping()
        async with store.engine.connect() as connection:
            journal_mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar()
            busy_timeout = (await connection.execute(text("PRAGMA busy_timeout"))).scalar()
    finally:
        await store.close()

    assert db_file.exists()
    assert journal_mode == "wal"
    assert busy_timeout and busy_timeout >= 1000


async def test_an_in_memory_store_keeps_its_tables_between_calls(now: datetime) -> None:
    store = open_store("sqlite://")
    try:
        await store.migrate()
        assert await store.claim_event("slack:T1:Ev1", now)
        assert not await store.claim_event("slack:T1:Ev1", now)
    finally:
        await store.close()
