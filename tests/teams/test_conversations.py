"""Practitioners ask scrbot in Teams: 1:1 chats, channel @mentions, group chats and card buttons.

Each test posts a real activity payload to /api/messages and reads the reply the bot sent to
the fake Bot Connector.
"""

from __future__ import annotations

import asyncio
import json

from tests.teams import payloads


def card_text(card: dict) -> str:
    return json.dumps(card)


def card_actions(card: dict) -> list[dict]:
    return card.get("actions", [])


async def test_question_in_a_one_to_one_chat_gets_an_answer_card(teams):
    activity = teams.personal("what is disguised compliance?")
    post = await teams.ask(activity)

    assert post.conversation_id == payloads.PERSONAL_CHAT and post.reply_to_id == activity["id"]
    card = post.card
    assert card["type"] == "AdaptiveCard" and card["body"][0]["text"] == "Disguised compliance"
    text = card_text(card)
    assert "What to do" in text and "Reflective questions" in text and "Sources" in text
    assert post.activity["summary"] == "Disguised compliance"  # what notifications show
    buttons = [(a["type"], a["title"], a.get("verb"), a.get("data")) for a in card_actions(card)]
    theme = "disguised-compliance"
    assert buttons == [
        ("Action.Execute", "Reflective questions", "questions", {"action": "questions", "value": theme}),
        ("Action.Execute", "Discussion starter", "discuss", {"action": "discuss", "value": theme}),
        ("Action.Execute", "Related themes", "related", {"action": "related", "value": theme}),
        ("Action.ShowCard", "Reflect", None, None),
    ]


async def test_channel_mention_is_stripped_and_answered_in_the_thread(teams):
    activity = teams.channel("what is WNB?")
    assert activity["text"].startswith("<at>scrbot</at>")
    post = await teams.ask(activity)

    # The reply goes to the thread the mention started, as a reply to the mention.
    assert post.conversation_id == f"{payloads.CHANNEL};messageid={activity['id']}"
    assert post.reply_to_id == activity["id"]
    assert "Was not brought" in post.card["body"][0]["text"]


async def test_group_chat_mention_is_answered(teams):
    post = await teams.ask(payloads.group_chat_mention(teams.service_url, "what is disguised compliance"))
    assert post.conversation_id == payloads.GROUP_CHAT
    assert post.card["body"][0]["text"] == "Disguised compliance"


async def test_urgent_signposting_comes_first_in_the_card(teams):
    post = await teams.ask(teams.channel("a child just told me her stepdad hit her and she is scared to go home"))
    first = post.card["body"][0]
    assert first["type"] == "Container" and first["style"] == "attention"
    assert "999" in card_text(first)
    assert post.activity["summary"].startswith("If a child is in immediate danger")


async def test_card_button_shows_that_part_of_the_theme(teams):
    response = await teams.send(teams.press({"action": "questions", "value": "disguised-compliance"}))
    assert response.status == 200 and (await response.json())["statusCode"] == 200  # the invoke's answer
    (post,) = await teams.connector.wait_for(1)
    text = card_text(post.card)
    assert "Reflective questions" in text and "Disguised compliance" in text
    assert "What it looks like" not in text


async def test_a_button_on_a_card_posted_before_action_execute_still_works(teams):
    post = await teams.ask(teams.submit({"action": "questions", "value": "disguised-compliance"}))
    assert "Reflective questions" in card_text(post.card)


async def test_related_themes_offers_show_theme_buttons_that_open_each_theme(teams):
    related = await teams.ask(teams.press({"action": "related", "value": "disguised-compliance"}))
    shows = [a for a in card_actions(related.card) if a.get("verb") == "show_theme"]
    assert shows and all(a["type"] == "Action.Execute" for a in shows)
    answer = await teams.ask(teams.press(shows[0]["data"]))
    assert answer.card["body"][0]["text"] == shows[0]["title"]


async def test_follow_up_words_continue_the_theme_from_a_button(teams):
    await teams.ask(teams.press({"action": "show_theme", "value": "disguised-compliance"}))
    post = await teams.ask(teams.personal("more"))
    assert "Key points" in card_text(post.card) and post.card["body"][0]["text"] == "Disguised compliance"


async def test_themes_list_offers_a_picker_that_opens_a_theme(teams):
    post = await teams.ask(teams.personal("themes"))
    picker = next(item for item in post.card["body"] if item["type"] == "Input.ChoiceSet")
    assert len(picker["choices"]) == len(teams.services.catalogue)
    (show,) = card_actions(post.card)
    assert show["type"] == "Action.Execute" and show["verb"] == "show_theme"
    assert show["data"] == {"action": "show_theme"}

    # Teams merges the picker's input ("value") into the button's data.
    chosen = {**show["data"], picker["id"]: "disguised-compliance"}
    answer = await teams.ask(teams.press(chosen))
    assert answer.card["body"][0]["text"] == "Disguised compliance"


async def test_a_button_for_a_theme_that_no_longer_exists_says_so(teams):
    post = await teams.ask(teams.press({"action": "show_theme", "value": "no-such-theme"}))
    assert "no longer in the catalogue" in json.dumps(post.activity)


async def test_installing_for_yourself_gets_a_welcome_but_a_team_install_stays_quiet(teams):
    response = await teams.send(payloads.bot_added_to_team(teams.service_url))
    assert response.status in (200, 202)
    welcome = await teams.ask(payloads.bot_added_to_personal_chat(teams.service_url))
    assert welcome.conversation_id == payloads.PERSONAL_CHAT
    assert "learning from Serious Case Reviews" in welcome.card["body"][0]["text"]
    await asyncio.sleep(0.1)
    assert len(teams.connector.posts) == 1


async def test_a_redelivered_activity_is_answered_once(teams):
    activity = teams.personal("what is disguised compliance?")
    await teams.ask(activity)
    again = await teams.send(activity)
    assert again.status in (200, 202)
    await asyncio.sleep(0.2)
    assert len(teams.connector.posts) == 1


async def test_unknown_text_gets_an_honest_answer_not_an_error(teams):
    post = await teams.ask(teams.channel("zzzz qqqq"))
    assert "I don't know that one" in card_text(post.card)


async def test_a_connector_that_refuses_the_reply_is_logged_not_a_500(teams, caplog):
    teams.connector.fail(payloads.PERSONAL_CHAT, 500, times=2)  # the answer, then the apology
    response = await teams.send(teams.personal("what is disguised compliance?"))

    assert response.status == 202
    assert [status for _, status in teams.connector.refused] == [500, 500]
    assert any("unhandled error in a Teams turn" in r.getMessage() for r in caplog.records)


async def test_every_answer_card_ends_with_the_999_and_front_door_line(teams):
    post = await teams.ask(teams.personal("what is start again syndrome?"))
    last = post.card["body"][-1]
    assert last["type"] == "TextBlock" and "999" in last["text"] and "front door" in last["text"].lower()
