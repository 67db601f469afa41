"""A running scrbot (real aiohttp server, real Agents SDK adapter) beside a fake Bot Connector."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.config import Settings
from bot.server import create_app
from bot.services import Services
from tests.fakes.bot_connector import FakeConnector, Post
from tests.teams import payloads

SECRET = "test-person-key-secret"


@dataclass
class Harness:
    connector: FakeConnector
    server: TestServer
    services: Services
    session: aiohttp.ClientSession

    @property
    def service_url(self) -> str:
        return self.connector.service_url

    async def send(
        self,
        activity: dict[str, Any],
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> aiohttp.ClientResponse:
        """POST an activity to /api/messages as the Bot Connector would."""
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        return await self.post_raw(json.dumps(activity).encode(), all_headers)

    async def post_raw(self, body: bytes, headers: dict[str, str]) -> aiohttp.ClientResponse:
        response = await self.session.post(self.server.make_url("/api/messages"), data=body, headers=headers)
        await response.read()
        return response

    async def ask(self, activity: dict[str, Any]) -> Post:
        """Send an activity and return the one reply it gets."""
        before = len(self.connector.posts)
        response = await self.send(activity)
        assert response.status in (200, 202), await response.text()
        posts = await self.connector.wait_for(before + 1)
        return posts[before]

    async def execute(self, data: dict[str, Any], **kw: Any) -> dict[str, Any]:
        """Press an Action.Execute button (its data merged with the card's inputs): the body of
        the invoke response, which every invoke gets with a 200."""
        response = await self.send(payloads.card_execute(self.service_url, data["action"], data, **kw))
        assert response.status == 200, await response.text()
        return await response.json()

    # activities at this harness's fake connector
    def personal(self, text: str, **kw: Any) -> dict[str, Any]:
        return payloads.personal_message(self.service_url, text, **kw)

    def channel(self, text: str, **kw: Any) -> dict[str, Any]:
        return payloads.channel_mention(self.service_url, text, **kw)

    def submit(self, value: dict[str, Any], **kw: Any) -> dict[str, Any]:
        """An Action.Submit press (cards posted before the buttons became Action.Execute)."""
        return payloads.card_submit(self.service_url, value, **kw)

    def press(self, data: dict[str, Any], **kw: Any) -> dict[str, Any]:
        """An Action.Execute press: the invoke Teams sends for a button on one of our cards."""
        return payloads.card_execute(self.service_url, data["action"], data, **kw)


def teams_settings(tmp_path, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        slack_enabled=False,
        teams_enabled=True,
        teams_allow_unauthenticated=True,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/scrbot.db",
        person_key_secret=SECRET,
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def connector():
    fake = await FakeConnector().start()
    yield fake
    await fake.close()


async def _running(connector, settings, catalogue, conversation):
    services = Services(settings, catalogue, conversation)
    server = TestServer(create_app(services, prompts=False), host="127.0.0.1")
    await server.start_server()
    return services, server


@pytest.fixture
async def teams(connector, tmp_path, catalogue, conversation):
    """scrbot's Teams endpoint in Emulator mode (no credentials), as the HTTP tests use it."""
    services, server = await _running(connector, teams_settings(tmp_path), catalogue, conversation)
    async with aiohttp.ClientSession() as session:
        yield Harness(connector, server, services, session)
    await server.close()


@pytest.fixture
async def admin_teams(connector, tmp_path, catalogue, conversation):
    """scrbot's Teams endpoint with Pat as an admin (the report, the digest)."""
    settings = teams_settings(tmp_path, admins=(payloads.PAT["aadObjectId"],))
    services, server = await _running(connector, settings, catalogue, conversation)
    async with aiohttp.ClientSession() as session:
        yield Harness(connector, server, services, session)
    await server.close()


@pytest.fixture
async def secured(connector, tmp_path, catalogue, conversation):
    """scrbot's Teams endpoint with Azure Bot credentials: every request needs a valid token."""
    settings = teams_settings(
        tmp_path,
        teams_allow_unauthenticated=False,
        teams_app_id=payloads.APP_ID,
        teams_app_password="not-a-real-secret",
        teams_tenant_id=payloads.TENANT,
    )
    services, server = await _running(connector, settings, catalogue, conversation)
    async with aiohttp.ClientSession() as session:
        yield Harness(connector, server, services, session)
    await server.close()
