"""SIGTERM: stop taking connections, let requests in flight finish, then clean up."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bot.server import run_server
from tests.deploy.conftest import ROOT, free_port
from tests.fakes.slack_api import FakeSlack


async def wait_until_listening(port: int) -> None:
    async with asyncio.timeout(30):
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            return


async def wait_for_sigterm_handler() -> None:
    """run_server installs its handler just after it starts listening."""
    while signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):  # noqa: ASYNC110
        await asyncio.sleep(0.01)


async def test_sigterm_finishes_the_request_in_flight_then_runs_cleanup():
    events: list[str] = []
    started = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        started.set()
        await asyncio.sleep(0.5)
        events.append("request finished")
        return web.Response(text="done")

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        yield
        events.append("cleanup")  # where the scheduler releases its claims and the store closes

    app = web.Application()
    app.router.add_get("/slow", slow)
    app.cleanup_ctx.append(lifecycle)
    port = free_port()
    server = asyncio.create_task(run_server(app, port, shutdown_grace=5))
    await wait_until_listening(port)
    async with aiohttp.ClientSession() as session:
        in_flight = asyncio.create_task(session.get(f"http://127.0.0.1:{port}/slow"))
        await started.wait()
        await wait_for_sigterm_handler()
        os.kill(os.getpid(), signal.SIGTERM)
        response = await in_flight
        assert response.status == 200 and await response.text() == "done"
        await asyncio.wait_for(server, 5)
    assert events == ["request finished", "cleanup"]
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)


async def test_a_request_longer_than_the_grace_is_cut_off_and_cleanup_still_runs():
    events: list[str] = []
    started = asyncio.Event()

    async def stuck(request: web.Request) -> web.Response:
        started.set()
        await asyncio.sleep(30)
        return web.Response(text="never")

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        yield
        events.append("cleanup")

    app = web.Application()
    app.router.add_get("/stuck", stuck)
    app.cleanup_ctx.append(lifecycle)
    port = free_port()
    server = asyncio.create_task(run_server(app, port, shutdown_grace=0.3))
    await wait_until_listening(port)
    async with aiohttp.ClientSession() as session:
        in_flight = asyncio.create_task(session.get(f"http://127.0.0.1:{port}/stuck"))
        await started.wait()
        await wait_for_sigterm_handler()
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(server, 5)
        with pytest.raises(aiohttp.ClientError):
            await in_flight
    assert events == ["cleanup"]


async def test_scrbot_serve_logs_json_and_exits_cleanly_on_sigterm(tmp_path):
    fake = await FakeSlack().start()
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-serve-test",
        "SLACK_SIGNING_SECRET": "serve-test-signing-secret",
        "SCRBOT_SLACK_API_URL": fake.api_url,
        "SCRBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/scrbot.db",
        "SCRBOT_PORT": str(port),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await wait_until_listening(port)
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/readyz", headers={"X-Request-Id": "probe-1"}) as r:
                assert r.status == 200
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await fake.close()
    assert process.returncode == 0
    records = [json.loads(line) for line in stderr.decode().splitlines() if line.startswith("{")]
    assert records and len(records) == len(stderr.decode().splitlines()), stderr.decode()
    messages = [r["message"] for r in records]
    assert any(m.startswith("stopping") for m in messages) and messages[-1] == "stopped"
    assert "xoxb-serve-test" not in stderr.decode()
