"""Posting weekly prompts to Slack: Block Kit with message metadata, 429-aware, dead channels named."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.schedule.prompts import PROMPT_EVENT_TYPE, WORKSPACE_ERRORS, ChannelUnavailable, WeeklyPrompt
from bot.slack.errors import error_code
from bot.slack.messaging import DEAD_ENDS
from bot.slack.render import messages

log = logging.getLogger("scrbot.slack.prompts")

MAX_ATTEMPTS = 6


class RateGate:
    """Shared pacing for one workspace's posts.

    When Slack answers 429, every post waits out Retry-After together instead of each task
    collecting its own 429. Slack does not publish its workspace limit, so the gate also learns
    it: the posts that succeeded in the second before the first 429 of a burst set the pace (a
    little under it); 429s from requests already in flight count as the same burst. The pace
    creeps up again while no 429 comes, and is dropped after a quiet spell.
    """

    QUIET_SECONDS = 30.0
    BACKOFF = 0.95
    CREEP_EVERY = 5.0

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> None:
        self._open_at = 0.0
        self._clock, self._sleep = clock, sleep
        self._recent: deque[float] = deque()
        self.rate: float | None = None  # posts per second, once learned
        self._next_slot = 0.0
        self._last_limited = -1e9
        self._last_creep = 0.0

    async def wait(self) -> None:
        while (delay := self._open_at - self._clock()) > 0:
            await self._sleep(delay)
        now = self._clock()
        if self.rate is None:
            return
        quiet = now - self._last_limited
        if quiet > self.QUIET_SECONDS:
            self.rate = None
            return
        if quiet > self.CREEP_EVERY and now - self._last_creep > self.CREEP_EVERY:
            self.rate *= 1.05
            self._last_creep = now
        slot = max(now, self._next_slot)
        self._next_slot = slot + 1.0 / self.rate
        if slot > now:
            await self._sleep(slot - now)

    def succeeded(self) -> None:
        now = self._clock()
        self._recent.append(now)
        while self._recent and now - self._recent[0] > 1.0:
            self._recent.popleft()

    def limited(self, retry_after: float) -> None:
        now = self._clock()
        if now - self._last_limited < max(retry_after, 1.0):
            return  # a request that was already in flight: the same burst
        recent = sum(1 for t in self._recent if now - t <= 1.0)
        observed = max(1.0, recent * self.BACKOFF)
        self.rate = (
            observed if self.rate is None else max(1.0, min(self.rate * self.BACKOFF, max(observed, self.rate * 0.5)))
        )
        self._last_limited = self._last_creep = now
        self._open_at = max(self._open_at, now + retry_after)
        self._next_slot = self._open_at


def prompt_client(token: str | None, api_url: str, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """A client for prompts: connection retries only; 429s are handled by the shared gate.
    Pass a long-lived `session` to reuse connections across a fan-out (slack_sdk otherwise
    opens a new connection per call)."""
    return AsyncWebClient(
        token=token,
        base_url=api_url,
        timeout=15,
        session=session,
        retry_handlers=[AsyncConnectionErrorRetryHandler(max_retry_count=2)],
    )


class SlackPromptPoster:
    platform = "slack"

    def __init__(self, client: AsyncWebClient, gate: RateGate | None = None):
        self.client = client
        self.gate = gate or RateGate()

    async def ready(self) -> None:
        """Wait for this workspace's pace; call it before each `post_prompt`."""
        await self.gate.wait()

    async def authorized(self) -> bool:
        """True when Slack accepts the bot token (auth.test); False when it is revoked or
        invalid, or when Slack cannot be asked just now."""
        try:
            await self.client.auth_test()
        except SlackApiError as exc:
            log.warning("Slack auth.test failed: %s", error_code(exc))
            return False
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("Slack auth.test could not be asked: %s", type(exc).__name__)
            return False
        return True

    async def post_prompt(self, prompt: WeeklyPrompt, conversation_ref: dict[str, Any] | None) -> str:
        message = messages(prompt.reply())[0]
        for attempt in range(1, MAX_ATTEMPTS + 1):
            # The scheduler waits on `ready()` (the gate) before it claims; waiting here again
            # on the first attempt would spend two paced slots on every post and halve the pace.
            if attempt > 1:
                await self.gate.wait()
            try:
                response = await self.client.chat_postMessage(
                    channel=prompt.channel_id, metadata=prompt.metadata(), unfurl_links=False, **message
                )
                self.gate.succeeded()
                return str(response["ts"])
            except SlackApiError as exc:
                code = error_code(exc)
                if exc.response is not None and exc.response.status_code == 429:
                    retry_after = float(exc.response.headers.get("Retry-After", 1) or 1)
                    self.gate.limited(retry_after)
                    log.info(
                        "rate limited posting to %s; waiting %.0fs (attempt %d)",
                        prompt.channel_id,
                        retry_after,
                        attempt,
                    )
                    continue
                if code in DEAD_ENDS or code in WORKSPACE_ERRORS:
                    raise ChannelUnavailable(code, workspace_wide=code in WORKSPACE_ERRORS) from exc
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
            if code in DEAD_ENDS or code in WORKSPACE_ERRORS:
                raise ChannelUnavailable(code, workspace_wide=code in WORKSPACE_ERRORS) from exc
            raise
        history: list[dict[str, Any]] = response.get("messages") or []
        for message in history:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == PROMPT_EVENT_TYPE and payload.get("week") == prompt.week:
                return str(message["ts"])
        return None
