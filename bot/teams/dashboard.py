"""`dashboard` to scrbot in a Teams 1:1 chat: an admin gets a one-time sign-in link to the web
dashboard. Teams has no workspace-admin lookup, so only the configured scrbot admins qualify;
who is an admin and what to say are bot.dashboard.signin's."""

from __future__ import annotations

from microsoft_agents.activity import Activity

from bot.dashboard import signin
from bot.services import Services
from bot.teams.activities import PERSONAL, conversation_kind, sender_id, tenant_id

NOT_ADMIN = signin.NOT_ADMIN.format(who=signin.SCRBOT_ADMINS)
ONLY_IN_CHAT = "Dashboard links are private: send me `dashboard` in a 1:1 chat with scrbot instead."
UNAVAILABLE = signin.UNAVAILABLE


def is_dashboard_command(text: str) -> bool:
    return text.strip().lower() == "dashboard"


async def handle(services: Services, activity: Activity) -> str:
    """What to say to `dashboard`: a link only in a 1:1 chat and only for an admin."""
    if conversation_kind(activity) != PERSONAL:
        return ONLY_IN_CHAT
    return await signin.answer(
        services.store,
        services.clock,
        "teams",
        tenant_id(activity),
        sender_id(activity),
        public_url=services.settings.public_url,
        admins=services.settings.admins,
    )
