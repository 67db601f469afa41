"""Signing in to the dashboard without an identity provider: an admin asks in Slack or Teams and
gets a link that works once, for ten minutes; it opens an eight-hour browser session.

Only SHA-256 hashes of link tokens and session ids are stored, so a copy of the database opens
nothing. The CSRF token is derived from the session id, so it needs no storage either.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from sqlalchemy.exc import SQLAlchemyError

from bot import notices
from bot.clock import Clock

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger("scrbot.dashboard")

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(hours=8)
COOKIE = "__Host-scrbot-dashboard"  # __Host-: Secure, Path=/, no Domain, so no subdomain can set it
SIGN_IN_PATH = "/dashboard/sign-in"
NOT_CONFIGURED = (
    "The dashboard is not set up on this server yet: whoever runs scrbot needs to set "
    "SCRBOT_PUBLIC_URL to the address browsers use for it (see the README)."
)
NO_STORE = "The dashboard needs scrbot's database, and this server runs without one."
NOT_ADMIN = "Sorry, the dashboard is only for {who}. If you need the figures, please ask your safeguarding lead."
SCRBOT_ADMINS = "the people named as scrbot admins"
PLATFORM_AND_SCRBOT_ADMINS = "workspace admins and the people named as scrbot admins"
UNAVAILABLE = notices.database_down("I couldn't make a dashboard link")


class DashboardUnavailable(Exception):
    """The dashboard cannot be signed in to on this server; the message says why, for an admin."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a pseudonymous admin key, and the one workspace they may see (None: all)."""

    admin_key: str
    scope: str | None
    session_id: str  # the raw id from the cookie, kept only for this request (CSRF checks)

    @property
    def csrf_token(self) -> str:
        return csrf_token(self.session_id)


def digest(secret: str) -> str:
    """The stored form of a link token or session id."""
    return hashlib.sha256(secret.encode()).hexdigest()


def csrf_token(session_id: str) -> str:
    """The token every form of this session carries: an HMAC keyed by the session id."""
    return hmac.new(session_id.encode(), b"scrbot-dashboard-csrf", hashlib.sha256).hexdigest()


def csrf_ok(session_id: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(csrf_token(session_id), given or "")


def admin_key(platform: str, workspace_id: str, user_id: str) -> str:
    """A stable pseudonym for the admin a link was sent to; the user id itself is never stored."""
    return digest(f"dashboard-admin\x1f{platform}\x1f{workspace_id}\x1f{user_id}")


async def issue_link(
    store: Store | None,
    clock: Clock,
    platform: str,
    workspace_id: str,
    user_id: str,
    *,
    public_url: str | None,
    all_workspaces: bool,
) -> str:
    """A new one-time sign-in URL (on the dashboard's `public_url`) for this admin.
    `all_workspaces` is for the configured scrbot admins; a workspace's own admins see only that
    workspace, as with /learn report."""
    if not public_url:
        raise DashboardUnavailable(NOT_CONFIGURED)
    if store is None:
        raise DashboardUnavailable(NO_STORE)
    token = secrets.token_urlsafe(32)
    now = clock.now()
    await store.add_dashboard_link(
        digest(token),
        admin_key(platform, workspace_id, user_id),
        None if all_workspaces else workspace_id,
        now,
        now + LINK_LIFETIME,
    )
    return f"{public_url}{SIGN_IN_PATH}?{urlencode({'token': token})}"


async def answer(
    store: Store | None,
    clock: Clock,
    platform: str,
    workspace_id: str,
    user_id: str,
    *,
    public_url: str | None,
    admins: Collection[str],
    platform_admin: Callable[[], Awaitable[bool]] | None = None,
) -> str:
    """What to say to `dashboard`: a one-time link for an admin, else why not. Admins are the
    configured scrbot `admins` and, where the platform has its own rule (`platform_admin`, asked
    only when needed: Slack's workspace admins), the platform's; Teams has none."""
    configured = user_id in admins
    if not configured and not (platform_admin is not None and await platform_admin()):
        return NOT_ADMIN.format(who=PLATFORM_AND_SCRBOT_ADMINS if platform_admin is not None else SCRBOT_ADMINS)
    try:
        url = await issue_link(
            store, clock, platform, workspace_id, user_id, public_url=public_url, all_workspaces=configured
        )
    except DashboardUnavailable as exc:
        return str(exc)
    except (SQLAlchemyError, OSError) as exc:
        log.warning("could not store a dashboard link: %s", type(exc).__name__)
        return UNAVAILABLE
    return link_message(url)


def link_message(url: str) -> str:
    """What the admin is told with their link (Slack mrkdwn and Teams markdown alike take <url>)."""
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    return (
        f"Here is your link to the scrbot dashboard: {url}\n"
        f"It works once, for the next {minutes} minutes, and is for you only: please don't "
        "forward it. Signing in keeps you in for 8 hours. Ask again for a new link at any time."
    )


async def start_session(store: Store | None, clock: Clock, token: str) -> tuple[str, Viewer] | None:
    """Use a sign-in link's token (once) and open a session: (session id, viewer), or None
    when the link is unknown, altered, expired or already used."""
    if store is None or not token:
        return None
    now = clock.now()
    link = await store.use_dashboard_link(digest(token), now)
    if link is None:
        return None
    session_id = secrets.token_urlsafe(32)
    await store.add_dashboard_session(digest(session_id), link.admin_key, link.scope, now, now + SESSION_LIFETIME)
    return session_id, Viewer(link.admin_key, link.scope, session_id)


async def link_is_usable(store: Store | None, clock: Clock, token: str) -> bool:
    """Whether the link would still sign in (looking does not use it up)."""
    if store is None or not token:
        return False
    return await store.usable_dashboard_link(digest(token), clock.now()) is not None


async def viewer_for(store: Store | None, clock: Clock, session_id: str | None) -> Viewer | None:
    """The signed-in viewer for a cookie's session id, or None."""
    if store is None or not session_id:
        return None
    found = await store.get_dashboard_session(digest(session_id), clock.now())
    if found is None:
        return None
    return Viewer(found.admin_key, found.scope, session_id)


async def end_session(store: Store | None, session_id: str) -> None:
    if store is not None:
        await store.delete_dashboard_session(digest(session_id))
