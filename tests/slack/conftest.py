"""A running scrbot (real aiohttp server, real bolt, real slack_sdk client) beside a fake Slack."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.server import create_app
from bot.services import Services
from tests.fakes.slack_api import FakeSlack

SECRET = "test-signing-secret"


@dataclass
class Harness:
    fake: FakeSlack
    server: TestServer
    services: Services
    session: aiohttp.ClientSession

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SECRET,
        headers: dict[str, str] | None = None,
        sign: bool = True,
    ) -> aiohttp.ClientResponse:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if sign:
            all_headers["X-Slack-Request-Timestamp"] = ts
            all_headers["X-Slack-Signature"] = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        response = await self.session.post(
            self.server.make_url("/slack/events"), data=body.encode(), headers=all_headers
        )
        await response.read()
        return response

    async def event(self, event: dict[str, Any], event_id: str = "Ev1", **kwargs) -> aiohttp.ClientResponse:
        body = json.dumps(
            {
                "type": "event_callback",
                "team_id": "T1",
                "api_app_id": "A1",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": event,
            }
        )
        return await self.post(body, "application/json", **kwargs)

    async def command(self, text: str, user: str = "U1", channel: str = "C1", **kwargs) -> aiohttp.ClientResponse:
        form = {
            "command": self.services.settings.slash_command,
            "text": text,
            "user_id": user,
            "user_name": "pat",
            "team_id": "T1",
            "channel_id": channel,
            "channel_name": "team",
            "trigger_id": "trig1",
            "response_url": self.fake.response_url(),
            "api_app_id": "A1",
            "token": "x",
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **kwargs)

    async def interaction(self, payload: dict[str, Any], **kwargs) -> aiohttp.ClientResponse:
        base = {
            "team": {"id": "T1"},
            "user": {"id": "U1"},
            "api_app_id": "A1",
            "token": "x",
            "trigger_id": "trig2",
            "response_url": self.fake.response_url(),
        }
        body = urlencode({"payload": json.dumps({**base, **payload})})
        return await self.post(body, "application/x-www-form-urlencoded", **kwargs)

    async def click(self, action_id: str, value: str, **kwargs) -> aiohttp.ClientResponse:
        return await self.interaction(
            {
                "type": "block_actions",
                "channel": {"id": "C1"},
                "container": {"type": "message"},
                "actions": [
                    {"action_id": action_id, "value": value, "type": "button", "block_id": "b1", "action_ts": "1"}
                ],
            },
            **kwargs,
        )


def make_settings(fake: FakeSlack, tmp_path, **overrides) -> Settings:
    values: dict[str, Any] = dict(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/scrbot.db",
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def fake_slack():
    fake = await FakeSlack().start()
    yield fake
    await fake.close()


@pytest.fixture
async def slack(fake_slack, tmp_path, catalogue, conversation):
    services = Services(make_settings(fake_slack, tmp_path), catalogue, conversation)
    server = TestServer(create_app(services), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield Harness(fake_slack, server, services, session)
    await server.close()
