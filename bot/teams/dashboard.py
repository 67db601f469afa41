"""`dashboard` to scrbot in a Teams 1:1 chat: an admin gets a one-time sign-in link to the web
dashboard. Teams has no workspace-admin lookup, so only the configured scrbot admins qualify."""

from __future__ import annotations

import logging

from microsoft_agents.activity import Activity
from sqlalchemy.exc import SQLAlchemyError

from bot.dashboard.signin import DashboardUnavailable, issue_link, link_message
from bot.services import Services
from bot.teams.activities import PERSONAL, conversation_kind, sender_id, tenant_id

log = logging.getLogger("scrbot.teams.dashboard")

NOT_ADMIN = (
    "Sorry, the dashboard is only for the people named as scrbot admins. "
    "If you need the figures, please ask your safeguarding lead."
)
ONLY_IN_CHAT = "Dashboard links are private: send me `dashboard` in a 1:1 chat with scrbot instead."
UNAVAILABLE = "Sorry, I couldn't make a dashboard link just now. Please try again in a few minutes."


def is_dashboard_command(text: str) -> bool:
    return text.strip().lower() == "dashboard"


async def handle(services: Services, activity: Activity) -> str:
    """What to say to `dashboard`: a link only in a 1:1 chat and only for an admin."""
    if conversation_kind(activity) != PERSONAL:
        return ONLY_IN_CHAT
    user = sender_id(activity)
    if not services.is_admin(user):
        return NOT_ADMIN
    try:
        url = await issue_link(services, "teams", tenant_id(activity), user, all_workspaces=True)
    except DashboardUnavailable as exc:
        return str(exc)
    except (SQLAlchemyError, OSError) as exc:
        log.warning("could not store a dashboard link: %s", type(exc).__name__)
        return UNAVAILABLE
    return link_message(url)
