"""`/learn dashboard`: an admin gets a one-time sign-in link to the web dashboard, privately."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from bot.dashboard.signin import DashboardUnavailable, issue_link, link_message
from bot.router import NOT_ADMIN
from bot.slack.answers import is_workspace_admin
from bot.slack.commands import SlashRequest

log = logging.getLogger("scrbot.slack.dashboard")

NOT_ADMIN_DASHBOARD = NOT_ADMIN.replace("reports are", "the dashboard is")
UNAVAILABLE = "Sorry, I couldn't make a dashboard link just now. Please try again in a few minutes."


async def dashboard_command(request: SlashRequest) -> None:
    """The same admins as `/learn report`; the link only ever goes in an ephemeral reply."""
    services = request.services
    if not (services.is_admin(request.user_id) or await is_workspace_admin(request.client, request.user_id)):
        await request.say_privately(NOT_ADMIN_DASHBOARD)
        return
    try:
        url = await issue_link(
            services,
            "slack",
            request.team_id,
            request.user_id,
            all_workspaces=services.is_admin(request.user_id),
        )
    except DashboardUnavailable as exc:
        await request.say_privately(str(exc))
        return
    except (SQLAlchemyError, OSError) as exc:
        log.warning("could not store a dashboard link: %s", type(exc).__name__)
        await request.say_privately(UNAVAILABLE)
        return
    await request.say_privately(link_message(url))


ROUTES = {"dashboard": dashboard_command}


def register(app: object, services: object) -> None:
    """The dashboard adds no buttons or modals to Slack: the link opens a browser."""
