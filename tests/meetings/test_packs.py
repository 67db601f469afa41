"""Every theme gives a meeting pack and a quiz a team can use; a meeting theme is chosen fairly."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot import meetings
from bot.config import DEFAULT_CONTENT_DIR
from bot.content import load_catalogue
from bot.slack.render import MAX_BLOCKS, messages

THEME_IDS = load_catalogue(DEFAULT_CONTENT_DIR).ids()
COLUMNS = ["What's working well", "What are we worried about", "What needs to happen next"]


def test_the_catalogue_has_all_34_themes():
    assert len(THEME_IDS) == 34


@pytest.mark.parametrize("theme_id", THEME_IDS)
def test_every_theme_gives_a_complete_meeting_pack(catalogue, theme_id):
    theme = catalogue.themes[theme_id]
    pack = meetings.meeting_pack(theme)
    sections = {s.heading: s for s in pack.sections}
    assert pack.title == f"Discussion starter: {theme.title}" and pack.theme_id == theme_id
    assert sections["Scenario"].text == theme.scenario and theme.scenario.lower().startswith("fictional")
    assert sections["Discuss"].bullets == theme.discussion and 3 <= len(theme.discussion) <= 4
    assert len(sections["A ten-minute shape"].bullets) == 4 and "Minutes 7-10" in pack.plain_text()
    frame = sections["Agree together in three columns"].bullets
    assert [line.split(":")[0] for line in frame] == COLUMNS
    assert [(a.id, a.value) for a in pack.actions] == [("record_actions", theme_id)]
    (message,) = messages(pack)  # one Slack message, within Block Kit's limits
    assert len(message["blocks"]) <= MAX_BLOCKS
    assert all(len(b["text"]["text"]) <= 3000 for b in message["blocks"] if b["type"] == "section")


@pytest.mark.parametrize("theme_id", THEME_IDS)
def test_every_theme_gives_a_valid_quiz(catalogue, theme_id):
    theme = catalogue.themes[theme_id]
    card = meetings.build_quiz(theme, catalogue, "n1")
    assert len(card.options) == 3 and len({o.theme_id for o in card.options}) == 3
    assert [o.theme_id for o in card.options if o.correct] == [theme_id]
    for option in card.options:
        assert option.theme_id in catalogue.themes and option.title == catalogue.themes[option.theme_id].title
        assert option.explanation and "\n" not in option.explanation.strip()
    reply = meetings.quiz_reply(card)
    assert reply.sections[0].heading == "A fictional scenario"
    assert not reply.sections[0].text.lower().startswith("fictional")  # the heading says it once
    assert [a.label[:3] for a in reply.actions] == ["A: ", "B: ", "C: "]
    assert all(len(a.value) <= 2000 and a.value.startswith(card.quiz_id + "|") for a in reply.actions)
    assert meetings.quiz_from_id(catalogue, card.quiz_id) == card
    for option in card.options:
        feedback = meetings.quiz_feedback(card, option.theme_id)
        assert feedback.title.startswith("Yes" if option.correct else "Not quite")
        assert theme.quiz.explanation in feedback.plain_text()
        assert [(a.id, a.value) for a in feedback.actions] == [("show_theme", theme_id)]


def test_quiz_order_is_seeded_and_the_answer_moves_around(catalogue):
    theme = catalogue.themes["disguised-compliance"]
    assert meetings.build_quiz(theme, catalogue, "abc") == meetings.build_quiz(theme, catalogue, "abc")
    positions = {
        [o.correct for o in meetings.build_quiz(theme, catalogue, f"n{i}").options].index(True) for i in range(30)
    }
    assert positions == {0, 1, 2}


@pytest.mark.parametrize("bad", ["", "no-dot", "neglect.", "unknown-theme.abc", "neglect.a|b", "neglect.a b"])
def test_a_malformed_or_stale_quiz_id_is_not_rebuilt(catalogue, bad):
    assert meetings.quiz_from_id(catalogue, bad) is None


def test_typed_answers_and_feedback_for_an_unknown_choice(catalogue):
    card = meetings.build_quiz(catalogue.themes["neglect"], catalogue, "x")
    assert card.by_answer("a") == card.options[0] and card.by_answer("B)") == card.options[1]
    assert card.by_answer("3") == card.options[2] and card.by_answer("Neglect").theme_id == "neglect"
    assert card.by_answer("d") is None
    assert meetings.quiz_feedback(card, "no-such-theme") is None
    again = meetings.quiz_feedback(card, "neglect", already_answered=True)
    assert "first answer" in again.intro


def test_tally_shows_counts_only(catalogue):
    card = meetings.build_quiz(catalogue.themes["neglect"], catalogue, "x")
    tally = {card.options[0].theme_id: 2, card.options[2].theme_id: 1}
    assert meetings.tally_text(card, tally) == "3 answers: A 2 · B 0 · C 1"
    reply = meetings.quiz_reply(card, tally)
    assert reply.sections[-1].heading == "Answers so far"
    assert card.theme.quiz.explanation not in reply.plain_text()


def test_weekly_quiz_is_the_same_quiz_the_buttons_redraw(catalogue):
    theme = catalogue.themes["neglect"]
    reply = meetings.weekly_quiz(theme, catalogue, "2026-W48")
    quiz_id = reply.actions[0].value.split("|")[0]
    assert reply == meetings.quiz_reply(meetings.quiz_from_id(catalogue, quiz_id))


# -- choosing a meeting theme -------------------------------------------------------------------

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def past(theme_id, days, how="a weekly prompt"):
    return meetings.PastDiscussion(theme_id, T0 + timedelta(days=days), how)


def test_a_channel_with_no_history_gets_a_seeded_pick_and_is_told_so(catalogue):
    first = meetings.choose_meeting_theme(catalogue, [], seed="T1:C1:2026-01-05")
    again = meetings.choose_meeting_theme(catalogue, [], seed="T1:C1:2026-01-05")
    assert first == again and "no weekly prompts or recorded discussions yet" in first.reason


def test_a_theme_the_channel_has_never_discussed_comes_first(catalogue):
    history = [past(t, i) for i, t in enumerate(THEME_IDS[:30])]
    choice = meetings.choose_meeting_theme(catalogue, history, seed="s")
    assert choice.theme.id in THEME_IDS[30:]
    assert "has not come up in this channel" in choice.reason and "3 other themes" in choice.reason


def test_when_every_theme_has_come_up_the_longest_ago_is_chosen(catalogue):
    history = [past(t, i) for i, t in enumerate(THEME_IDS)]
    history += [past(THEME_IDS[0], 100, "a team discussion")]  # discussed again since
    choice = meetings.choose_meeting_theme(catalogue, history, seed="s")
    assert choice.theme.id == THEME_IDS[1] and choice.last == history[1]
    assert "longest ago" in choice.reason and "a weekly prompt on 6 January 2026" in choice.reason
    reply = meetings.meeting_reply(choice)
    assert reply.intro.startswith("Why this theme:") and reply.theme_id == THEME_IDS[1]


def test_excluded_and_unknown_themes_are_left_out(catalogue):
    history = [past(t, i) for i, t in enumerate(THEME_IDS[:33])] + [past("retired-theme", -50)]
    choice = meetings.choose_meeting_theme(catalogue, history, seed="s", excluded=[THEME_IDS[33]])
    assert choice.theme.id == THEME_IDS[0]


async def test_channel_history_reads_weekly_prompts_and_recorded_discussions(store, catalogue, now):
    lease = timedelta(minutes=5)
    posted = await store.claim_delivery("slack", "T1", "C1", "2026-W40", "neglect", "r1", now, lease)
    await store.complete_delivery(posted.id, "1.1", now)
    await store.claim_delivery("slack", "T1", "C1", "2026-W41", "toxic-trio", "r1", now, lease)  # never posted
    await store.record_missed("slack", "T1", "C1", "2026-W42", "domestic-abuse", now)
    await store.claim_delivery("slack", "T1", "C2", "2026-W40", "young-carers", "r1", now, lease)
    for key, channel, source in (
        ("a", "C1", "team-actions"),
        ("b", "C2", "team-actions"),
        ("c", "C1", "modal"),
    ):
        await store.add_reflection(
            idempotency_key=key,
            theme_id="over-optimism",
            workspace_id="T1",
            person_key="p",
            text="x",
            source=source,
            now=now,
            channel_id=channel,
        )
    history = await meetings.channel_history(store, "slack", "T1", "C1", now)
    assert sorted((h.theme_id, h.how) for h in history) == [
        ("neglect", "a weekly prompt"),
        ("over-optimism", "a team discussion"),
    ]


def test_find_theme_by_id_words_or_random(engine):
    rng = random.Random(3)
    assert meetings.find_theme(engine, "neglect", rng).theme.id == "neglect"
    assert meetings.find_theme(engine, "Disguised Compliance", rng).theme.id == "disguised-compliance"
    assert meetings.find_theme(engine, "random", rng).theme is not None
    assert meetings.find_theme(engine, "a child told me dad hits her and she is scared to go home", rng).urgent


def test_team_actions_are_checked_column_by_column():
    empty = meetings.team_actions("Good joint visits", None, "  ")
    assert set(meetings.check_team_actions(empty)) == {"next_steps"}
    identifying = meetings.team_actions(None, "Call mum on 07700 900123", "Book a core group")
    assert set(meetings.check_team_actions(identifying)) == {"worried_about"}
    assert "“07700 900123”" in meetings.check_team_actions(identifying)["worried_about"]
    long = meetings.team_actions("x " * 300, None, "Agree a lead")
    assert "450" in meetings.check_team_actions(long)["working_well"]
    fine = meetings.team_actions(None, "Nobody has asked the child", "Ask at the next visit (Sam, Friday)")
    assert meetings.check_team_actions(fine) == {}
    assert fine.as_text() == (
        "What are we worried about:\nNobody has asked the child\n\n"
        "What needs to happen next:\nAsk at the next visit (Sam, Friday)"
    )
    assert len(replace(fine, working_well="w" * 450, worried_about="w" * 450, next_steps="w" * 450).as_text()) <= 1500


def test_the_meetings_core_never_loads_a_chat_sdk():
    import subprocess
    import sys

    code = (
        "import sys, bot.meetings, bot.handouts, bot.console\n"
        "sdks = ('slack_bolt', 'slack_sdk', 'botbuilder', 'microsoft_agents')\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in sdks]\n"
        "print(loaded)\nsys.exit(1 if loaded else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_private_copy_offers_sharing_only_where_the_platform_handles_it(catalogue, conversation):
    theme = catalogue.themes["neglect"]
    slack_copy = meetings.meeting_pack(theme, for_channel=False, can_share=True)
    assert [a.id for a in slack_copy.actions] == ["discuss_share", "questions", "related"]
    # Teams and the console use the conversation's copy: no button they cannot answer.
    assert [a.id for a in conversation.discussion(theme).actions] == ["questions", "related"]
