from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from bot.store import Base, open_store, upgrade

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TABLES = {
    "processed_events",
    "subscriptions",
    "deliveries",
    "reflections",
    "quiz_answers",
    "dashboard_links",
    "dashboard_sessions",
    "conversations",
}


async def _tables_and_version(url: str) -> tuple[set[str], list[str]]:
    store = open_store(url)
    try:
        async with store.engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            versions = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return tables, [row[0] for row in versions]
    finally:
        await store.close()


HEAD = "0004"


async def test_upgrade_creates_every_table_and_can_run_again(database_url: str) -> None:
    await upgrade(database_url)
    await upgrade(database_url)

    tables, versions = await _tables_and_version(database_url)
    assert TABLES <= tables
    assert versions == [HEAD]


async def test_two_upgrades_at_once_in_one_process_both_succeed(database_url: str) -> None:
    await asyncio.gather(upgrade(database_url), upgrade(database_url))

    _, versions = await _tables_and_version(database_url)
    assert versions == [HEAD]


async def test_three_processes_starting_at_once_all_succeed(database_url: str) -> None:
    code = "import asyncio, sys; from bot.store import upgrade; asyncio.run(upgrade(sys.argv[1]))"
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            code,
            database_url,
            cwd=PROJECT_ROOT,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(3)
    ]
    results = await asyncio.gather(*(p.communicate() for p in processes))

    assert [p.returncode for p in processes] == [0, 0, 0], [err.decode() for _, err in results]
    _, versions = await _tables_and_version(database_url)
    assert versions == [HEAD]


async def test_hand_written_migration_matches_the_models(database_url: str) -> None:
    await upgrade(database_url)

    def differences(connection: Connection) -> list[object]:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)

    store = open_store(database_url)
    try:
        async with store.engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await store.close()


async def test_upgrading_a_0001_database_keeps_its_subscriptions(database_url: str) -> None:
    from alembic import command

    from bot.store.migrate import alembic_config

    def to_0001(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")

    store = open_store(database_url)
    try:
        async with store.engine.begin() as connection:
            await connection.run_sync(to_0001)
            await connection.execute(
                text(
                    "INSERT INTO subscriptions (platform, workspace_id, channel_id, weekday, hour, minute, timezone,"
                    " excluded_themes, created_by, created_at, updated_at) VALUES ('slack', 'T1', 'C1', 0, 9, 30,"
                    " 'Europe/London', '[]', 'U1', '2026-11-01 09:00:00+00:00', '2026-11-01 09:00:00+00:00')"
                )
            )
        await upgrade(database_url)
        subscription = await store.get_subscription("slack", "T1", "C1")
        assert subscription is not None and subscription.quiz_prompts is False and subscription.hour == 9
    finally:
        await store.close()
