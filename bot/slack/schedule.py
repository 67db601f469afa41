"""Weekly prompts in Slack: what Slack knows about a channel for a schedule command (which
bot.schedule.commands answers, said as `/learn schedule …` or to @scrbot), and telling the
admins when a channel can no longer be posted to."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.schedule.calendar import DEFAULT_TIMEZONE
from bot.schedule.commands import Channel
from bot.schedule.prompts import delivery_failure, failure_recipients
from bot.services import Services
from bot.slack.errors import error_code

log = logging.getLogger("scrbot.slack.schedule")


async def channel(client: AsyncWebClient, user_id: str, channel_id: str, *, who: str | None, command: str) -> Channel:
    """What Slack knows about `channel_id` for a schedule command. `who` is the person's name
    where Slack sent it (a slash command), else it is looked up."""
    person: dict[str, Any] = {} if who else await _user(client, user_id)

    async def caller_zone() -> str:
        found = person or await _user(client, user_id)
        return found.get("tz") or DEFAULT_TIMEZONE

    async def is_member() -> bool:
        return await _is_member(client, user_id, channel_id)

    async def cannot_post() -> str | None:
        return await _cannot_post(client, channel_id)

    return Channel(
        # Replies are escaped whole, so a live <@U…> mention would show as text: use the name.
        who=who or person.get("name") or "Someone",
        command=command,
        default_zone=caller_zone,
        is_member=is_member,
        cannot_post=cannot_post,
        thread_replies=True,
    )


async def _cannot_post(client: AsyncWebClient, channel_id: str) -> str | None:
    """Why scrbot cannot post prompts in `channel_id` (not invited, archived), or None."""
    invite = (
        "I'm not in this channel yet, so I can't post prompts here. Invite me with "
        "`/invite @scrbot` (or mention me and choose *Invite them*), then try again."
    )
    try:
        info = await client.conversations_info(channel=channel_id)
    except SlackApiError as exc:
        code = error_code(exc)
        if code in ("channel_not_found", "not_in_channel"):
            return invite
        log.warning("conversations.info failed for %s: %s", channel_id, code)
        return f"Slack did not answer just now (`{code}`), so nothing changed. Please try again."
    found = info.get("channel") or {}
    if found.get("is_archived"):
        return "This channel is archived, so it can't receive prompts."
    if not found.get("is_member", False):
        return invite
    return None


async def _is_member(client: AsyncWebClient, user_id: str, channel_id: str) -> bool:
    cursor = None
    while True:
        page = await client.conversations_members(channel=channel_id, limit=1000, cursor=cursor)
        if user_id in page.get("members", []):
            return True
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return False


async def _user(client: AsyncWebClient, user_id: str) -> dict[str, Any]:
    try:
        info = await client.users_info(user=user_id)
    except SlackApiError:
        return {}
    return info.get("user") or {}


async def notify_failure(services: Services, client: Any, subscription: Any, reason: str) -> None:
    """Tell the admins (and whoever set the schedule) that a channel could not be posted to."""
    text = delivery_failure(f"<#{subscription.channel_id}>", reason)
    for user in failure_recipients(subscription.created_by, services.settings.admins):
        try:
            await client.chat_postMessage(channel=user, text=text)
        except SlackApiError as exc:
            log.warning("could not tell %s about a failing channel: %s", user, error_code(exc))


ROUTES: dict[str, Any] = {}  # schedule is bot.router's text command


def register(app: AsyncApp, services: Services) -> None:
    """No buttons of its own: schedules are changed by command."""
