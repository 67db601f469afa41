"""Posting weekly prompts to Slack: Block Kit with message metadata, 429-aware, dead channels named."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.schedule.prompts import PROMPT_EVENT_TYPE, ChannelUnavailable, WeeklyPrompt
from bot.slack.app import DEAD_ENDS, error_code
from bot.slack.render import messages

log = logging.getLogger("scrbot.slack.prompts")

WORKSPACE_WIDE = {"invalid_auth", "token_revoked", "account_inactive", "not_authed", "team_access_not_granted"}
MAX_ATTEMPTS = 6


class RateGate:
    """When Slack answers 429, every post to that workspace waits out Retry-After together,
    instead of each task hammering the API and collecting its own 429."""

    def __init__(self, clock=time.monotonic, sleep=asyncio.sleep):
        self._open_at = 0.0
        self._clock, self._sleep = clock, sleep

    async def wait(self) -> None:
        while (delay := self._open_at - self._clock()) > 0:
            await self._sleep(delay)

    def close_for(self, seconds: float) -> None:
        self._open_at = max(self._open_at, self._clock() + seconds)


def prompt_client(token: str | None, api_url: str) -> AsyncWebClient:
    """A client for prompts: connection retries only; 429s are handled by the shared gate."""
    return AsyncWebClient(
        token=token, base_url=api_url, timeout=15,
        retry_handlers=[AsyncConnectionErrorRetryHandler(max_retry_count=2)],
    )


class SlackPromptPoster:
    platform = "slack"

    def __init__(self, client: AsyncWebClient, gate: RateGate | None = None):
        self.client = client
        self.gate = gate or RateGate()

    async def post_prompt(self, prompt: WeeklyPrompt, conversation_ref: dict[str, Any] | None) -> str:
        message = messages(prompt.reply())[0]
        for attempt in range(1, MAX_ATTEMPTS + 1):
            await self.gate.wait()
            try:
                response = await self.client.chat_postMessage(
                    channel=prompt.channel_id, metadata=prompt.metadata(), unfurl_links=False, **message
                )
                return str(response["ts"])
            except SlackApiError as exc:
                code = error_code(exc)
                if exc.response is not None and exc.response.status_code == 429:
                    retry_after = float(exc.response.headers.get("Retry-After", 1) or 1)
                    self.gate.close_for(retry_after)
                    log.info("rate limited posting to %s; waiting %.0fs (attempt %d)", prompt.channel_id, retry_after, attempt)
                    continue
                if code in DEAD_ENDS or code in WORKSPACE_WIDE:
                    raise ChannelUnavailable(code, workspace_wide=code in WORKSPACE_WIDE) from exc
                raise
        raise TimeoutError(f"still rate limited after {MAX_ATTEMPTS} attempts")

    async def find_prompt(self, prompt: WeeklyPrompt, conversation_ref: dict[str, Any] | None) -> str | None:
        """Look through recent channel history for this week's prompt (by its metadata)."""
        try:
            response = await self.client.conversations_history(
                channel=prompt.channel_id, limit=100, include_all_metadata=True
            )
        except SlackApiError as exc:
            code = error_code(exc)
            if code in DEAD_ENDS or code in WORKSPACE_WIDE:
                raise ChannelUnavailable(code, workspace_wide=code in WORKSPACE_WIDE) from exc
            raise
        for message in response.get("messages", []):
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == PROMPT_EVENT_TYPE and payload.get("week") == prompt.week:
                return str(message["ts"])
        return None
