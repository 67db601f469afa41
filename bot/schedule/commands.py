"""What a schedule command does, for every platform: set, show, pause, resume, stop, bank
holidays, exclude/include a theme, thread replies. `answer` is the whole command, from the words
after "schedule" to the reply; an adapter only says what its platform knows about the channel
(a `Channel`: can scrbot post there, is the person a member, their time zone)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.clock import Clock
from bot.content import Catalogue
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
    QuizPrompts,
    Resume,
    ScheduleCommand,
    ScheduleSyntaxError,
    SetWeekly,
    Show,
    parse_schedule,
)

if TYPE_CHECKING:  # bot.schedule.service imports this module (through bot.services): types only
    from bot.schedule.service import WeeklyPrompts
    from bot.store import Store

CHANGES = (SetWeekly, Pause, Resume, Off, BankHolidays, Exclude, Include, QuizPrompts)
ONLY_ADMINS = "Only the scrbot admins configured by your organisation can change schedules. Ask one of them."
ONLY_MEMBERS = "Only members of this channel can change its weekly prompts."
ONLY_IN_CHANNELS = "Weekly prompts are for team channels. Ask me in the channel: {example}."
NO_STORE = "Weekly prompts need scrbot's database, and this server runs without one."
SET_ONE_FIRST = "Set a weekly schedule first."


async def _always() -> bool:
    return True


async def _nothing_in_the_way() -> str | None:
    return None


@dataclass(frozen=True)
class Channel:
    """What only the platform knows about the channel a schedule command was said in."""

    who: str  # how an announcement names the person: "Pat" (a name, never a live mention)
    command: str  # how to write the command here: "/learn schedule", "@scrbot schedule"
    default_zone: Callable[[], Awaitable[str]]  # the person's time zone, asked only when needed
    is_member: Callable[[], Awaitable[bool]] = _always  # asked only without configured admins
    # Why scrbot cannot post prompts here (not invited, archived), or None; asked before any change.
    cannot_post: Callable[[], Awaitable[str | None]] = _nothing_in_the_way
    conversation_ref: dict[str, Any] | None = None
    thread_replies: bool = False  # the platform can save thread replies to a prompt as reflections


async def answer(
    schedules: Schedules | None,
    admins: Collection[str],
    key: tuple[str, str, str],
    user_id: str,
    channel: Channel,
    words: str,
    *,
    in_a_team_place: bool,
) -> ScheduleResult:
    """The reply to "schedule <words>" from `user_id` in the conversation `key`; weekly prompts
    are refused outside a channel or group chat (`in_a_team_place`)."""
    thread_replies = words.lower().split()[:2] == ["thread", "replies"]
    try:
        command = None if thread_replies else parse_schedule(words)
    except ScheduleSyntaxError as exc:
        return say(exc.message.replace(COMMAND, channel.command))
    if not in_a_team_place:
        return say(ONLY_IN_CHANNELS.format(example=f"`{channel.command} weekly monday 09:30`"))
    if schedules is None:
        return say(NO_STORE)
    refused = await channel.cannot_post()
    if refused is None and (thread_replies or isinstance(command, CHANGES)):
        refused = await change_refused(admins, user_id, channel.is_member)
    if refused:
        return say(refused)
    request = ScheduleRequest(
        key, user_id, channel.who, channel.command, channel.default_zone, channel.conversation_ref
    )
    if command is None:
        return await _thread_replies(schedules, request, channel, words.lower().split()[2:])
    return await run_schedule_command(schedules, request, command)


async def _thread_replies(
    schedules: Schedules, request: ScheduleRequest, channel: Channel, words: list[str]
) -> ScheduleResult:
    if not channel.thread_replies or words not in (["on"], ["off"]):
        usage = f"Use `{request.command} thread replies on` or `… off`." if channel.thread_replies else ""
        return say(usage or "Thread replies to weekly prompts are not saved on this platform.")
    current = await schedules.store.get_subscription(*request.key)
    if current is None:
        return say(SET_ONE_FIRST)
    on = words == ["on"]
    await resubscribe(schedules, current, request.key, thread_replies_as_reflections=on)
    state = "will be saved as reflections (anonymously, after the privacy check)" if on else "will no longer be saved"
    return say(f"Thread replies to this channel's weekly prompt {state}.", public=True)


async def change_refused(admins: Collection[str], user_id: str, is_member: Callable[[], Awaitable[bool]]) -> str | None:
    """Who may change a channel's weekly prompts: with scrbot `admins` configured, only they;
    otherwise the channel's members. None when `user_id` may, else what to tell them.
    `is_member` is asked only when it matters (Slack has to page through the members)."""
    if admins:
        return None if user_id in admins else ONLY_ADMINS
    return None if await is_member() else ONLY_MEMBERS


@dataclass(frozen=True)
class Schedules:
    """What schedule commands work on: the store, the clock, the catalogue (to name themes) and
    the weekly prompts running in this process, if any (to reschedule a changed channel)."""

    store: Store
    clock: Clock
    catalogue: Catalogue
    prompts: WeeklyPrompts | None = None  # when they run here


@dataclass(frozen=True)
class ScheduleRequest:
    """Who asked, where, and how the platform names things."""

    key: tuple[str, str, str]  # (platform, workspace, channel)
    user_id: str
    who: str  # how an announcement names the person: "<@U1>" in Slack, "Pat" in Teams
    command: str  # "/learn schedule" or "@scrbot schedule", for examples in messages
    default_zone: Callable[[], Awaitable[str]]
    conversation_ref: dict[str, Any] | None = None


@dataclass(frozen=True)
class ScheduleResult:
    reply: Reply
    public: bool  # True: the channel should see it (a change); False: only the person


def say(text: str, public: bool = False) -> ScheduleResult:
    return ScheduleResult(Reply(kind="schedule", intro=text), public)


async def run_schedule_command(
    schedules: Schedules, request: ScheduleRequest, command: ScheduleCommand
) -> ScheduleResult:
    store = schedules.store
    key, now = request.key, schedules.clock.now()
    current = await store.get_subscription(*key)
    if isinstance(command, SetWeekly):
        subscription = await resubscribe(
            schedules,
            current,
            key,
            created_by=request.user_id,
            weekday=command.weekday,
            hour=command.hour,
            minute=command.minute,
            timezone=command.timezone or await request.default_zone(),
            conversation_ref=request.conversation_ref,
        )
        intro = f"{request.who} set weekly learning prompts for this channel."
        return ScheduleResult(await summary(schedules, subscription, intro), public=True)
    if current is None:
        return say(
            "This channel has no weekly prompts yet. Set them with "
            f"`{request.command} weekly monday 09:30 Europe/London`."
        )
    if isinstance(command, Show | Preview):
        return ScheduleResult(await summary(schedules, current, None), public=False)
    if isinstance(command, Off):
        await store.delete_subscription(*key)
        schedule_changed(schedules, None, key)
        return say(f"{request.who} turned weekly learning prompts off for this channel.", public=True)
    if isinstance(command, Pause):
        if command.until <= local_today(schedules, current.timezone):
            return say(f"The pause must end on a future date, e.g. `{request.command} pause until 2027-01-05`.")
        await store.set_paused_until(*key, command.until, now)
        schedule_changed(schedules, await store.get_subscription(*key), key)
        return say(f"{request.who} paused weekly prompts until {command.until:%A %-d %B %Y}.", public=True)
    if isinstance(command, Resume):
        await store.set_paused_until(*key, None, now)
        schedule_changed(schedules, await store.get_subscription(*key), key)
        return say(f"{request.who} resumed weekly prompts.", public=True)
    if isinstance(command, QuizPrompts):
        await resubscribe(schedules, current, key, quiz_prompts=command.on)
        style = (
            "a scenario quiz (answers private, the channel sees only the tally)" if command.on else "the usual prompt"
        )
        return say(f"{request.who} set this channel's weekly learning to come as {style}.", public=True)
    return await _change_options(schedules, current, command)


async def _change_options(
    schedules: Schedules, current: Any, command: BankHolidays | Exclude | Include
) -> ScheduleResult:
    key = (current.platform, current.workspace_id, current.channel_id)
    if isinstance(command, BankHolidays):
        await resubscribe(schedules, current, key, skip_bank_holidays=command.skip)
        verb = "will skip" if command.skip else "will post on"
        return say(f"Weekly prompts {verb} England and Wales bank holidays.")
    if schedules.catalogue.get(command.theme) is None:
        return say(f"There is no theme `{command.theme}`. Ask me for `themes` to see the list.")
    excluded = list(current.excluded_themes or [])
    if isinstance(command, Exclude):
        excluded = sorted(set(excluded) | {command.theme})
        if len(excluded) >= len(schedules.catalogue):
            return say("That would exclude every theme. Include one again first.")
        message = f"`{command.theme}` will not be posted in this channel."
    else:
        excluded = [t for t in excluded if t != command.theme]
        message = f"`{command.theme}` is back in this channel's rotation."
    await resubscribe(schedules, current, key, excluded_themes=excluded)
    return say(message)


async def resubscribe(schedules: Schedules, current: Any | None, key: tuple[str, str, str], **changes: Any) -> Any:
    """Store a subscription: the current settings with `changes` applied; reschedule its job."""
    settings: dict[str, Any] = {
        "weekday": current.weekday if current else None,
        "hour": current.hour if current else None,
        "minute": current.minute if current else None,
        "timezone": current.timezone if current else None,
        "created_by": current.created_by if current else None,
        "skip_bank_holidays": current.skip_bank_holidays if current else False,
        "excluded_themes": current.excluded_themes if current else (),
        "thread_replies_as_reflections": current.thread_replies_as_reflections if current else False,
        "quiz_prompts": current.quiz_prompts if current else False,
        "conversation_ref": None,  # None keeps the stored reference
    }
    settings.update({k: v for k, v in changes.items() if v is not None})  # the store keeps created_by
    subscription = await schedules.store.upsert_subscription(*key, now=schedules.clock.now(), **settings)
    schedule_changed(schedules, subscription, key)
    return subscription


async def summary(schedules: Schedules, subscription: Any, intro: str | None) -> Reply:
    """The channel's schedule and the next four prompts."""
    day = WEEKDAY_NAMES[subscription.weekday].capitalize()
    lines = [f"{day}s at {subscription.hour:02d}:{subscription.minute:02d} ({subscription.timezone})"]
    if subscription.quiz_prompts:
        lines.append("Posted as a scenario quiz")
    if subscription.skip_bank_holidays:
        lines.append("Skips England and Wales bank holidays")
    if subscription.paused_until:
        lines.append(f"Paused until {subscription.paused_until:%A %-d %B %Y}")
    if subscription.excluded_themes:
        lines.append("Excluded themes: " + ", ".join(subscription.excluded_themes))
    if subscription.last_error:
        lines.append(f"Last problem posting here: {subscription.last_error}")
    sections: tuple[Section, ...] = (Section("Schedule", bullets=tuple(lines)),)
    if schedules.prompts is not None:
        upcoming = []
        for when, theme_id in await schedules.prompts.upcoming(subscription, 4):
            theme = schedules.catalogue.get(theme_id)
            upcoming.append(f"{when:%a %-d %b %Y %H:%M}: {theme.title if theme else theme_id}")
        if upcoming:
            sections += (Section("Next prompts", bullets=tuple(upcoming)),)
    return Reply(kind="schedule", title="Weekly learning prompts", intro=intro, sections=sections)


def schedule_changed(schedules: Schedules, subscription: Any | None, key: tuple[str, str, str]) -> None:
    if schedules.prompts is not None:
        schedules.prompts.schedule_changed(subscription, key)


def local_today(schedules: Schedules, timezone: str):
    return schedules.clock.now().astimezone(zoneinfo.ZoneInfo(timezone)).date()
