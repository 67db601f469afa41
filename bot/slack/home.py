"""The App Home tab: what scrbot is, in two lines, and every theme to browse by name."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from bot.slack.render import MAX_BLOCKS, escape, header, reply_blocks, section

MAX_HOME_BLOCKS = 100


def home_view(
    services: Services, theme_id: str | None = None, mine: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The Home tab view, with one theme opened when `theme_id` is given and the person's own
    reflections (`mine`, from bot.slack.reflections.home_blocks) under the theme picker."""
    catalogue = services.catalogue
    options = [
        {"text": {"type": "plain_text", "text": t.title[:75]}, "value": t.id} for t in list(catalogue)[:100]
    ]
    command = escape(services.settings.slash_command)
    blocks: list[dict[str, Any]] = [
        header("scrbot: learning from Serious Case Reviews"),
        section(
            "Keeps the learning from child Serious Case Reviews in everyday practice.\n"
            f"Ask me in a direct message, mention me in a channel, or type `{command} <question>`. "
            "I am a learning tool, not a referral route: if a child is in immediate danger, call 999."
        ),
        {"type": "divider"},
        {
            "type": "section",
            "block_id": "browse",
            "text": {"type": "mrkdwn", "text": f"*Browse the {len(catalogue)} themes*"},
            "accessory": {
                "type": "static_select",
                "action_id": "home_pick_theme",
                "placeholder": {"type": "plain_text", "text": "Choose a theme"},
                "options": options,
            },
        },
    ]
    blocks += mine or []
    theme = catalogue.get(theme_id) if theme_id else None
    if theme is not None:
        blocks.append({"type": "divider"})
        blocks += reply_blocks(services.conversation.answer(theme))[: MAX_HOME_BLOCKS - len(blocks) - 1]
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}


def on_home_opened(services: Services):
    async def home_opened(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, logger) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event.get("user")
        mine, quiet = await _own_reflections(services, client, body.get("team_id"), user)
        await _publish(quiet, user, home_view(services, mine=mine), logger)

    return home_opened


def on_pick_theme(services: Services):
    async def pick_theme(ack, action: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, logger) -> None:
        await ack()
        theme_id = (action.get("selected_option") or {}).get("value")
        user = (body.get("user") or {}).get("id")
        mine, quiet = await _own_reflections(services, client, (body.get("team") or {}).get("id"), user)
        await _publish(quiet, user, home_view(services, theme_id, mine), logger)

    return pick_theme


async def _own_reflections(
    services: Services, client: AsyncWebClient, team: str | None, user: str | None
) -> tuple[list[dict[str, Any]], AsyncWebClient]:
    """The person's reflections for Home, and a client that never logs them (slack_sdk logs
    request bodies at DEBUG)."""
    from bot.slack import reflections

    return await reflections.home_blocks(services, team or "", user or ""), reflections.text_client(client)


async def _publish(client: AsyncWebClient, user: str | None, view: dict[str, Any], logger) -> None:
    if not user:
        return
    try:
        await client.views_publish(user_id=user, view=view)
    except SlackApiError as exc:
        logger.warning("views.publish failed: %s", exc.response.get("error") if exc.response else exc)


__all__ = ["home_view", "on_home_opened", "on_pick_theme", "MAX_BLOCKS"]
