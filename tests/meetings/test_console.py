"""`scrbot chat` offers the same discussion starters and quiz as Slack."""

from __future__ import annotations

import io
import random

from bot.console import chat, render
from bot.conversation import ConversationState


def state(seed: int = 7) -> ConversationState:
    return ConversationState(rng=random.Random(seed))


def test_discuss_a_theme_gives_the_meeting_pack(conversation):
    reply = conversation.reply("discuss neglect", state())
    text = render(reply)
    assert reply.kind == "meeting-pack" and reply.theme_id == "neglect"
    for part in (
        "Scenario",
        "Fictional scenario: Ellie",
        "A ten-minute shape",
        "What's working well",
        "What are we worried about",
        "What needs to happen next",
    ):
        assert part in text


def test_discuss_by_name_and_discuss_random(conversation, catalogue):
    assert conversation.reply("discuss disguised compliance", state()).theme_id == "disguised-compliance"
    picks = {conversation.reply("discuss random", state(seed)).theme_id for seed in range(12)}
    assert picks <= set(catalogue.themes) and len(picks) > 1
    assert conversation.reply("discuss random", state(5)) == conversation.reply("discuss random", state(5))


def test_discuss_on_its_own_uses_the_last_theme_or_asks_which(conversation):
    s = state()
    conversation.reply("what is was not brought?", s)
    assert conversation.reply("discuss", s).theme_id == "was-not-brought"
    asked = conversation.reply("discuss", state())
    assert asked.kind == "help" and "discuss random" in asked.intro


def test_urgent_words_after_discuss_still_put_help_first(conversation):
    reply = conversation.reply("discuss a child told me her dad hits her and she is scared to go home tonight", state())
    assert reply.urgent is not None and reply.kind != "meeting-pack"


def test_quiz_then_answer_by_letter(conversation):
    s = state()
    quiz = conversation.reply("quiz neglect", s)
    assert quiz.kind == "quiz" and "(Answer A, B or C.)" in render(quiz)
    letter = next(a.label[0] for a in quiz.actions if a.value.endswith("|neglect"))
    feedback = conversation.reply(letter.lower(), s)
    assert feedback.kind == "quiz-feedback" and feedback.title == "Yes: Neglect fits best"
    assert s.quiz is None  # answered: a second "a" is an ordinary message again
    assert conversation.reply(letter.lower(), s).kind != "quiz-feedback"


def test_a_wrong_answer_explains_both_choices(conversation, catalogue):
    s = state()
    quiz = conversation.reply("quiz toxic-trio", s)
    wrong = next(a for a in quiz.actions if not a.value.endswith("|toxic-trio"))
    feedback = conversation.reply(wrong.label.split(": ", 1)[1], s)  # answering by the theme's title
    chosen = catalogue.themes[wrong.value.split("|")[1]]
    headings = [x.heading for x in feedback.sections]
    assert feedback.title.startswith("Not quite") and headings[1] == f"Why not {chosen.title}"


def test_another_question_drops_the_waiting_quiz(conversation):
    s = state()
    conversation.reply("quiz", s)
    assert conversation.reply("what is neglect?", s).kind == "answer" and s.quiz is None


def test_console_session_with_discussion_and_quiz(conversation):
    out = io.StringIO()
    chat(conversation, ["discuss neglect", "quiz me", "b", "quit"], out, interactive=False)
    text = out.getvalue()
    assert "Discussion starter: Neglect" in text and "Quiz: which theme fits best?" in text
    assert "  A: " in text and ("Yes: " in text or "Not quite: " in text)


def test_help_mentions_discussion_and_quiz(conversation):
    text = conversation.reply("help").plain_text()
    assert "discuss random" in text and "quiz" in text


def test_reflect_in_scrbot_chat_says_reflections_are_saved_in_slack_or_teams(conversation):
    out = io.StringIO()
    chat(conversation, ["reflect neglect", "thread replies on", "what is neglect?"], out, interactive=False)
    said = " ".join(out.getvalue().split())
    assert "Reflections are saved in Slack or Teams" in said and "no signed-in person" in said
    assert "a Slack setting" in said and "Neglect" in said  # questions are still answered
