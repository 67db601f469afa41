"""The conversation every platform shares: answers, follow-ups, themes, help, urgent first."""

from __future__ import annotations

from bot.conversation import ConversationState


def test_answer_has_every_part_a_practitioner_needs(conversation):
    reply = conversation.reply("what is disguised compliance?")
    assert reply.kind == "answer" and reply.title == "Disguised compliance"
    headings = [s.heading for s in reply.sections]
    assert headings[:4] == ["What it looks like", "What to do", "Reflective questions", "Sources"]
    assert {a.id for a in reply.actions} == {"questions", "discuss", "related", "reflect"}
    assert "Kirklees" in reply.plain_text()


def test_follow_ups_use_the_last_theme(conversation):
    state = ConversationState()
    conversation.reply("what is neglect?", state)
    questions = conversation.reply("questions", state)
    assert questions.theme_id == "neglect" and questions.sections[0].heading == "Reflective questions"
    more = conversation.reply("more", state)
    assert more.theme_id == "neglect" and any(s.heading == "A practice scenario" for s in more.sections)


def test_follow_up_without_a_theme_is_not_a_crash(conversation):
    reply = conversation.reply("more", ConversationState())
    assert reply.plain_text()


def test_themes_lists_every_theme(conversation, catalogue):
    reply = conversation.reply("themes")
    assert len(reply.choices) == len(catalogue)


def test_urgent_signposting_comes_before_any_theme_content(conversation):
    reply = conversation.reply("a child just told me her dad hits her and she's scared to go home tonight")
    text = reply.plain_text()
    assert reply.urgent is not None
    assert text.startswith(reply.urgent.heading)
    assert "999" in reply.urgent.heading + reply.urgent.body


def test_off_topic_gets_an_honest_answer_and_what_the_bot_can_do(conversation):
    reply = conversation.reply("what's the weather like tomorrow?")
    assert reply.kind == "unknown" and "don't know" in reply.intro
    assert any(s.heading == "What I can do" for s in reply.sections)


def test_every_answer_ends_with_the_safety_line_in_the_console(conversation):
    from bot.console import render

    for message in ("what is disguised compliance?", "what's the weather like in Leeds", "themes", "help"):
        shown = render(conversation.reply(message)).rstrip()
        last = shown.splitlines()[-1]
        assert "999" in shown.split("\n\n")[-1] or "999" in last, message
        assert shown.replace("\n", " ").endswith(conversation.safety_footer.split()[-1])


def test_urgent_message_has_full_signposting_first_and_the_safety_line_last(conversation):
    reply = conversation.reply("a 15 year old has just told me she will take all her tablets tonight")
    text = reply.plain_text()
    assert reply.urgent is not None and text.startswith(reply.urgent.heading)
    assert text.endswith(conversation.safety_footer)
