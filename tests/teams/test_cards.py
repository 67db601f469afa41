"""Adaptive Card rendering and activity reading: pure functions, no server."""

from __future__ import annotations

import json
import subprocess
import sys

from microsoft_agents.activity import Activity

from bot.replies import Action, Reply, Section, UrgentNotice
from bot.schedule.prompts import WeeklyPrompt
from bot.teams.activities import base_conversation_id, conversation_ref, message_text
from bot.teams.cards import MAX_ACTIONS, reply_card
from tests.teams import payloads

TEAMS_MESSAGE_LIMIT = 28 * 1024  # bytes Teams accepts in one bot message, card included


def test_urgent_signposting_is_the_first_thing_in_the_card():
    reply = Reply(
        kind="answer",
        title="Neglect",
        intro="About neglect",
        urgent=UrgentNotice("Call 999", "Now."),
    )
    body = reply_card(reply)["body"]
    assert body[0]["style"] == "attention" and body[0]["items"][0]["text"] == "Call 999"
    assert body[1]["text"] == "Neglect"


def test_sections_keep_their_headings_text_and_bullets_in_order():
    reply = Reply(kind="answer", sections=(Section("What to do", text="Act.", bullets=("One", "Two")),))
    items = reply_card(reply)["body"][0]["items"]
    assert [i["text"] for i in items] == ["What to do", "Act.", "• One", "• Two"]


def test_actions_mirror_the_reply_actions_up_to_the_teams_limit():
    actions = tuple(Action("show_theme", f"Theme {n}", f"t{n}") for n in range(MAX_ACTIONS + 2))
    card = reply_card(Reply(kind="unknown", actions=actions, choices=tuple((a.value, a.label) for a in actions)))
    assert [a["data"] for a in card["actions"]] == [
        {"action": "show_theme", "value": f"t{n}"} for n in range(MAX_ACTIONS)
    ]
    assert not any(item["type"] == "Input.ChoiceSet" for item in card["body"])  # buttons, not a picker


def test_every_theme_answer_and_prompt_fits_in_one_teams_message(conversation, catalogue):
    for theme in catalogue:
        for reply in (
            conversation.answer(theme, urgent=True),
            WeeklyPrompt("teams", "t", "c", "2026-W48", theme).reply(),
        ):
            size = len(json.dumps(reply_card(reply)).encode())
            assert size < TEAMS_MESSAGE_LIMIT, (theme.id, reply.kind, size)


def test_mentions_and_formatting_are_removed_from_what_people_typed():
    activity = Activity(
        type="message",
        text="<at>scrbot</at> what is <b>disguised</b>&nbsp;compliance? <at>Sam</at>",
    )
    assert message_text(activity) == "what is disguised compliance?"


def test_a_channel_reference_names_the_channel_not_the_thread_or_the_sender():
    activity = Activity.model_validate(payloads.channel_mention("https://smba.trafficmanager.net/emea/", "hi"))
    ref = conversation_ref(activity)
    assert ref == {
        "channelId": "msteams",
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
        "bot": payloads.BOT,
        "conversation": {
            "id": payloads.CHANNEL,
            "conversationType": "channel",
            "tenantId": payloads.TENANT,
            "isGroup": True,
        },
    }
    assert base_conversation_id(f"{payloads.CHANNEL};messageid=123") == payloads.CHANNEL


def test_the_core_never_imports_a_platform_sdk():
    code = (
        "import sys, bot.conversation, bot.replies, bot.engine, bot.services, "
        "bot.schedule.prompts, "
        "bot.schedule.parse, bot.reflections.privacy, bot.reflections.service\n"
        "sdks = ('microsoft_agents', 'botbuilder', 'slack_bolt', 'slack_sdk')\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in sdks]\n"
        "print(loaded)\nsys.exit(1 if loaded else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
