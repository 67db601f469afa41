"""Bolt wiring: one small function per listener, all registered in `register`.

Listeners translate Slack payloads into core calls and render the core's replies; they never
decide what to say. Slow work happens after `ack()` so Slack's 3-second limit always holds.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot import inbound, router
from bot.notices import STORE_UNREACHABLE, store_unreachable
from bot.observability import REQUEST_ID
from bot.schedule.prompts import LIFECYCLE_EVENTS
from bot.services import Services
from bot.slack import answers, commands, home, meetings, reflections
from bot.slack.answers import answer_command, on_button
from bot.slack.commands import SlashRequest, match_route
from bot.slack.payloads import well_formed

log = logging.getLogger("scrbot.slack")

# The `/learn` features: each offers ROUTES (first words -> handler) and register(app, services).
FEATURE_MODULES = [meetings, reflections]

MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
DM_SUBTYPES = (None, "file_share")  # a person's own direct message, with or without files


def build_client(token: str | None, api_url: str) -> AsyncWebClient:
    """A Web API client that honours 429 Retry-After and retries dropped connections."""
    return AsyncWebClient(
        token=token,
        base_url=api_url,
        timeout=10,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def build_app(services: Services, backlog: AnswerBacklog | None = None) -> AsyncApp:
    """The bolt app with every listener; questions are answered through `backlog` (a new
    backlog unless the server hands in the one it drains on shutdown)."""
    settings = services.settings
    app = AsyncApp(
        signing_secret=settings.slack_signing_secret,
        client=build_client(settings.slack_bot_token, settings.slack_api_url),
        logger=logging.getLogger("scrbot.bolt"),
        raise_error_for_unhandled_request=False,
        # bot/server.py checks every HTTP request's signature (with slack_sdk's verifier, the
        # one bolt uses) before bolt reads the body; Socket Mode requests carry none.
        request_verification_enabled=False,
    )
    register(app, services, backlog or AnswerBacklog())
    return app


def register(app: AsyncApp, services: Services, backlog: AnswerBacklog) -> None:
    """Attach every middleware and listener to `app`."""
    if services.settings.slack_app_token:
        # Over HTTP bot/server.py refuses these before bolt (bolt's middleware machinery builds
        # every listener argument for each middleware: a quarter of its dispatch time).
        app.middleware(_refuse_malformed)
    app.event("app_mention")(_on_mention(services, backlog))
    # Only direct messages here, so other message listeners (thread replies) can match too.
    app.event("message", matchers=[_is_direct_message])(_on_message(services, backlog))
    app.event("app_home_opened")(home.on_home_opened(services))
    app.command(services.settings.slash_command)(_on_command(services, backlog, commands.routes(FEATURE_MODULES)))
    for module in FEATURE_MODULES:
        module.register(app, services)
    # The router's theme buttons; "discuss" is registered by bot/slack/meetings.py (its pack can
    # be posted to the channel).
    for action_id in (a for a in router.THEME_BUTTONS if a != "discuss"):
        app.action(action_id)(on_button(services, action_id))
    app.action("home_pick_theme")(home.on_pick_theme(services))
    for reason in LIFECYCLE_EVENTS:
        app.event(reason)(_on_lifecycle(services, reason))
    # Last, so every listener above is tried first: whatever none of them takes is acknowledged
    # unread (200), never bolt's 404, which Slack retries and counts against the app. Channel
    # messages are the bulk of it: edits, deletions, bot posts, chatter in channels not opted in.
    anything = re.compile(".*")
    app.event(anything)(_discard)
    app.view_closed(anything)(_acknowledge)
    app.view_submission(anything)(_acknowledge)  # a modal scrbot did not open: closed
    app.action(anything)(_acknowledge)  # a button on an old message whose action scrbot dropped
    app.shortcut(anything)(_acknowledge)
    app.command(anything)(_acknowledge)  # another app's command name routed here by mistake
    app.error(_on_error)


async def _discard() -> None:
    """An event nobody asked for: bolt has acknowledged it; nothing of it is read or kept."""


async def _acknowledge(ack) -> None:
    await ack()


def _on_lifecycle(services: Services, reason: str):
    """app_uninstalled, tokens_revoked: stop the workspace's weekly prompts at once."""

    async def on_lifecycle(body: dict[str, Any], event: dict[str, Any]) -> None:
        if reason == "tokens_revoked" and not (event.get("tokens") or {}).get("bot"):
            log.info("Slack revoked user tokens only (scrbot uses its bot token): weekly prompts carry on")
            return
        team = body.get("team_id") or None  # none for an org-wide (enterprise) install
        if services.prompts is None:
            log.error("Slack says %s for workspace %s; no weekly prompts run in this process", reason, team)
            return
        await services.prompts.stop_workspace("slack", team, reason)

    return on_lifecycle


async def answer_event(
    services: Services, client: AsyncWebClient, body: dict[str, Any], asked: router.Incoming
) -> router.Answer | None:
    """The answer to a message event, or None when its event id was already handled here or by
    another replica (a Slack retry).

    Called inside event listeners, which bolt runs after it has acknowledged the request, so the
    database write never delays the 3-second acknowledgement; a dropped retry costs no Web API
    call for report access."""
    event_id = body.get("event_id") if isinstance(body, dict) else None
    key = f"slack:{body.get('team_id', '-')}:{event_id}" if event_id else None
    return await inbound.handle(
        services,
        lambda: answers.with_platform_rules(services, client, asked),
        key,
        shown_as=f"event {event_id}",
        retry="Slack retry",
    )


class AcksFirst:
    """Counts Slack requests in flight, so answer work can wait for a quiet moment.

    An ack is a fraction of a millisecond and Slack wants it within 3 s; an answer is several
    milliseconds of matching, rendering and posting. In a burst, doing answers between acks
    slows every ack; doing them just after the burst costs each answer a little delay. Quiet
    means no request for `settle` seconds: a burst has gaps of a few milliseconds between
    requests, and an answer started in one of them would hold up the requests that follow."""

    def __init__(self, settle: float = 0.05) -> None:
        self.in_flight = 0
        self.settle = settle
        self._last_busy = -math.inf

    def started(self) -> None:
        self.in_flight += 1
        self._last_busy = asyncio.get_running_loop().time()

    def finished(self) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self._last_busy = asyncio.get_running_loop().time()

    async def quiet(self, until: float) -> None:
        """Return once no request has been in flight for `settle` seconds, or at loop time
        `until` at the latest."""
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            idle = now - self._last_busy
            if now >= until or (self.in_flight == 0 and idle >= self.settle):
                return
            wait = self.settle if self.in_flight else self.settle - idle
            await asyncio.sleep(min(until - now, max(wait, 0.005)))


class AnswerBacklog:
    """Answers wait here after bolt has acknowledged the request and are worked by a few tasks,
    so a burst of questions can never starve acknowledgements (or the scheduler) of the event
    loop. Each answer waits until no Slack request is in flight, for at most `max_wait` seconds
    after it arrived (so a steady stream of requests cannot hold answers back for longer)."""

    def __init__(self, workers: int = 4, limit: int = 10_000, max_wait: float = 2.0):
        self._workers, self._limit, self._max_wait = workers, limit, max_wait
        self.acks = AcksFirst()
        self._queue: asyncio.Queue[tuple[float, str, Callable[[], Awaitable[None]]]] | None = None
        self._tasks: list[asyncio.Task[None]] = []

    def submit(self, job: Callable[[], Awaitable[None]]) -> None:
        if self._queue is None:
            self._queue = asyncio.Queue(self._limit)
            self._tasks = [asyncio.ensure_future(self._work()) for _ in range(self._workers)]
        try:
            # The request id goes with the job: the workers were started by an earlier request.
            self._queue.put_nowait((asyncio.get_running_loop().time() + self._max_wait, REQUEST_ID.get(), job))
        except asyncio.QueueFull:
            log.error("answer backlog full (%d waiting); a question was dropped", self._limit)

    async def _work(self) -> None:
        assert self._queue is not None
        while True:
            until, request_id, job = await self._queue.get()
            REQUEST_ID.set(request_id)
            try:
                await self.acks.quiet(until)
                await job()
            except Exception:  # one failed answer must not stop the worker
                log.exception("answering failed")
            finally:
                self._queue.task_done()

    async def drain(self, grace: float) -> None:
        """Finish queued answers (graceful shutdown), then stop the workers."""
        if self._queue is not None:
            try:
                await asyncio.wait_for(self._queue.join(), grace)
            except TimeoutError:
                log.warning("shutting down with %d answers unsent", self._queue.qsize())
        for task in self._tasks:
            task.cancel()


def _on_mention(services: Services, backlog: AnswerBacklog):
    async def on_mention(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        backlog.submit(lambda: _answer_mention(services, event, body, client))

    return on_mention


async def _answer_mention(
    services: Services, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
) -> None:
    text = MENTION.sub(" ", event.get("text") or "").strip()
    team, user, channel = body.get("team_id") or "", event.get("user") or "", event.get("channel") or ""
    asked = answers.message_incoming(team, user, channel, text)
    answer = await answer_event(services, client, body, asked)
    if answer is not None:
        await answers.post_answer(client, asked, answer, thread_ts=event.get("thread_ts") or event.get("ts"))


async def _is_direct_message(event: dict[str, Any]) -> bool:
    return event.get("channel_type") == "im"


def _on_message(services: Services, backlog: AnswerBacklog):
    async def on_message(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        # Only direct messages from people; channel chatter reaches us as app_mention instead.
        # A message with a file or screenshot is answered on its text.
        if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype") not in DM_SUBTYPES:
            return
        backlog.submit(lambda: _answer_direct_message(services, event, body, client))

    return on_message


async def _answer_direct_message(
    services: Services, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
) -> None:
    team, user, channel = body.get("team_id") or "", event.get("user") or "", event.get("channel") or ""
    text, files = event.get("text") or "", bool(event.get("files"))
    asked = answers.message_incoming(team, user, channel, text, with_files=files)
    answer = await answer_event(services, client, body, asked)
    if answer is not None:
        await answers.post_answer(client, asked, answer, thread_ts=event.get("thread_ts"))


def _on_command(services: Services, backlog: AnswerBacklog, table: dict):
    open_form = reflections.form_opener(services)

    async def on_command(ack, command: dict[str, Any], respond, client: AsyncWebClient) -> None:
        if not command.get("response_url"):
            # Every reply goes through the response_url; without one, answer in the ack or not at all.
            await ack(text="Sorry, I can't answer that command here.")
            return
        await ack()
        text = (command.get("text") or "").strip()
        routed = match_route(text, table)
        if routed is None and router.command_of(text) is None:
            # A question: answered after the burst of acknowledgements, like a direct message.
            backlog.submit(lambda: answer_command(services, client, command, text, open_form))
            return
        try:
            if routed is not None:
                handler, args = routed
                await handler(SlashRequest(services, command, args, respond, client))
            else:
                await answer_command(services, client, command, text, open_form)
        except Exception as exc:
            if not store_unreachable(exc):
                raise
            log.error("%s failed: the store is unreachable (%s)", " ".join(text.split()[:2]), type(exc).__name__)
            await respond(response_type="ephemeral", replace_original=False, text=STORE_UNREACHABLE)

    return on_command


async def _refuse_malformed(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> BoltResponse | None:
    """Refuse (400) a signed payload whose fields have other types than Slack's, before any
    listener reads it; see bot/slack/payloads.py."""
    if not well_formed(body):
        kind = body.get("type") if isinstance(body, dict) else None
        log.warning("refused a Slack request of an unexpected shape (type %s)", str(kind)[:40])
        return BoltResponse(status=400, body={"error": "malformed request"})
    await next()
    return None


async def _on_error(
    error: Exception, body: dict[str, Any], logger, response: BoltResponse | None
) -> BoltResponse | None:
    kind = body.get("type") if isinstance(body, dict) else None
    if not _raised_in_scrbot(error):
        # bolt or slack_sdk failed on a request of a shape they do not expect (a null "event", a
        # timestamp header that is not a number): refuse it as malformed, not as our failure.
        logger.warning("refused a Slack request of an unexpected shape (type %s): %s", kind, type(error).__name__)
        return BoltResponse(status=400, body={"error": "malformed request"}) if response is not None else None
    logger.exception("unhandled error in a Slack listener (request type %s): %s", kind, type(error).__name__)
    if response is None:
        # Already acknowledged. slack-bolt 1.30 clears the ack when a listener fails, and its
        # runner polls for the ack every 10 ms: a failure right after ack() would otherwise
        # leave Slack with no answer for 3 s and then a 404. Sleeping past one poll lets it
        # see the ack first (timers run in deadline order).
        await asyncio.sleep(0.02)
    return None


def _raised_in_scrbot(error: Exception) -> bool:
    """True when the error passed through scrbot's own code (a listener), not only bolt's."""
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__", "").startswith("bot."):
            return True
        tb = tb.tb_next
    return False
