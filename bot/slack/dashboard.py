"""`/learn dashboard`: an admin gets a one-time sign-in link to the web dashboard, privately.
Who is an admin and what to say are bot.dashboard.signin's; Slack adds its workspace admins."""

from __future__ import annotations

from bot.dashboard import signin
from bot.slack.answers import is_workspace_admin
from bot.slack.commands import SlashRequest

NOT_ADMIN_DASHBOARD = signin.NOT_ADMIN.format(who=signin.PLATFORM_AND_SCRBOT_ADMINS)
UNAVAILABLE = signin.UNAVAILABLE


async def dashboard_command(request: SlashRequest) -> None:
    """The same admins as `/learn report`; the link only ever goes in an ephemeral reply."""

    async def workspace_admin() -> bool:
        return await is_workspace_admin(request.client, request.user_id)

    services = request.services
    said = await signin.answer(
        services.store,
        services.clock,
        "slack",
        request.team_id,
        request.user_id,
        public_url=services.settings.public_url,
        admins=services.settings.admins,
        platform_admin=workspace_admin,
    )
    await request.say_privately(said)


ROUTES = {"dashboard": dashboard_command}


def register(app: object, services: object) -> None:
    """The dashboard adds no buttons or modals to Slack: the link opens a browser."""
