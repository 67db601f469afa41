"""Posting weekly prompts to Teams channels, proactively, through each channel's stored
conversation reference (saved with its Subscription when someone set the schedule there).

The scheduler in bot.schedule.service owns the delivery ledger; this poster only posts.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import ClientResponseError
from microsoft_agents.activity import Activity, ConversationReference
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import ConnectorClientBase
from pydantic import ValidationError

from bot.config import Settings
from bot.replies import Reply
from bot.schedule.prompts import ChannelUnavailable, WeeklyPrompt
from bot.teams.cards import reply_activity, text_activity
from bot.teams.connector import DEAD_ENDS, with_connector

log = logging.getLogger("scrbot.teams.prompts")

MAX_ATTEMPTS = 3
MAX_RETRY_AFTER = 30.0  # seconds; a longer wait is left to the scheduler's next reconcile


class TeamsPromptPoster:
    """A PromptPoster for Microsoft Teams."""

    platform = "teams"

    def __init__(self, adapter: CloudAdapter, app_id: str | None, sleep=asyncio.sleep):
        self.adapter = adapter
        self.app_id = app_id
        self._sleep = sleep

    @classmethod
    def from_settings(cls, settings: Settings, sleep=asyncio.sleep) -> TeamsPromptPoster:
        from bot.teams.endpoint import build_adapter

        adapter, _ = build_adapter(settings)
        return cls(adapter, settings.teams_app_id, sleep=sleep)

    async def post_prompt(self, prompt: WeeklyPrompt, conversation_ref: dict[str, Any] | None) -> str:
        """Post the prompt card as a new post in the channel; returns the Teams message id."""
        reference = _reference(conversation_ref)
        return await self._post(reference, new_post(reference, reply_activity(prompt.reply())), prompt.channel_id)

    async def post_reply(self, conversation_ref: dict[str, Any] | None, reply: Reply) -> str:
        """Post a core reply as a card, a new post in a stored conversation (a 1:1 chat with an
        admin); raises ChannelUnavailable as post_prompt does."""
        reference = _reference(conversation_ref)
        return await self._post(reference, new_post(reference, reply_activity(reply)), "a 1:1 chat")

    async def post_text(self, conversation_ref: dict[str, Any] | None, text: str) -> str:
        """Post a plain message as a new post in a stored conversation (a 1:1 chat with an admin);
        raises ChannelUnavailable as post_prompt does."""
        reference = _reference(conversation_ref)
        return await self._post(reference, new_post(reference, text_activity(text)), "a 1:1 chat")

    async def _post(self, reference: ConversationReference, activity: Activity, shown_as: str) -> str:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return await self._send(reference, activity)
            except ClientResponseError as exc:
                if exc.status in DEAD_ENDS:
                    raise ChannelUnavailable(DEAD_ENDS[exc.status]) from exc
                retry_after = _retry_after(exc)
                if retry_after is None or attempt == MAX_ATTEMPTS:
                    raise
                log.info("Teams answered %d for %s; retrying in %.0fs", exc.status, shown_as, retry_after)
                await self._sleep(retry_after)
        raise AssertionError("unreachable")

    async def find_prompt(self, prompt: WeeklyPrompt, conversation_ref: dict[str, Any] | None) -> str | None:
        """Always None: a bot cannot read a Teams channel's history through the Bot Connector
        (that needs Microsoft Graph and extra permissions). So when a replica dies between
        posting and recording the post, the replica that takes over its claim posts again:
        the only way a Teams channel can get a week's prompt twice."""
        return None

    async def _send(self, reference: ConversationReference, activity: Activity) -> str:
        async def post(connector: ConnectorClientBase) -> str:
            response = await connector.conversations.send_to_conversation(reference.conversation.id, activity)
            return response.id or ""

        return await with_connector(self.adapter, self.app_id, reference, post) or ""


def new_post(reference: ConversationReference, activity: Activity) -> Activity:
    """`activity` (the prompt's card) as a new post in the conversation, not a reply in someone's thread.

    Sent through the connector client itself: the SDK's send_activity sets `"id": null` (and a
    null recipient) on an activity that replies to nothing, and the Agents Playground's
    connector answered that with 400. Here only the fields that have values are set."""
    activity.channel_id = reference.channel_id
    activity.conversation = reference.conversation
    if reference.agent is not None:
        activity.from_property = reference.agent
    return activity


def _reference(conversation_ref: dict[str, Any] | None) -> ConversationReference:
    if not conversation_ref:
        raise ChannelUnavailable("no_conversation_reference")
    try:
        reference = ConversationReference.model_validate(conversation_ref)
    except ValidationError as exc:
        raise ChannelUnavailable("bad_conversation_reference") from exc
    if not reference.service_url or not reference.conversation.id:
        raise ChannelUnavailable("bad_conversation_reference")
    return reference


def _retry_after(exc: ClientResponseError) -> float | None:
    """Seconds to wait before trying again, for throttling (429) and server errors; else None."""
    if exc.status != 429 and exc.status < 500:
        return None
    header = exc.headers.get("Retry-After") if exc.headers else None
    try:
        seconds = float(header or 1)
    except ValueError:
        seconds = 1.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)
