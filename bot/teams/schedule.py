"""`@scrbot schedule …` in a Teams channel or group chat: set, show, pause or stop weekly prompts.

The words after `schedule` are read by the same parser as Slack's `/learn schedule`. The
subscription keeps the channel's conversation reference, which the prompt poster needs to post
there later without being asked.
"""

from __future__ import annotations

import logging
import zoneinfo
from typing import Any

from microsoft_agents.activity import Activity

from bot.replies import Reply, Section
from bot.schedule.calendar import WEEKDAY_NAMES
from bot.schedule.parse import (
    COMMAND,
    BankHolidays,
    Exclude,
    Include,
    Off,
    Pause,
    Preview,
    Resume,
    ScheduleSyntaxError,
    SetWeekly,
    Show,
    parse_schedule,
)
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
CHANGES = (SetWeekly, Pause, Resume, Off, BankHolidays, Exclude, Include)


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
    if isinstance(command, CHANGES) and not _may_change(services, activity):
        return _say("Only the scrbot admins configured by your organisation can change schedules. Ask one of them.")
    store = services.store
    if store is None:
        raise RuntimeError("schedules need a store: start scrbot with a database")
    key = channel_key(activity)
    current = await store.get_subscription(*key)
    now = services.clock.now()
    who = _name(activity)
    if isinstance(command, SetWeekly):
        subscription = await store.upsert_subscription(
            *key,
            weekday=command.weekday,
            hour=command.hour,
            minute=command.minute,
            timezone=command.timezone or _sender_zone(activity),
            created_by=sender_id(activity),
            now=now,
            skip_bank_holidays=current.skip_bank_holidays if current else False,
            excluded_themes=current.excluded_themes if current else (),
            thread_replies_as_reflections=current.thread_replies_as_reflections if current else False,
            conversation_ref=conversation_ref(activity),
        )
        _changed(services, subscription, key)
        return await summary(services, subscription, f"{who} set weekly learning prompts for this channel.")
    if current is None:
        return _say(
            "This channel has no weekly prompts yet. Set them with "
            f"`{TEAMS_COMMAND} weekly monday 09:30 Europe/London`."
        )
    if isinstance(command, Show | Preview):
        return await summary(services, current, None)
    if isinstance(command, Off):
        await store.delete_subscription(*key)
        _changed(services, None, key)
        return _say(f"{who} turned weekly learning prompts off for this channel.")
    if isinstance(command, Pause):
        if command.until <= _today(services, current):
            return _say(f"The pause must end on a future date, e.g. `{TEAMS_COMMAND} pause until 2027-01-05`.")
        await store.set_paused_until(*key, command.until, now)
        _changed(services, await store.get_subscription(*key), key)
        return _say(f"{who} paused weekly prompts until {command.until:%A %-d %B %Y}.")
    if isinstance(command, Resume):
        await store.set_paused_until(*key, None, now)
        _changed(services, await store.get_subscription(*key), key)
        return _say(f"{who} resumed weekly prompts.")
    return await _change_options(services, current, command)


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
    await services.store.upsert_subscription(
        *key,
        weekday=current.weekday,
        hour=current.hour,
        minute=current.minute,
        timezone=current.timezone,
        created_by=current.created_by,
        now=services.clock.now(),
        skip_bank_holidays=current.skip_bank_holidays,
        excluded_themes=current.excluded_themes,
        thread_replies_as_reflections=current.thread_replies_as_reflections,
        conversation_ref=ref,
    )
    log.info("refreshed the conversation reference of a subscribed Teams channel")
    return True


async def summary(services: Services, subscription: Any, intro: str | None) -> Reply:
    """The channel's schedule and the next few prompts."""
    day = WEEKDAY_NAMES[subscription.weekday].capitalize()
    lines = [f"{day}s at {subscription.hour:02d}:{subscription.minute:02d} ({subscription.timezone})"]
    if subscription.skip_bank_holidays:
        lines.append("Skips England and Wales bank holidays")
    if subscription.paused_until:
        lines.append(f"Paused until {subscription.paused_until:%A %-d %B %Y}")
    if subscription.excluded_themes:
        lines.append("Excluded themes: " + ", ".join(subscription.excluded_themes))
    if subscription.last_error:
        lines.append(f"Last problem posting here: {subscription.last_error}")
    sections: tuple[Section, ...] = (Section("Schedule", bullets=tuple(lines)),)
    prompts = getattr(services, "prompts", None)
    if prompts is not None:
        upcoming = []
        for when, theme_id in await prompts.upcoming(subscription, 4):
            theme = services.catalogue.get(theme_id)
            upcoming.append(f"{when:%a %-d %b %Y %H:%M}: {theme.title if theme else theme_id}")
        if upcoming:
            sections += (Section("Next prompts", bullets=tuple(upcoming)),)
    return Reply(kind="schedule", title="Weekly learning prompts", intro=intro, sections=sections)


async def _change_options(services: Services, current: Any, command: BankHolidays | Exclude | Include) -> Reply:
    excluded = list(current.excluded_themes or [])
    skip = current.skip_bank_holidays
    if isinstance(command, BankHolidays):
        skip = command.skip
        verb = "will skip" if skip else "will post on"
        message = f"Weekly prompts {verb} England and Wales bank holidays."
    else:
        if services.catalogue.get(command.theme) is None:
            return _say(f"There is no theme `{command.theme}`. Say `themes` to me for the list.")
        if isinstance(command, Exclude):
            excluded = sorted(set(excluded) | {command.theme})
            if len(excluded) >= len(services.catalogue):
                return _say("That would exclude every theme. Include one again first.")
            message = f"`{command.theme}` will not be posted in this channel."
        else:
            excluded = [t for t in excluded if t != command.theme]
            message = f"`{command.theme}` is back in this channel's rotation."
    assert services.store is not None
    key = (current.platform, current.workspace_id, current.channel_id)
    subscription = await services.store.upsert_subscription(
        *key,
        weekday=current.weekday,
        hour=current.hour,
        minute=current.minute,
        timezone=current.timezone,
        created_by=current.created_by,
        now=services.clock.now(),
        skip_bank_holidays=skip,
        excluded_themes=excluded,
        thread_replies_as_reflections=current.thread_replies_as_reflections,
    )
    _changed(services, subscription, key)
    return _say(message)


def _may_change(services: Services, activity: Activity) -> bool:
    # Whoever can post in the channel is a member of it; with admins configured, only they may.
    return not services.settings.admins or services.is_admin(sender_id(activity))


def _changed(services: Services, subscription: Any | None, key: tuple[str, str, str]) -> None:
    prompts = getattr(services, "prompts", None)
    if prompts is not None:
        prompts.schedule_changed(subscription, key)


def _sender_zone(activity: Activity) -> str:
    """The zone the sender's Teams client reports (an IANA name), if it is one we know."""
    zone = activity.local_timezone
    if not zone:
        return DEFAULT_TIMEZONE
    try:
        return zoneinfo.ZoneInfo(zone).key
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return DEFAULT_TIMEZONE


def _today(services: Services, subscription: Any):
    return services.clock.now().astimezone(zoneinfo.ZoneInfo(subscription.timezone)).date()


def _name(activity: Activity) -> str:
    sender = activity.from_property
    return (sender.name if sender and sender.name else None) or "Someone"


def _say(text: str) -> Reply:
    return Reply(kind="schedule", intro=text)
