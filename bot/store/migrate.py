"""Bringing a database schema up to date with the packaged Alembic migrations."""

from __future__ import annotations

import asyncio
import weakref
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.engine import create_engine

MIGRATIONS_FOLDER = Path(__file__).parent / "migrations"

# Any constant works, as long as every scrbot process uses the same one.
_PG_MIGRATION_LOCK_ID = 0x5C2B07  # "scrbot"

# Alembic keeps its current context in module globals, so two upgrades interleaving in one
# process would trample each other. One lock per event loop keeps them in turn.
_process_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


def alembic_config() -> Config:
    """An Alembic config built in code, so no alembic.ini is needed on disk."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    return config


async def upgrade(url: str | URL) -> None:
    """Run `alembic upgrade head` on the database at `url`; safe to run again, or at once."""
    engine = create_engine(url)
    try:
        await upgrade_engine(engine)
    finally:
        await engine.dispose()


async def upgrade_engine(engine: AsyncEngine) -> None:
    """Run `alembic upgrade head` through an existing engine."""
    async with _process_lock():
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_in_transaction)


def _process_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _process_locks.get(loop)
    if lock is None:
        lock = _process_locks[loop] = asyncio.Lock()
    return lock


def _upgrade_in_transaction(connection: Connection) -> None:
    _lock_out_other_migrators(connection)
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _lock_out_other_migrators(connection: Connection) -> None:
    """Make a second process wait until the first has committed, then find nothing to do."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        # Released with the transaction, so it is safe behind connection poolers.
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_MIGRATION_LOCK_ID})
    elif dialect == "sqlite":
        # Python's sqlite3 runs DDL outside a transaction unless one is open. Taking the write
        # lock up front makes the whole upgrade one transaction that waits out other writers.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
