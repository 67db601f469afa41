"""The aiohttp application: Slack endpoint, health checks and the running services' lifecycle."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.config import ConfigError, Settings
from bot.observability import REQUEST_KIND, metrics, request_context, slack_kind
from bot.services import Services

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from bot.reflections.reports import Members
    from bot.slack.app import AnswerBacklog
    from bot.store import Store

log = logging.getLogger("scrbot.server")

MAX_BODY_BYTES = 1024 * 1024  # Slack payloads are far smaller; anything bigger is refused unread
SERVICES = web.AppKey("services", Services)
SLACK_APP: web.AppKey[AsyncApp] = web.AppKey("slack_app")
SLACK_ANSWERS: web.AppKey[AnswerBacklog] = web.AppKey("slack_answers")  # answered after the ack
_SLACK_AUTH = web.AppKey("slack_auth", dict)


def require_slack(settings: Settings) -> None:
    """Stop start-up with a clear message when Slack settings are missing."""
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set: it is the bot token from your Slack app, starting 'xoxb-'")
    if not settings.slack_app_token and not settings.slack_signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's Basic Information page "
            "(or set SLACK_APP_TOKEN, starting 'xapp-', to use Socket Mode instead)"
        )


def require_teams(settings: Settings) -> None:
    """Stop start-up with a clear message when Teams settings are missing (bot.teams says which)."""
    from bot.teams.endpoint import require_teams as check

    check(settings)


def create_app(
    services: Services, *, slack: bool | None = None, manage_store: bool = True, prompts: bool = True
) -> web.Application:
    """The web application. `manage_store` opens, migrates and closes the store with the app.
    Slack (unless `slack` says otherwise) and Teams are mounted as their settings switch them on."""
    if slack is None:
        slack = services.settings.slack_enabled
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[request_context])
    app[SERVICES] = services
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    from bot.dashboard.web import add_dashboard_routes

    add_dashboard_routes(app, services)  # /dashboard: sessions live in the store
    if manage_store:
        app.cleanup_ctx.append(_store_lifecycle)
    if slack:
        from bot.slack.app import AnswerBacklog, build_app

        answers = AnswerBacklog()
        bolt = build_app(services, answers)
        app[SLACK_APP] = bolt
        app[SLACK_ANSWERS] = answers
        app[_SLACK_AUTH] = {}  # readiness caches auth.test here (a started app cannot take new keys)
        app.router.add_post("/slack/events", slack_endpoint(bolt, services.settings.slack_signing_secret, answers.acks))
        app.cleanup_ctx.append(_web_api_session)
        app.cleanup_ctx.append(_answer_backlog)
        if services.settings.slack_app_token:
            app.cleanup_ctx.append(_socket_mode)
    if services.settings.teams_enabled:
        from bot.teams.endpoint import add_teams_routes

        add_teams_routes(app, services)  # POST /api/messages
    if prompts:
        app.cleanup_ctx.append(_weekly_prompts)
    app.on_startup.append(_settle_memory)  # after every cleanup_ctx start-up above
    return app


async def _settle_memory(app: web.Application) -> None:
    """Once started, hide what start-up built (content, the engine's indexes, modules, the
    store's metadata) from the garbage collector. It never becomes garbage, yet every full
    collection walked all of it: a pause of about 100 ms for every request in flight, the
    slowest acks under load. One question first, so the engine's lazy caches are built too."""
    import gc

    app[SERVICES].conversation.reply("what is disguised compliance?")
    gc.collect()
    gc.freeze()


def slack_endpoint(
    bolt: Any, signing_secret: str | None, acks: Any = None
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """POST /slack/events: the signature checked, then the request handed to bolt, which acks.

    bolt parses the body before it checks the signature, so the signature is checked first
    here with slack_sdk's own verifier (the one bolt uses): an unsigned body is refused with 401
    unread and unlogged. bolt's own middleware assumes Slack's shapes, so a signed body it
    cannot read is refused with 400 rather than a 500: nothing of it reaches a listener."""
    from slack_bolt.request.async_request import AsyncBoltRequest
    from slack_sdk.signature import SignatureVerifier

    from bot.slack.payloads import well_formed

    verifier = SignatureVerifier(signing_secret) if signing_secret else None  # None: Socket Mode only

    async def slack_events(request: web.Request) -> web.StreamResponse:
        if acks is None:
            return await handle(request)
        acks.started()  # answers wait while acknowledgements are due (bot/slack/app.py)
        try:
            return await handle(request)
        finally:
            acks.finished()

    async def handle(request: web.Request) -> web.StreamResponse:
        raw = await request.read()  # 413 for a body over MAX_BODY_BYTES, before anything else
        if verifier is None or not _signed(verifier, raw, request.headers):
            if _ssl_check(request, raw):
                return web.Response(status=200)  # Slack's certificate check comes unsigned
            return web.json_response({"error": "invalid request"}, status=401)
        try:
            bolt_request = AsyncBoltRequest(
                body=raw.decode("utf-8"),
                query=request.query_string,
                headers=request.headers,  # type: ignore[arg-type]
            )
        except Exception as exc:  # not UTF-8, not JSON, too deeply nested, not an object
            log.warning("refused a Slack request that could not be read: %s", type(exc).__name__)
            return _malformed()
        request[REQUEST_KIND] = slack_kind(bolt_request.body)
        if _MAYBE_SURROGATE.search(raw) and _has_lone_surrogate(bolt_request.body):
            # JSON can spell half an emoji ("\ud800"); Slack never sends one, and neither the
            # store nor the Web API can encode it.
            log.warning("refused a Slack request carrying a lone surrogate (type %s)", _payload_type(bolt_request.body))
            return _malformed()
        if not well_formed(bolt_request.body):  # fields of other types than Slack's: no listener runs
            log.warning("refused a Slack request of an unexpected shape (type %s)", _payload_type(bolt_request.body))
            return _malformed()
        try:
            response = await bolt.async_dispatch(bolt_request)
        except Exception as exc:  # bolt's middleware failed on a payload of an unexpected shape
            log.warning(
                "refused a Slack request of an unexpected shape (type %s): %s",
                _payload_type(bolt_request.body),
                type(exc).__name__,
            )
            return _malformed()
        return _to_response(response)

    return slack_events


def _to_response(response: Any) -> web.Response:
    """bolt's answer as an aiohttp response (bolt's own converter also copies cookies, which
    only its OAuth flow sets: scrbot has none)."""
    headers = response.first_headers_without_set_cookie()
    content_type = headers.pop("content-type", None) or (
        "application/json" if response.body.startswith("{") else "text/plain"
    )
    return web.Response(
        status=response.status,
        text=response.body,
        headers=headers,
        content_type=content_type.split(";", 1)[0],
    )


# A cheap look at the raw bytes first: a JSON escape of a surrogate (\ud800-\udfff, perhaps
# percent-encoded in a form); only then is the parsed body checked properly.
_MAYBE_SURROGATE = re.compile(rb"[uU][dD][89a-fA-F][0-9a-fA-F]{2}")


def _has_lone_surrogate(body: Any) -> bool:
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except (TypeError, ValueError, RecursionError):
        return False
    return False


def _ssl_check(request: web.Request, raw: bytes) -> bool:
    from urllib.parse import parse_qs

    # The only unsigned body looked at: short, form-encoded, split on & and = (no JSON).
    if request.content_type != "application/x-www-form-urlencoded" or len(raw) > 200 or b"ssl_check" not in raw:
        return False
    return parse_qs(raw.decode("utf-8", "replace")).get("ssl_check") == ["1"]


def _signed(verifier: Any, raw: bytes, headers: Any) -> bool:
    """True when Slack signed this body (a timestamp that is not a number is not signed)."""
    try:
        return bool(verifier.is_valid(raw, headers.get("X-Slack-Request-Timestamp"), headers.get("X-Slack-Signature")))
    except (ValueError, TypeError, OverflowError):
        return False


def _malformed() -> web.Response:
    return web.json_response({"error": "malformed request"}, status=400)


def _payload_type(body: Any) -> str:
    return str(body.get("type"))[:40] if isinstance(body, dict) else type(body).__name__


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    checks: dict[str, object] = {"content": f"{len(services.catalogue)} themes"}
    ok = True
    if services.store is not None:
        try:
            await services.store.ping()
            checks["store"] = "ok"
        except Exception as exc:  # readiness reports any store failure rather than raising
            checks["store"] = f"unreachable: {type(exc).__name__}"
            ok = False
    if SLACK_APP in request.app:
        slack = await _slack_auth(request.app)
        checks["slack"] = slack
        ok = ok and slack == "ok"
    if services.prompts is not None and services.prompts.stopped_workspaces():
        # Shown, not failed: one uninstalled workspace must not take the others out of service.
        checks["weekly_prompts_stopped"] = services.prompts.stopped_workspaces()
    return web.json_response({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


SLACK_AUTH_TTL_SECONDS = 60.0


async def _slack_auth(app: web.Application) -> str:
    """ "ok" or the Slack error code of auth.test, asked at most once a minute (probes are frequent)."""
    import time

    from slack_sdk.errors import SlackApiError

    cache = app[_SLACK_AUTH]
    now = time.monotonic()
    if cache and now - cache["at"] < SLACK_AUTH_TTL_SECONDS:
        return cache["status"]
    try:
        await app[SLACK_APP].client.auth_test()
        status = "ok"
    except SlackApiError as exc:
        from bot.slack.errors import error_code

        status = error_code(exc)
    except Exception as exc:  # network trouble: report it, the probe decides
        status = f"unreachable: {type(exc).__name__}"
    cache.update(at=now, status=status)
    return status


async def _store_lifecycle(app: web.Application) -> AsyncIterator[None]:
    from bot.store import open_store

    services = app[SERVICES]
    if services.store is None:
        services.store = open_store(services.settings.database_url)
        await services.store.migrate()
        owned = True
    else:
        owned = False
    yield
    if owned and services.store is not None:
        await services.store.close()


async def _web_api_session(app: web.Application) -> AsyncIterator[None]:
    """One HTTP session (and connection pool) for every Web API call the listeners make;
    slack_sdk otherwise opens and closes a session, and a TLS connection, per call."""
    import aiohttp

    client = app[SLACK_APP].client
    client.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=client.timeout))
    yield
    await client.session.close()
    client.session = None


async def _answer_backlog(app: web.Application) -> AsyncIterator[None]:
    """On shutdown, send the answers already acknowledged before the store closes."""
    yield
    await app[SLACK_ANSWERS].drain(app[SERVICES].settings.shutdown_grace_seconds)


async def _socket_mode(app: web.Application) -> AsyncIterator[None]:
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(app[SLACK_APP], app[SERVICES].settings.slack_app_token)
    await handler.connect_async()
    log.info("connected to Slack in Socket Mode")
    yield
    await handler.close_async()


def prompt_posters(services: Services) -> dict:
    """One poster per configured platform."""
    posters: dict = {}
    settings = services.settings
    if settings.slack_bot_token:
        from bot.slack.prompts import SlackPromptPoster, prompt_client

        posters["slack"] = SlackPromptPoster(prompt_client(settings.slack_bot_token, settings.slack_api_url))
    if settings.teams_enabled:
        from bot.teams.prompts import TeamsPromptPoster

        posters["teams"] = TeamsPromptPoster.from_settings(settings)
    return posters


def channel_members(settings: Settings, store: Store | None = None) -> Members | None:
    """Who is in a channel, asked of the platform it belongs to: Teams for a conversation whose
    reference the store keeps, Slack for the rest; None when no platform can tell."""
    slack: Members | None = None
    if settings.slack_bot_token:
        from bot.slack.answers import channel_members as slack_channel_members
        from bot.slack.app import build_client

        slack = slack_channel_members(build_client(settings.slack_bot_token, settings.slack_api_url))
    if not settings.teams_enabled or store is None:
        return slack
    from bot.teams.endpoint import build_adapter
    from bot.teams.members import TeamsMembers

    teams = TeamsMembers(build_adapter(settings)[0], settings.teams_app_id, store)

    async def members(workspace_id: str, channel_id: str) -> Collection[str] | None:
        reference = await teams.reference(workspace_id, channel_id)
        if reference is not None:
            return await teams.of(reference)
        if slack is not None:
            return await slack(workspace_id, channel_id)
        log.info("no Teams conversation reference kept for %s: its participation is left out", channel_id)
        return None

    return members


async def _weekly_prompts(app: web.Application) -> AsyncIterator[None]:
    from bot.schedule.service import WeeklyPrompts

    services = app[SERVICES]
    posters = prompt_posters(services)
    on_failure = None
    if posters:
        tell = {}  # platform -> how its admins are told that a channel could not be posted to
        if "slack" in posters:
            from bot.slack.schedule import notify_failure as tell_slack

            tell["slack"] = partial(tell_slack, services, posters["slack"].client)
        if "teams" in posters:
            from bot.teams.schedule import notify_failure as tell_teams

            tell["teams"] = partial(tell_teams, services, posters["teams"])

        async def on_failure(subscription, reason: str) -> None:
            told = tell.get(subscription.platform)
            if told is not None:
                await told(subscription, reason)

    services.prompts = WeeklyPrompts(
        services, posters, on_failure=on_failure, housekeeping=housekeeping_jobs(services, posters)
    )
    await services.prompts.start()
    yield
    await services.prompts.stop(grace=services.settings.shutdown_grace_seconds)
    services.prompts = None


def housekeeping_jobs(services: Services, posters: dict) -> tuple:
    """Daily: purge reflections past retention and old event ids. Weekly (Monday 08:00 UK
    time): the reflections digest to the leads channel, once across replicas."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from apscheduler.triggers.cron import CronTrigger

    from bot.reflections.service import need_store, purge_expired

    async def daily() -> None:
        await purge_expired(need_store(services.store), services.clock, services.settings.retention_days)
        if services.store is not None:
            await services.store.purge_events(services.clock.now() - timedelta(days=7))
            await services.store.purge_dashboard_sign_ins(services.clock.now())

    jobs: list = [("retention", CronTrigger(hour=3, minute=15, timezone=ZoneInfo("UTC")), daily)]
    monday = CronTrigger(day_of_week="mon", hour=8, timezone=ZoneInfo("Europe/London"))  # the leads' digests
    if "slack" in posters and services.settings.leads_channel:
        from bot.slack.reflections import post_weekly_digest

        client = posters["slack"].client

        async def digest() -> None:
            if services.prompts is None:  # stopping: the digest waits for next week
                return
            workspace = (await client.auth_test())["team_id"]
            job = f"digest:{services.settings.leads_channel}"
            await services.prompts.once_a_week(
                "slack", workspace, job, services.clock.now(), lambda: post_weekly_digest(services, client, workspace)
            )

        jobs.append(("digest", monday, digest))
    if "teams" in posters and services.settings.teams_leads_digest:
        from bot.teams.schedule import post_weekly_digests

        async def teams_digest() -> None:
            await post_weekly_digests(services, posters["teams"])

        jobs.append(("teams-digest", monday, teams_digest))
    return tuple(jobs)


async def run_server(app: web.Application, port: int, shutdown_grace: float, host: str = "0.0.0.0") -> None:
    """Serve `app` until SIGTERM or SIGINT, then shut down gracefully.

    Stops accepting connections at once, lets requests in flight finish for up to
    `shutdown_grace` seconds, then runs the app's cleanup (scheduler stop and claim release,
    Socket Mode, store) in reverse order of start-up.
    """
    runner = web.AppRunner(app, shutdown_timeout=shutdown_grace, access_log=None)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    try:
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        for signum in signals:
            loop.add_signal_handler(signum, stop.set)
        log.info("listening on %s:%d", host, port)
        await stop.wait()
        log.info("stopping: no new connections; up to %gs for requests in flight", shutdown_grace)
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
        await runner.cleanup()
        log.info("stopped")
