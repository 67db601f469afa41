"""Practitioners ask scrbot in Slack: mentions, DMs, /learn, buttons, App Home."""

from __future__ import annotations

import json

import pytest


def all_text(params) -> str:
    return json.dumps(params.get("blocks")) + (params.get("text") or "")


async def test_url_verification_echoes_the_challenge(slack):
    response = await slack.post(
        json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}), "application/json"
    )
    assert response.status == 200
    assert "abc123" in await response.text()


async def test_app_mention_is_answered_in_a_thread(slack):
    response = await slack.event(
        {
            "type": "app_mention",
            "user": "U1",
            "channel": "C1",
            "ts": "100.1",
            "text": "<@UBOT> what is disguised compliance?",
        }
    )
    assert response.status == 200
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "C1" and call.params["thread_ts"] == "100.1"
    text = all_text(call.params)
    assert "Disguised compliance" in text and "What to do" in text and "Reflective questions" in text
    assert "Sources" in text
    assert call.params["text"]  # the plain-text fallback for notifications and screen readers
    labels = [e["text"]["text"] for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Reflective questions", "Discussion starter", "Related themes", "Reflect"]


async def test_direct_message_is_answered(slack):
    await slack.event(
        {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "ts": "1.1", "text": "what is WNB?"}
    )
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "D1" and "Was not brought" in all_text(call.params)


async def test_bot_messages_and_channel_chatter_are_ignored(slack):
    await slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "user": "UBOT",
            "bot_id": "BBOT",
            "channel": "D1",
            "ts": "1.1",
            "text": "what is neglect",
        },
        event_id="Ev-bot",
    )
    await slack.event(
        {
            "type": "message",
            "channel_type": "channel",
            "user": "U1",
            "channel": "C1",
            "ts": "1.2",
            "text": "what is neglect",
        },
        event_id="Ev-chat",
    )
    await slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "user": "U1",
            "channel": "D1",
            "ts": "1.3",
            "text": "what is neglect",
        },
        event_id="Ev-real",
    )
    await slack.fake.wait_for("chat.postMessage")
    import asyncio

    await asyncio.sleep(0.2)
    assert len(slack.fake.of("chat.postMessage")) == 1


async def test_slash_command_answers_privately(slack):
    response = await slack.command("what is over-optimism?")
    assert response.status == 200
    (posted,) = await slack.fake.wait_for_responses()
    assert posted["response_type"] == "ephemeral"
    assert "Over-optimism" in json.dumps(posted["blocks"])


@pytest.mark.parametrize(
    "text, expected", [("themes", "Disguised compliance"), ("help", "What I can do"), ("", "What I can do")]
)
async def test_slash_command_themes_and_help(slack, text, expected):
    await slack.command(text)
    (posted,) = await slack.fake.wait_for_responses()
    assert expected in json.dumps(posted["blocks"])


async def test_off_topic_question_gets_an_honest_answer(slack):
    await slack.command("what's the weather tomorrow?")
    (posted,) = await slack.fake.wait_for_responses()
    assert "don't know" in json.dumps(posted)


async def test_urgent_mention_sends_private_signposting_first(slack):
    await slack.event(
        {
            "type": "app_mention",
            "user": "U7",
            "channel": "C1",
            "ts": "200.1",
            "text": "<@UBOT> a child just told me her dad hits her and she's scared to go home tonight",
        }
    )
    await slack.fake.wait_for("chat.postMessage")
    methods = [c.method for c in slack.fake.calls if c.method.startswith("chat.")]
    assert methods[0] == "chat.postEphemeral"
    ephemeral = slack.fake.of("chat.postEphemeral")[0].params
    assert ephemeral["user"] == "U7" and "999" in all_text(ephemeral)
    thread = slack.fake.of("chat.postMessage")[0].params
    assert all_text(thread).index("999") < max(all_text(thread).find("What to do"), 0) or "What to do" not in all_text(
        thread
    )


async def test_urgent_slash_command_puts_signposting_first(slack):
    await slack.command("a child just told me her dad hits her and she's scared to go home tonight")
    (posted,) = await slack.fake.wait_for_responses()
    first = posted["blocks"][0]["text"]["text"]
    assert "999" in first


async def test_buttons_open_the_theme_parts(slack):
    for number, action in enumerate(["questions", "discuss", "related"], start=1):
        await slack.click(action, "neglect")
        posted = await slack.fake.wait_for_responses(number)
    texts = [json.dumps(p["blocks"]) for p in posted]
    assert "Reflective questions" in texts[0]
    assert "Discussion starter" in texts[1] and "Scenario" in texts[1]
    assert "Themes related to Neglect" in texts[2]


async def test_button_for_an_unknown_theme_says_so(slack):
    await slack.click("questions", "no-such-theme")
    (posted,) = await slack.fake.wait_for_responses()
    assert "no longer in the catalogue" in posted["text"]


async def test_app_home_lets_people_browse_themes(slack, catalogue):
    await slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    (call,) = await slack.fake.wait_for("views.publish")
    view = call.params["view"]
    select = next(b for b in view["blocks"] if b.get("accessory", {}).get("type") == "static_select")
    assert len(select["accessory"]["options"]) == len(catalogue)
    await slack.interaction(
        {
            "type": "block_actions",
            "view": {"id": "V1", "type": "home"},
            "actions": [
                {
                    "action_id": "home_pick_theme",
                    "type": "static_select",
                    "block_id": "browse",
                    "selected_option": {"value": "neglect", "text": {"type": "plain_text", "text": "Neglect"}},
                }
            ],
        }
    )
    calls = await slack.fake.wait_for("views.publish", 2)
    assert "Neglect" in json.dumps(calls[1].params["view"])


async def test_every_answer_ends_with_the_999_and_front_door_line(slack):
    await slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "user": "U1",
            "channel": "D1",
            "ts": "5.1",
            "text": "what is start again syndrome?",
        }
    )
    (call,) = await slack.fake.wait_for("chat.postMessage")
    last = call.params["blocks"][-1]
    assert last["type"] == "context"
    assert "999" in last["elements"][0]["text"] and "front door" in last["elements"][0]["text"].lower()
    assert "999" in call.params["text"].splitlines()[-1]


async def test_app_home_ends_its_introduction_with_the_configured_safety_line(slack):
    from bot.conversation import Conversation

    contacts = {"front_door_name": "Anyshire MASH", "front_door_phone": "0300 123 4567", "out_of_hours_phone": "EDT"}
    slack.services.conversation = Conversation(slack.services.conversation.engine, contacts)
    await slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    (call,) = await slack.fake.wait_for("views.publish")
    blocks = call.params["view"]["blocks"]
    shown = json.dumps(blocks)
    footer = next(b for b in blocks if b["type"] == "context")["elements"][0]["text"]
    assert "Anyshire MASH: 0300 123 4567" in footer and "Call 999" in footer
    # The safety wording is the answers' own line, said once, not a Home tab wording of its own.
    assert shown.count("999") == 1 and "referral route" in shown
