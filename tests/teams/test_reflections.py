"""Reflections from the Adaptive Card form: Slack's privacy guard, person keys and store."""

from __future__ import annotations

from bot.reflections.service import PersonKeys
from bot.teams.cards import REDACT_REFLECTION, SAVE_REFLECTION
from tests.teams import payloads
from tests.teams.conftest import SECRET

PROMPT_VALUE = f"disguised-compliance|{payloads.CHANNEL}|2026-W48"
PAT_KEY = PersonKeys(SECRET)(payloads.TENANT, payloads.PAT["aadObjectId"])


def form(text: str, confidence: str = "4", shared: str = "true", value: str = PROMPT_VALUE) -> dict:
    """What Teams sends for the form's Save button: its data merged with the inputs."""
    return {
        "action": SAVE_REFLECTION,
        "value": value,
        "text": text,
        "confidence": confidence,
        "shared": shared,
    }


async def test_reflection_from_the_card_form_is_stored(teams):
    text = (
        "I will ask to see the changes at home, not only hear that the family agree with the plan."
    )
    post = await teams.ask(teams.submit(form(text), in_channel=True))

    assert "your reflection on Disguised compliance is saved" in post.activity["text"]
    assert post.conversation_id.startswith(
        payloads.CHANNEL
    )  # the thanks goes to the prompt's thread
    (saved,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert (
        saved.text == text and saved.source == "teams" and saved.theme_id == "disguised-compliance"
    )
    assert saved.workspace_id == payloads.TENANT and saved.channel_id == payloads.CHANNEL
    assert saved.week == "2026-W48" and saved.confidence == 4 and saved.shared is True
    assert payloads.PAT["aadObjectId"] not in saved.person_key  # pseudonymous


def card_inputs(card: dict) -> dict:
    return {item["id"]: item for item in card["body"] if "id" in item}


def card_buttons(card: dict) -> list[str]:
    return [action["data"]["action"] for action in card["actions"]]


def card_text(card: dict) -> str:
    return " ".join(item.get("text", "") for item in card["body"] if item.get("type") == "TextBlock")


async def test_the_privacy_guard_refuses_by_name_and_refreshes_the_card_with_the_text(teams):
    text = "Mum said the baby was fine, call 07700 900123."
    post = await teams.ask(teams.submit(form(text, confidence="2", shared="false"), card_id="1763888300001"))

    assert post.updated and post.reply_to_id == "1763888300001"  # the same card, refreshed in place
    shown = card_text(post.card)
    assert shown.startswith("Not saved yet.") and "“07700 900123” (phone number)" in shown
    inputs = card_inputs(post.card)
    assert inputs["text"]["value"] == text  # the card keeps what they wrote
    assert inputs["confidence"]["value"] == "2" and inputs["shared"]["value"] == "false"
    assert "not_people" not in inputs  # a phone number is refused, not asked about
    assert card_buttons(post.card) == [SAVE_REFLECTION, REDACT_REFLECTION]
    assert await teams.services.store.list_reflections_for_person(PAT_KEY) == []


async def test_when_the_card_cannot_be_refreshed_the_form_comes_back_as_a_new_card(teams):
    teams.connector.refuse_updates = True
    post = await teams.ask(teams.submit(form("call mum on 07700 900123")))
    assert not post.updated and "Your reflection was not saved" in post.activity["text"]
    assert card_inputs(post.card)["text"]["value"] == "call mum on 07700 900123"


async def test_replace_them_for_me_fills_the_form_with_neutral_words(teams):
    post = await teams.ask(
        teams.submit({**form("baby kai was seen at 7 Orchard Close"), "action": REDACT_REFLECTION})
    )
    assert post.updated and card_inputs(post.card)["text"]["value"] == "baby [child] was seen at [address]"
    assert "I replaced them" in card_text(post.card)
    assert await teams.services.store.list_reflections_for_person(PAT_KEY) == []


async def test_a_possible_name_is_asked_about_and_the_toggle_saves_it_as_written(teams):
    text = "I talked the plan through with Harley in supervision and it helped"
    post = await teams.ask(teams.submit(form(text)))
    toggle = card_inputs(post.card)["not_people"]
    assert "“Harley”" in card_text(post.card) and "Harley" not in toggle["valueOn"]
    assert await teams.services.store.list_reflections_for_person(PAT_KEY) == []

    saved = await teams.ask(teams.submit({**form(text), "not_people": toggle["valueOn"]}))
    assert "is saved" in saved.activity["text"]
    (kept,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert kept.text == text


async def test_an_empty_reflection_asks_for_words(teams):
    post = await teams.ask(teams.submit(form("   ")))
    assert "write your reflection" in post.activity["text"].lower()


async def test_saving_the_same_form_twice_keeps_one_reflection(teams):
    text = "Next time I will check what has actually changed for the children."
    await teams.ask(teams.submit(form(text, shared="false")))
    again = await teams.ask(teams.submit(form(text, shared="false")))

    assert "already saved" in again.activity["text"]
    (saved,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert saved.shared is False


async def test_each_person_gets_their_own_key(teams):
    text = "Agreeing is not the same as changing."
    await teams.ask(teams.submit(form(text)))
    await teams.ask(teams.submit(form(text), sender=payloads.SAM))
    sam_key = PersonKeys(SECRET)(payloads.TENANT, payloads.SAM["aadObjectId"])
    assert len(await teams.services.store.list_reflections_for_person(PAT_KEY)) == 1
    assert len(await teams.services.store.list_reflections_for_person(sam_key)) == 1


async def test_a_malformed_week_or_confidence_is_ignored_not_fatal(teams):
    text = "I will keep the child at the centre of every visit."
    await teams.ask(
        teams.submit(form(text, confidence="eleven", value="disguised-compliance|x|not-a-week"))
    )
    (saved,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert saved.confidence is None and saved.week is not None and saved.week != "not-a-week"


async def test_a_database_failure_says_the_reflection_was_not_saved(teams, monkeypatch):
    from sqlalchemy.exc import OperationalError

    async def broken(**_):
        raise OperationalError("INSERT ...", {}, Exception("connection refused"))

    monkeypatch.setattr(teams.services.store, "add_reflection", broken)
    post = await teams.ask(teams.submit(form("I will check what I am told against what I see.")))
    assert "was not saved" in post.activity["text"] and "Save again" in post.activity["text"]


async def test_what_the_guard_refused_never_reaches_the_logs(teams, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    await teams.ask(teams.submit(form("Zebra-crossing: call mum on 07700 900123 about kai")))
    await teams.ask(teams.submit({**form("Zebra-crossing: call mum on 07700 900123"), "action": REDACT_REFLECTION}))
    assert caplog.records
    for record in caplog.records:
        message = record.getMessage()
        assert "07700" not in message and "Zebra-crossing" not in message
