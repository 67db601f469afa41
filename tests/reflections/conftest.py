"""Reflections run against a real store on each backend and, for Slack, a running scrbot that
receives signed requests beside the fake Slack Web API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.reflections.service import PersonKeys
from bot.server import create_app
from bot.services import Services
from bot.slack import privacy as privacy_view
from bot.slack import reflections as slack_reflections
from bot.store import Store
from tests.conftest import NOW
from tests.slack.conftest import Harness, fake_slack, make_settings  # noqa: F401  (fixture)

TEST_SECRET = "test-person-key-secret"
KEYS = PersonKeys(TEST_SECRET)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def services(store: Store, clock: Clock, catalogue, conversation, tmp_path: Path) -> Services:
    settings = make_settings_for_store(tmp_path, admins=("UCONF",))
    return Services(settings, catalogue, conversation, store, clock)


def make_settings_for_store(tmp_path: Path, **overrides: Any):
    from bot.config import Settings

    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path}/scrbot.db",
        "person_key_secret": TEST_SECRET,
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class ReflectHarness(Harness):
    """The Slack harness plus the Reflect modal's submissions."""

    clock: Clock | None = None

    async def submit(
        self,
        text: str,
        *,
        view_id: str = "V100",
        user: str = "U1",
        theme: str | None = "neglect",
        channel: str | None = "C1",
        week: str | None = "2026-W48",
        confidence: str | None = "4",
        shared: bool = True,
        picked_theme: str | None = None,
        callback_id: str = slack_reflections.NEW_VIEW,
        metadata: dict[str, Any] | None = None,
        not_people: str | None = None,
    ) -> dict[str, Any]:
        """Submit the Reflect (or edit) modal; returns the JSON scrbot answered with ({} for a
        plain ack that closes the modal)."""
        values: dict[str, Any] = {
            slack_reflections.TEXT_BLOCK: {slack_reflections.TEXT_INPUT: {"type": "plain_text_input", "value": text}},
            slack_reflections.CONFIDENCE_BLOCK: {
                slack_reflections.CONFIDENCE_INPUT: {
                    "type": "radio_buttons",
                    "selected_option": {"value": confidence} if confidence else None,
                }
            },
            slack_reflections.SHARE_BLOCK: {
                slack_reflections.SHARE_INPUT: {
                    "type": "checkboxes",
                    "selected_options": [{"value": "shared"}] if shared else [],
                }
            },
        }
        if not_people is not None:  # the guard's "none of these is a person" box, ticked
            values[privacy_view.NOT_PEOPLE_BLOCK] = {
                privacy_view.NOT_PEOPLE_INPUT: {"type": "checkboxes", "selected_options": [{"value": not_people}]}
            }
        if picked_theme is not None:
            values[slack_reflections.THEME_BLOCK] = {
                slack_reflections.THEME_INPUT: {
                    "type": "static_select",
                    "selected_option": {"value": picked_theme},
                }
            }
        if metadata is None:
            metadata = {"theme": theme, "channel": channel, "week": week, "source": "modal"}
        payload = {
            "type": "view_submission",
            "user": {"id": user, "team_id": "T1"},
            "view": {
                "id": view_id,
                "team_id": "T1",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": json.dumps(metadata),
                "state": {"values": values},
            },
        }
        response = await self.interaction(payload)
        assert response.status == 200, response.status
        body = await response.text()
        return json.loads(body) if body else {}

    async def click_as(
        self, action_id: str, value: str, user: str = "U1", home: bool = False
    ) -> aiohttp.ClientResponse:
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "team_id": "T1"},
            "actions": [
                {
                    "action_id": action_id,
                    "value": value,
                    "type": "button",
                    "block_id": "b1",
                    "action_ts": "1",
                }
            ],
        }
        if home:
            payload["container"] = {"type": "view", "view_id": "VH1"}
            payload["view"] = {"id": "VH1", "type": "home"}
        else:
            payload["container"] = {"type": "message", "is_ephemeral": True}
            payload["channel"] = {"id": "C1"}
        return await self.interaction(payload)


@pytest.fixture
async def reflect(
    fake_slack,  # noqa: F811  (the fixture imported above)
    tmp_path,
    catalogue,
    conversation,
    store,
    clock,
) -> AsyncIterator[ReflectHarness]:
    """A running scrbot (real aiohttp server, bolt and slack_sdk) on the parametrized store."""
    settings = make_settings(
        fake_slack,
        tmp_path,
        person_key_secret=TEST_SECRET,
        admins=("UCONF",),
        leads_channel="CLEADS",
    )
    services = Services(settings, catalogue, conversation, store, clock)
    server = TestServer(create_app(services, prompts=False), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield ReflectHarness(fake_slack, server, services, session, clock)
    await server.close()
