from __future__ import annotations

from datetime import datetime, timedelta

from bot.store import Store


async def test_a_person_answers_a_quiz_once(store: Store, now: datetime) -> None:
    assert await store.record_quiz_answer("q-neglect-1", "pk-alice", "b", True, now) is True
    assert await store.record_quiz_answer("q-neglect-1", "pk-alice", "c", False, now + timedelta(1)) is False
    assert await store.record_quiz_answer("q-neglect-2", "pk-alice", "a", False, now) is True

    assert await store.quiz_tally("q-neglect-1") == {"b": 1}


async def test_the_tally_counts_people_per_choice(store: Store, now: datetime) -> None:
    for person, choice in [("p1", "a"), ("p2", "b"), ("p3", "b"), ("p4", "c"), ("p5", "b")]:
        await store.record_quiz_answer("q1", person, choice, choice == "b", now)
    await store.record_quiz_answer("q2", "p1", "a", True, now)

    assert await store.quiz_tally("q1") == {"a": 1, "b": 3, "c": 1}
    assert await store.quiz_tally("unknown") == {}


async def test_forget_me_removes_quiz_answers(store: Store, now: datetime) -> None:
    await store.record_quiz_answer("q1", "p1", "a", True, now)
    await store.record_quiz_answer("q2", "p1", "b", True, now)
    await store.record_quiz_answer("q1", "p2", "a", True, now)

    assert await store.delete_quiz_answers_for_person("p1") == 2
    assert await store.quiz_tally("q1") == {"a": 1}
