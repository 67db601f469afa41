"""SQL-like and mrkdwn-like text is stored exactly as typed and shown inert: no statement runs,
no @channel fires, no link or mention comes alive, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re

import pytest

from tests.reflections.conftest import KEYS, clock, reflect  # noqa: F401  (fixtures)

SQL = "'); DROP TABLE reflections; -- and \" OR 1=1; DELETE FROM subscriptions WHERE ''='"
MRKDWN = "<!channel> <!here> <@U999> <#C123|general> <https://evil.example|click me> *bold* `code` &amp; &lt;"
LIVE = re.compile(r"<[!@#]|<https?:|<mailto:")
REFLECTION = f"Next time I will check the chronology before the visit. {SQL} {MRKDWN}"


def assert_inert(payload) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    assert not LIVE.search(text), LIVE.search(text)


async def test_a_question_full_of_sql_and_markup_is_answered_inertly(fuzz_slack):
    before = await fuzz_slack.row_counts()
    await fuzz_slack.event(
        {
            "type": "app_mention",
            "user": "U1",
            "channel": "C1",
            "ts": "9.1",
            "text": f"<@UBOT> what is neglect? {SQL} {MRKDWN}",
        },
        event_id="EvSql",
    )
    (call,) = await fuzz_slack.fake.wait_for("chat.postMessage")
    assert_inert(call.params)
    assert call.params["thread_ts"] == "9.1" and call.params["text"].strip()
    after = await fuzz_slack.row_counts()  # every table is still there
    assert set(after) == set(before) and after["processed_events"] == 1


async def test_a_schedule_command_with_sql_for_a_theme_changes_nothing(fuzz_slack):
    await fuzz_slack.command("schedule weekly monday 09:30 Europe/London", user="UADMIN1")
    await fuzz_slack.fake.wait_for_responses(1)
    await fuzz_slack.command(f"schedule exclude x{SQL} {MRKDWN}", user="UADMIN1")
    replies = await fuzz_slack.fake.wait_for_responses(2)
    assert_inert(replies[1])
    subscription = await fuzz_slack.services.store.get_subscription("slack", "T1", "C1")
    assert subscription is not None and list(subscription.excluded_themes or []) == []


async def test_discuss_with_markup_for_a_theme_says_so_inertly(fuzz_slack):
    await fuzz_slack.command(f"discuss {MRKDWN}")
    (reply,) = await fuzz_slack.fake.wait_for_responses(1)
    assert_inert(reply)


async def test_a_reflection_is_stored_exactly_as_typed_and_listed_inertly(reflect):  # noqa: F811
    answer = await reflect.submit(REFLECTION, view_id="VSQL")
    assert answer.get("response_action") == "update", answer
    (saved,) = await reflect.services.store.list_reflections_for_person(KEYS("T1", "U1"))
    assert saved.text == REFLECTION
    await reflect.command("my reflections")
    (listed,) = await reflect.fake.wait_for_responses()
    assert_inert(listed)
    assert "DROP TABLE reflections" in json.dumps(listed)


@pytest.mark.parametrize("column", ["working_well", "next_steps"])
async def test_team_actions_with_markup_are_saved_verbatim_and_posted_inertly(fuzz_slack, column):
    metadata = json.dumps({"theme": "neglect", "channel": "C1", "ts": "1.0"})
    values = {"next_steps": {"text": {"type": "plain_text_input", "value": "Ask the school for attendance."}}}
    values[column] = {"text": {"type": "plain_text_input", "value": f"{MRKDWN} {SQL}"}}
    response = await fuzz_slack.interaction(
        {
            "type": "view_submission",
            "user": {"id": "U1", "team_id": "T1"},
            "view": {
                "id": "VTEAM",
                "type": "modal",
                "callback_id": "team_actions",
                "private_metadata": metadata,
                "state": {"values": values},
            },
        }
    )
    assert response.status == 200
    (posted,) = await fuzz_slack.fake.wait_for("chat.postMessage")
    assert_inert(posted.params)
    assert "DROP TABLE reflections" in json.dumps(posted.params)
    rows = await fuzz_slack.services.store.reflections_between(
        fuzz_slack.services.clock.now().replace(year=2000), fuzz_slack.services.clock.now().replace(year=2100)
    )
    assert any(f"{MRKDWN} {SQL}" in row.text for row in rows)
