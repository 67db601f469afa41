"""The neutral reflection outcome, with no Slack or Teams objects: what is kept, what the guard
refuses or asks about, and what the person is told. Both adapters render these outcomes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.reflections import outcome
from bot.reflections.form import reflection_form
from tests.reflections.conftest import KEYS

CLEAN = "Next time I will ask who else lives in the household and check with the school."
NHS = "NHS number 943 476 5919 was on the referral"
HARLEY = "I talked the plan through with Harley in supervision and it helped"
CALLUM = "I talked the plan through with Callum in supervision and it helped"


def draft(text: str, **changes) -> outcome.Draft:
    values = dict(
        platform="console",
        workspace_id="T1",
        user_id="U1",
        theme_id="neglect",
        text=text,
        source="modal",
        confidence=3,
        shared=True,
        channel_id="C1",
        week="2026-W48",
    )
    values.update(changes)
    return outcome.Draft(**values)


async def save(services, draft: outcome.Draft, **options) -> outcome.ReflectionOutcome:
    keys = await services.person_keys()
    return await outcome.save(services.store, keys, services.clock, services.catalogue, draft, **options)


async def thread_reply(services, reply: outcome.ThreadReply) -> outcome.ThreadOutcome | None:
    return await outcome.thread_reply(services.store, await services.person_keys(), services.clock, reply)


async def start(services, *where: str | None) -> outcome.Start:
    return await outcome.start(services.store, services.clock, services.catalogue, services.conversation.engine, *where)


async def stored(services, user: str = "U1"):
    return await services.store.list_reflections_for_person(KEYS("T1", user))


async def test_a_clean_reflection_is_saved(services):
    saved = await save(services, draft(CLEAN))
    assert saved.kind == outcome.SAVED and saved.created
    assert saved.message().startswith("Thank you: your reflection on Neglect is saved.")
    (row,) = await stored(services)
    assert (row.text, row.theme_id, row.week, row.channel_id) == (CLEAN, "neglect", "2026-W48", "C1")


async def test_an_nhs_number_is_refused_with_the_words_named(services):
    refused = await save(services, draft(NHS))
    assert refused.kind == outcome.REFUSED and refused.guarded
    assert "“943 476 5919”" in (refused.problem or "") and "NHS number" in (refused.problem or "")
    assert refused.found is not None and not refused.found.asking
    (detail,) = refused.found.details
    assert detail.words == "943 476 5919" and detail.advice == "remove it" and detail.replacement == "[NHS number]"
    assert refused.not_people_key == ""  # nothing to tick: it is refused, not asked about
    assert refused.text == NHS  # the form gets the text back
    assert await stored(services) == []


async def test_a_possible_name_is_asked_about(services):
    asked = await save(services, draft(HARLEY))
    assert asked.kind == outcome.ASKED and "“Harley”" in (asked.problem or "")
    assert asked.found is not None and asked.found.asking
    assert "tick below" in asked.found.details[0].line()
    assert asked.not_people_key and "Harley" not in asked.not_people_key  # a digest, not the word
    assert await stored(services) == []


async def test_the_tick_box_with_a_matching_digest_saves_it_as_written(services):
    key = (await save(services, draft(HARLEY))).not_people_key
    saved = await save(services, draft(HARLEY, not_people=key))
    assert saved.kind == outcome.SAVED
    (row,) = await stored(services)
    assert row.text == HARLEY


async def test_a_different_name_after_ticking_is_asked_again(services):
    key = (await save(services, draft(HARLEY))).not_people_key
    again = await save(services, draft(CALLUM, not_people=key))
    assert again.kind == outcome.ASKED and "“Callum”" in (again.problem or "")
    assert again.not_people_key != key
    assert await stored(services) == []


@pytest.mark.parametrize(
    "text",
    [
        NHS,
        "The family live at 14 Acacia Avenue, LS6 2QT",
        "Call mum on 07700 900123",
        "Jayden Smith's mum was at the meeting",
    ],
)
async def test_nothing_refused_or_asked_about_is_stored(services, text):
    result = await save(services, draft(text, not_people="not-the-digest"))
    assert result.guarded and not result.saved
    assert await stored(services) == []


async def test_a_tick_never_lets_a_refused_detail_through(services):
    text = "Harley gave me her NHS number 943 476 5919"
    key = outcome.check("Harley was there").not_people_key
    result = await save(services, draft(text, not_people=key))
    assert result.kind == outcome.REFUSED and await stored(services) == []


@pytest.mark.parametrize(
    "text, theme, problem",
    [
        ("   ", "neglect", "Please write your reflection"),
        ("👍 :tada:", "neglect", "emoji on their own"),
        ("a" * 1501, "neglect", "1,500 characters or fewer"),
    ],
)
async def test_problems_the_person_can_fix_are_invalid_without_findings(services, text, theme, problem):
    result = await save(services, draft(text, theme_id=theme))
    assert result.kind == outcome.INVALID and problem in (result.problem or "") and result.found is None
    assert await stored(services) == []


async def test_a_missing_or_removed_theme_is_said_once(services):
    missing = await save(services, draft(CLEAN, theme_id=None))
    assert missing.kind == outcome.INVALID and missing.theme_problem == reflection_form().theme_missing
    gone = await save(services, draft(CLEAN, theme_id="no-such-theme"))
    assert gone.theme_problem == outcome.THEME_GONE and gone.message() == outcome.THEME_GONE
    assert await stored(services) == []


async def test_a_repeat_of_the_same_submission_keeps_one(services):
    first = await save(services, draft(CLEAN, repeat_key="console:T1:view:V1"))
    second = await save(services, draft(CLEAN, repeat_key="console:T1:view:V1"))
    assert first.created and second.saved and not second.created
    assert "already saved" in second.message()
    assert len(await stored(services)) == 1


async def test_a_malformed_week_is_this_week_not_an_error(services):
    saved = await save(services, draft(CLEAN, week="not-a-week"))
    assert saved.saved and saved.reflection.week != "not-a-week"


async def test_a_store_failure_is_unavailable_with_the_text_kept(services, monkeypatch, caplog):
    from sqlalchemy.exc import OperationalError

    async def broken(**_):
        raise OperationalError("INSERT ...", {}, Exception("connection refused"))

    monkeypatch.setattr(services.store, "add_reflection", broken)
    result = await save(services, draft(CLEAN))
    assert result.kind == outcome.UNAVAILABLE and result.text == CLEAN
    assert result.problem == reflection_form().not_saved and result.message() == result.problem
    assert CLEAN not in caplog.text and "was not saved" in caplog.text


async def test_a_save_that_takes_too_long_is_unavailable(services, monkeypatch):
    import asyncio

    async def slow(**_):
        await asyncio.sleep(1)

    monkeypatch.setattr(services.store, "add_reflection", slow)
    result = await save(services, draft(CLEAN), within=0.05)
    assert result.kind == outcome.UNAVAILABLE


def test_replace_them_for_me_puts_neutral_words_in_every_text():
    redaction = outcome.redact({"a": "baby kai was seen at 7 Orchard Close", "b": "call 07700 900123", "c": ""})
    assert redaction.done and redaction.problem is None
    assert dict(redaction.texts) == {"a": "baby [child] was seen at [address]", "b": "call [phone number]", "c": ""}


# -- thread replies to the weekly prompt ------------------------------------------------------


PROMPTED = "slack"  # subscriptions are kept per platform (slack or teams); no Slack objects here


async def _prompt(services, opted_in: bool = True) -> None:
    store, now = services.store, services.clock.now()
    await store.upsert_subscription(
        PROMPTED,
        "T1",
        "C1",
        weekday=0,
        hour=9,
        minute=0,
        timezone="Europe/London",
        created_by="U1",
        now=now,
        thread_replies_as_reflections=opted_in,
    )
    delivery = await store.claim_delivery(PROMPTED, "T1", "C1", "2026-W48", "neglect", "r1", now, timedelta(minutes=5))
    await store.complete_delivery(delivery.id, "111.222", now)


def reply(text: str, thread: str = "111.222", message: str = "111.300") -> outcome.ThreadReply:
    return outcome.ThreadReply(PROMPTED, "T1", "U1", "C1", thread, message, text)


async def test_a_reply_to_the_prompt_is_a_reflection_on_its_theme_and_week(services):
    await _prompt(services)
    result = await thread_reply(services, reply(CLEAN))
    assert result is not None and result.kind == outcome.SAVED
    (row,) = await stored(services)
    assert (row.theme_id, row.week, row.source, row.shared) == ("neglect", "2026-W48", "thread", True)


async def test_other_replies_are_not_reflections(services):
    await _prompt(services)
    assert await thread_reply(services, reply(CLEAN, thread="999.000")) is None
    assert await thread_reply(services, reply("👍 :tada:")) is None
    assert await stored(services) == []


async def test_a_refused_reply_can_be_reopened_without_the_refused_detail(services):
    await _prompt(services)
    result = await thread_reply(services, reply("I rang mum on 07700 900123 and should have visited"))
    assert result is not None and result.kind == outcome.REFUSED
    assert "not saved as a reflection" in result.notice and "“07700 900123”" in result.notice
    assert result.reopen is not None and result.reopen.text == "I rang mum on [phone number] and should have visited"
    assert (result.reopen.theme_id, result.reopen.week) == ("neglect", "2026-W48")
    assert await stored(services) == []


# -- starting a reflection --------------------------------------------------------------------


async def test_a_reflection_starts_on_the_theme_named_or_this_weeks_prompt(services):
    named = await start(services, PROMPTED, "T1", "C1", "over optimism")
    assert named.theme is not None and named.theme.id == "over-optimism" and named.week == "2026-W48"
    assert (await start(services, PROMPTED, "T1", "C1")).theme is None  # no prompt yet: a picker
    await _prompt(services)
    assert (await start(services, PROMPTED, "T1", "C1")).theme.id == "neglect"
    assert (await start(services, PROMPTED, "T1", None)).theme is None  # a 1:1 chat has no prompt
