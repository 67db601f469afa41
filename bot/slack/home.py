"""The App Home tab: what scrbot is, in two lines, and every theme to browse by name."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.schedule.calendar import WEEKDAY_NAMES
from bot.services import Services
from bot.slack import answers, reflections
from bot.slack.errors import error_code
from bot.slack.render import MAX_BLOCKS, escape, home_view, section


def on_home_opened(services: Services):
    async def home_opened(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, logger) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event.get("user")
        team = body.get("team_id")
        mine, quiet = await _own_reflections(services, client, team, user)
        schedules = await schedule_blocks(services, team, user)
        await _publish(quiet, user, home_view(services, mine=mine, schedules=schedules), logger)

    return home_opened


def on_pick_theme(services: Services):
    async def pick_theme(ack, action: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, logger) -> None:
        await ack()
        theme_id = (action.get("selected_option") or {}).get("value")
        user = (body.get("user") or {}).get("id")
        team = (body.get("team") or {}).get("id")
        mine, quiet = await _own_reflections(services, client, team, user)
        schedules = await schedule_blocks(services, team, user)
        await _publish(quiet, user, home_view(services, theme_id, mine, schedules), logger)

    return pick_theme


async def schedule_blocks(services: Services, team: str | None, user: str | None) -> list[dict[str, Any]]:
    """The channels whose weekly prompts this person set up, with day, time and state."""
    if services.store is None or not user:
        return []
    mine = [
        s
        for s in await services.store.list_subscriptions(active_only=False)
        if s.platform == "slack" and s.workspace_id == team and s.created_by == user
    ]
    if not mine:
        return []
    lines = []
    for sub in mine[:20]:
        day = WEEKDAY_NAMES[sub.weekday].capitalize()
        state = f", paused until {sub.paused_until:%-d %b %Y}" if sub.paused_until else ""
        problem = f", last problem: {escape(sub.last_error)}" if sub.last_error else ""
        lines.append(f"• <#{sub.channel_id}>: {day}s {sub.hour:02d}:{sub.minute:02d} {sub.timezone}{state}{problem}")
    return [{"type": "divider"}, section("*Weekly prompts you set up*\n" + "\n".join(lines))]


async def _own_reflections(
    services: Services, client: AsyncWebClient, team: str | None, user: str | None
) -> tuple[list[dict[str, Any]], AsyncWebClient]:
    """The person's reflections for Home, and a client that never logs them (slack_sdk logs
    request bodies at DEBUG)."""
    return await reflections.home_blocks(services, team or "", user or ""), answers.text_client(client)


async def _publish(client: AsyncWebClient, user: str | None, view: dict[str, Any], logger) -> None:
    if not user:
        return
    try:
        await client.views_publish(user_id=user, view=view)
    except SlackApiError as exc:
        logger.warning("views.publish failed: %s", error_code(exc))


__all__ = ["home_view", "on_home_opened", "on_pick_theme", "MAX_BLOCKS"]
