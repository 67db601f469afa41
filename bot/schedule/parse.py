"""Reading the text after `/learn schedule` into a command.

Words are matched case-insensitively; time zone names come back in their canonical IANA spelling.
Anything a person could mistype raises `ScheduleSyntaxError` with a message in plain words and an
example that works. Checks that need more than the text (is the date in the past, does the theme
exist) are for the caller.
"""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date

from bot.schedule.calendar import WEEKDAY_NAMES

COMMAND = "/learn schedule"
WEEKLY_EXAMPLE = f"{COMMAND} weekly monday 09:30 Europe/London"
USAGE = (
    f"Try one of these: `{COMMAND} weekly monday 09:30 Europe/London`, "
    f"`{COMMAND} pause until 2027-01-05`, `{COMMAND} resume`, `{COMMAND} off`, "
    f"`{COMMAND} preview`, `{COMMAND} bank holidays skip`, "
    f"`{COMMAND} exclude disguised-compliance`, `{COMMAND} quiz on`, or just `{COMMAND}` to see the schedule."
)

_DAY_ALIASES = {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{1,2}))?\s*(am|pm|a\.m\.|p\.m\.)?")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_THEME_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NAMED_TIMES = {"noon": (12, 0), "midday": (12, 0), "midnight": (0, 0)}
# Abbreviations people use that are not zone names; the zone switches to and from them itself.
_ABBREVIATIONS = {"bst": "Europe/London"}


class ScheduleSyntaxError(ValueError):
    """The schedule text could not be read; `message` says why and shows a working example."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SetWeekly:
    """Post every week on `weekday` (0 = Monday) at hour:minute; timezone None = the default."""

    weekday: int
    hour: int
    minute: int
    timezone: str | None = None


@dataclass(frozen=True)
class Pause:
    """Stop posting; prompts due on `until` or later are posted again."""

    until: date


@dataclass(frozen=True)
class Resume:
    """End a pause now."""


@dataclass(frozen=True)
class Off:
    """Stop the weekly prompt for this channel."""


@dataclass(frozen=True)
class Preview:
    """Show the next few themes and dates."""


@dataclass(frozen=True)
class Show:
    """Show the channel's current schedule."""


@dataclass(frozen=True)
class BankHolidays:
    """Skip (True) or post on (False) England and Wales bank holidays."""

    skip: bool


@dataclass(frozen=True)
class Exclude:
    """Never post this theme in this channel."""

    theme: str


@dataclass(frozen=True)
class Include:
    """Allow a previously excluded theme again."""

    theme: str


@dataclass(frozen=True)
class QuizPrompts:
    """Post the weekly prompt as a scenario quiz (True) or as the usual prompt (False)."""

    on: bool


ScheduleCommand = SetWeekly | Pause | Resume | Off | Preview | Show | BankHolidays | Exclude | Include | QuizPrompts


def parse_schedule(text: str) -> ScheduleCommand:
    """The command in the text after `/learn schedule`; ScheduleSyntaxError if it can't be read."""
    words = text.split()
    if not words:
        return Show()
    verb, rest = words[0].lower(), words[1:]
    if verb == "weekly":
        return _parse_weekly(rest)
    if verb == "pause":
        return _parse_pause(rest)
    if verb == "bank":
        return _parse_bank_holidays(rest)
    if verb in ("exclude", "include"):
        return _parse_theme_choice(verb, rest)
    if verb == "quiz":
        if [w.lower() for w in rest] not in (["on"], ["off"]):
            raise ScheduleSyntaxError(
                f"Use `{COMMAND} quiz on` (weekly prompts as a scenario quiz) or `{COMMAND} quiz off`."
            )
        return QuizPrompts(rest[0].lower() == "on")
    single_word_commands: dict[str, ScheduleCommand] = {
        "show": Show(),
        "preview": Preview(),
        "resume": Resume(),
        "off": Off(),
    }
    if verb in single_word_commands:
        if rest:
            raise ScheduleSyntaxError(f"`{verb}` doesn't take anything after it. Use just `{COMMAND} {verb}`.")
        return single_word_commands[verb]
    raise ScheduleSyntaxError(f"I don't know the schedule command `{words[0]}`. {USAGE}")


def _parse_weekly(words: list[str]) -> SetWeekly:
    if len(words) < 2:
        raise ScheduleSyntaxError(
            "Give a day and a time after `weekly`, and optionally a time zone. "
            f"For example: `{WEEKLY_EXAMPLE}` or `{COMMAND} weekly friday 2.30pm`."
        )
    weekday = _parse_weekday(words[0])
    time_words, zone_words = _split_time_and_zone(words[1:])
    hour, minute = _parse_time(time_words)
    timezone = _parse_zone(zone_words) if zone_words else None
    return SetWeekly(weekday, hour, minute, timezone)


def _split_time_and_zone(words: list[str]) -> tuple[str, list[str]]:
    # "9 am" arrives as two words; glue the am/pm back on.
    if len(words) >= 2 and words[1].lower() in ("am", "pm", "a.m.", "p.m."):
        return words[0] + words[1], words[2:]
    return words[0], words[1:]


def _parse_weekday(word: str) -> int:
    name = word.lower().rstrip(",")
    if name.endswith("days"):  # "mondays"
        name = name[:-1]
    for number, day in enumerate(WEEKDAY_NAMES):
        if name in (day, day[:3]):
            return number
    if name in _DAY_ALIASES:
        return _DAY_ALIASES[name]
    close = difflib.get_close_matches(name, WEEKDAY_NAMES, n=1, cutoff=0.6)
    if close:
        hint = f"Did you mean {close[0]}? "
    elif _TIME.fullmatch(name) or name in _NAMED_TIMES:
        hint = "Put the day before the time. "
    else:
        hint = "Use a day name such as monday or mon. "
    raise ScheduleSyntaxError(
        f'I don\'t recognise "{word}" as a day of the week. {hint}For example: `{WEEKLY_EXAMPLE}`.'
    )


def _parse_time(word: str) -> tuple[int, int]:
    text = word.lower()
    if text in _NAMED_TIMES:
        return _NAMED_TIMES[text]
    example = (
        f"Use a 24-hour time such as 09:30 or 14:00, or 9am or 2.30pm, for example `{COMMAND} weekly monday 09:30`"
    )
    match = _TIME.fullmatch(text)
    if match is None:
        raise ScheduleSyntaxError(f'I couldn\'t read "{word}" as a time. {example}.')
    hour, minutes, half = int(match[1]), match[2], match[3]
    minute = int(minutes) if minutes is not None else 0
    if minutes is not None and (len(minutes) != 2 or minute > 59):
        raise ScheduleSyntaxError(f'"{word}" isn\'t a time: minutes are two digits from 00 to 59. {example}.')
    if half is None:
        if minutes is None:
            raise ScheduleSyntaxError(
                f'"{word}" could be morning or afternoon. Add minutes or am/pm: '
                f"{hour:02d}:00, or {hour}am or {hour}pm, for example "
                f"`{COMMAND} weekly monday {hour}am`."
            )
        if hour > 23:
            raise ScheduleSyntaxError(f"There is no {word}: hours go from 00 to 23. {example}.")
        return hour, minute
    if not 1 <= hour <= 12:
        raise ScheduleSyntaxError(f'"{word}" isn\'t a time: with am or pm the hour goes from 1 to 12. {example}.')
    return hour % 12 + (12 if half.startswith("p") else 0), minute


def _parse_zone(words: list[str]) -> str:
    # "America/New York" arrives as two words; IANA names use underscores for spaces.
    name = "_".join(words)
    zones = _zones_by_lower_name()
    if name.lower() in zones:
        return zones[name.lower()]
    suggestion = _closest_zone(name)
    hint = (
        f"Did you mean {suggestion}? "
        if suggestion
        else "Use an IANA time zone name such as Europe/London or America/New_York. "
    )
    raise ScheduleSyntaxError(
        f'I don\'t know the time zone "{" ".join(words)}". {hint}'
        f"Or leave it out to use the default. For example: `{WEEKLY_EXAMPLE}`."
    )


def _closest_zone(name: str) -> str | None:
    wanted = name.lower()
    if wanted in _ABBREVIATIONS:
        return _ABBREVIATIONS[wanted]
    if "/" in wanted:
        zones = _zones_by_lower_name()
        close = difflib.get_close_matches(wanted, list(zones), n=1, cutoff=0.6)
        return zones[close[0]] if close else None
    # "London", "new_york", "Londn": people often type just the city.
    cities = _zones_by_lower_city()
    close = difflib.get_close_matches(wanted, list(cities), n=1, cutoff=0.75)
    return cities[close[0]] if close else None


@functools.cache
def _zones_by_lower_city() -> dict[str, str]:
    cities: dict[str, str] = {}
    # Prefer the shortest, then alphabetically first zone for a city ("Europe/London" over
    # "posix/Europe/London"-style duplicates).
    for zone in sorted(zoneinfo.available_timezones(), key=lambda z: (z.count("/"), z)):
        if "/" in zone:
            cities.setdefault(zone.rsplit("/", 1)[-1].lower(), zone)
    return cities


@functools.cache
def _zones_by_lower_name() -> dict[str, str]:
    return {zone.lower(): zone for zone in sorted(zoneinfo.available_timezones())}


def _parse_pause(words: list[str]) -> Pause:
    example = f"For example: `{COMMAND} pause until 2027-01-05`."
    if words and words[0].lower() == "until":
        words = words[1:]
    if not words:
        raise ScheduleSyntaxError(f"Say when to start posting again. {example}")
    if len(words) > 1:
        raise ScheduleSyntaxError(f"Give one date after `pause until`, written year-month-day. {example}")
    match = _DATE.fullmatch(words[0])
    if match is None:
        raise ScheduleSyntaxError(f'I couldn\'t read "{words[0]}" as a date. Write it year-month-day. {example}')
    try:
        return Pause(date(int(match[1]), int(match[2]), int(match[3])))
    except ValueError:
        raise ScheduleSyntaxError(f'"{words[0]}" isn\'t a real date. Write it year-month-day. {example}') from None


def _parse_bank_holidays(words: list[str]) -> BankHolidays:
    lowered = [word.lower() for word in words]
    if len(lowered) == 2 and lowered[0] in ("holidays", "holiday"):
        if lowered[1] == "skip":
            return BankHolidays(skip=True)
        if lowered[1] == "include":
            return BankHolidays(skip=False)
    raise ScheduleSyntaxError(
        f"Say whether to skip bank holidays or post on them: `{COMMAND} bank holidays skip` "
        f"or `{COMMAND} bank holidays include`."
    )


def _parse_theme_choice(verb: str, words: list[str]) -> Exclude | Include:
    example = f"For example: `{COMMAND} {verb} disguised-compliance`."
    if not words:
        raise ScheduleSyntaxError(f"Say which theme to {verb}. {example}")
    # "disguised compliance" is how people type the id "disguised-compliance".
    theme = "-".join(word.lower() for word in words).replace("_", "-")
    if _THEME_ID.fullmatch(theme) is None:
        raise ScheduleSyntaxError(
            f'"{" ".join(words)}" isn\'t a theme id: ids are lower-case words joined by hyphens. {example}'
        )
    return Exclude(theme) if verb == "exclude" else Include(theme)
