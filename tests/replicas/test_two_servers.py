"""Two real `scrbot serve` processes on one PostgreSQL and a fake Slack in a third process:
the weekly prompt reaches every channel exactly once, even when one server is killed with
SIGKILL in the middle of the fan-out, and SIGTERM leaves no half-claimed deliveries."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import open_store
from tests.conftest import _execute

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = [f"C{i:03d}" for i in range(40)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def counts(port: int) -> dict[str, int]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_counts", timeout=5) as response:
        return json.load(response)["per_channel"]


async def wait_until(predicate, timeout: float, what: str) -> None:  # noqa: ASYNC109 (polls until a deadline; the failure names what never came)
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


@pytest.fixture
async def database(postgresql_database):
    await _execute(postgresql_database, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    store = open_store(postgresql_database)
    await store.migrate()
    now = datetime.now(UTC)
    due = now - timedelta(minutes=1)
    for channel in CHANNELS:
        await store.upsert_subscription(
            "slack",
            "T1",
            channel,
            weekday=due.weekday(),
            hour=due.hour,
            minute=due.minute,
            timezone="UTC",
            created_by="U1",
            now=now - timedelta(days=7),
        )
    yield postgresql_database, store
    await store.close()


@pytest.fixture
def fake_slack_process():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.slack_api", "--port", str(port), "--per-second", "8"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    yield port
    process.kill()
    process.wait()


def start_server(url: str, slack_port: int, config: Path, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-replica-test",
        "SLACK_SIGNING_SECRET": "replica-secret",
        "SCRBOT_SLACK_API_URL": f"http://127.0.0.1:{slack_port}/api/",
        "SCRBOT_DATABASE_URL": url,
        "SCRBOT_PORT": str(free_port()),
        "SCRBOT_CONFIG": str(config),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


async def test_every_channel_gets_exactly_one_prompt_when_a_replica_is_killed_mid_fan_out(
    database, fake_slack_process, tmp_path
):
    url, store = database
    config = tmp_path / "scrbot.yaml"
    config.write_text("prompt_lease_seconds: 3\nreconcile_seconds: 1\n")
    first = start_server(url, fake_slack_process, config, tmp_path / "first.log")
    second = start_server(url, fake_slack_process, config, tmp_path / "second.log")
    try:
        await wait_until(lambda: sum(counts(fake_slack_process).values()) >= 6, 60, "the fan-out to start")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        await wait_until(lambda: len(counts(fake_slack_process)) >= len(CHANNELS), 90, "every channel to be posted")
        await asyncio.sleep(4)  # past a lease and several reconciles: nothing more may be posted
        posted = counts(fake_slack_process)
        assert {c: n for c, n in posted.items() if n != 1} == {}
        assert sorted(posted) == CHANNELS
        second.send_signal(signal.SIGTERM)
        assert second.wait(30) == 0, (tmp_path / "second.log").read_text()[-3000:]
        assert await store.pending_claims() == []
        weeks = {(d.channel_id, d.status) for c in CHANNELS for d in await store.delivery_history("slack", "T1", c)}
        assert {status for _, status in weeks} == {"posted"}
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
                process.wait()
