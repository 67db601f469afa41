"""The engine lands practitioners' questions on the right theme, and knows when it doesn't know."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DATA = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "questions.yaml").read_text())


@pytest.mark.parametrize(
    "question, theme",
    [
        ("what is over-optimism?", "over-optimism"),
        ("disguised compliance?", "disguised-compliance"),
        ("disgused complience", "disguised-compliance"),
        ("mum says all the right things but nothing changes", "disguised-compliance"),
        ("I keep being told the family is engaging but nothing changes", "disguised-compliance"),
        ("I saw the child last week so surely they're fine?", "seen-child-not-safe"),
        ("bruise on a 3 month old", "bruising-non-mobile-babies"),
        ("what is CSE", "child-sexual-exploitation"),
        ("DV", "domestic-abuse"),
        ("WNB", "was-not-brought"),
        ("rule of optimism", "over-optimism"),
    ],
)
def test_examples_from_the_brief_land_on_the_right_theme(engine, question, theme):
    assert engine.answer(question).theme.id == theme


@pytest.mark.parametrize("question", ["what's the weather", "reset my password", "how do I claim mileage"])
def test_off_topic_questions_get_no_theme(engine, question):
    match = engine.answer(question)
    assert match.theme is None
    assert len(match.suggestions) <= 3


def test_child_at_risk_now_is_urgent(engine):
    match = engine.answer("a child just told me her dad hits her and she's scared to go home tonight")
    assert match.urgent


def test_accuracy_on_the_labelled_set(engine):
    themed = DATA["themed"]
    assert len(themed) >= 200
    misses = [(i["q"], i["theme"], getattr(engine.answer(i["q"]).theme, "id", None)) for i in themed]
    misses = [m for m in misses if m[1] != m[2]]
    accuracy = 1 - len(misses) / len(themed)
    assert accuracy >= 0.95, "\n".join(f"{q!r}: want {w}, got {g}" for q, w, g in misses)


def test_every_theme_is_reachable_from_the_labelled_set(engine, catalogue):
    landed = {getattr(engine.answer(i["q"]).theme, "id", None) for i in DATA["themed"]}
    assert set(catalogue.ids()) <= landed


def test_off_topic_rejection_on_the_labelled_set(engine):
    offtopic = DATA["offtopic"]
    assert len(offtopic) >= 20
    answered = [q for q in offtopic if engine.answer(q).theme is not None]
    assert 1 - len(answered) / len(offtopic) >= 0.90, answered


def test_urgent_recall_is_total(engine):
    urgent = DATA["urgent"]
    assert len(urgent) >= 12
    assert [q for q in urgent if not engine.answer(q).urgent] == []


def test_false_urgent_rate_is_at_most_three_percent(engine):
    calm = [i["q"] for i in DATA["themed"]] + DATA["offtopic"] + DATA["not_urgent"]
    flagged = [q for q in calm if engine.answer(q).urgent]
    assert len(flagged) / len(calm) <= 0.03, flagged


def test_answers_are_deterministic(engine):
    question = "dad keeps cancelling the home visits"
    assert len({engine.answer(question).as_json().__repr__() for _ in range(5)}) == 1


def test_everyday_non_safeguarding_questions_are_turned_away(engine):
    more = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "offtopic_more.yaml").read_text())["offtopic"]
    answered = [q for q in more if engine.answer(q).theme is not None]
    assert 1 - len(answered) / len(more) >= 0.90, answered
