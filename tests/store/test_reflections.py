from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from bot.store import Reflection, Store


async def _reflect(
    store: Store,
    now: datetime,
    key: str = "V123:ab12",
    person: str = "pk-alice",
    **changes: object,
) -> tuple[Reflection, bool]:
    fields: dict = {
        "idempotency_key": key,
        "theme_id": "neglect",
        "workspace_id": "T1",
        "person_key": person,
        "text": "Ask who else is in the household.",
        "source": "modal",
        "now": now,
    } | changes
    return await store.add_reflection(**fields)


async def test_a_reflection_is_saved_with_its_details(store: Store, now: datetime) -> None:
    reflection, created = await _reflect(store, now, channel_id="C1", week="2026-W48", confidence=4, shared=True)

    assert created is True
    found = await store.get_reflection(reflection.id)
    assert found is not None
    assert (found.theme_id, found.workspace_id, found.channel_id, found.week) == (
        "neglect",
        "T1",
        "C1",
        "2026-W48",
    )
    assert (found.confidence, found.shared, found.source) == (4, True, "modal")
    assert found.created_at == found.updated_at == now


async def test_a_double_submit_makes_one_reflection(store: Store, now: datetime) -> None:
    first, first_created = await _reflect(store, now)
    second, second_created = await _reflect(store, now + timedelta(seconds=1), text="different")

    assert (first_created, second_created) == (True, False)
    assert second.id == first.id
    assert second.text == first.text
    assert len(await store.list_reflections_for_person("pk-alice")) == 1


async def test_a_person_sees_their_own_reflections_newest_first(store: Store, now: datetime) -> None:
    for day in range(3):
        await _reflect(store, now + timedelta(days=day), key=f"k{day}", text=f"day {day}")
    await _reflect(store, now, key="other", person="pk-bob")

    mine = await store.list_reflections_for_person("pk-alice")
    assert [r.text for r in mine] == ["day 2", "day 1", "day 0"]
    assert [r.text for r in await store.list_reflections_for_person("pk-alice", limit=2)] == [
        "day 2",
        "day 1",
    ]


async def test_only_the_owner_can_edit_a_reflection(store: Store, now: datetime) -> None:
    reflection, _ = await _reflect(store, now)
    later = now + timedelta(hours=1)

    assert not await store.update_reflection(
        reflection.id, "pk-bob", text="hijacked", confidence=1, shared=True, now=later
    )
    assert await store.update_reflection(
        reflection.id, "pk-alice", text="rewritten", confidence=5, shared=True, now=later
    )
    assert not await store.update_reflection(
        reflection.id + 999, "pk-alice", text="x", confidence=None, shared=False, now=later
    )

    edited = await store.get_reflection(reflection.id)
    assert edited is not None
    assert (edited.text, edited.confidence, edited.shared) == ("rewritten", 5, True)
    assert (edited.created_at, edited.updated_at) == (now, later)


async def test_only_the_owner_can_delete_a_reflection(store: Store, now: datetime) -> None:
    reflection, _ = await _reflect(store, now)

    assert await store.delete_reflection(reflection.id, "pk-bob") is False
    assert await store.get_reflection(reflection.id) is not None
    assert await store.delete_reflection(reflection.id, "pk-alice") is True
    assert await store.get_reflection(reflection.id) is None
    assert await store.delete_reflection(reflection.id, "pk-alice") is False


async def test_forget_me_deletes_every_reflection_of_that_person_only(store: Store, now: datetime) -> None:
    for i in range(3):
        await _reflect(store, now, key=f"alice-{i}")
    await _reflect(store, now, key="bob-0", person="pk-bob")

    assert await store.delete_reflections_for_person("pk-alice") == 3

    assert await store.list_reflections_for_person("pk-alice") == []
    assert len(await store.list_reflections_for_person("pk-bob")) == 1
    assert await store.delete_reflections_for_person("pk-alice") == 0


async def test_old_reflections_are_purged_by_age(store: Store, now: datetime) -> None:
    await _reflect(store, now - timedelta(days=400), key="old")
    await _reflect(store, now - timedelta(days=10), key="recent")

    assert await store.purge_reflections(older_than=now - timedelta(days=365)) == 1

    assert [r.idempotency_key for r in await store.list_reflections_for_person("pk-alice")] == ["recent"]


async def test_reports_read_reflections_in_a_period(store: Store, now: datetime) -> None:
    start, end = now, now + timedelta(days=7)
    await _reflect(store, start - timedelta(seconds=1), key="before")
    await _reflect(store, start, key="first")
    await _reflect(store, start + timedelta(days=1), key="other-team", workspace_id="T2")
    await _reflect(store, end - timedelta(seconds=1), key="last")
    await _reflect(store, end, key="after")

    def keys(reflections: list[Reflection]) -> list[str]:
        return [r.idempotency_key for r in reflections]

    assert keys(await store.reflections_between(start, end)) == ["first", "other-team", "last"]
    assert keys(await store.reflections_between(start, end, workspace_id="T1")) == [
        "first",
        "last",
    ]


@pytest.mark.parametrize("field", [{"confidence": 6}, {"confidence": 0}, {"source": "email"}])
async def test_the_database_refuses_impossible_values(store: Store, now: datetime, field: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError):
        await _reflect(store, now, **field)
