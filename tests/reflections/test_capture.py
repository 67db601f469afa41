"""Capture rules: person keys, the generated secret, text rules, idempotency and retention."""

from __future__ import annotations

import logging
import stat
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.reflections import service
from bot.reflections.service import PersonKeys, Submission, capture, clean_text, text_problem
from tests.reflections.conftest import KEYS, TEST_SECRET


def submission(text: str = "I will ask who else lives there.", **changes) -> Submission:
    values = dict(
        platform="slack",
        workspace_id="T1",
        user_id="U1",
        theme_id="neglect",
        text=text,
        idempotency_key="slack:T1:view:V1",
        source="modal",
        confidence=3,
        shared=True,
        channel_id="C1",
        week="2026-W48",
    )
    values.update(changes)
    return Submission(**values)


# -- person keys -----------------------------------------------------------------------------


def test_a_person_key_is_a_keyed_hash_of_workspace_and_user():
    key = PersonKeys("s3cret")("T1", "U1")
    assert len(key) == 64 and int(key, 16) >= 0
    assert key == PersonKeys("s3cret")("T1", "U1")
    assert key != PersonKeys("s3cret")("T2", "U1") != PersonKeys("s3cret")("T1", "U2")
    assert key != PersonKeys("other")("T1", "U1")
    assert "U1" not in key and "s3cret" not in repr(PersonKeys("s3cret"))


async def test_without_scrbot_secret_one_is_generated_beside_the_sqlite_file_and_logged_once(tmp_path, caplog):
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'scrbot.db'}"
    with caplog.at_level(logging.WARNING, logger="scrbot.reflections"):
        first = await service.person_keys(None, database_url)
        second = await service.person_keys(None, database_url)
    path = tmp_path / "data" / "scrbot.secret"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first("T1", "U1") == second("T1", "U1")
    warnings = [r for r in caplog.records if "SCRBOT_SECRET is not set" in r.getMessage()]
    assert len(warnings) == 1 and str(path) in warnings[0].getMessage()
    assert path.read_text().strip() not in caplog.text
    # A restart (a fresh process) reads the same secret back.
    service._secrets.clear()
    assert (await service.person_keys(None, database_url))("T1", "U1") == first("T1", "U1")


def test_two_processes_creating_the_secret_agree(tmp_path):
    path = tmp_path / "scrbot.secret"
    secret, created = service.read_or_create_secret(path)
    again, created_again = service.read_or_create_secret(path)
    assert (created, created_again) == (True, False) and secret == again


def test_the_configured_secret_wins(services):
    assert services.settings.person_key_secret == TEST_SECRET


# -- text rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("  hello \r\n world  ", "hello \n world"),
        ("\u202eevil\u202c text", "evil text"),  # direction override removed
        ("nul\x00byte", "nulbyte"),
        ("שלום, אני אבדוק", "שלום, אני אבדוק"),  # Hebrew kept as written
        ("e\u0301cole", "école"),  # NFC
    ],
)
def test_clean_text(raw, cleaned):
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", service.EMPTY),
        ("🙂", service.EMOJI_ONLY),
        (":thumbsup: :tada:", service.EMOJI_ONLY),
        (
            "x" * 1501,
            "Please shorten your reflection to 1,500 characters or fewer (it is 1,501, so 1 over).",
        ),
        ("Emoji and words 👍 together are fine", None),
        ("٣ أشياء سأفعلها", None),  # Arabic with Arabic-Indic digits
        ("Agreed 10 actions at the meeting", None),
    ],
)
def test_text_problem(text, problem):
    assert text_problem(text) == problem


def test_the_privacy_guard_runs_before_anything_is_stored():
    assert "NHS number" in text_problem("Her NHS number is 943 476 5919")


# -- capture ---------------------------------------------------------------------------------


async def test_capture_saves_once_per_key(services):
    first = await capture(services.store, KEYS, services.clock, submission())
    again = await capture(services.store, KEYS, services.clock, submission(text="A different second click"))
    assert first.created and not again.created and first.reflection.id == again.reflection.id
    assert first.reflection.person_key == KEYS("T1", "U1")
    assert (await services.store.get_reflection(first.reflection.id)).text == first.reflection.text


async def test_capture_refuses_identifying_text_without_storing(services):
    outcome = await capture(services.store, KEYS, services.clock, submission("Jayden Smith's mum called"))
    assert not outcome.saved and "name" in outcome.problem
    assert await services.store.list_reflections_for_person(KEYS("T1", "U1")) == []


async def test_capture_without_a_week_uses_this_uk_week(services):
    outcome = await capture(services.store, KEYS, services.clock, submission(week=None))
    assert outcome.reflection.week == "2026-W48"


def test_idempotency_keys():
    assert service.view_key("slack", "T1", "V9") == "slack:T1:view:V9"
    assert service.message_key("slack", "T1", "C1", "1.2") == "slack:T1:message:C1:1.2"
    one = service.submission_key("slack", "T1", "U1", "neglect", "text")
    assert one == service.submission_key("slack", "T1", "U1", "neglect", "text")
    assert one != service.submission_key("slack", "T1", "U2", "neglect", "text")


async def test_store_failures_become_store_unavailable_without_the_text(services):
    async with services.store.engine.begin() as connection:
        await connection.exec_driver_sql("ALTER TABLE reflections RENAME TO gone")
    with pytest.raises(service.StoreUnavailable) as caught:
        await capture(services.store, KEYS, services.clock, submission("Only-mine text"))
    assert "Only-mine" not in str(caught.value) and caught.value.__suppress_context__
    async with services.store.engine.begin() as connection:
        await connection.exec_driver_sql("ALTER TABLE gone RENAME TO reflections")


# -- mine, forget, retention -----------------------------------------------------------------


async def test_edit_and_delete_only_touch_the_writers_own(services):
    saved = (await capture(services.store, KEYS, services.clock, submission())).reflection
    refused = await service.edit(
        services.store, KEYS, services.clock, "T1", "U2", saved.id, text="hijack", confidence=1, shared=False
    )
    assert refused.problem == service.GONE
    assert not await service.delete(services.store, KEYS, "T1", "U2", saved.id)
    changed = await service.edit(
        services.store, KEYS, services.clock, "T1", "U1", saved.id, text="better", confidence=5, shared=False
    )
    assert changed.reflection.text == "better" and changed.reflection.confidence == 5
    assert await service.own_reflection(services.store, KEYS, "T1", "U2", saved.id) is None
    assert await service.delete(services.store, KEYS, "T1", "U1", saved.id)
    assert await service.mine(services.store, KEYS, "T1", "U1") == []


async def test_forget_me_deletes_all_of_one_person_only(services, clock):
    for n in range(3):
        await capture(services.store, KEYS, services.clock, submission(idempotency_key=f"k{n}"))
    await capture(services.store, KEYS, services.clock, submission(user_id="U2", idempotency_key="other"))
    await services.store.record_quiz_answer("q1", KEYS("T1", "U1"), "a", True, clock.now())
    assert await service.forget(services.store, KEYS, "T1", "U1") == 3
    assert await service.mine(services.store, KEYS, "T1", "U1") == []
    assert len(await service.mine(services.store, KEYS, "T1", "U2")) == 1
    assert await services.store.quiz_tally("q1") == {}


async def test_retention_purges_reflections_older_than_the_setting(services, clock):
    start = clock.now()
    await capture(services.store, KEYS, services.clock, submission(idempotency_key="old"))
    clock.advance(days=2)
    await capture(services.store, KEYS, services.clock, submission(idempotency_key="newer"))
    clock.current = start + timedelta(days=365, hours=1)  # the first is now past 365 days
    assert await service.purge_expired(services.store, services.clock, services.settings.retention_days) == 1
    assert [r.idempotency_key for r in await service.mine(services.store, KEYS, "T1", "U1")] == ["newer"]
    assert await service.purge_expired(services.store, services.clock, services.settings.retention_days) == 0
    services.settings = replace(services.settings, retention_days=30)
    assert await service.purge_expired(services.store, services.clock, services.settings.retention_days) == 1


async def test_the_slack_module_exposes_the_daily_purge(services):
    from bot.slack.reflections import purge_expired

    assert await purge_expired(services) == 0
