"""Reflecting in Slack, through signed requests to a running scrbot, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from datetime import timedelta

import pytest

from bot.observability import DRIVER_LOGGERS, configure_logging
from bot.reflections import service
from bot.slack import privacy as privacy_view
from bot.slack import reflections as slack_reflections
from bot.slack.reflections import NEW_VIEW, NOT_SAVED, TEXT_BLOCK, THEME_BLOCK
from tests.reflections.conftest import KEYS

PLAIN = "Next time I will ask who else lives in the household and check with the school."


async def rows(harness, user: str = "U1"):
    return await harness.services.store.list_reflections_for_person(KEYS("T1", user))


def view_of(call) -> dict:
    return call.params["view"]


def block_ids(view: dict) -> list[str]:
    return [b.get("block_id") for b in view["blocks"]]


# -- the modal ----------------------------------------------------------------------------


async def test_reflect_button_on_a_weekly_prompt_opens_the_modal(reflect):
    await reflect.click("reflect", "neglect|C9|2026-W48")
    (call,) = await reflect.fake.wait_for("views.open")
    view = view_of(call)
    assert view["callback_id"] == NEW_VIEW and call.params["trigger_id"] == "trig2"
    assert json.loads(view["private_metadata"]) == {
        "theme": "neglect",
        "channel": "C9",
        "week": "2026-W48",
        "source": "modal",
    }
    text = json.dumps(view)
    assert "What will you do differently, or what did this make you think about?" in text
    assert "How confident are you that you would spot this in your own work?" in text
    assert "Reflections are practice learning, not case records" in text
    text_input = next(b for b in view["blocks"] if b.get("block_id") == TEXT_BLOCK)["element"]
    assert text_input["max_length"] == 1500 and text_input["multiline"] is True
    confidence = next(b for b in view["blocks"] if b.get("block_id") == "reflection_confidence")
    assert [o["value"] for o in confidence["element"]["options"]] == ["1", "2", "3", "4", "5"]
    share = next(b for b in view["blocks"] if b.get("block_id") == "reflection_share")["element"]
    assert share["initial_options"] == share["options"]  # shared without a name, on by default
    assert share["options"][0]["text"]["text"] == "Share with my team without my name"
    assert THEME_BLOCK not in block_ids(view)  # the prompt named its theme


async def test_a_submitted_reflection_is_saved_with_a_pseudonymous_key(reflect):
    answer = await reflect.submit(PLAIN, confidence="4", shared=True)
    assert answer["response_action"] == "update"
    assert "Thank you" in json.dumps(answer["view"]) and PLAIN not in json.dumps(answer["view"])
    (saved,) = await rows(reflect)
    assert (saved.theme_id, saved.workspace_id, saved.channel_id, saved.week) == (
        "neglect",
        "T1",
        "C1",
        "2026-W48",
    )
    assert (saved.text, saved.confidence, saved.shared, saved.source) == (PLAIN, 4, True, "modal")
    assert saved.person_key == KEYS("T1", "U1") and "U1" not in saved.person_key
    assert saved.idempotency_key == "slack:T1:view:V100"


async def test_a_modal_whose_metadata_names_an_unknown_source_is_saved_as_from_the_modal(reflect):
    metadata = {"theme": "neglect", "channel": "C1", "week": "2026-W48", "source": "0"}
    answer = await reflect.submit(PLAIN, metadata=metadata)
    assert answer["response_action"] == "update" and "Thank you" in json.dumps(answer["view"])
    (saved,) = await rows(reflect)
    assert saved.source == "modal"


async def test_confidence_is_optional_and_sharing_can_be_turned_off(reflect):
    await reflect.submit(PLAIN, confidence=None, shared=False)
    (saved,) = await rows(reflect)
    assert saved.confidence is None and saved.shared is False


async def test_a_double_submit_or_retry_saves_one_reflection(reflect):
    first, second = await asyncio.gather(reflect.submit(PLAIN), reflect.submit(PLAIN))
    third = await reflect.submit(PLAIN)  # Slack retrying the same submission
    assert {a["response_action"] for a in (first, second, third)} == {"update"}
    assert len(await rows(reflect)) == 1


def text_input(view: dict) -> dict:
    (block,) = [b for b in view["blocks"] if b.get("block_id", "").startswith(TEXT_BLOCK)]
    return block


def review_text(view: dict) -> str:
    (block,) = [b for b in view["blocks"] if b.get("block_id") == privacy_view.REVIEW_BLOCK]
    return block["text"]["text"]


@pytest.mark.parametrize(
    "text, words, kind",
    [
        ("NHS number 943 476 5919 was on the referral", "943 476 5919", "NHS number"),
        ("The family live at 14 Acacia Avenue, LS6 2QT", "LS6 2QT", "postcode"),
        ("Her date of birth is 03/04/2019 so she is 7", "03/04/2019", "date of birth"),
        ("mosaic 4418207 showed the earlier referral", "4418207", "case or crime reference"),
    ],
)
async def test_identifiers_are_refused_by_name_and_the_modal_keeps_the_text(reflect, text, words, kind):
    answer = await reflect.submit(text)

    assert answer["response_action"] == "update"
    view = answer["view"]
    assert text_input(view)["element"]["initial_value"] == text  # nothing typed is lost
    shown = review_text(view)
    assert f"“{words}”" in shown and kind in shown
    (block,) = [b for b in view["blocks"] if b.get("block_id") == privacy_view.REVIEW_BLOCK]
    assert block["accessory"]["action_id"] == privacy_view.REDACT  # one-click redaction
    assert not [b for b in view["blocks"] if b.get("block_id") == privacy_view.NOT_PEOPLE_BLOCK]
    assert await rows(reflect) == []


async def test_a_possible_name_is_asked_about_and_not_a_person_saves_it_as_written(reflect):
    text = "I talked the plan through with Harley in supervision and it helped"
    answer = await reflect.submit(text)

    view = answer["view"]
    assert answer["response_action"] == "update" and "“Harley”" in review_text(view)
    (box,) = [b for b in view["blocks"] if b.get("block_id") == privacy_view.NOT_PEOPLE_BLOCK]
    assert await rows(reflect) == []

    key = box["element"]["options"][0]["value"]
    assert "Harley" not in key  # the answer is a digest, not the word
    thanks = await reflect.submit(text, not_people=key)
    assert "is saved" in json.dumps(thanks["view"])
    (saved,) = await rows(reflect)
    assert saved.text == text


async def test_a_tick_for_other_words_does_not_let_a_new_name_through(reflect):
    first = await reflect.submit("I talked it through with Harley in supervision")
    (box,) = [b for b in first["view"]["blocks"] if b.get("block_id") == privacy_view.NOT_PEOPLE_BLOCK]
    key = box["element"]["options"][0]["value"]
    answer = await reflect.submit("I talked it through with Callum in supervision", not_people=key)
    assert answer["response_action"] == "update" and "“Callum”" in review_text(answer["view"])
    assert await rows(reflect) == []


async def test_replace_them_for_me_rewrites_the_text_in_the_open_modal(reflect):
    text = "baby kai was seen at 7 Orchard Close, call 07700 900123"
    view = (await reflect.submit(text))["view"]
    payload = {
        "type": "block_actions",
        "container": {"type": "view", "view_id": "V100"},
        "view": {
            **view,
            "id": "V100",
            "hash": "h1",
            "state": {"values": {TEXT_BLOCK: {"text": {"type": "plain_text_input", "value": text}}}},
        },
        "actions": [{"action_id": privacy_view.REDACT, "value": "redact", "type": "button", "action_ts": "1"}],
    }
    response = await reflect.interaction(payload)
    assert response.status == 200

    (call,) = await reflect.fake.wait_for("views.update")
    updated = call.params["view"] if isinstance(call.params["view"], dict) else json.loads(call.params["view"])
    assert call.params["view_id"] == "V100" and call.params["hash"] == "h1"
    block = text_input(updated)
    assert block["block_id"] != TEXT_BLOCK  # a new id, so Slack shows the new text
    assert block["element"]["initial_value"] == "baby [child] was seen at [address], call [phone number]"
    assert await rows(reflect) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", service.EMPTY),
        ("   \n\t ", service.EMPTY),
        ("😀🙏 :thumbsup: 👍🏽", service.EMOJI_ONLY),
        ("!!! ... ???", service.EMOJI_ONLY),
        (
            "a" * 1501,
            "Please shorten your reflection to 1,500 characters or fewer (it is 1,501, so 1 over).",
        ),
    ],
)
async def test_empty_emoji_only_and_too_long_text_get_a_clear_message(reflect, text, expected):
    answer = await reflect.submit(text)
    assert answer == {"response_action": "errors", "errors": {TEXT_BLOCK: expected}}
    assert await rows(reflect) == []


async def test_exactly_1500_characters_is_accepted(reflect):
    answer = await reflect.submit("word " * 300)
    assert answer["response_action"] == "update"
    (saved,) = await rows(reflect)
    assert len(saved.text) <= 1500


async def test_right_to_left_text_is_saved_as_written_without_direction_overrides(reflect):
    arabic = "سأسأل عن جميع البالغين الذين يعيشون في المنزل"
    answer = await reflect.submit(f"\u202e{arabic} 👍")
    assert answer["response_action"] == "update"
    (saved,) = await rows(reflect)
    assert saved.text == f"{arabic} 👍"


async def test_without_a_theme_the_modal_asks_for_one(reflect):
    answer = await reflect.submit(PLAIN, theme=None)
    assert answer["response_action"] == "errors" and THEME_BLOCK in answer["errors"]
    answer = await reflect.submit(PLAIN, theme=None, picked_theme="over-optimism")
    assert answer["response_action"] == "update"
    (saved,) = await rows(reflect)
    assert saved.theme_id == "over-optimism"


@pytest.fixture
def debug_logs(caplog):
    """scrbot's own logging set-up at DEBUG, writing to a string; restored afterwards."""
    root = logging.getLogger()
    before = (root.level, {name: logging.getLogger(name).level for name in DRIVER_LOGGERS})
    stream = io.StringIO()
    handler = configure_logging(json=False, level=logging.DEBUG, stream=stream)
    caplog.set_level(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(before[0])
        for name, level in before[1].items():
            logging.getLogger(name).setLevel(level)


async def test_a_database_error_keeps_the_modal_open_and_a_resubmit_saves(reflect, debug_logs, caplog):
    store = reflect.services.store
    secret = "Something only I wrote: the health visitor had doubts"
    async with store.engine.begin() as connection:
        await connection.exec_driver_sql("ALTER TABLE reflections RENAME TO reflections_away")
    answer = await reflect.submit(secret)
    assert answer == {"response_action": "errors", "errors": {TEXT_BLOCK: NOT_SAVED}}
    assert "not saved" in NOT_SAVED and "Save again" in NOT_SAVED
    assert secret not in caplog.text and secret not in debug_logs.getvalue()
    assert any("was not saved" in r.getMessage() for r in caplog.records)
    async with store.engine.begin() as connection:
        await connection.exec_driver_sql("ALTER TABLE reflections_away RENAME TO reflections")
    answer = await reflect.submit(secret)  # the same modal, still open with the text in it
    assert answer["response_action"] == "update"
    assert len(await rows(reflect)) == 1


async def test_reflection_text_never_reaches_the_logs_even_at_debug(reflect, debug_logs, caplog):
    secret = "Zebra-crossing-learning: I will ring the school nurse before closing"
    await reflect.submit(secret, view_id="V1")
    await reflect.submit(secret + " Jayden Smith's mum", view_id="V2")  # asked about by the guard
    await reflect.submit(secret + " call 07700 900123", view_id="V3")  # refused by the guard
    (saved,) = await rows(reflect)
    await reflect.click_as("reflection_edit", str(saved.id))
    await reflect.fake.wait_for("views.open")
    await reflect.submit(
        secret + " edited",
        callback_id="reflection_edit",
        metadata={"id": saved.id, "origin": "list"},
    )
    await reflect.command("my reflections")
    await reflect.fake.wait_for_responses(1)
    await reflect.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    await reflect.fake.wait_for("views.publish")
    await reflect.command("reflections")
    await reflect.fake.wait_for_responses(2)
    assert "Zebra-crossing" in json.dumps(reflect.fake.responses)  # it was sent, just not logged
    assert len(caplog.records) > 20, "expected plenty of log lines at DEBUG"
    assert "Sending a request" in debug_logs.getvalue()  # the wire log is on, yet never has text
    for record in caplog.records:
        assert "Zebra-crossing" not in record.getMessage()
        assert "Jayden" not in record.getMessage() and "07700" not in record.getMessage()
    assert "Zebra-crossing" not in debug_logs.getvalue()
    assert "Jayden" not in debug_logs.getvalue() and "07700" not in debug_logs.getvalue()


# -- /learn reflect ------------------------------------------------------------------------


async def test_learn_reflect_with_a_theme_opens_the_modal_on_that_theme(reflect):
    await reflect.command("reflect over optimism", channel="C7")
    (call,) = await reflect.fake.wait_for("views.open")
    metadata = json.loads(view_of(call)["private_metadata"])
    assert metadata["theme"] == "over-optimism" and metadata["channel"] == "C7"
    assert metadata["source"] == "command" and metadata["week"] == "2026-W48"
    assert "Over-optimism" in json.dumps(view_of(call)["blocks"])


async def test_learn_reflect_without_a_theme_offers_this_weeks_prompt_or_a_picker(reflect, clock):
    await reflect.command("reflect", channel="C7")
    (call,) = await reflect.fake.wait_for("views.open")
    assert THEME_BLOCK in block_ids(view_of(call))
    store = reflect.services.store
    await store.claim_delivery("slack", "T1", "C7", "2026-W48", "toxic-trio", "r1", clock.now(), timedelta(minutes=5))
    await reflect.command("reflect", channel="C7")
    calls = await reflect.fake.wait_for("views.open", 2)
    assert json.loads(view_of(calls[1])["private_metadata"])["theme"] == "toxic-trio"


async def test_learn_reflect_in_a_direct_message_keeps_no_channel(reflect):
    await reflect.command("reflect neglect", channel="D123")
    (call,) = await reflect.fake.wait_for("views.open")
    metadata = json.loads(view_of(call)["private_metadata"])
    await reflect.submit(PLAIN, metadata=metadata)
    (saved,) = await rows(reflect)
    assert saved.channel_id is None and saved.source == "command"


def _buttons(params: dict) -> list[dict]:
    blocks = params["blocks"] if isinstance(params["blocks"], list) else json.loads(params["blocks"])
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


async def test_reflect_in_a_direct_message_gets_a_button_that_opens_the_modal_on_that_theme(reflect):
    dm = {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "ts": "5.1"}
    await reflect.event({**dm, "text": "reflect over-optimism"})
    (posted,) = await reflect.fake.wait_for("chat.postMessage")
    (write,) = _buttons(posted.params)
    assert write["text"]["text"] == "Write a reflection" and write["action_id"] == "reflect"
    assert "Over-optimism" in posted.params["text"]

    pressed = {"action_id": write["action_id"], "value": write["value"], "type": "button", "action_ts": "1"}
    in_the_dm = {"type": "message", "channel_id": "D1", "message_ts": posted.params.get("ts", "5.2")}
    await reflect.interaction(
        {"type": "block_actions", "channel": {"id": "D1"}, "container": in_the_dm, "actions": [pressed]}
    )
    (opened,) = await reflect.fake.wait_for("views.open")
    view = view_of(opened)
    metadata = json.loads(view["private_metadata"])
    assert metadata["theme"] == "over-optimism" and metadata["week"] == "2026-W48"
    assert THEME_BLOCK not in block_ids(view)  # the theme is chosen already
    await reflect.submit(PLAIN, metadata=metadata)
    (saved,) = await rows(reflect)
    assert saved.theme_id == "over-optimism" and saved.channel_id is None  # a DM counts for no channel


async def test_reflect_to_scrbot_in_a_channel_is_answered_to_the_asker_only(reflect):
    mention = {"type": "app_mention", "user": "U1", "channel": "C7", "ts": "6.1", "text": "<@UBOT> write a reflection"}
    await reflect.event(mention)
    (posted,) = await reflect.fake.wait_for("chat.postEphemeral")
    assert posted.params["user"] == "U1" and posted.params["channel"] == "C7"
    (write,) = _buttons(posted.params)
    assert write["value"] == "|C7|2026-W48"  # no theme: the modal asks for one
    assert not reflect.fake.of("chat.postMessage")
    await reflect.click_as(write["action_id"], write["value"])
    (opened,) = await reflect.fake.wait_for("views.open")
    assert THEME_BLOCK in block_ids(view_of(opened))


async def test_reflect_on_an_unknown_theme_names_it_and_says_how_to_see_the_list(reflect):
    await reflect.command("reflect zxqv blorp", channel="C7")
    (posted,) = await reflect.fake.wait_for_responses()
    assert "“zxqv blorp”" in posted["text"] and "/learn themes" in posted["text"]
    assert posted["response_type"] == "ephemeral" and not reflect.fake.of("views.open")


async def test_thread_replies_on_is_a_command_of_its_own_in_slack(reflect):
    await _prompt_in(reflect, channel="C1", opted_in=False)
    await reflect.command("thread replies on", user="UCONF", channel="C1")
    (posted,) = await reflect.fake.wait_for_responses()
    assert "will be saved as reflections" in posted["text"] and posted["response_type"] == "in_channel"
    subscription = await reflect.services.store.get_subscription("slack", "T1", "C1")
    assert subscription.thread_replies_as_reflections is True


async def test_an_expired_trigger_gets_a_polite_message(reflect):
    reflect.fake.fail("views.open", "expired_trigger_id")
    await reflect.command("reflect neglect")
    (posted,) = await reflect.fake.wait_for_responses()
    assert "couldn't open the reflection form" in posted["text"]


# -- mine: list, edit, delete, forget ----------------------------------------------------


async def test_my_reflections_lists_only_my_own_with_inert_markup(reflect):
    await reflect.submit("<!channel> *ask* <https://evil.example|click> & think", view_id="V1")
    await reflect.submit("Someone else's learning about drift", view_id="V2", user="U2")
    await reflect.command("my reflections")
    (posted,) = await reflect.fake.wait_for_responses()
    text = json.dumps(posted)
    assert posted["response_type"] == "ephemeral"
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert "&lt;https://evil.example|click&gt; &amp; think" in text
    assert "Someone else" not in text
    delete = next(
        e
        for b in posted["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "reflection_delete"
    )
    assert delete["confirm"]["confirm"]["text"] == "Delete" and delete["style"] == "danger"


async def test_a_person_edits_their_reflection_in_a_modal(reflect):
    await reflect.submit(PLAIN, confidence="2")
    (saved,) = await rows(reflect)
    await reflect.click_as("reflection_edit", str(saved.id))
    (call,) = await reflect.fake.wait_for("views.open")
    view = view_of(call)
    assert view["callback_id"] == "reflection_edit"
    text_input = next(b for b in view["blocks"] if b.get("block_id") == TEXT_BLOCK)["element"]
    assert text_input["initial_value"] == PLAIN
    radio = next(b for b in view["blocks"] if b.get("block_id") == "reflection_confidence")
    assert radio["element"]["initial_option"]["value"] == "2"
    metadata = json.loads(view["private_metadata"])
    answer = await reflect.submit(
        "I will check the chronology first.",
        callback_id="reflection_edit",
        metadata=metadata,
        confidence="5",
        shared=False,
    )
    assert answer == {}  # the modal closes
    (edited,) = await rows(reflect)
    assert (edited.text, edited.confidence, edited.shared) == (
        "I will check the chronology first.",
        5,
        False,
    )
    (posted,) = await reflect.fake.wait_for_responses()  # the list is shown again, updated
    assert posted["replace_original"] is True and "chronology" in json.dumps(posted)


async def test_an_edit_is_checked_by_the_privacy_guard_too(reflect):
    await reflect.submit(PLAIN)
    (saved,) = await rows(reflect)
    answer = await reflect.submit(
        "Call mum on 07700 900123",
        callback_id="reflection_edit",
        metadata={"id": saved.id, "origin": "list"},
    )
    assert answer["response_action"] == "update" and "“07700 900123” (phone number)" in review_text(answer["view"])
    assert answer["view"]["callback_id"] == "reflection_edit"
    assert text_input(answer["view"])["element"]["initial_value"] == "Call mum on 07700 900123"
    (unchanged,) = await rows(reflect)
    assert unchanged.text == PLAIN


async def test_nobody_can_edit_or_delete_someone_elses_reflection(reflect):
    await reflect.submit(PLAIN)
    (saved,) = await rows(reflect)
    await reflect.click_as("reflection_edit", str(saved.id), user="U2")
    (posted,) = await reflect.fake.wait_for_responses()
    assert "no longer exists" in posted["text"] and not reflect.fake.of("views.open")
    answer = await reflect.submit("hijacked", user="U2", callback_id="reflection_edit", metadata={"id": saved.id})
    assert answer["response_action"] == "errors"
    await reflect.click_as("reflection_delete", str(saved.id), user="U2")
    await reflect.fake.wait_for_responses(2)
    (still,) = await rows(reflect)
    assert still.text == PLAIN


async def test_delete_removes_the_reflection_and_shows_the_list_again(reflect):
    await reflect.submit(PLAIN, view_id="V1")
    await reflect.submit("Second thought about supervision", view_id="V2")
    first = next(r for r in await rows(reflect) if r.text == PLAIN)
    await reflect.click_as("reflection_delete", str(first.id))
    (posted,) = await reflect.fake.wait_for_responses()
    assert posted["replace_original"] is True and "Deleted." in json.dumps(posted)
    assert [r.text for r in await rows(reflect)] == ["Second thought about supervision"]


async def test_forget_me_asks_first_then_deletes_everything_of_mine(reflect, clock):
    await reflect.submit(PLAIN, view_id="V1")
    await reflect.submit("another", view_id="V2")
    await reflect.submit("not mine", view_id="V3", user="U2")
    store = reflect.services.store
    await store.record_quiz_answer("quiz-neglect", KEYS("T1", "U1"), "a", True, clock.now())
    await reflect.command("forget me")
    (asked,) = await reflect.fake.wait_for_responses()
    button = asked["blocks"][1]["elements"][0]
    assert button["action_id"] == "reflection_forget_me" and "confirm" in button
    assert len(await rows(reflect)) == 2  # nothing deleted before the confirmation
    await reflect.click_as("reflection_forget_me", "all")
    (_, done) = await reflect.fake.wait_for_responses(2)
    assert "deleted all your reflections (2)" in done["text"]
    assert await rows(reflect) == [] and len(await rows(reflect, "U2")) == 1
    assert await store.quiz_tally("quiz-neglect") == {}


# -- App Home ------------------------------------------------------------------------------


async def test_app_home_lists_my_reflections_with_edit_and_delete(reflect):
    await reflect.submit("Home-tab learning <@U999>", view_id="V1")
    await reflect.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    (call,) = await reflect.fake.wait_for("views.publish")
    text = json.dumps(call.params["view"])
    assert "Your reflections" in text and "Home-tab learning &lt;@U999&gt;" in text
    assert "reflection_edit" in text and "reflection_delete" in text
    (saved,) = await rows(reflect)
    await reflect.click_as("reflection_delete", str(saved.id), home=True)
    calls = await reflect.fake.wait_for("views.publish", 2)
    assert "Home-tab learning" not in json.dumps(calls[1].params["view"])
    assert await rows(reflect) == []


# -- team view ---------------------------------------------------------------------------


async def test_team_summary_shows_shared_reflections_without_names(reflect):
    await reflect.submit("<!here> we will *always* check who lives there", view_id="V1")
    await reflect.submit("private thought", view_id="V2", user="U2", shared=False)
    await reflect.submit("other channel", view_id="V3", channel="C2")
    await reflect.command("reflections", channel="C1")
    (posted,) = await reflect.fake.wait_for_responses()
    text = json.dumps(posted)
    assert posted["response_type"] == "in_channel"
    assert "What we said this week" in text
    assert "&lt;!here&gt; we will *always* check who lives there" in text and "<!here>" not in text
    assert "private thought" not in text and "other channel" not in text
    assert "U1" not in text and KEYS("T1", "U1") not in text


async def test_team_summary_with_nothing_shared_says_so_privately(reflect):
    await reflect.command("reflections")
    (posted,) = await reflect.fake.wait_for_responses()
    assert posted["response_type"] == "ephemeral" and "No one has shared" in json.dumps(posted)


# -- thread replies ------------------------------------------------------------------------


async def _prompt_in(reflect, channel: str = "C1", opted_in: bool = True, ts: str = "111.222"):
    store, now = reflect.services.store, reflect.clock.now()
    await store.upsert_subscription(
        "slack",
        "T1",
        channel,
        weekday=0,
        hour=9,
        minute=0,
        timezone="Europe/London",
        created_by="U1",
        now=now,
        thread_replies_as_reflections=opted_in,
    )
    delivery = await store.claim_delivery(
        "slack", "T1", channel, "2026-W48", "neglect", "r1", now, timedelta(minutes=5)
    )
    await store.complete_delivery(delivery.id, ts, now)


def _reply(text: str, ts: str = "111.300", thread_ts: str = "111.222", user: str = "U1") -> dict:
    return {
        "type": "message",
        "channel": "C1",
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
    }


async def test_a_thread_reply_to_the_prompt_is_saved_and_acknowledged(reflect):
    await _prompt_in(reflect)
    await reflect.event(_reply(PLAIN), event_id="Ev1")
    (reaction,) = await reflect.fake.wait_for("reactions.add")
    assert (reaction.params["channel"], reaction.params["timestamp"], reaction.params["name"]) == (
        "C1",
        "111.300",
        "white_check_mark",
    )
    await reflect.event(_reply(PLAIN), event_id="Ev1")  # Slack's retry
    await reflect.event(_reply(PLAIN), event_id="Ev2")  # the same message delivered again
    await asyncio.sleep(0.2)
    (saved,) = await rows(reflect)
    assert (saved.source, saved.theme_id, saved.week, saved.channel_id) == (
        "thread",
        "neglect",
        "2026-W48",
        "C1",
    )
    assert saved.idempotency_key == "slack:T1:message:C1:111.300"


async def test_thread_replies_are_ignored_unless_the_channel_opted_in(reflect):
    await _prompt_in(reflect, opted_in=False)
    await reflect.event(_reply(PLAIN), event_id="Ev1")
    await asyncio.sleep(0.3)
    assert await rows(reflect) == [] and not reflect.fake.of("reactions.add")


async def test_replies_in_other_threads_and_emoji_replies_are_not_reflections(reflect):
    await _prompt_in(reflect)
    await reflect.event(_reply(PLAIN, thread_ts="999.000"), event_id="Ev1")
    await reflect.event(_reply("👍 :tada:", ts="111.301"), event_id="Ev2")
    await asyncio.sleep(0.3)
    assert await rows(reflect) == [] and not reflect.fake.of("chat.postEphemeral")


async def test_an_identifying_thread_reply_is_not_saved_and_the_writer_is_told(reflect):
    await _prompt_in(reflect)
    await reflect.event(_reply("Jayden Smith's mum was at the meeting"), event_id="Ev1")
    (told,) = await reflect.fake.wait_for("chat.postEphemeral")
    assert told.params["user"] == "U1" and told.params["thread_ts"] == "111.222"
    assert "not saved" in told.params["text"] and "“Jayden Smith”" in told.params["text"]
    assert await rows(reflect) == []


async def test_a_refused_thread_reply_can_be_reopened_in_the_form_with_the_detail_replaced(reflect):
    await _prompt_in(reflect)
    await reflect.event(_reply("I rang mum on 07700 900123 and should have visited"), event_id="Ev1")
    (told,) = await reflect.fake.wait_for("chat.postEphemeral")
    blocks = told.params["blocks"] if isinstance(told.params["blocks"], list) else json.loads(told.params["blocks"])
    (button,) = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert "07700" not in button["value"]  # what was refused is not kept, even in the button

    await reflect.interaction(
        {
            "type": "block_actions",
            "container": {"type": "message", "is_ephemeral": True},
            "channel": {"id": "C1"},
            "actions": [{**button, "type": "button", "block_id": "b1", "action_ts": "1"}],
        }
    )
    (opened,) = await reflect.fake.wait_for("views.open")
    view = opened.params["view"] if isinstance(opened.params["view"], dict) else json.loads(opened.params["view"])
    assert text_input(view)["element"]["initial_value"] == "I rang mum on [phone number] and should have visited"
    assert await rows(reflect) == []


# -- reports and access ------------------------------------------------------------------


async def test_a_non_admin_gets_a_polite_refusal(reflect):
    await reflect.submit(PLAIN)
    await reflect.command("report", user="U1")
    (posted,) = await reflect.fake.wait_for_responses()
    assert posted["text"] == slack_reflections.NOT_ADMIN
    assert not reflect.fake.of("files.getUploadURLExternal") and not reflect.fake.uploads


@pytest.mark.parametrize("admin", ["UCONF", "UADMIN1", "UOWNER1"])
async def test_admins_get_the_figures_and_the_chart_privately(reflect, admin):
    await reflect.submit(PLAIN, view_id="V1")
    await reflect.submit("Second", view_id="V2", user="U2", confidence="2")
    await reflect.command("report 8", user=admin)
    (posted,) = await reflect.fake.wait_for_responses()
    text = json.dumps(posted)
    assert "2 reflection(s) from 2 people, average confidence 3.0" in text
    assert "participation 2/2 (100%)" in text  # fake channel C1 has U1, U2 and the bot
    assert PLAIN not in text
    (complete,) = await reflect.fake.wait_for("files.completeUploadExternal")
    assert complete.params["channel_id"] == f"D{admin}"
    (upload,) = reflect.fake.uploads.values()
    assert upload.startswith(b"\x89PNG")


async def test_report_weeks_must_be_a_sensible_number(reflect):
    await reflect.command("report lots", user="UCONF")
    (posted,) = await reflect.fake.wait_for_responses()
    assert "from 1 to 104" in posted["text"]


async def test_the_weekly_digest_goes_to_the_leads_channel_without_text(reflect):
    await reflect.submit(PLAIN, view_id="V1")
    from slack_sdk.web.async_client import AsyncWebClient

    posted = await slack_reflections.post_weekly_digest(
        reflect.services, AsyncWebClient(token="xoxb-test", base_url=reflect.fake.api_url), "T1"
    )
    assert posted is True
    (call,) = await reflect.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "CLEADS"
    text = json.dumps(call.params)
    assert "Weekly reflections digest" in text and "1 reflection(s) from 1 person" in text
    assert PLAIN not in text


async def test_the_reflect_button_on_an_answer_opens_the_modal(reflect):
    slack = reflect
    await slack.command("what is neglect?")
    (posted,) = await slack.fake.wait_for_responses()
    buttons = [e for b in posted["blocks"] if b["type"] == "actions" for e in b["elements"]]
    reflect = next(e for e in buttons if e["action_id"] == "reflect")
    await slack.click("reflect", reflect["value"])
    (opened,) = await slack.fake.wait_for("views.open")
    assert "neglect" in str(opened.params["view"]).lower()


async def test_a_theme_picked_in_the_modal_is_kept_when_the_guard_asks(reflect):
    text = "I talked the plan through with Harley in supervision"
    answer = await reflect.submit(text, theme=None, picked_theme="over-optimism")
    view = answer["view"]
    assert json.loads(view["private_metadata"])["theme"] == "over-optimism"
    assert not [b for b in view["blocks"] if b.get("block_id") == THEME_BLOCK]
    (box,) = [b for b in view["blocks"] if b.get("block_id") == privacy_view.NOT_PEOPLE_BLOCK]
    key = box["element"]["options"][0]["value"]
    thanks = await reflect.submit(text, metadata=json.loads(view["private_metadata"]), not_people=key)
    assert "is saved" in json.dumps(thanks["view"])
    (saved,) = await rows(reflect)
    assert saved.theme_id == "over-optimism" and saved.text == text


async def test_my_reflections_in_a_direct_message_is_answered_by_the_same_router(reflect):
    await reflect.submit(PLAIN)
    await reflect.event(
        {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "ts": "9.1", "text": "my reflections"}
    )
    (call,) = await reflect.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "D1"
    assert PLAIN in json.dumps(call.params) and "reflection_edit" in json.dumps(call.params)


async def test_my_reflections_asked_by_mention_in_a_channel_shows_nothing_there(reflect):
    await reflect.submit(PLAIN)
    await reflect.event(
        {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "9.2", "text": "<@UBOT> my reflections"}
    )
    (told,) = await reflect.fake.wait_for("chat.postEphemeral")
    assert told.params["user"] == "U1" and "1:1 chat" in told.params["text"]
    assert PLAIN not in json.dumps([c.params for c in reflect.fake.calls])


async def test_the_saved_reflection_is_thanked_in_the_core_wording_with_how_to_edit_it(reflect):
    answer = await reflect.submit(PLAIN, shared=True)
    shown = json.dumps(answer["view"], ensure_ascii=False)
    assert "Thank you: your reflection on Neglect is saved." in shown
    assert "You can read, edit or delete it in my Home tab or with “/learn my reflections”." in shown
    assert "when your team asks “/learn reflections”" in shown
