"""Weekly prompts to many channels at once, against a fake Slack that enforces rate limits.

Usage: python bench/fanout.py [--channels 2000] [--per-second 100] [--postgres URL] [--replicas 2]

The fake Slack allows `--per-second` posts per one-second window across the workspace (429 with
Retry-After: 1 beyond that) and one post per second per channel. Every channel is due at the same
moment. Prints lost and duplicated channels and the wall time as a ratio of the time the rate
limit alone imposes (channels / per-second). Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import DEFAULT_CONTENT_DIR, Settings  # noqa: E402
from bot.content import load_catalogue  # noqa: E402
from bot.conversation import Conversation  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.schedule.service import WeeklyPrompts  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.slack.prompts import SlackPromptPoster, prompt_client  # noqa: E402
from bot.store import open_store  # noqa: E402

DUE = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


class FakeSlackProcess:
    """tests/fakes/slack_api.py in a process of its own, so its CPU is not counted as ours."""

    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.port = process, port
        self.api_url = f"http://127.0.0.1:{port}/api/"

    @classmethod
    async def start(cls, per_second: int, per_channel_interval: float) -> FakeSlackProcess:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.fakes.slack_api", "--port", str(port), "--per-second", str(per_second),
             "--per-channel-interval", str(per_channel_interval)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        return cls(process, port)

    async def counts(self) -> dict:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{self.port}/_counts") as response:
                return await response.json()

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class FixedClock:
    def __init__(self, now: datetime):
        self.value = now

    def now(self) -> datetime:
        return self.value


async def run(channels: int, per_second: int, url: str | None, replicas: int, concurrency: int) -> dict:
    fake = await FakeSlackProcess.start(per_second, per_channel_interval=1.0)
    tmp = tempfile.TemporaryDirectory()
    url = url or f"sqlite+aiosqlite:///{tmp.name}/fanout.db"
    catalogue = load_catalogue(DEFAULT_CONTENT_DIR)
    conversation = Conversation(Engine(catalogue), Settings().urgent_contacts)
    clock = FixedClock(DUE - timedelta(days=7))
    stores = [open_store(url) for _ in range(replicas)]
    await stores[0].migrate()
    if "postgresql" in url:  # a previous run's rows would skew the figures
        from sqlalchemy import text

        async with stores[0].engine.begin() as connection:
            await connection.execute(text("DELETE FROM deliveries"))
            await connection.execute(text("DELETE FROM subscriptions"))
    names = [f"C{i:05d}" for i in range(channels)]
    for name in names:
        await stores[0].upsert_subscription("slack", "T1", name, weekday=0, hour=9, minute=30,
                                            timezone="Europe/London", created_by="U1", now=clock.now())
    clock.value = DUE + timedelta(seconds=30)
    settings = Settings(slack_bot_token="xoxb-bench", slack_api_url=fake.api_url)
    runners = []
    sessions = []
    for i, store in enumerate(stores):
        sessions.append(aiohttp.ClientSession())
        services = Services(settings, catalogue, conversation, store=store, clock=clock)
        poster = SlackPromptPoster(prompt_client("xoxb-bench", fake.api_url, sessions[-1]))
        runners.append(WeeklyPrompts(services, {"slack": poster}, replica=f"bench-{i}", concurrency=concurrency))
    start = time.perf_counter()
    outcomes = await asyncio.gather(*(r.reconcile() for r in runners))
    wall = time.perf_counter() - start
    counts = await fake.counts()
    per_channel = Counter({name: counts["per_channel"].get(name, 0) for name in names})
    lost = sum(1 for name in names if per_channel[name] == 0)
    duplicated = sum(1 for name in names if per_channel[name] > 1)
    statuses = Counter(o.status for batch in outcomes for o in batch)
    for store in stores:
        await store.close()
    for session in sessions:
        await session.close()
    fake.close()
    tmp.cleanup()
    floor = channels / per_second
    return {
        "channels": channels, "replicas": replicas, "backend": url.split(":", 1)[0],
        "per_second_limit": per_second, "lost": lost, "duplicated": duplicated,
        "wall_seconds": round(wall, 2), "rate_limit_floor_seconds": round(floor, 2),
        "ratio": round(wall / floor, 3), "http_429_answered": counts["limited"],
        "outcomes": dict(statuses),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=2000)
    parser.add_argument("--per-second", type=int, default=100)
    parser.add_argument("--postgres", help="PostgreSQL URL for a run with replicas (default: SQLite, one replica)")
    parser.add_argument("--replicas", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    replicas = args.replicas or (2 if args.postgres else 1)
    result = asyncio.run(run(args.channels, args.per_second, args.postgres, replicas, args.concurrency))
    print(f"channels {result['channels']}, replicas {result['replicas']} on {result['backend']}, "
          f"limit {result['per_second_limit']}/s per workspace and 1/s per channel")
    print(f"  lost {result['lost']}, duplicated {result['duplicated']}, 429s answered {result['http_429_answered']}")
    print(f"  wall {result['wall_seconds']} s vs {result['rate_limit_floor_seconds']} s imposed by the limit: "
          f"ratio {result['ratio']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
