"""Whatever arrives, the engine and the conversation answer clearly and never raise."""

from __future__ import annotations

import pytest

from bot.conversation import ConversationState

NASTY = [
    "",
    "   \n\t ",
    "x" * 40_000,
    ("what is disguised compliance? " * 2000),
    "\x00\x01\x02\xff binary \x7f junk",
    "😀😀😀🙈",
    "ما هو الامتثال المقنع",
    "什么是忽视",
    "<!channel> <!here> <@U123> what is neglect",
    "'; DROP TABLE reflections; --",
    "\u202eevil rtl",
]


@pytest.mark.parametrize("text", NASTY)
def test_engine_never_raises(engine, text):
    match = engine.answer(text)
    assert match.theme is None or match.theme.id


@pytest.mark.parametrize("text", NASTY)
def test_conversation_always_replies_with_text(conversation, text):
    reply = conversation.reply(text, ConversationState())
    assert reply.plain_text().strip()


def test_empty_message_gets_a_prompt_to_ask(conversation):
    reply = conversation.reply("   ")
    assert reply.kind == "help" and "Ask me" in reply.intro


def test_a_huge_message_is_read_in_part_and_says_so(conversation):
    reply = conversation.reply("what is disguised compliance? " + "more words " * 4000)
    assert reply.theme_id == "disguised-compliance"
    assert "long" in reply.intro


def test_chat_markup_does_not_change_the_answer(engine):
    assert engine.answer("<!channel> what is neglect").theme.id == "neglect"
