"""Creating the async engine: database URLs, SQLite settings, the default file location."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

# How long a SQLite writer waits for another writer before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 15_000

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def default_database_url() -> str:
    """The SQLite file `scrbot.db` in the user's data folder."""
    path = Path(platformdirs.user_data_dir("scrbot")) / "scrbot.db"
    return f"sqlite+aiosqlite:///{path}"


def async_url(url: str | URL) -> URL:
    """Parse a database URL and pick the async driver when none is named.

    `sqlite:///x.db` becomes `sqlite+aiosqlite:///x.db`; `postgres://` and `postgresql://`
    become `postgresql+asyncpg://`.
    """
    if isinstance(url, str) and url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    return parsed.set(drivername=driver) if driver else parsed


def is_sqlite_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def create_engine(url: str | URL) -> AsyncEngine:
    """An async engine; for a SQLite file also its folder, WAL mode and a busy timeout."""
    parsed = async_url(url)
    if parsed.get_backend_name() != "sqlite":
        # A fan-out runs up to 50 posts at once, each a few short queries: size the pool for it.
        # hide_parameters keeps bound values (reflection text) out of every database error message.
        return create_async_engine(parsed, pool_pre_ping=True, pool_size=20, max_overflow=20, hide_parameters=True)

    options: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
    if is_sqlite_memory(parsed):
        # One shared connection, otherwise each connection sees its own empty database.
        options["poolclass"] = StaticPool
    elif not parsed.query.get("uri"):
        Path(parsed.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(parsed, hide_parameters=True, **options)
    event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # The timeout comes first so that switching to WAL waits for other openers too.
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        # WAL lets readers carry on while one replica writes.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()
