"""Any Unicode text, alone or as a conversation: the engine never raises, every reply has text,
and every rendering of it (Slack, Teams, console) stays inside the platform's limits and inert."""

from __future__ import annotations

import json
import math
import re

from hypothesis import given
from hypothesis import strategies as st

from bot.console import render
from bot.conversation import ConversationState
from bot.slack.render import MAX_BLOCKS, messages
from bot.teams.cards import reply_activity
from tests.fuzz.budget import fuzz_settings
from tests.fuzz.text import any_text, message

LIVE_SLACK_MARKUP = re.compile(r"<[!@#]|<https?:|<mailto:")


@fuzz_settings()
@given(text=any_text)
def test_engine_answers_any_unicode_without_raising(engine, catalogue, text):
    match = engine.answer(text)
    assert match.theme is None or catalogue.get(match.theme.id) is match.theme
    assert isinstance(match.score, float) and not math.isnan(match.score)
    assert all(catalogue.get(t.id) is t for t in match.suggestions)
    json.dumps(match.as_json())


@fuzz_settings()
@given(turns=st.lists(message, min_size=1, max_size=6), seed=st.integers(0, 2**32))
def test_a_conversation_of_any_messages_always_replies_with_text(conversation, turns, seed):
    state = ConversationState()
    state.rng.seed(seed)
    for text in turns:
        reply = conversation.reply(text, state)
        assert reply.plain_text().strip(), f"empty reply to {text!r}"
        assert_slack_rendering_is_valid(reply)
        reply_activity(reply)  # the Teams card renders too
        assert render(reply).strip()


def assert_slack_rendering_is_valid(reply) -> None:
    sent = messages(reply)
    assert sent
    for message_ in sent:
        assert message_["text"].strip() and len(message_["blocks"]) <= MAX_BLOCKS
        for block in message_["blocks"]:
            text = (block.get("text") or {}).get("text", "")
            assert len(text) <= (150 if block["type"] == "header" else 3000)
        assert not LIVE_SLACK_MARKUP.search(json.dumps(message_, ensure_ascii=False))
