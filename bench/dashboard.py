"""Dashboard page load time with a year of data for 200 channels, beside the existing report.

Usage: python bench/dashboard.py [--channels 200] [--weeks 52] [--runs 5]
                                 [--postgresql postgresql+asyncpg://postgres@127.0.0.1:5432/test]
SQLite always runs (a temporary file); PostgreSQL runs when a server URL is given or
SCRBOT_TEST_DATABASE_URL is set, in a scratch database that is dropped afterwards.
Each page is fetched over HTTP from the real aiohttp server with a signed-in session, for the
whole year; the peer is `scrbot report`'s figures and text for the same year (no memberships).
Prints a table; the last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.dashboard.signin import COOKIE, issue_link  # noqa: E402
from bot.reflections import reports  # noqa: E402
from bot.server import create_app  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.store import async_url, open_store  # noqa: E402
from tests.dashboard.seed import seed  # noqa: E402

PAGES = ("/dashboard", "/dashboard/themes", "/dashboard/actions", "/dashboard/quiz", "/dashboard/schedules")
CSV = "/dashboard/overview.csv?table=channels"
TARGET_SECONDS = 2.0


async def measure(url: str, channels: int, weeks: int, runs: int) -> dict:
    store = open_store(url)
    await store.migrate()
    settings = Settings(public_url="http://127.0.0.1", slack_enabled=False, database_url=url)
    services = Services.build(settings, store=store)
    now = services.clock.now()
    started = time.perf_counter()
    seeded = await seed(store, services.catalogue, now, channels=channels, weeks=weeks)
    seeding = time.perf_counter() - started
    period = {"from": (now - timedelta(weeks=weeks)).date().isoformat(), "to": now.date().isoformat()}
    runner = web.AppRunner(create_app(services, slack=False, manage_store=False, prompts=False), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}"
    timings: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
            link = await issue_link(services, "slack", "T0SEED", "UBENCH", all_workspaces=True)
            token = link.split("token=", 1)[1]
            async with http.post(f"{base}/dashboard/sign-in", data={"token": token}, allow_redirects=False) as r:
                session_id = r.cookies[COOKIE].value
            headers = {"Cookie": f"{COOKIE}={session_id}"}
            for path in (*PAGES, CSV):
                for _ in range(runs):
                    began = time.perf_counter()
                    async with http.get(f"{base}{path}", params=period, headers=headers) as response:
                        body = await response.read()
                        assert response.status == 200, (path, response.status)
                    timings.setdefault(path, []).append(time.perf_counter() - began)
                    sizes[path] = len(body)
        report_times = []
        for _ in range(runs):
            began = time.perf_counter()
            report = await reports.gather_report(services, now - timedelta(weeks=weeks), now + timedelta(seconds=1))
            reports.as_text(report)
            report_times.append(time.perf_counter() - began)
    finally:
        await runner.cleanup()
        await store.close()
    return {
        "backend": store.dialect,
        "channels": channels,
        "weeks": weeks,
        "reflections": seeded.reflections,
        "deliveries": seeded.deliveries,
        "quiz_answers": seeded.quiz_answers,
        "seed_seconds": round(seeding, 2),
        "pages": {
            path: {
                "median_s": round(statistics.median(t), 3),
                "max_s": round(max(t), 3),
                "kb": round(sizes[path] / 1024),
            }
            for path, t in timings.items()
        },
        "report_text_median_s": round(statistics.median(report_times), 3),
    }


async def scratch_postgresql(server_url: str) -> tuple[str, str]:
    name = f"scrbot_bench_{uuid.uuid4().hex[:8]}"
    engine = create_async_engine(async_url(server_url), isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    await engine.dispose()
    return async_url(server_url).set(database=name).render_as_string(hide_password=False), name


async def drop_postgresql(server_url: str, name: str) -> None:
    engine = create_async_engine(async_url(server_url), isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgresql", default=os.environ.get("SCRBOT_TEST_DATABASE_URL"))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results.append(await measure(f"sqlite+aiosqlite:///{folder}/bench.db", args.channels, args.weeks, args.runs))
    if args.postgresql:
        url, name = await scratch_postgresql(args.postgresql)
        try:
            results.append(await measure(url, args.channels, args.weeks, args.runs))
        finally:
            await drop_postgresql(args.postgresql, name)
    for result in results:
        print(
            f"\n{result['backend']}: {result['channels']} channels, {result['weeks']} weeks, "
            f"{result['reflections']:,} reflections, {result['deliveries']:,} prompts, "
            f"{result['quiz_answers']:,} quiz answers (seeded in {result['seed_seconds']} s)"
        )
        print(f"  {'page':<40} {'median':>8} {'max':>8} {'size':>8}")
        for path, figures in result["pages"].items():
            print(f"  {path:<40} {figures['median_s']:>7.3f}s {figures['max_s']:>7.3f}s {figures['kb']:>6} KB")
        print(f"  {'peer: scrbot report (figures + text)':<40} {result['report_text_median_s']:>7.3f}s")
        slowest = max(f["median_s"] for f in result["pages"].values())
        verdict = "within" if slowest <= TARGET_SECONDS else "OVER"
        print(f"  slowest page {slowest:.3f}s: {verdict} the {TARGET_SECONDS:g} s target")
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    asyncio.run(main())
