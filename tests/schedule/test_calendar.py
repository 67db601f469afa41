from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.triggers.cron import CronTrigger

from bot.schedule.calendar import (
    MAX_CATCH_UP,
    DuePrompt,
    WeeklySlot,
    bank_holiday_name,
    cron_fields,
    due_for_catch_up,
    is_skipped,
    next_occurrences,
    occurrence_in_week,
    week_key,
    week_monday,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
MON, TUE, FRI, SAT, SUN = 0, 1, 4, 5, 6
SIX_HOURS = timedelta(hours=6)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


# WeeklySlot validation


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"weekday": 7}, "weekday must be a whole number from 0 to 6"),
        ({"weekday": -1}, "weekday must be a whole number from 0 to 6"),
        ({"weekday": True}, "weekday must be a whole number"),
        ({"hour": 24}, "hour must be a whole number from 0 to 23"),
        ({"hour": 9.5}, "hour must be a whole number"),
        ({"minute": 60}, "minute must be a whole number from 0 to 59"),
        ({"timezone": "Europe/Londn"}, "unknown time zone 'Europe/Londn'"),
        ({"timezone": ""}, "time zone must be an IANA name"),
        ({"timezone": "../../etc/passwd"}, "unknown time zone"),
        ({"paused_until": datetime(2027, 1, 5)}, "paused_until must be a date"),
        ({"paused_until": "2027-01-05"}, "paused_until must be a date"),
    ],
)
def test_a_slot_with_a_bad_field_is_refused_with_a_clear_message(fields, complaint):
    good = {"weekday": MON, "hour": 9, "minute": 30, "timezone": "Europe/London"}
    with pytest.raises(ValueError, match=complaint.replace("(", r"\(").replace(".", r"\.")):
        WeeklySlot(**(good | fields))


def test_a_valid_slot_keeps_its_fields_and_knows_its_zone():
    slot = WeeklySlot(SUN, 0, 0, "America/New_York", skip_bank_holidays=True)
    assert slot.zone == NEW_YORK
    assert (slot.weekday, slot.hour, slot.minute) == (SUN, 0, 0)


# Week keys


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 31), "2026-W53"),
        (date(2027, 1, 1), "2026-W53"),
        (date(2027, 1, 3), "2026-W53"),
        (date(2027, 1, 4), "2027-W01"),
        (date(2025, 12, 29), "2026-W01"),
        (date(2024, 12, 30), "2025-W01"),
        (date(2021, 1, 3), "2020-W53"),
        (date(2026, 3, 2), "2026-W10"),
        (date(2026, 11, 23), "2026-W48"),
    ],
)
def test_week_keys_around_new_year_follow_iso_weeks(day, expected):
    moment = datetime(day.year, day.month, day.day, 12, 0, tzinfo=LONDON)
    year, week, _ = day.isocalendar()
    assert week_key(moment, "Europe/London") == expected == f"{year}-W{week:02d}"


def test_the_week_key_is_the_week_in_the_channels_own_zone():
    # Sunday 23:30 in London is already Monday in Berlin and still Sunday in New York.
    moment = datetime(2027, 1, 3, 23, 30, tzinfo=UTC)
    assert week_key(moment, "Europe/London") == "2026-W53"
    assert week_key(moment, "Europe/Berlin") == "2027-W01"
    assert week_key(datetime(2027, 1, 4, 3, 0, tzinfo=UTC), "America/New_York") == "2026-W53"


def test_a_naive_moment_has_no_week():
    with pytest.raises(ValueError, match="timezone-aware"):
        week_key(datetime(2026, 1, 1, 9, 0), "Europe/London")


@pytest.mark.parametrize("key", ["2026-48", "2026-W4", "W48", "2027-W53", "2026-W00"])
def test_a_malformed_or_impossible_week_key_is_refused(key):
    with pytest.raises(ValueError, match="week"):
        week_monday(key)


def test_week_monday_is_the_first_day_of_the_iso_week():
    assert week_monday("2026-W53") == date(2026, 12, 28)
    assert week_monday("2027-W01") == date(2027, 1, 4)


# Daylight saving


@pytest.mark.parametrize(
    ("zone", "weeks", "offsets_hours"),
    [
        # London springs forward on Sunday 29 March 2026 and falls back on Sunday 25 October.
        ("Europe/London", ["2026-W13", "2026-W14"], [0, 1]),
        ("Europe/London", ["2026-W43", "2026-W44"], [1, 0]),
        # New York springs forward on Sunday 8 March 2026 and falls back on Sunday 1 November.
        ("America/New_York", ["2026-W10", "2026-W11"], [-5, -4]),
        ("America/New_York", ["2026-W44", "2026-W45"], [-4, -5]),
    ],
)
def test_a_monday_0930_prompt_stays_at_0930_local_either_side_of_a_clock_change(zone, weeks, offsets_hours):
    slot = WeeklySlot(MON, 9, 30, zone)
    for week, offset in zip(weeks, offsets_hours, strict=True):
        due = occurrence_in_week(slot, week)
        assert (due.hour, due.minute, due.weekday()) == (9, 30, MON)
        assert due.utcoffset() == timedelta(hours=offset)
        assert week_key(due, zone) == week


@pytest.mark.parametrize(
    ("zone", "week", "change_day"),
    [
        ("Europe/London", "2026-W13", date(2026, 3, 29)),
        ("Europe/London", "2026-W43", date(2026, 10, 25)),
        ("America/New_York", "2026-W10", date(2026, 3, 8)),
        ("America/New_York", "2026-W44", date(2026, 11, 1)),
    ],
)
def test_a_prompt_due_on_the_day_the_clocks_change_is_still_at_0930(zone, week, change_day):
    due = occurrence_in_week(WeeklySlot(SUN, 9, 30, zone), week)
    assert due.date() == change_day
    assert (due.hour, due.minute) == (9, 30)


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
def test_a_whole_year_of_prompts_stays_at_0930_local(zone):
    slot = WeeklySlot(MON, 9, 30, zone)
    dues = next_occurrences(slot, datetime(2026, 1, 1, tzinfo=UTC), 52)
    assert {(due.hour, due.minute, due.weekday()) for due in dues} == {(9, 30, MON)}
    assert {due.utcoffset() for due in dues} == {
        timedelta(hours=h) for h in ((0, 1) if zone == "Europe/London" else (-5, -4))
    }


def test_a_time_in_the_spring_forward_gap_moves_to_the_first_valid_time():
    # 01:00-02:00 does not exist in London on 29 March 2026, nor 02:00-03:00 in New York on 8 March.
    london_due = occurrence_in_week(WeeklySlot(SUN, 1, 30, "Europe/London"), "2026-W13")
    assert london_due == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert (london_due.hour, london_due.minute, london_due.utcoffset()) == (
        2,
        0,
        timedelta(hours=1),
    )
    new_york_due = occurrence_in_week(WeeklySlot(SUN, 2, 30, "America/New_York"), "2026-W10")
    assert (new_york_due.hour, new_york_due.minute) == (3, 0)
    assert new_york_due == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)


def test_a_time_in_the_repeated_fall_back_hour_means_the_first_of_the_two():
    # Python never finds an ambiguous local time equal to a time in another zone, so compare in UTC.
    london_due = occurrence_in_week(WeeklySlot(SUN, 1, 30, "Europe/London"), "2026-W43")
    assert (london_due.hour, london_due.minute, london_due.fold) == (1, 30, 0)
    assert london_due.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    new_york_due = occurrence_in_week(WeeklySlot(SUN, 1, 30, "America/New_York"), "2026-W44")
    assert new_york_due.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


# Skipping: bank holidays and pauses


def test_christmas_day_2026_is_a_friday_and_a_friday_prompt_is_skipped():
    slot = WeeklySlot(FRI, 9, 30, "Europe/London", skip_bank_holidays=True)
    assert date(2026, 12, 25).weekday() == FRI
    assert is_skipped(slot, date(2026, 12, 25)) == "bank holiday: Christmas Day"
    assert is_skipped(slot, date(2026, 12, 18)) is None


def test_easter_monday_2027_skips_a_monday_prompt():
    slot = WeeklySlot(MON, 9, 30, "Europe/London", skip_bank_holidays=True)
    assert is_skipped(slot, date(2027, 3, 29)) == "bank holiday: Easter Monday"


def test_a_substitute_bank_holiday_is_skipped_too():
    slot = WeeklySlot(MON, 9, 30, "Europe/London", skip_bank_holidays=True)
    assert is_skipped(slot, date(2026, 12, 28)) == "bank holiday: Boxing Day (observed)"


def test_bank_holidays_are_posted_on_unless_the_channel_asks_to_skip_them():
    slot = WeeklySlot(FRI, 9, 30, "Europe/London")
    assert is_skipped(slot, date(2026, 12, 25)) is None
    assert bank_holiday_name(date(2026, 12, 25)) == "Christmas Day"
    assert bank_holiday_name(date(2026, 12, 24)) is None


def test_a_skipped_bank_holiday_week_is_left_out_not_moved_to_another_day():
    slot = WeeklySlot(FRI, 9, 30, "Europe/London", skip_bank_holidays=True)
    dues = next_occurrences(slot, london(2026, 12, 14), 3)
    # 25 December and 1 January are both bank holidays on a Friday.
    assert [due.date() for due in dues] == [date(2026, 12, 18), date(2027, 1, 8), date(2027, 1, 15)]


def test_easter_monday_is_left_out_of_a_monday_channels_upcoming_prompts():
    slot = WeeklySlot(MON, 9, 30, "Europe/London", skip_bank_holidays=True)
    dues = next_occurrences(slot, london(2027, 3, 20), 2)
    assert [due.date() for due in dues] == [date(2027, 3, 22), date(2027, 4, 5)]


def test_a_pause_until_a_date_posts_the_prompt_due_on_that_date():
    # 5 January 2027 is a Tuesday: the Tuesday prompt that day goes out.
    slot = WeeklySlot(TUE, 9, 30, "Europe/London", paused_until=date(2027, 1, 5))
    assert is_skipped(slot, date(2026, 12, 29)) == "paused until 2027-01-05"
    assert is_skipped(slot, date(2027, 1, 4)) == "paused until 2027-01-05"
    assert is_skipped(slot, date(2027, 1, 5)) is None
    dues = next_occurrences(slot, london(2026, 12, 1), 2)
    assert dues == [london(2027, 1, 5, 9, 30), london(2027, 1, 12, 9, 30)]


def test_a_pause_that_ends_midweek_resumes_with_the_next_due_day():
    slot = WeeklySlot(MON, 9, 30, "Europe/London", paused_until=date(2027, 1, 5))
    assert next_occurrences(slot, london(2026, 12, 1), 1) == [london(2027, 1, 11, 9, 30)]


def test_a_pause_is_reported_before_a_bank_holiday():
    slot = WeeklySlot(FRI, 9, 30, "Europe/London", skip_bank_holidays=True, paused_until=date(2027, 1, 5))
    assert is_skipped(slot, date(2026, 12, 25)) == "paused until 2027-01-05"


def test_a_very_long_pause_does_not_walk_every_week():
    slot = WeeklySlot(MON, 9, 30, "Europe/London", paused_until=date(9999, 12, 20))
    dues = next_occurrences(slot, london(2026, 1, 1), 5)
    # The calendar ends in 9999, so fewer than five are possible.
    assert dues == [london(9999, 12, 20, 9, 30), london(9999, 12, 27, 9, 30)]


# Upcoming prompts


def test_next_occurrences_are_strictly_after_the_given_moment():
    slot = WeeklySlot(MON, 9, 30, "Europe/London")
    due = london(2026, 11, 23, 9, 30)
    assert next_occurrences(slot, due, 1) == [london(2026, 11, 30, 9, 30)]
    assert next_occurrences(slot, due - timedelta(microseconds=1), 1) == [due]


def test_next_occurrences_from_another_zone_are_in_the_slots_zone():
    slot = WeeklySlot(MON, 9, 30, "America/New_York")
    # Monday 10:00 in London is 05:00 in New York: this week's 09:30 is still to come.
    dues = next_occurrences(slot, london(2026, 11, 23, 10, 0), 2)
    assert dues == [
        datetime(2026, 11, 23, 9, 30, tzinfo=NEW_YORK),
        datetime(2026, 11, 30, 9, 30, tzinfo=NEW_YORK),
    ]
    assert all(due.tzinfo == NEW_YORK for due in dues)


def test_asking_for_no_occurrences_gives_none_and_a_negative_count_is_refused():
    slot = WeeklySlot(MON, 9, 30, "Europe/London")
    assert next_occurrences(slot, london(2026, 1, 1), 0) == []
    with pytest.raises(ValueError, match="count"):
        next_occurrences(slot, london(2026, 1, 1), -1)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_occurrences(slot, datetime(2026, 1, 1), 1)


def test_upcoming_prompts_depend_on_the_time_passed_in_not_the_machine_clock():
    slot = WeeklySlot(MON, 9, 30, "Europe/London")
    expected = next_occurrences(slot, london(2026, 11, 20), 3)
    with time_machine.travel(datetime(2031, 6, 1, tzinfo=UTC), tick=False):
        assert next_occurrences(slot, london(2026, 11, 20), 3) == expected
        assert due_for_catch_up(slot, london(2026, 11, 20), london(2026, 11, 23, 10), SIX_HOURS) == [
            DuePrompt("2026-W48", london(2026, 11, 23, 9, 30), True)
        ]


# Catching up after an outage


def test_a_prompt_missed_by_less_than_the_grace_is_posted_on_recovery():
    slot = WeeklySlot(MON, 9, 0, "Europe/London")
    found = due_for_catch_up(slot, london(2026, 11, 20, 18), london(2026, 11, 23, 14), SIX_HOURS)
    assert found == [DuePrompt("2026-W48", london(2026, 11, 23, 9, 0), within_grace=True)]


def test_a_prompt_missed_by_exactly_the_grace_is_still_posted():
    slot = WeeklySlot(MON, 9, 0, "Europe/London")
    found = due_for_catch_up(slot, london(2026, 11, 20, 18), london(2026, 11, 23, 15), SIX_HOURS)
    assert [item.within_grace for item in found] == [True]


def test_a_prompt_missed_by_more_than_the_grace_is_recorded_as_missed():
    slot = WeeklySlot(MON, 9, 0, "Europe/London")
    found = due_for_catch_up(slot, london(2026, 11, 20, 18), london(2026, 11, 23, 16), SIX_HOURS)
    assert found == [DuePrompt("2026-W48", london(2026, 11, 23, 9, 0), within_grace=False)]


def test_a_long_outage_lists_every_missed_week_oldest_first():
    slot = WeeklySlot(MON, 9, 0, "Europe/London")
    found = due_for_catch_up(slot, london(2026, 11, 1), london(2026, 11, 23, 10), SIX_HOURS)
    assert [(item.week, item.within_grace) for item in found] == [
        ("2026-W45", False),
        ("2026-W46", False),
        ("2026-W47", False),
        ("2026-W48", True),
    ]


def test_catch_up_covers_last_checked_exclusive_to_now_inclusive():
    slot = WeeklySlot(MON, 9, 0, "Europe/London")
    due = london(2026, 11, 23, 9, 0)
    assert due_for_catch_up(slot, due, due + timedelta(hours=1), SIX_HOURS) == []
    assert due_for_catch_up(slot, due - timedelta(seconds=1), due, SIX_HOURS) == [DuePrompt("2026-W48", due, True)]
    assert due_for_catch_up(slot, due, due - timedelta(days=1), SIX_HOURS) == []


def test_catch_up_leaves_out_bank_holidays_and_paused_weeks():
    slot = WeeklySlot(MON, 9, 0, "Europe/London", skip_bank_holidays=True)
    found = due_for_catch_up(slot, london(2026, 12, 20), london(2027, 1, 4, 10), SIX_HOURS)
    # 28 December 2026 is the substitute Boxing Day.
    assert [item.due.date() for item in found] == [date(2026, 12, 21), date(2027, 1, 4)]
    paused = WeeklySlot(MON, 9, 0, "Europe/London", paused_until=date(2027, 1, 1))
    found = due_for_catch_up(paused, london(2020, 1, 1), london(2027, 1, 4, 10), SIX_HOURS)
    assert [item.week for item in found] == ["2027-W01"]


def test_catch_up_keeps_only_the_most_recent_year_of_weeks():
    slot = WeeklySlot(MON, 9, 0, "Europe/London")
    found = due_for_catch_up(slot, london(2020, 1, 1), london(2026, 11, 23, 10), SIX_HOURS)
    assert len(found) == MAX_CATCH_UP == 52
    assert found[-1] == DuePrompt("2026-W48", london(2026, 11, 23, 9, 0), True)
    assert found[0].due == london(2025, 12, 1, 9, 0)
    assert [b.due - a.due for a, b in pairwise(found)] == [timedelta(days=7)] * 51


def test_the_grace_is_measured_in_real_time_across_a_clock_change():
    # Due Saturday 09:30 GMT; Sunday 09:15 BST is 22h45m later, though the wall clock says 23h45m.
    slot = WeeklySlot(SAT, 9, 30, "Europe/London")
    found = due_for_catch_up(slot, london(2026, 3, 27), london(2026, 3, 29, 9, 15), timedelta(hours=23))
    assert found == [DuePrompt("2026-W13", london(2026, 3, 28, 9, 30), within_grace=True)]


def test_catch_up_refuses_a_negative_grace_and_naive_times():
    slot = WeeklySlot(MON, 9, 0, "Europe/London")
    with pytest.raises(ValueError, match="grace"):
        due_for_catch_up(slot, london(2026, 1, 1), london(2026, 2, 1), timedelta(hours=-1))
    with pytest.raises(ValueError, match="timezone-aware"):
        due_for_catch_up(slot, datetime(2026, 1, 1), london(2026, 2, 1), SIX_HOURS)


# APScheduler wiring


def test_cron_fields_describe_the_slot_for_apscheduler():
    slot = WeeklySlot(FRI, 14, 5, "America/New_York")
    assert cron_fields(slot) == {
        "day_of_week": "fri",
        "hour": 14,
        "minute": 5,
        "timezone": NEW_YORK,
    }


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
def test_the_cron_trigger_fires_when_the_calendar_says_the_prompt_is_due(zone):
    slot = WeeklySlot(MON, 9, 30, zone)
    trigger = CronTrigger(**cron_fields(slot))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    fired, previous = [], None
    for _ in range(52):
        previous = trigger.get_next_fire_time(previous, previous or start)
        fired.append(previous)
    assert [f.astimezone(UTC) for f in fired] == [due.astimezone(UTC) for due in next_occurrences(slot, start, 52)]
