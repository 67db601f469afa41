"""`/learn schedule …` in a Slack channel: set, show, pause, preview or stop weekly prompts."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.replies import Reply, Section
from bot.schedule.calendar import WEEKDAY_NAMES
from bot.schedule.parse import (
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
from bot.slack.app import error_code
from bot.slack.commands import SlashRequest

log = logging.getLogger("scrbot.slack.schedule")
PLATFORM = "slack"
CHANGES = (SetWeekly, Pause, Resume, Off, BankHolidays, Exclude, Include)


async def handle(request: SlashRequest) -> None:
    services = request.services
    text = request.args.strip()
    if text.lower().startswith("thread replies"):
        await _thread_replies(request, text.lower().split()[2:])
        return
    try:
        command = parse_schedule(text)
    except ScheduleSyntaxError as exc:
        await request.say_privately(exc.message)
        return
    if not await _bot_is_in_channel(request):
        return
    if isinstance(command, CHANGES) and not await _may_change(request):
        return
    store = services.store
    assert store is not None
    key = (PLATFORM, request.team_id, request.channel_id)
    current = await store.get_subscription(*key)
    now = services.clock.now()
    if isinstance(command, SetWeekly):
        zone = command.timezone or await _caller_zone(request) or "Europe/London"
        subscription = await store.upsert_subscription(
            *key,
            weekday=command.weekday,
            hour=command.hour,
            minute=command.minute,
            timezone=zone,
            created_by=request.user_id,
            now=now,
            skip_bank_holidays=current.skip_bank_holidays if current else False,
            excluded_themes=current.excluded_themes if current else (),
            thread_replies_as_reflections=current.thread_replies_as_reflections if current else False,
        )
        _changed(services, subscription, key)
        await request.say_in_channel(
            await _summary(
                services, subscription, f"<@{request.user_id}> set weekly learning prompts for this channel."
            )
        )
        return
    if current is None:
        await request.say_privately(
            "This channel has no weekly prompts yet. Set them with "
            f"`{services.settings.slash_command} schedule weekly monday 09:30 Europe/London`."
        )
        return
    if isinstance(command, Show | Preview):
        await request.say_privately(await _summary(services, current, None))
    elif isinstance(command, Off):
        await store.delete_subscription(*key)
        _changed(services, None, key)
        await request.say_in_channel(
            Reply(kind="schedule", intro=f"<@{request.user_id}> turned weekly learning prompts off for this channel.")
        )
    elif isinstance(command, Pause):
        if command.until <= _today(services, current):
            await request.say_privately("The pause must end on a future date, e.g. `schedule pause until 2027-01-05`.")
            return
        await store.set_paused_until(*key, command.until, now)
        await request.say_in_channel(
            Reply(
                kind="schedule", intro=f"<@{request.user_id}> paused weekly prompts until {command.until:%A %-d %B %Y}."
            )
        )
        _changed(services, await store.get_subscription(*key), key)
    elif isinstance(command, Resume):
        await store.set_paused_until(*key, None, now)
        _changed(services, await store.get_subscription(*key), key)
        await request.say_in_channel(Reply(kind="schedule", intro=f"<@{request.user_id}> resumed weekly prompts."))
    else:
        await _change_options(request, current, command)


async def _change_options(request: SlashRequest, current: Any, command: Any) -> None:
    services, store = request.services, request.services.store
    excluded = list(current.excluded_themes or [])
    skip = current.skip_bank_holidays
    if isinstance(command, BankHolidays):
        skip = command.skip
        note = "will skip" if skip else "will post on"
        message = f"Weekly prompts {note} England and Wales bank holidays."
    else:
        if services.catalogue.get(command.theme) is None:
            await request.say_privately(
                f"There is no theme `{command.theme}`. Type `{services.settings.slash_command} themes` for the list."
            )
            return
        if isinstance(command, Exclude):
            excluded = sorted(set(excluded) | {command.theme})
            if len(excluded) >= len(services.catalogue):
                await request.say_privately("That would exclude every theme. Include one again first.")
                return
            message = f"`{command.theme}` will not be posted in this channel."
        else:
            excluded = [t for t in excluded if t != command.theme]
            message = f"`{command.theme}` is back in this channel's rotation."
    subscription = await store.upsert_subscription(
        current.platform,
        current.workspace_id,
        current.channel_id,
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
    _changed(services, subscription, (current.platform, current.workspace_id, current.channel_id))
    await request.say_privately(message)


async def _thread_replies(request: SlashRequest, words: list[str]) -> None:
    services, store = request.services, request.services.store
    if words not in (["on"], ["off"]):
        await request.say_privately(f"Use `{services.settings.slash_command} schedule thread replies on` or `… off`.")
        return
    if not await _bot_is_in_channel(request) or not await _may_change(request):
        return
    current = await store.get_subscription(PLATFORM, request.team_id, request.channel_id)
    if current is None:
        await request.say_privately("Set a weekly schedule first.")
        return
    on = words == ["on"]
    await store.upsert_subscription(
        current.platform,
        current.workspace_id,
        current.channel_id,
        weekday=current.weekday,
        hour=current.hour,
        minute=current.minute,
        timezone=current.timezone,
        created_by=current.created_by,
        now=services.clock.now(),
        skip_bank_holidays=current.skip_bank_holidays,
        excluded_themes=current.excluded_themes,
        thread_replies_as_reflections=on,
    )
    state = "will be saved as reflections (anonymously, after the privacy check)" if on else "will no longer be saved"
    await request.say_in_channel(
        Reply(kind="schedule", intro=f"Thread replies to this channel's weekly prompt {state}.")
    )


def _changed(services: Services, subscription: Any | None, key: tuple[str, str, str]) -> None:
    prompts = getattr(services, "prompts", None)
    if prompts is not None:
        prompts.schedule_changed(subscription, key)


def _today(services: Services, subscription: Any):
    from zoneinfo import ZoneInfo

    return services.clock.now().astimezone(ZoneInfo(subscription.timezone)).date()


async def _summary(services: Services, subscription: Any, intro: str | None) -> Reply:
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
    prompts = getattr(services, "prompts", None)
    upcoming: list[str] = []
    if prompts is not None:
        for when, theme_id in await prompts.upcoming(subscription, 4):
            theme = services.catalogue.get(theme_id)
            upcoming.append(f"{when:%a %-d %b %Y %H:%M}: {theme.title if theme else theme_id}")
    sections = (Section("Schedule", bullets=tuple(lines)),)
    if upcoming:
        sections += (Section("Next prompts", bullets=tuple(upcoming)),)
    return Reply(kind="schedule", title="Weekly learning prompts", intro=intro, sections=sections)


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
        raise
    channel = info.get("channel") or {}
    if channel.get("is_archived"):
        await request.say_privately("This channel is archived, so it can't receive prompts.")
        return False
    if not channel.get("is_member", False):
        await request.say_privately(invite)
        return False
    return True


async def _may_change(request: SlashRequest) -> bool:
    services = request.services
    if services.settings.admins:
        if services.is_admin(request.user_id):
            return True
        await request.say_privately(
            "Only the scrbot admins configured by your organisation can change schedules. Ask one of them."
        )
        return False
    cursor = None
    while True:
        page = await request.client.conversations_members(channel=request.channel_id, limit=1000, cursor=cursor)
        if request.user_id in page.get("members", []):
            return True
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    await request.say_privately("Only members of this channel can change its weekly prompts.")
    return False


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
