"""When a channel's weekly prompt is due, in the channel's own time zone.

Everything here is a pure decision: the current time is always an argument. A week is an ISO week
in the slot's zone, written "2026-W48"; that is the key the delivery ledger claims, so each channel
gets at most one prompt per week whatever the scheduler does around daylight-saving changes.

Aware datetimes are compared and subtracted in UTC on purpose: Python compares two datetimes that
share a tzinfo by wall clock alone, which is wrong across a daylight-saving change, and never finds
a time in the repeated fall-back hour equal to the same instant in another zone. Callers comparing
due times should do the same (`due.astimezone(UTC)`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

DEFAULT_TIMEZONE = "Europe/London"  # where a person, channel or week has no zone of its own
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_CATCH_UP = 52
"""The most due prompts `due_for_catch_up` returns: a year of weekly prompts."""

_CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEK_KEY = re.compile(r"(\d{4})-W(\d{2})")
_ONE_WEEK = timedelta(days=7)
# Samoa skipped a whole calendar day in 2011; no gap in the tz database is longer than that.
_LONGEST_GAP_MINUTES = 2 * 24 * 60


@dataclass(frozen=True)
class WeeklySlot:
    """A channel's weekly prompt time: weekday (0 = Monday), local hour and minute, IANA zone.

    `paused_until` is the first local date on which prompts are posted again (exclusive end of the
    pause): with `paused_until=date(2027, 1, 5)`, a prompt due on 5 January 2027 is posted.
    """

    weekday: int
    hour: int
    minute: int
    timezone: str
    skip_bank_holidays: bool = False
    paused_until: date | None = None

    def __post_init__(self) -> None:
        _check_whole_number("weekday", self.weekday, 0, 6, " (0 = Monday ... 6 = Sunday)")
        _check_whole_number("hour", self.hour, 0, 23)
        _check_whole_number("minute", self.minute, 0, 59)
        load_zone(self.timezone)
        if self.paused_until is not None and (
            isinstance(self.paused_until, datetime) or not isinstance(self.paused_until, date)
        ):
            raise ValueError(f"paused_until must be a date such as date(2027, 1, 5), got {self.paused_until!r}")

    @property
    def zone(self) -> ZoneInfo:
        """The slot's time zone."""
        return load_zone(self.timezone)


class DuePrompt(NamedTuple):
    """A prompt that fell due while nobody was watching, from `due_for_catch_up`."""

    week: str
    due: datetime
    within_grace: bool
    """True: post it now. False: it is too late; record the week as missed."""


def load_zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA zone name, or ValueError naming the bad zone."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"time zone must be an IANA name such as 'Europe/London', got {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as 'Europe/London'") from error


def week_key(moment: datetime, tz: str) -> str:
    """The ISO week of `moment` as seen in zone `tz`, e.g. "2026-W48"."""
    _require_aware("moment", moment)
    return _week_key_of(moment.astimezone(load_zone(tz)).date())


def week_monday(key: str) -> date:
    """The Monday that starts ISO week `key` ("2026-W48"); ValueError if there is no such week."""
    match = _WEEK_KEY.fullmatch(key)
    if match is None:
        raise ValueError(f"week key must look like '2026-W48', got {key!r}")
    year, week = int(match[1]), int(match[2])
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError as error:
        raise ValueError(f"{key!r} is not a week: {year} has no ISO week {week}") from error


def occurrence_in_week(slot: WeeklySlot, week_key: str) -> datetime:
    """When `slot` falls due in ISO week `week_key`, as an aware datetime in the slot's zone.

    The local wall-clock time is kept across daylight-saving changes. A time that does not exist
    (inside a spring-forward gap) moves forward to the first time that does; a time that happens
    twice (fall-back) means the first of the two.
    """
    return _due_in_week(slot, week_monday(week_key))


def is_skipped(slot: WeeklySlot, local_date: date) -> str | None:
    """Why the prompt due on `local_date` (in the slot's zone) is not posted, or None if it is.

    A pause covers dates before `paused_until` only; bank holidays are England and Wales ones and
    only count when the slot has `skip_bank_holidays`.
    """
    if slot.paused_until is not None and local_date < slot.paused_until:
        return f"paused until {slot.paused_until.isoformat()}"
    if slot.skip_bank_holidays:
        name = bank_holiday_name(local_date)
        if name is not None:
            return f"bank holiday: {name}"
    return None


def bank_holiday_name(day: date) -> str | None:
    """The England and Wales bank holiday on `day` ("Christmas Day"), or None."""
    return _bank_holidays_in(day.year).get(day)


def next_occurrences(slot: WeeklySlot, after: datetime, count: int) -> list[datetime]:
    """The next `count` times the prompt is posted, strictly after `after`.

    Paused and bank-holiday weeks are left out, not moved to another day. The list is shorter
    than `count` only if the calendar runs out (a pause until the year 9999).
    """
    _require_aware("after", after)
    if count < 0:
        raise ValueError(f"count must be 0 or more, got {count}")
    after_utc = after.astimezone(UTC)
    monday = week_monday(week_key(after, slot.timezone))
    found: list[datetime] = []
    try:
        while len(found) < count:
            due = _due_in_week(slot, monday)
            if due.astimezone(UTC) > after_utc and is_skipped(slot, due.date()) is None:
                found.append(due)
            monday = _next_monday_worth_checking(slot, monday, due.date())
    except OverflowError:
        pass
    return found


def due_for_catch_up(slot: WeeklySlot, last_checked: datetime, now: datetime, grace: timedelta) -> list[DuePrompt]:
    """The prompts that fell due in (last_checked, now] and were not skipped, oldest first.

    Each is marked `within_grace` when `now - due <= grace` (post it on recovery); the others are
    to be recorded as missed. Only the most recent `MAX_CATCH_UP` (52) are returned.
    """
    _require_aware("last_checked", last_checked)
    _require_aware("now", now)
    if grace < timedelta(0):
        raise ValueError(f"grace must not be negative, got {grace}")
    since, until = last_checked.astimezone(UTC), now.astimezone(UTC)
    found: list[DuePrompt] = []
    # Walk backwards from this week so a long outage keeps the most recent weeks.
    monday = week_monday(week_key(now, slot.timezone))
    try:
        while len(found) < MAX_CATCH_UP:
            due = _due_in_week(slot, monday)
            due_utc = due.astimezone(UTC)
            if due_utc <= since:
                break
            if due_utc <= until:
                if is_skipped(slot, due.date()) is None:
                    within_grace = until - due_utc <= grace
                    found.append(DuePrompt(_week_key_of(monday), due, within_grace))
                elif slot.paused_until is not None and due.date() < slot.paused_until:
                    break  # every earlier week is inside the pause too
            monday -= _ONE_WEEK
    except OverflowError:
        pass
    found.reverse()
    return found


def cron_fields(slot: WeeklySlot) -> dict[str, object]:
    """Keyword arguments for APScheduler 3's `CronTrigger(**cron_fields(slot))`.

    The trigger knows nothing of pauses or bank holidays: check `is_skipped` when it fires. In the
    repeated fall-back hour APScheduler 3.11 fires twice, and inside a spring-forward gap it fires
    at the shifted instant; claim the week in the delivery ledger so only one post goes out.
    """
    return {
        "day_of_week": _CRON_DAYS[slot.weekday],
        "hour": slot.hour,
        "minute": slot.minute,
        "timezone": slot.zone,
    }


def _week_key_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _due_in_week(slot: WeeklySlot, monday: date) -> datetime:
    day = monday + timedelta(days=slot.weekday)
    return _first_valid_local_time(datetime.combine(day, time(slot.hour, slot.minute)), slot.zone)


def _first_valid_local_time(wall: datetime, zone: ZoneInfo) -> datetime:
    # fold=0 is the first of a repeated time, which is what we want in the fall-back hour.
    for minutes in range(_LONGEST_GAP_MINUTES):
        candidate = (wall + timedelta(minutes=minutes)).replace(tzinfo=zone, fold=0)
        if _exists(candidate):
            return candidate
    raise ValueError(f"{wall:%Y-%m-%d %H:%M} never happens in {zone.key}")  # pragma: no cover


def _exists(local: datetime) -> bool:
    round_trip = local.astimezone(UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def _next_monday_worth_checking(slot: WeeklySlot, monday: date, due_date: date) -> date:
    following = monday + _ONE_WEEK
    if slot.paused_until is not None and due_date < slot.paused_until:
        # Jump straight to the week the pause ends instead of stepping through it.
        pause_ends_week = slot.paused_until - timedelta(days=slot.paused_until.weekday())
        return max(following, pause_ends_week)
    return following


@functools.lru_cache(maxsize=32)
def _bank_holidays_in(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def _require_aware(name: str, moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {moment!r}")


def _check_whole_number(name: str, value: object, low: int, high: int, hint: str = "") -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}{hint}, got {value!r}")
