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
    text = "I will ask to see the changes at home, not only hear that the family agree with the plan."
    post = await teams.ask(teams.submit(form(text), in_channel=True))

    assert "your reflection on Disguised compliance is saved" in post.activity["text"]
    assert post.conversation_id.startswith(payloads.CHANNEL)  # the thanks goes to the prompt's thread
    (saved,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert saved.text == text and saved.source == "teams" and saved.theme_id == "disguised-compliance"
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
    post = await teams.ask(teams.submit({**form("baby kai was seen at 7 Orchard Close"), "action": REDACT_REFLECTION}))
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
    await teams.ask(teams.submit(form(text, confidence="eleven", value="disguised-compliance|x|not-a-week")))
    (saved,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert saved.confidence is None and saved.week is not None and saved.week != "not-a-week"


def break_the_store(teams, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    async def broken(**_):
        raise OperationalError("INSERT ...", {}, Exception("connection refused"))

    monkeypatch.setattr(teams.services.store, "add_reflection", broken)


async def test_a_database_failure_says_the_reflection_was_not_saved(teams, monkeypatch):
    break_the_store(teams, monkeypatch)
    text = "I will check what I am told against what I see."
    post = await teams.ask(teams.submit(form(text, confidence="2")))
    assert post.updated  # an old Action.Submit card is refreshed through the connector
    assert "Not saved yet" in card_text(post.card) and "Save again" in card_text(post.card)
    assert card_inputs(post.card)["text"]["value"] == text
    assert card_inputs(post.card)["confidence"]["value"] == "2"


# -- the form as posted now: Save is an Action.Execute (Universal Actions) ----------------------


def save_button(card: dict) -> dict:
    """The Save reflection button of the reflection form behind a card's Reflect button."""
    reflect = next(a for a in card["actions"] if a["title"] == "Reflect")
    return next(a for a in reflect["card"]["actions"] if a["title"] == "Save reflection")


async def reflect_card(teams) -> dict:
    answer = await teams.ask(teams.personal("what is disguised compliance?"))
    teams.connector.posts.clear()
    return answer.card


async def test_the_reflection_forms_save_button_is_a_universal_action(teams):
    save = save_button(await reflect_card(teams))
    assert save["type"] == "Action.Execute" and save["verb"] == SAVE_REFLECTION
    assert save["data"] == {"action": SAVE_REFLECTION, "value": "disguised-compliance"}


async def test_saving_through_universal_actions_stores_it_and_says_thank_you(teams):
    save = save_button(await reflect_card(teams))
    text = "Next time I will ask what has changed at home, not only whether they agree."
    body = await teams.execute({**save["data"], "text": text, "confidence": "4", "shared": "false"})

    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.activity.message"
    (thanks,) = await teams.connector.wait_for(1)
    assert "your reflection on Disguised compliance is saved" in thanks.activity["text"]
    (saved,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert saved.text == text and saved.confidence == 4


async def test_a_privacy_problem_refreshes_the_card_in_place_with_the_text_kept(teams):
    save = save_button(await reflect_card(teams))
    text = "Mum said the baby was fine, call 07700 900123."
    body = await teams.execute({**save["data"], "text": text, "confidence": "2", "shared": "true"})

    assert body["type"] == "application/vnd.microsoft.card.adaptive"  # Teams swaps the card itself
    card = body["value"]
    assert card_text(card).startswith("Not saved yet.") and "“07700 900123” (phone number)" in card_text(card)
    assert card_inputs(card)["text"]["value"] == text
    assert card_inputs(card)["confidence"]["value"] == "2" and card_inputs(card)["shared"]["value"] == "true"
    assert [a["type"] for a in card["actions"]] == ["Action.Execute", "Action.Execute"]
    assert card_buttons(card) == [SAVE_REFLECTION, REDACT_REFLECTION]
    assert teams.connector.posts == []  # no "not saved" message beside the card
    assert await teams.services.store.list_reflections_for_person(PAT_KEY) == []

    replaced = await teams.execute({**card["actions"][1]["data"], "text": text, "confidence": "2"})
    assert card_inputs(replaced["value"])["text"]["value"] == "Mum said the baby was fine, call [phone number]."


async def test_a_database_failure_refreshes_the_card_in_place_with_the_text_kept(teams, monkeypatch):
    save = save_button(await reflect_card(teams))
    break_the_store(teams, monkeypatch)
    text = "I will check what I am told against what I see."
    body = await teams.execute({**save["data"], "text": text, "confidence": "3", "shared": "true"})

    card = body["value"]
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Not saved yet" in card_text(card) and "database is not answering" in card_text(card)
    assert card_inputs(card)["text"]["value"] == text
    assert card_inputs(card)["confidence"]["value"] == "3" and card_inputs(card)["shared"]["value"] == "true"
    assert card_buttons(card) == [SAVE_REFLECTION]
    assert teams.connector.posts == []


async def test_what_the_guard_refused_never_reaches_the_logs(teams, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    await teams.ask(teams.submit(form("Zebra-crossing: call mum on 07700 900123 about kai")))
    await teams.ask(teams.submit({**form("Zebra-crossing: call mum on 07700 900123"), "action": REDACT_REFLECTION}))
    assert caplog.records
    for record in caplog.records:
        message = record.getMessage()
        assert "07700" not in message and "Zebra-crossing" not in message


async def test_the_thanks_says_how_to_edit_or_delete_it_in_the_same_words_as_slack(teams):
    text = "Next time I will ask what has changed at home, not only whether they agree."
    post = await teams.ask(teams.submit(form(text, shared="true"), in_channel=True))
    said = post.activity["text"]
    assert said.startswith("Thank you: your reflection on Disguised compliance is saved.")
    assert "You can read, edit or delete it with “my reflections”." in said
    assert "when your team asks “reflections”" in said


# -- "reflect" said to scrbot ---------------------------------------------------------------


def _save(card: dict) -> dict:
    (save,) = [a for a in card["actions"] if a["title"] == "Save reflection"]
    return save


async def test_reflect_in_a_one_to_one_chat_gets_a_form_whose_save_keeps_the_reflection(teams):
    post = await teams.ask(teams.personal("reflect over-optimism"))
    card = post.card
    assert "Over-optimism" in card_text(card)
    inputs = card_inputs(card)
    assert "theme" not in inputs  # the theme was named
    assert inputs["shared"]["value"] == "true"  # shared without a name by default, as in Slack
    save = _save(card)
    assert save["type"] == "Action.Execute" and save["verb"] == SAVE_REFLECTION
    teams.connector.posts.clear()

    text = "I will write down what would tell me things are getting better, and check against it."
    body = await teams.execute({**save["data"], "text": text, "confidence": "3", "shared": "true"})
    assert body["statusCode"] == 200
    (thanks,) = await teams.connector.wait_for(1)
    assert "is saved" in thanks.activity["text"]
    (saved,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert (saved.theme_id, saved.text, saved.confidence, saved.shared) == ("over-optimism", text, 3, True)
    assert saved.channel_id is None  # a 1:1 chat counts for no channel


async def test_reflect_in_a_channel_offers_the_theme_picker_and_saves_for_that_channel(teams):
    post = await teams.ask(teams.channel("I want to reflect"))
    inputs = card_inputs(post.card)
    assert [c["value"] for c in inputs["theme"]["choices"]] == [t.id for t in teams.services.catalogue]
    assert inputs["theme"]["isRequired"] is True
    save = _save(post.card)
    teams.connector.posts.clear()

    text = "Our team will ask what we have seen, not only what we were told."
    await teams.execute({**save["data"], "theme": "neglect", "text": text, "shared": "true"}, in_channel=True)
    await teams.connector.wait_for(1)
    (saved,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert saved.theme_id == "neglect" and saved.channel_id == payloads.CHANNEL


async def test_a_refused_reflection_keeps_the_picked_theme_on_the_form(teams):
    post = await teams.ask(teams.personal("write a reflection"))
    save = _save(post.card)
    body = await teams.execute({**save["data"], "theme": "neglect", "text": "call mum on 07700 900123"})
    card = body["value"]
    assert "theme" not in card_inputs(card) and card_inputs(card)["text"]["value"] == "call mum on 07700 900123"
    assert _save(card)["data"]["value"].startswith("neglect|")


async def test_reflect_in_a_group_chat_gets_the_form(teams):
    post = await teams.ask(payloads.group_chat_mention(teams.service_url, "reflect neglect"))
    assert "text" in card_inputs(post.card) and _save(post.card)["data"]["value"].startswith("neglect|")


async def test_thread_replies_in_teams_is_said_to_be_a_slack_setting(teams):
    post = await teams.ask(teams.channel("thread replies on"))
    assert "a Slack setting" in post.activity["text"]
