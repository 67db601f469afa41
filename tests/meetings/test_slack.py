"""Meeting packs, recorded actions and the quiz in Slack, through signed requests to a real app."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.slack import privacy as privacy_view


def all_text(params) -> str:
    return json.dumps(params.get("blocks")) + (params.get("text") or "")


def buttons(params) -> list[dict]:
    return [e for b in params["blocks"] if b["type"] == "actions" for e in b["elements"]]


async def click(slack, action_id: str, value: str, *, user: str = "U1", ts: str = "500.1", channel: str = "C1"):
    return await slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": user},
            "channel": {"id": channel},
            "container": {"type": "message", "message_ts": ts, "channel_id": channel},
            "message": {"ts": ts, "type": "message"},
            "actions": [
                {
                    "action_id": action_id,
                    "value": value,
                    "type": "button",
                    "block_id": "b1",
                    "action_ts": "1",
                }
            ],
        }
    )


def submission(metadata: str, view_id: str = "V1", **columns: str) -> dict:
    values = {block: {"text": {"type": "plain_text_input", "value": text}} for block, text in columns.items()}
    return {
        "type": "view_submission",
        "view": {
            "id": view_id,
            "type": "modal",
            "callback_id": "team_actions",
            "team_id": "T1",
            "private_metadata": metadata,
            "state": {"values": values},
        },
    }


# -- /learn discuss -------------------------------------------------------------------------------


async def test_discuss_posts_the_meeting_pack_in_the_channel(slack):
    response = await slack.command("discuss neglect")
    assert response.status == 200
    (call,) = await slack.fake.wait_for("chat.postMessage")
    text = all_text(call.params)
    assert call.params["channel"] == "C1"
    for part in (
        "Discussion starter: Neglect",
        "Fictional scenario: Ellie",
        "A ten-minute shape",
        "What's working well",
        "What are we worried about",
        "What needs to happen next",
    ):
        assert part in text
    assert [(b["action_id"], b["value"]) for b in buttons(call.params)] == [("record_actions", "neglect")]


async def test_discuss_random_and_by_name(slack, catalogue):
    await slack.command("discuss random")
    await slack.command("discuss hidden men and genograms")
    first, second = await slack.fake.wait_for("chat.postMessage", 2)
    assert buttons(first.params)[0]["value"] in catalogue.themes
    assert buttons(second.params)[0]["value"] == "family-networks"


@pytest.mark.parametrize(
    "text, expected",
    [("discuss", "Say which theme"), ("discuss the weather in Leeds", "couldn't tell which theme")],
)
async def test_discuss_without_a_theme_answers_privately(slack, text, expected):
    await slack.command(text)
    (posted,) = await slack.fake.wait_for_responses()
    assert posted["response_type"] == "ephemeral" and expected in posted["text"]
    assert not slack.fake.of("chat.postMessage")


async def test_urgent_words_are_never_posted_to_the_channel(slack):
    await slack.command("discuss a child just told me her dad hits her and she's scared to go home tonight")
    (posted,) = await slack.fake.wait_for_responses()
    assert posted["response_type"] == "ephemeral" and "999" in posted["blocks"][0]["text"]["text"]
    assert not slack.fake.of("chat.postMessage")


async def test_where_the_bot_is_not_a_member_the_pack_goes_through_the_response_url(slack):
    slack.fake.channel_errors["C9"] = "not_in_channel"
    await slack.command("discuss neglect", channel="C9")
    (posted,) = await slack.fake.wait_for_responses()
    assert posted["response_type"] == "in_channel" and "Discussion starter: Neglect" in json.dumps(posted["blocks"])


async def test_the_discuss_button_shows_the_pack_privately_and_can_share_it(slack):
    await slack.click("discuss", "neglect")
    (posted,) = await slack.fake.wait_for_responses()
    assert posted["response_type"] == "ephemeral" and "A ten-minute shape" in json.dumps(posted["blocks"])
    share = next(
        e
        for b in posted["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "discuss_share"
    )
    await click(slack, "discuss_share", share["value"])
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "C1" and buttons(call.params)[0]["action_id"] == "record_actions"


# -- Record our actions ---------------------------------------------------------------------------


async def open_actions_modal(slack) -> dict:
    await click(slack, "record_actions", "toxic-trio", ts="700.5")
    (call,) = await slack.fake.wait_for("views.open")
    assert call.params["trigger_id"] == "trig2"
    return call.params["view"]


async def test_recorded_actions_are_kept_as_a_team_reflection_and_posted_in_the_thread(slack, now):
    view = await open_actions_modal(slack)
    assert view["callback_id"] == "team_actions"
    assert [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"] == [
        "What's working well",
        "What are we worried about",
        "What needs to happen next",
    ]
    response = await slack.interaction(
        submission(
            view["private_metadata"],
            working_well="Health and school share well",
            next_steps="Hold a joint meeting with adult services (Priya, by Friday)",
        )
    )
    assert response.status == 200
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "C1" and call.params["thread_ts"] == "700.5"
    text = all_text(call.params)
    assert "Our agreed actions" in text and "Hold a joint meeting with adult services" in text
    assert "What are we worried about" not in text  # an empty column is left out
    store = slack.services.store
    (saved,) = await store.reflections_between(now - timedelta(days=3650), now + timedelta(days=3650))
    assert (saved.source, saved.theme_id, saved.channel_id, saved.shared) == (
        "team-actions",
        "toxic-trio",
        "C1",
        True,
    )
    assert saved.person_key == (await slack.services.person_keys())("T1", "U1")
    assert saved.text.startswith("What's working well:\nHealth and school share well")


async def test_a_repeated_submission_is_saved_and_posted_once(slack):
    view = await open_actions_modal(slack)
    payload = submission(view["private_metadata"], next_steps="Book the core group")
    await slack.interaction(payload)
    await slack.fake.wait_for("chat.postMessage")
    await slack.interaction(payload)
    import asyncio

    await asyncio.sleep(0.2)
    assert len(slack.fake.of("chat.postMessage")) == 1


async def test_the_modal_keeps_open_with_an_error_for_the_column_to_fix(slack):
    view = await open_actions_modal(slack)
    response = await slack.interaction(submission(view["private_metadata"], next_steps="   "))
    body = json.loads(await response.text())
    assert body["response_action"] == "errors" and set(body["errors"]) == {"next_steps"}
    assert not slack.fake.of("chat.postMessage")


def _block(view: dict, block_id: str) -> dict:
    (block,) = [b for b in view["blocks"] if b.get("block_id") == block_id]
    return block


async def test_the_guard_names_what_it_found_and_keeps_every_column(slack):
    view = await open_actions_modal(slack)
    columns = {"worried_about": "Ring mum on 07700 900123", "next_steps": "Check in at the next core group"}
    response = await slack.interaction(submission(view["private_metadata"], **columns))
    body = json.loads(await response.text())

    assert body["response_action"] == "update"
    updated = body["view"]
    assert updated["callback_id"] == "team_actions"
    for block_id, text in columns.items():
        assert _block(updated, block_id)["element"]["initial_value"] == text
    assert "“07700 900123”" in _block(updated, privacy_view.REVIEW_BLOCK)["text"]["text"]
    assert not slack.fake.of("chat.postMessage") and await slack.services.store.list_reflections_for_person("x") == []


async def test_a_teams_possible_name_is_asked_about_and_the_tick_saves_it(slack):
    view = await open_actions_modal(slack)
    columns = {"worried_about": "We kept talking about Harley as if he was the problem", "next_steps": "Book it"}
    body = json.loads(await (await slack.interaction(submission(view["private_metadata"], **columns))).text())
    (option,) = _block(body["view"], privacy_view.NOT_PEOPLE_BLOCK)["element"]["options"]
    assert not slack.fake.of("chat.postMessage")

    ticked = submission(view["private_metadata"], view_id="V2", **columns)
    ticked["view"]["state"]["values"][privacy_view.NOT_PEOPLE_BLOCK] = {
        privacy_view.NOT_PEOPLE_INPUT: {"type": "checkboxes", "selected_options": [{"value": option["value"]}]}
    }
    response = await slack.interaction(ticked)
    assert response.status == 200 and not await response.text()
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert "Harley" in json.dumps(call.params)  # saved and posted as the team wrote it


async def test_emoji_only_columns_are_refused_like_any_reflection(slack):
    view = await open_actions_modal(slack)
    response = await slack.interaction(
        submission(view["private_metadata"], working_well=":tada: :tada:", next_steps="Book it")
    )
    body = json.loads(await response.text())
    assert set(body["errors"]) == {"working_well"} and "a few words" in body["errors"]["working_well"]


async def test_actions_that_cannot_be_saved_are_handed_back_to_the_person(slack, monkeypatch):
    view = await open_actions_modal(slack)

    async def broken(**kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(slack.services.store, "add_reflection", broken)
    await slack.interaction(submission(view["private_metadata"], next_steps="Book the core group"))
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "U1" and "your team's actions were not saved" in all_text(call.params)
    assert "Book the core group" in all_text(call.params)


async def test_the_modal_closes_once_the_actions_are_saved(slack, now):
    view = await open_actions_modal(slack)
    response = await slack.interaction(submission(view["private_metadata"], next_steps="Book the core group"))
    assert response.status == 200 and not await response.text()
    year = timedelta(days=365)
    (saved,) = await slack.services.store.reflections_between(now - year, now + year)  # before the post
    assert saved.source == "team-actions"


async def test_actions_too_slow_to_save_are_handed_back_and_the_modal_closes_in_time(slack, monkeypatch):
    import asyncio
    import time

    view = await open_actions_modal(slack)

    async def slow(**kwargs):
        await asyncio.sleep(10)

    monkeypatch.setattr(slack.services.store, "add_reflection", slow)
    started = time.monotonic()
    response = await slack.interaction(submission(view["private_metadata"], next_steps="Book the core group"))
    assert response.status == 200 and time.monotonic() - started < 3  # Slack waits 3 s
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "U1" and "Book the core group" in all_text(call.params)


async def test_actions_reach_the_person_when_the_bot_cannot_post_in_the_thread(slack):
    view = await open_actions_modal(slack)
    slack.fake.channel_errors["C1"] = "not_in_channel"
    await slack.interaction(submission(view["private_metadata"], next_steps="Book the core group"))
    calls = await slack.fake.wait_for("chat.postMessage", 2)
    assert [c.params["channel"] for c in calls] == ["C1", "U1"]


# -- /learn meeting -------------------------------------------------------------------------------


async def test_meeting_picks_a_theme_the_channel_has_not_discussed_and_says_why(slack, catalogue):
    store = slack.services.store
    now = slack.services.clock.now()
    left_out = "young-carers"
    for week, theme_id in enumerate(t for t in catalogue.ids() if t != left_out):
        delivery = await store.claim_delivery(
            "slack",
            "T1",
            "C1",
            f"2025-W{week + 1:02d}",
            theme_id,
            "r1",
            now - timedelta(days=400 - week),
            timedelta(minutes=5),
        )
        await store.complete_delivery(delivery.id, "1.1", now - timedelta(days=400 - week))
    await slack.command("meeting")
    (call,) = await slack.fake.wait_for("chat.postMessage")
    text = all_text(call.params)
    assert "Discussion starter: Young carers" in text and "Why this theme" in text
    assert "has not come up in this channel" in text


async def test_meeting_counts_recorded_discussions(slack, catalogue):
    view = await open_actions_modal(slack)  # the team discussed the toxic trio and recorded it
    await slack.interaction(submission(view["private_metadata"], next_steps="Book the core group"))
    await slack.fake.wait_for("chat.postMessage")
    store = slack.services.store
    now = slack.services.clock.now()
    others = [t for t in catalogue.ids() if t != "toxic-trio"]
    for week, theme_id in enumerate(others):
        delivery = await store.claim_delivery(
            "slack",
            "T1",
            "C1",
            f"2025-W{week + 1:02d}",
            theme_id,
            "r1",
            now - timedelta(days=300 - week),
            timedelta(minutes=5),
        )
        await store.complete_delivery(delivery.id, "1.1", now - timedelta(days=300 - week))
    await slack.command("meeting")
    calls = await slack.fake.wait_for("chat.postMessage", 2)
    text = all_text(calls[1].params)
    assert f"Discussion starter: {catalogue.themes[others[0]].title}" in text and "longest ago" in text


# -- /learn quiz ----------------------------------------------------------------------------------


async def post_quiz(slack, theme: str = "neglect") -> list[dict]:
    await slack.command(f"quiz {theme}")
    (call,) = await slack.fake.wait_for("chat.postMessage")
    return buttons(call.params)


async def test_quiz_posts_a_scenario_with_three_buttons(slack, catalogue):
    options = await post_quiz(slack)
    assert [b["action_id"] for b in options] == ["quiz_answer"] * 3
    assert {b["value"].split("|")[1] for b in options} == {
        "neglect",
        "over-optimism",
        "record-keeping",
    }
    (call,) = slack.fake.of("chat.postMessage")
    assert catalogue.themes["neglect"].quiz.explanation not in all_text(call.params)


async def test_each_answer_is_private_and_the_channel_sees_only_the_tally(slack, catalogue):
    options = await post_quiz(slack)
    right = next(b for b in options if b["value"].endswith("|neglect"))
    wrong = next(b for b in options if not b["value"].endswith("|neglect"))
    await click(slack, "quiz_answer", right["value"], user="U1")
    (mine,) = await slack.fake.wait_for_responses()
    assert mine["response_type"] == "ephemeral" and mine["replace_original"] is False
    assert "Yes: Neglect fits best" in json.dumps(mine["blocks"])
    assert catalogue.themes["neglect"].quiz.explanation in json.dumps(mine["blocks"])
    link = buttons(mine)[0]
    assert (link["action_id"], link["value"]) == ("show_theme", "neglect")
    (update,) = await slack.fake.wait_for("chat.update")
    assert update.params["channel"] == "C1" and update.params["ts"] == "500.1"
    assert "1 answer:" in all_text(update.params)
    shown = all_text(update.params)
    assert "Yes:" not in shown and catalogue.themes["neglect"].quiz.explanation not in shown
    assert '"U1"' not in shown and "<@U1>" not in shown

    await click(slack, "quiz_answer", wrong["value"], user="U2")
    posted = await slack.fake.wait_for_responses(2)
    assert "Not quite: the best fit is Neglect" in json.dumps(posted[1]["blocks"])
    updates = await slack.fake.wait_for("chat.update", 2)
    assert "2 answers:" in all_text(updates[-1].params)


async def test_one_answer_per_person_per_quiz(slack):
    options = await post_quiz(slack)
    await click(slack, "quiz_answer", options[0]["value"], user="U1")
    await slack.fake.wait_for("chat.update")
    await click(slack, "quiz_answer", options[1]["value"], user="U1")
    posted = await slack.fake.wait_for_responses(2)
    assert "already answered" in json.dumps(posted[1])
    quiz_id = options[0]["value"].split("|")[0]
    assert await slack.services.store.quiz_tally(f"slack:T1:C1:{quiz_id}") == {options[0]["value"].split("|")[1]: 1}
    import asyncio

    await asyncio.sleep(0.2)
    assert len(slack.fake.of("chat.update")) == 1  # the refused answer did not redraw the tally


async def test_a_new_quiz_is_a_new_chance_to_answer(slack):
    first = await post_quiz(slack)
    await slack.command("quiz neglect")
    second = buttons((await slack.fake.wait_for("chat.postMessage", 2))[1].params)
    assert first[0]["value"].split("|")[0] != second[0]["value"].split("|")[0]
    await click(slack, "quiz_answer", first[0]["value"])
    await click(slack, "quiz_answer", second[0]["value"])
    posted = await slack.fake.wait_for_responses(2)
    assert all("already answered" not in json.dumps(p) for p in posted)


async def test_an_unknown_quiz_button_says_so(slack):
    await click(slack, "quiz_answer", "retired-theme.abc|neglect")
    (posted,) = await slack.fake.wait_for_responses()
    assert "no longer available" in posted["text"]


async def test_the_discuss_button_for_an_unknown_theme_says_so(slack):
    await slack.click("discuss", "retired-theme")
    (posted,) = await slack.fake.wait_for_responses()
    assert "no longer in the catalogue" in posted["text"]


def test_only_real_slack_timestamps_travel_on_from_a_button_payload():
    """Found by fuzzing: a forged thread_ts ("<!channel>") reached the actions modal's metadata."""
    from bot.slack.meetings import slack_ts

    assert slack_ts("1700000000.123456") == "1700000000.123456"
    for forged in ("<!channel>", "", None, 17, "1700000000", "1.2.3", "1700000000.1 "):
        assert slack_ts(forged) is None
