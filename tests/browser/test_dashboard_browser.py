"""The dashboard in a real browser: sign in through a one-time link, every page with seeded
data, CSV downloads, cookie flags, refused links and CSRF, driven by tests/browser/dashboard.mjs
(playwright-core and Debian's chromium; .ci/run installs both).

Screenshots of each page go to $SCRBOT_SCREENS when it is set.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot.config import Settings
from bot.dashboard.signin import admin_key, digest, issue_link
from bot.server import create_app
from bot.services import Services
from bot.store import Store
from tests.dashboard.seed import seed
from tests.deploy.conftest import free_port

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PAGES = [
    ("/dashboard", "Overview", "overview"),
    ("/dashboard/themes", "Themes", "themes"),
    ("/dashboard/actions", "Team-meeting actions", "actions"),
    ("/dashboard/quiz", "Quiz results", "quiz"),
    ("/dashboard/schedules", "Schedules", "schedules"),
]


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (.ci/run installs it)"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)"
    if not (HERE / "node_modules" / "playwright-core").exists():
        return "playwright-core is not installed (cd tests/browser && npm ci; .ci/run does it)"
    return None


MISSING = _missing()
REQUIRED = bool(os.environ.get("SCRBOT_REQUIRE_BROWSER"))  # .ci/run: fail rather than skip
pytestmark = pytest.mark.skipif(MISSING is not None and not REQUIRED, reason=MISSING or "")


async def test_dashboard_in_chromium(store: Store, catalogue, tmp_path: Path) -> None:
    if MISSING:
        pytest.fail(f"SCRBOT_REQUIRE_BROWSER is set but {MISSING}")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(public_url=base, slack_enabled=False)
    services = Services.build(settings, store=store)
    seeded = await seed(store, catalogue, services.clock.now())
    link = await issue_link(
        services.store,
        services.clock,
        "slack",
        "T0SEED",
        "U0ADMIN",
        public_url=services.settings.public_url,
        all_workspaces=True,
    )
    expired = "expired-" + "x" * 36
    past = services.clock.now() - timedelta(minutes=11)
    await store.add_dashboard_link(digest(expired), admin_key("slack", "T0SEED", "U0ADMIN"), None, past, past)
    altered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    workspace, channel = seeded.channels[0][1:]
    config = {
        "base": base,
        "link": link,
        "expiredLink": f"{base}/dashboard/sign-in?token={expired}",
        "alteredLink": altered,
        "pages": PAGES,
        "filterFrom": (services.clock.now() - timedelta(weeks=6)).date().isoformat(),
        "filterChannel": f"{workspace}/{channel}",
        "screens": os.environ.get("SCRBOT_SCREENS", ""),
    }
    runner = web.AppRunner(create_app(services, slack=False, manage_store=False, prompts=False))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        process = await asyncio.create_subprocess_exec(
            "node",
            str(HERE / "dashboard.mjs"),
            cwd=HERE,
            env={**os.environ, "DASHBOARD_TEST": json.dumps(config), "CHROMIUM": CHROMIUM},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=180)
    finally:
        await runner.cleanup()
    lines = out.decode().strip().splitlines()
    assert lines, f"no output from the browser run: {err.decode()[-2000:]}"
    checks = json.loads(lines[-1])["checks"]
    failed = [f"{name}: {detail}" for name, ok, detail in checks if not ok]
    assert not failed, "\n".join(failed)
    assert process.returncode == 0
    assert len(checks) >= 40, [name for name, _, _ in checks]
