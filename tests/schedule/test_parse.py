from datetime import date

import pytest

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


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("weekly monday 09:30 Europe/London", SetWeekly(0, 9, 30, "Europe/London")),
        ("weekly mon 9:30", SetWeekly(0, 9, 30, None)),
        ("weekly Tuesday 14:00 America/New_York", SetWeekly(1, 14, 0, "America/New_York")),
        ("weekly friday 9am", SetWeekly(4, 9, 0, None)),
        ("weekly friday 2.30pm", SetWeekly(4, 14, 30, None)),
        ("weekly friday 2:30 PM", SetWeekly(4, 14, 30, None)),
        ("weekly friday 9 am europe/london", SetWeekly(4, 9, 0, "Europe/London")),
        ("weekly wed 12pm", SetWeekly(2, 12, 0, None)),
        ("weekly wed 12am", SetWeekly(2, 0, 0, None)),
        ("weekly thurs noon", SetWeekly(3, 12, 0, None)),
        ("weekly tues 23:59 UTC", SetWeekly(1, 23, 59, "UTC")),
        ("weekly sun 00:00", SetWeekly(6, 0, 0, None)),
        ("Weekly SATURDAY 07.15", SetWeekly(5, 7, 15, None)),
        ("weekly mondays 9:30", SetWeekly(0, 9, 30, None)),
        ("weekly friday 2pm America/New York", SetWeekly(4, 14, 0, "America/New_York")),
        ("pause until 2027-01-05", Pause(date(2027, 1, 5))),
        ("pause 2027-01-05", Pause(date(2027, 1, 5))),
        ("resume", Resume()),
        ("off", Off()),
        ("preview", Preview()),
        ("", Show()),
        ("   ", Show()),
        ("show", Show()),
        ("bank holidays skip", BankHolidays(skip=True)),
        ("bank holidays include", BankHolidays(skip=False)),
        ("Bank Holiday Skip", BankHolidays(skip=True)),
        ("exclude disguised-compliance", Exclude("disguised-compliance")),
        ("include disguised-compliance", Include("disguised-compliance")),
        ("exclude Disguised Compliance", Exclude("disguised-compliance")),
        ("include was_not_brought", Include("was-not-brought")),
    ],
)
def test_every_schedule_form_is_understood(text, command):
    assert parse_schedule(text) == command


@pytest.mark.parametrize(
    ("text", "says"),
    [
        # unknown weekday
        ("weekly mnday 9:30", ['"mnday" as a day of the week', "Did you mean monday?"]),
        ("weekly xyz 9:30", ['"xyz"', "Use a day name such as monday or mon"]),
        ("weekly 9:30 monday", ["Put the day before the time"]),
        # bad times
        ("weekly monday 25:00", ["There is no 25:00: hours go from 00 to 23"]),
        ("weekly monday 24:00", ["There is no 24:00"]),
        ("weekly monday 9:75", ['"9:75" isn\'t a time: minutes are two digits from 00 to 59']),
        ("weekly monday 9:5", ["minutes are two digits"]),
        ("weekly monday 13pm", ["with am or pm the hour goes from 1 to 12"]),
        ("weekly monday 0am", ["with am or pm the hour goes from 1 to 12"]),
        ("weekly monday half-nine", ['I couldn\'t read "half-nine" as a time']),
        ("weekly monday 9", ['"9" could be morning or afternoon', "09:00, or 9am or 9pm"]),
        # unknown zones
        ("weekly monday 09:30 Europe/Londn", ['"Europe/Londn"', "Did you mean Europe/London?"]),
        ("weekly monday 09:30 London", ["Did you mean Europe/London?"]),
        ("weekly monday 09:30 Londn", ["Did you mean Europe/London?"]),
        ("weekly monday 09:30 BST", ["Did you mean Europe/London?"]),
        ("weekly monday 09:30 america/new_yrok", ["Did you mean America/New_York?"]),
        ("weekly monday 09:30 Mars/Olympus", ["Use an IANA time zone name", "leave it out"]),
        # missing pieces
        ("weekly", ["Give a day and a time after `weekly`"]),
        ("weekly monday", ["Give a day and a time after `weekly`"]),
        # dates
        ("pause until 2027-02-30", ['"2027-02-30" isn\'t a real date']),
        ("pause until 2027-13-01", ["isn't a real date"]),
        ("pause until 05/01/2027", ['I couldn\'t read "05/01/2027" as a date']),
        ("pause until next week", ["one date after `pause until`"]),
        ("pause", ["Say when to start posting again"]),
        ("pause until", ["Say when to start posting again"]),
        # the rest
        ("bank holidays", ["bank holidays skip", "bank holidays include"]),
        ("bank holidays maybe", ["Say whether to skip bank holidays or post on them"]),
        ("exclude", ["Say which theme to exclude"]),
        ("include", ["Say which theme to include"]),
        ("exclude neglect!", ['"neglect!" isn\'t a theme id']),
        ("preview 8", ["`preview` doesn't take anything after it"]),
        ("off now", ["`off` doesn't take anything after it"]),
        ("fortnightly monday 9:30", ["I don't know the schedule command `fortnightly`"]),
    ],
)
def test_every_mistake_is_explained_with_a_working_example(text, says):
    with pytest.raises(ScheduleSyntaxError) as caught:
        parse_schedule(text)
    message = caught.value.message
    assert str(caught.value) == message
    for phrase in says:
        assert phrase in message
    assert "/learn schedule" in message, "every message shows a command that works"


@pytest.mark.parametrize(
    ("text", "example"),
    [
        ("weekly mnday 9:30", "/learn schedule weekly monday 09:30 Europe/London"),
        ("weekly monday 25:00", "/learn schedule weekly monday 09:30"),
        ("weekly monday 09:30 Europe/Londn", "/learn schedule weekly monday 09:30 Europe/London"),
        ("pause until 2027-02-30", "/learn schedule pause until 2027-01-05"),
        ("exclude neglect!", "/learn schedule exclude disguised-compliance"),
    ],
)
def test_the_example_in_a_message_parses(text, example):
    with pytest.raises(ScheduleSyntaxError) as caught:
        parse_schedule(text)
    assert f"`{example}`" in caught.value.message
    parse_schedule(example.removeprefix("/learn schedule"))


def test_a_schedule_syntax_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_schedule("weekly monday 25:00")


def test_a_past_date_is_left_for_the_caller_to_check():
    assert parse_schedule("pause until 2001-01-01") == Pause(date(2001, 1, 1))


def test_quiz_prompts_on_and_off():
    from bot.schedule.parse import QuizPrompts

    assert parse_schedule("quiz on") == QuizPrompts(True)
    assert parse_schedule("Quiz OFF") == QuizPrompts(False)
    with pytest.raises(ScheduleSyntaxError, match="quiz on"):
        parse_schedule("quiz maybe")
