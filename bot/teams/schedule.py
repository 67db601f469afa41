"""`@scrbot schedule …` in a Teams channel or group chat: set, show, pause or stop weekly prompts.

The words after `schedule` are read by the same parser as Slack's `/learn schedule`. The
subscription keeps the channel's conversation reference, which the prompt poster needs to post
there later without being asked.
"""

from __future__ import annotations

import logging
import zoneinfo

from microsoft_agents.activity import Activity

from bot.reflections.service import store_errors
from bot.replies import Reply
from bot.schedule.commands import CHANGES, ScheduleRequest, change_refused, resubscribe, run_schedule_command
from bot.schedule.parse import COMMAND, ScheduleSyntaxError, parse_schedule
from bot.services import Services
from bot.teams.activities import (
    PERSONAL,
    channel_key,
    conversation_kind,
    conversation_ref,
    sender_id,
)

log = logging.getLogger("scrbot.teams.schedule")

DEFAULT_TIMEZONE = "Europe/London"
TEAMS_COMMAND = "@scrbot schedule"


def is_schedule_command(text: str) -> bool:
    words = text.split(maxsplit=1)
    return bool(words) and words[0].lower() == "schedule"


async def handle(services: Services, activity: Activity, text: str) -> Reply:
    """Run the schedule command in `text` ("schedule weekly monday 09:30 Europe/London")."""
    args = text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""
    try:
        command = parse_schedule(args)
    except ScheduleSyntaxError as exc:
        return _say(exc.message.replace(COMMAND, TEAMS_COMMAND))
    if conversation_kind(activity) == PERSONAL:
        return _say(
            f"Weekly prompts are for team channels. Mention me in the channel: `{TEAMS_COMMAND} weekly monday 09:30`."
        )
    if isinstance(command, CHANGES):
        refused = await change_refused(services.settings.admins, sender_id(activity), _is_member)
        if refused:
            return _say(refused)

    async def sender_zone() -> str:
        return _sender_zone(activity)

    request = ScheduleRequest(
        key=channel_key(activity),
        user_id=sender_id(activity),
        who=_name(activity),
        command=TEAMS_COMMAND,
        default_zone=sender_zone,
        conversation_ref=conversation_ref(activity),
    )
    return (await run_schedule_command(services.schedules(), request, command)).reply


async def refresh_reference(services: Services, activity: Activity) -> bool:
    """Keep a subscribed channel's conversation reference current (Teams can move a team to
    another service URL); True if it changed. Unchanged references are not rewritten."""
    if services.store is None or conversation_kind(activity) == PERSONAL:
        return False
    key = channel_key(activity)
    current = await services.store.get_subscription(*key)
    ref = conversation_ref(activity)
    if current is None or current.conversation_ref == ref:
        return False
    await resubscribe(services.schedules(), current, key, conversation_ref=ref)
    log.info("refreshed the conversation reference of a subscribed Teams channel")
    return True


async def remember_conversation(services: Services, activity: Activity) -> None:
    """scrbot was installed here: keep the conversation's reference, so a later schedule or
    proactive message can reach it. A 1:1 chat is kept under the person's pseudonymous key,
    which forget me deletes."""
    if services.store is None:
        return
    platform, workspace_id, conversation_id = channel_key(activity)
    kind = conversation_kind(activity)
    person = (await services.person_keys())(workspace_id, sender_id(activity)) if kind == PERSONAL else None
    with store_errors():
        await services.store.save_conversation(
            platform,
            workspace_id,
            conversation_id,
            kind=kind,
            conversation_ref=conversation_ref(activity),
            now=services.clock.now(),
            person_key=person,
        )


async def forget_conversation(services: Services, activity: Activity) -> bool:
    """scrbot was removed from here: drop the kept reference; False if there was none."""
    if services.store is None:
        return False
    with store_errors():
        return await services.store.delete_conversation(*channel_key(activity))


async def _is_member() -> bool:
    return True  # whoever can post in a Teams channel or group chat is a member of it


def _sender_zone(activity: Activity) -> str:
    """The zone the sender's Teams client reports (an IANA name), if it is one we know."""
    zone = activity.local_timezone
    if not zone:
        return DEFAULT_TIMEZONE
    try:
        return zoneinfo.ZoneInfo(zone).key
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return DEFAULT_TIMEZONE


def _name(activity: Activity) -> str:
    sender = activity.from_property
    return (sender.name if sender and sender.name else None) or "Someone"


def _say(text: str) -> Reply:
    return Reply(kind="schedule", intro=text)
