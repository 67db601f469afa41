"""A running scrbot serving the dashboard on the parametrized store, with seeded data and a
clock the tests move by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.config import Settings
from bot.dashboard.signin import COOKIE, issue_link
from bot.server import create_app
from bot.services import Services
from bot.store import Store
from tests.conftest import NOW
from tests.dashboard.seed import Seeded, seed

PUBLIC_URL = "https://scrbot.example.org"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class Dashboard:
    server: TestServer
    services: Services
    session: aiohttp.ClientSession
    clock: Clock
    seeded: Seeded

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    async def link(self, *, scope: str | None = None) -> str:
        """A fresh sign-in link, for all workspaces or for the workspace `scope`."""
        services = self.services
        return await issue_link(
            services.store,
            services.clock,
            "slack",
            scope or "T0SEED",
            "U0ADMIN",
            public_url=services.settings.public_url,
            all_workspaces=scope is None,
        )

    async def sign_in(self, link: str | None = None, **headers: str) -> aiohttp.ClientResponse:
        token = (link or await self.link()).split("token=", 1)[1]
        response = await self.session.post(
            self.url("/dashboard/sign-in"), data={"token": token}, allow_redirects=False, headers=headers
        )
        await response.read()
        return response

    async def signed_in(self, **kwargs: Any) -> str:
        """Sign in and return the session id from the cookie."""
        response = await self.sign_in(**kwargs)
        assert response.status == 303, await response.text()
        return response.cookies[COOKIE].value

    async def get(self, path: str, session_id: str | None = None, **params: str) -> aiohttp.ClientResponse:
        cookies = {"Cookie": f"{COOKIE}={session_id}"} if session_id else {}
        response = await self.session.get(self.url(path), headers=cookies, params=params)
        await response.read()
        return response

    async def post(self, path: str, session_id: str, data: dict[str, str], **headers: str) -> aiohttp.ClientResponse:
        response = await self.session.post(
            self.url(path), data=data, headers={"Cookie": f"{COOKIE}={session_id}", **headers}
        )
        await response.read()
        return response


def settings(**overrides: Any) -> Settings:
    return Settings(**{"public_url": PUBLIC_URL, "slack_enabled": False, **overrides})


@pytest.fixture
async def dashboard(store: Store, catalogue, conversation) -> AsyncIterator[Dashboard]:
    clock = Clock(NOW)
    services = Services(settings(), catalogue, conversation, store, clock)
    seeded = await seed(store, catalogue, clock.now())
    server = TestServer(create_app(services, slack=False, manage_store=False, prompts=False), host="127.0.0.1")
    await server.start_server()
    # A cookie jar that keeps nothing: each request carries exactly the cookie the test gives.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        yield Dashboard(server, services, session, clock, seeded)
    await server.close()
