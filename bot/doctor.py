"""`scrbot doctor`: check configuration, content, store and Slack token, and say what to fix.

Each check returns one `Finding`; the command prints one line per finding and exits 1 when
any of them is a problem. Nothing here changes the database: migrations are only inspected.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO

from bot.config import ConfigError, Settings, load_settings
from bot.content import ContentError, load_catalogue
from bot.observability import redact

NETWORK_TIMEOUT = 10.0  # seconds for each of the store and Slack checks

SLACK_ERRORS = {
    "invalid_auth": (
        "Slack does not recognise SLACK_BOT_TOKEN (invalid_auth)",
        "copy the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth & Permissions page",
    ),
    "not_authed": (
        "Slack received no token (not_authed)",
        "set SLACK_BOT_TOKEN to the Bot User OAuth Token from your Slack app",
    ),
    "token_revoked": (
        "the Slack token has been revoked (token_revoked)",
        "reinstall the app to your workspace; put the new Bot User OAuth Token in SLACK_BOT_TOKEN",
    ),
    "token_expired": (
        "the Slack token has expired (token_expired)",
        "turn off token rotation for the app or reinstall it, then update SLACK_BOT_TOKEN",
    ),
    "account_inactive": (
        "the Slack app's bot user or workspace is deactivated (account_inactive)",
        "ask a Slack workspace admin to reinstall or re-enable the app",
    ),
    "team_access_not_granted": (
        "the token is not allowed into this workspace (team_access_not_granted)",
        "ask a Slack workspace admin to approve the app for this workspace",
    ),
}


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        status = "OK     " if self.ok else "PROBLEM"
        text = f"{status} {self.check:<13} {self.detail}"
        return f"{text} -> {self.fix}" if self.fix else text


def check_configuration(env: Mapping[str, str] | None) -> tuple[Finding, Settings | None]:
    """Settings load and validate."""
    try:
        settings = load_settings(env)
    except ConfigError as exc:
        return Finding("configuration", False, redact(str(exc)), "fix that setting and run doctor again"), None
    return Finding("configuration", True, f"settings are valid (port {settings.port})"), settings


def check_content(settings: Settings) -> Finding:
    """The theme catalogue loads without problems."""
    try:
        catalogue = load_catalogue(settings.content_dir)
    except ContentError as exc:
        if not settings.content_dir.is_dir():
            return Finding(
                "content",
                False,
                f"no content folder at {settings.content_dir}",
                "set SCRBOT_CONTENT_DIR to the folder with themes/ and urgent.yaml (or mount it)",
            )
        first = str(exc.problems[0]) if exc.problems else "unknown problem"
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        return Finding(
            "content",
            False,
            f"{first}{more}",
            f"fix that file; `scrbot content check {settings.content_dir}` lists every problem",
        )
    return Finding("content", True, f"{len(catalogue)} themes in {settings.content_dir}")


async def check_store(settings: Settings) -> Finding:
    """The database answers, and its schema is one this scrbot knows."""
    from sqlalchemy.engine import make_url

    from bot.store import default_database_url, open_store

    url = settings.database_url or default_database_url()
    shown = make_url(url).render_as_string(hide_password=True)
    where = shown if settings.database_url else f"{shown} (the default; set SCRBOT_DATABASE_URL)"
    store = None
    try:
        store = open_store(url)
        await asyncio.wait_for(store.ping(), NETWORK_TIMEOUT)
        async with store.engine.connect() as connection:
            current, heads, unknown = await connection.run_sync(_migration_state)
    except Exception as exc:  # doctor turns every failure into advice instead of a traceback
        detail, fix = _store_problem(exc)
        return Finding("store", False, f"{where}: {redact(detail)}", fix)
    finally:
        if store is not None:
            await store.close()
    if unknown:
        return Finding(
            "store",
            False,
            f"{where}: schema {', '.join(sorted(unknown))} is newer than this scrbot",
            "run the same (or a newer) scrbot version as the one that last upgraded this database",
        )
    if current != heads:
        state = f"schema {', '.join(sorted(current))}" if current else "no tables yet"
        return Finding("store", True, f"{where}: reachable; {state}, `scrbot serve` will upgrade it")
    return Finding("store", True, f"{where}: reachable, schema up to date")


def _migration_state(connection) -> tuple[set[str], set[str], set[str]]:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from bot.store.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    current = set(MigrationContext.configure(connection).get_current_heads())
    unknown = set()
    for revision in current:
        try:
            script.get_revision(revision)
        except CommandError:
            unknown.add(revision)
    return current, set(script.get_heads()), unknown


def _store_problem(exc: Exception) -> tuple[str, str]:
    from sqlalchemy.exc import DBAPIError

    check_url = "check the host, port, user, password and database name in SCRBOT_DATABASE_URL"
    if isinstance(exc, TimeoutError):
        return (
            f"no answer within {NETWORK_TIMEOUT:g}s",
            "is the database up and reachable from here? " + check_url,
        )
    if isinstance(exc, socket.gaierror):
        return "the database host name cannot be found", check_url
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused: nothing is listening there", "start PostgreSQL, or " + check_url
    if isinstance(exc, DBAPIError):
        return f"the database refused: {exc.orig}", check_url
    if isinstance(exc, OSError):
        return f"cannot open the database: {exc.strerror or exc}", check_url
    return f"{type(exc).__name__}: {exc}", check_url


async def check_slack(settings: Settings) -> Finding:
    """The bot token works (auth.test) and the request-signing settings are present."""
    if not settings.slack_enabled:
        return Finding("slack", True, "Slack is turned off (a Teams-only deployment)")
    if not settings.slack_bot_token:
        return Finding(
            "slack",
            False,
            "SLACK_BOT_TOKEN is not set",
            "set it to the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page",
        )
    if not settings.slack_signing_secret and not settings.slack_app_token:
        return Finding(
            "slack",
            False,
            "neither SLACK_SIGNING_SECRET nor SLACK_APP_TOKEN is set",
            "copy the Signing Secret from the Slack app's Basic Information page "
            "(or set SLACK_APP_TOKEN, xapp-..., for Socket Mode)",
        )
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=int(NETWORK_TIMEOUT),
    )
    try:
        reply = await asyncio.wait_for(client.auth_test(), NETWORK_TIMEOUT + 1)
    except SlackApiError as exc:
        error = str(exc.response.get("error", "unknown_error")) if exc.response is not None else "unknown_error"
        detail, fix = SLACK_ERRORS.get(
            error,
            (
                f"Slack refused the token ({error})",
                "check SLACK_BOT_TOKEN and the app's installation",
            ),
        )
        return Finding("slack", False, detail, fix)
    except Exception as exc:  # network failures of every kind become one plain sentence
        reason = "no answer in time" if isinstance(exc, TimeoutError) else redact(str(exc)) or type(exc).__name__
        return Finding(
            "slack",
            False,
            f"cannot reach Slack at {settings.slack_api_url}: {reason}",
            "check the network, proxy and firewall (outbound HTTPS) and SCRBOT_SLACK_API_URL",
        )
    mode = "Socket Mode" if settings.slack_app_token else "HTTP events with signing secret"
    return Finding(
        "slack",
        True,
        f"token works for team {reply.get('team_id')} as {reply.get('user')} ({mode})",
    )


async def run_checks(env: Mapping[str, str] | None = None) -> list[Finding]:
    """Every check, in order; later checks are skipped when the configuration is broken."""
    configuration, settings = check_configuration(env)
    if settings is None:
        return [configuration]
    return [
        configuration,
        check_content(settings),
        await check_store(settings),
        await check_slack(settings),
    ]


def main(env: Mapping[str, str] | None = None, out: IO[str] | None = None) -> int:
    """Run the checks, print one line each; 0 when all are fine, 1 otherwise."""
    out = out or sys.stdout
    findings = asyncio.run(run_checks(env))
    for finding in findings:
        print(finding.line(), file=out)
    problems = [f for f in findings if not f.ok]
    if len(findings) == 1 and problems:
        print(
            "(content, store and Slack were not checked: the configuration must load first)",
            file=out,
        )
    return 1 if problems else 0
