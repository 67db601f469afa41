from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import StatementError

from bot.store import Store

LONDON_SUMMER = datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
KOLKATA = datetime(2026, 7, 1, 14, 30, 0, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30)))


@pytest.mark.parametrize("moment", [LONDON_SUMMER, KOLKATA], ids=["london-bst", "plus-0530"])
async def test_timestamps_come_back_as_the_same_instant_in_utc(store: Store, moment: datetime) -> None:
    await store.upsert_subscription(
        "slack",
        "T1",
        "C1",
        weekday=2,
        hour=11,
        minute=0,
        timezone="Europe/London",
        created_by="U1",
        now=moment,
    )
    await store.add_reflection(
        idempotency_key="k",
        theme_id="neglect",
        workspace_id="T1",
        person_key="p",
        text="t",
        source="command",
        now=moment,
    )

    subscription = await store.get_subscription("slack", "T1", "C1")
    assert subscription is not None
    (reflection,) = await store.list_reflections_for_person("p")
    for value in [subscription.created_at, subscription.updated_at, reflection.created_at]:
        assert value == moment
        assert value.tzinfo is UTC
        assert value.utcoffset() == timedelta(0)


async def test_comparisons_use_the_instant_not_the_wall_clock(store: Store) -> None:
    claimed_at = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    lease = timedelta(minutes=10)
    await store.claim_delivery("slack", "T1", "C1", "2026-W27", "x", "a", claimed_at, lease)
    # 10:05 in London (BST) is 09:05 UTC: still inside the lease.
    london = datetime(2026, 7, 1, 10, 5, tzinfo=ZoneInfo("Europe/London"))

    assert await store.claim_delivery("slack", "T1", "C1", "2026-W27", "x", "b", london, lease) is None
    taken = await store.claim_delivery("slack", "T1", "C1", "2026-W27", "x", "b", london + timedelta(minutes=6), lease)
    assert taken is not None and taken.taken_over is True


async def test_a_naive_datetime_is_refused(store: Store) -> None:
    with pytest.raises(StatementError) as raised:
        await store.claim_event("slack:T1:Ev1", datetime(2026, 7, 1, 9, 0))

    assert isinstance(raised.value.orig, ValueError)
