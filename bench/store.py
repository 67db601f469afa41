"""Reflection store speed: saves per second and p99 save latency with 100,000 stored rows, and
report generation for a year of data across 200 channels (target: under 2 s).

Usage: python bench/store.py [--rows 100000] [--saves 2000] [--concurrency 20]
                             [--postgresql postgresql+asyncpg://postgres@127.0.0.1:5432/test]
SQLite always runs (a temporary file); PostgreSQL runs when a server URL is given or
SCRBOT_TEST_DATABASE_URL is set, in a scratch database that is dropped afterwards.
A save is the whole capture path: text rules, privacy guard, person key, INSERT ... ON CONFLICT.
The report is the figures per theme, channel and week with participation (200 channel
memberships from an in-memory lookup standing in for Slack), then the text and PNG renderings.
Prints a table; the last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.reflections import reports, service  # noqa: E402
from bot.reflections.service import PersonKeys, Submission  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.store import Reflection, async_url, open_store  # noqa: E402

SECRET = "bench-secret"
WORKSPACE = "TBENCH"
CHANNELS = [f"C{n:04d}" for n in range(200)]
MEMBERS_PER_CHANNEL = 25
TEXT = (
    "Next time I will ask who else lives in the household, check the chronology before the "
    "core group and challenge the plan if nothing has changed for the children in six weeks."
)
REPORT_TARGET_SECONDS = 2.0


@dataclass
class Result:
    backend: str
    stored_rows: int
    saves_per_second: float
    concurrent_saves_per_second: float
    p50_ms: float
    p99_ms: float
    report_first_s: float
    report_figures_s: float
    report_with_png_s: float
    report_reflections: int


def members_of(channel: str) -> list[str]:
    index = int(channel[1:])
    return [f"U{index:04d}{m:02d}" for m in range(MEMBERS_PER_CHANNEL)]


async def bulk_load(store, rows: int, now: datetime, themes: list[str], seed: int = 7) -> None:
    """A year of reflections across 200 channels, written in large batches (not timed)."""
    rng = random.Random(seed)
    keys = PersonKeys(SECRET)
    person_keys = {c: [keys(WORKSPACE, u) for u in members_of(c)] for c in CHANNELS}
    batch: list[dict] = []
    async with store.engine.begin() as connection:
        for n in range(rows):
            channel = CHANNELS[n % len(CHANNELS)]
            created = now - timedelta(seconds=rng.uniform(60, 365 * 86400))
            year, week, _ = created.isocalendar()
            batch.append(
                {
                    "idempotency_key": f"bulk:{n}",
                    "theme_id": rng.choice(themes),
                    "workspace_id": WORKSPACE,
                    "channel_id": channel,
                    "week": f"{year:04d}-W{week:02d}",
                    "person_key": rng.choice(person_keys[channel]),
                    "created_at": created,
                    "updated_at": created,
                    "text": TEXT,
                    "confidence": rng.choice((None, 1, 2, 3, 4, 5)),
                    "shared": rng.random() < 0.7,
                    "source": "modal",
                }
            )
            if len(batch) == 5000:
                await connection.execute(insert(Reflection), batch)
                batch = []
        if batch:
            await connection.execute(insert(Reflection), batch)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def time_saves(
    services: Services, count: int, concurrency: int
) -> tuple[float, float, list[float]]:
    """(sequential saves/s, concurrent saves/s, sequential latencies in seconds)."""
    latencies = []
    started = time.perf_counter()
    for n in range(count):
        t0 = time.perf_counter()
        outcome = await service.capture(services, submission(f"seq:{n}", n))
        latencies.append(time.perf_counter() - t0)
        assert outcome.created
    sequential = count / (time.perf_counter() - started)

    queue = iter(range(count))

    async def worker() -> None:
        for n in queue:
            await service.capture(services, submission(f"conc:{n}", n))

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    concurrent = count / (time.perf_counter() - started)
    return sequential, concurrent, latencies


def submission(key: str, n: int) -> Submission:
    channel = CHANNELS[n % len(CHANNELS)]
    return Submission(
        platform="slack",
        workspace_id=WORKSPACE,
        user_id=members_of(channel)[n % MEMBERS_PER_CHANNEL],
        theme_id="neglect",
        text=f"{TEXT} ({n})",
        idempotency_key=key,
        source="modal",
        confidence=1 + n % 5,
        shared=True,
        channel_id=channel,
        week=None,
    )


async def time_report(
    services: Services, now: datetime, runs: int = 3
) -> tuple[float, float, float, int]:
    """(first run with PNG, median figures, median figures + PNG) in seconds, and the count.

    The first run pays for importing matplotlib and a cold database cache; the median is what
    an admin waits for once the server is warm."""

    async def members(workspace: str, channel: str) -> list[str]:
        return members_of(channel)

    start = now - timedelta(days=365)
    end = now + timedelta(seconds=1)
    figures, with_png = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        report = await reports.gather_report(
            services, start, end, workspace_id=WORKSPACE, members=members
        )
        reports.as_text(report)
        figures.append(time.perf_counter() - t0)
        reports.as_png(report)
        with_png.append(time.perf_counter() - t0)
        assert len(report.channels) == len(CHANNELS)
    return (
        with_png[0],
        statistics.median(figures),
        statistics.median(with_png),
        report.total.reflections,
    )


async def run_backend(backend: str, url: str, args: argparse.Namespace) -> Result:
    store = open_store(url)
    await store.migrate()
    settings = Settings(person_key_secret=SECRET, database_url=url)
    services = Services.build(settings, store=store)
    now = datetime.now(UTC)
    try:
        await bulk_load(store, args.rows, now, [t.id for t in services.catalogue])
        await service.capture(services, submission("warm-up", 0))  # connections, caches
        sequential, concurrent, latencies = await time_saves(services, args.saves, args.concurrency)
        stored = args.rows + 1 + 2 * args.saves
        first, figures, with_png, counted = await time_report(services, datetime.now(UTC))
    finally:
        await store.close()
    return Result(
        backend,
        stored,
        round(sequential, 1),
        round(concurrent, 1),
        round(statistics.median(latencies) * 1000, 2),
        round(percentile(latencies, 0.99) * 1000, 2),
        round(first, 3),
        round(figures, 3),
        round(with_png, 3),
        counted,
    )


async def scratch_postgresql(server_url: str) -> tuple[str, object]:
    name = f"scrbot_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(async_url(server_url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')

    async def drop() -> None:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()

    return async_url(server_url).set(database=name).render_as_string(hide_password=False), drop


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows stored before timing")
    parser.add_argument("--saves", type=int, default=2_000, help="saves timed per mode")
    parser.add_argument("--concurrency", type=int, default=20, help="tasks saving at once")
    parser.add_argument("--postgresql", default=os.environ.get("SCRBOT_TEST_DATABASE_URL"))
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory() as folder:
        results.append(await run_backend("sqlite", f"sqlite+aiosqlite:///{folder}/bench.db", args))
    if args.postgresql:
        url, drop = await scratch_postgresql(args.postgresql)
        try:
            results.append(await run_backend("postgresql", url, args))
        finally:
            await drop()

    heads = (
        "backend",
        "rows",
        "saves/s",
        "saves/s x" + str(args.concurrency),
        "p50 ms",
        "p99 ms",
        "report 1st s",
        "report s",
        "report+png s",
    )
    print(f"{heads[0]:<11}" + "".join(f"{h:>14}" for h in heads[1:]))
    for r in results:
        cells = (
            r.stored_rows,
            r.saves_per_second,
            r.concurrent_saves_per_second,
            r.p50_ms,
            r.p99_ms,
            r.report_first_s,
            r.report_figures_s,
            r.report_with_png_s,
        )
        print(f"{r.backend:<11}" + "".join(f"{c:>14}" for c in cells))
    print(
        f"report: a year of data, {len(CHANNELS)} channels, {MEMBERS_PER_CHANNEL} members each; "
        f"target under {REPORT_TARGET_SECONDS:.0f} s; 1st = first run incl. PNG and the "
        "matplotlib import, others = median of 3"
    )
    print(
        json.dumps(
            {
                r.backend: {
                    "stored_rows": r.stored_rows,
                    "saves_per_second": r.saves_per_second,
                    "concurrent_saves_per_second": r.concurrent_saves_per_second,
                    "concurrency": args.concurrency,
                    "p50_save_ms": r.p50_ms,
                    "p99_save_ms": r.p99_ms,
                    "report_first_run_with_png_seconds": r.report_first_s,
                    "report_seconds": r.report_figures_s,
                    "report_with_png_seconds": r.report_with_png_s,
                    "report_reflections": r.report_reflections,
                    "report_under_target": r.report_first_s < REPORT_TARGET_SECONDS,
                }
                for r in results
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
