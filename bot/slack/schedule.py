"""`/learn schedule …` in a Slack channel: set, show, pause, preview or stop weekly prompts."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.replies import Reply
from bot.schedule.commands import CHANGES, ScheduleRequest, change_refused, resubscribe, run_schedule_command
from bot.schedule.parse import ScheduleSyntaxError, parse_schedule
from bot.services import Services
from bot.slack.commands import SlashRequest
from bot.slack.errors import error_code
from bot.slack.render import escape

log = logging.getLogger("scrbot.slack.schedule")
PLATFORM = "slack"
DEFAULT_TIMEZONE = "Europe/London"


async def handle(request: SlashRequest) -> None:
    services = request.services
    text = request.args.strip()
    if text.lower().startswith("thread replies"):
        await _thread_replies(request, text.lower().split()[2:])
        return
    try:
        command = parse_schedule(text)
    except ScheduleSyntaxError as exc:  # the message quotes the person's words: make them inert
        await request.say_privately(escape(exc.message))
        return
    if not await _bot_is_in_channel(request):
        return
    if isinstance(command, CHANGES) and not await _may_change(request):
        return

    async def caller_zone() -> str:
        return await _caller_zone(request) or DEFAULT_TIMEZONE

    schedule_request = ScheduleRequest(
        key=(PLATFORM, request.team_id, request.channel_id),
        user_id=request.user_id,
        # Replies are escaped whole, so a live <@U…> mention would show as text: use the name.
        who=str(request.command.get("user_name") or "Someone"),
        command=f"{services.settings.slash_command} schedule",
        default_zone=caller_zone,
    )
    result = await run_schedule_command(services.schedules(), schedule_request, command)
    if result.public:
        await request.say_in_channel(result.reply)
    else:
        await request.say_privately(result.reply)


async def _thread_replies(request: SlashRequest, words: list[str]) -> None:
    services, store = request.services, request.services.store
    assert store is not None, "schedules need a store"
    if words not in (["on"], ["off"]):
        await request.say_privately(f"Use `{services.settings.slash_command} schedule thread replies on` or `… off`.")
        return
    if not await _bot_is_in_channel(request) or not await _may_change(request):
        return
    key = (PLATFORM, request.team_id, request.channel_id)
    current = await store.get_subscription(*key)
    if current is None:
        await request.say_privately("Set a weekly schedule first.")
        return
    on = words == ["on"]
    await resubscribe(services.schedules(), current, key, thread_replies_as_reflections=on)
    state = "will be saved as reflections (anonymously, after the privacy check)" if on else "will no longer be saved"
    await request.say_in_channel(
        Reply(kind="schedule", intro=f"Thread replies to this channel's weekly prompt {state}.")
    )


async def _bot_is_in_channel(request: SlashRequest) -> bool:
    invite = (
        "I'm not in this channel yet, so I can't post prompts here. Invite me with "
        "`/invite @scrbot` (or mention me and choose *Invite them*), then try again."
    )
    if request.channel_id.startswith("D"):
        await request.say_privately("Weekly prompts are for team channels. Run this command in the channel.")
        return False
    try:
        info = await request.client.conversations_info(channel=request.channel_id)
    except SlackApiError as exc:
        code = error_code(exc)
        if code in ("channel_not_found", "not_in_channel"):
            await request.say_privately(invite)
            return False
        log.warning("conversations.info failed for %s: %s", request.channel_id, code)
        await request.say_privately(f"Slack did not answer just now (`{code}`), so nothing changed. Please try again.")
        return False
    channel = info.get("channel") or {}
    if channel.get("is_archived"):
        await request.say_privately("This channel is archived, so it can't receive prompts.")
        return False
    if not channel.get("is_member", False):
        await request.say_privately(invite)
        return False
    return True


async def _may_change(request: SlashRequest) -> bool:
    async def is_member() -> bool:
        cursor = None
        while True:
            page = await request.client.conversations_members(channel=request.channel_id, limit=1000, cursor=cursor)
            if request.user_id in page.get("members", []):
                return True
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return False

    refused = await change_refused(request.services.settings.admins, request.user_id, is_member)
    if refused:
        await request.say_privately(refused)
    return refused is None


async def _caller_zone(request: SlashRequest) -> str | None:
    try:
        info = await request.client.users_info(user=request.user_id)
    except SlackApiError:
        return None
    return (info.get("user") or {}).get("tz")


async def notify_failure(services: Services, client: Any, subscription: Any, reason: str) -> None:
    """Tell the admins (and whoever set the schedule) that a channel could not be posted to."""
    text = f"scrbot could not post this week's learning prompt to <#{subscription.channel_id}>: `{reason}`. " + {
        "not_in_channel": "Invite scrbot back into the channel (`/invite @scrbot`).",
        "channel_not_found": "The channel may have been deleted or made private without scrbot.",
        "is_archived": "The channel is archived; remove its schedule or unarchive it.",
    }.get(
        reason, "Weekly prompts for this workspace are stopped until the app is reinstalled or its schedule set again."
    )
    recipients = {*services.settings.admins, subscription.created_by}
    for user in sorted(r for r in recipients if r):
        try:
            await client.chat_postMessage(channel=user, text=text)
        except SlackApiError as exc:
            log.warning("could not tell %s about a failing channel: %s", user, error_code(exc))


ROUTES = {"schedule": handle}


def register(app: AsyncApp, services: Services) -> None:
    """No buttons of its own: schedules are changed by command."""
