from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from bot.store import Delivery, Store, open_store

CHANNEL = ("slack", "T1", "C1")
LEASE = timedelta(minutes=10)


async def _claim(store: Store, now: datetime, replica: str = "replica-a", week: str = "2026-W48") -> Delivery | None:
    return await store.claim_delivery(*CHANNEL, week, "neglect", replica, now, LEASE)


async def test_the_first_claim_wins_and_later_ones_get_nothing(store: Store, now: datetime) -> None:
    delivery = await _claim(store, now)

    assert delivery is not None
    assert delivery.taken_over is False
    assert (delivery.status, delivery.claimed_by, delivery.theme_id) == (
        "claimed",
        "replica-a",
        "neglect",
    )
    assert delivery.lease_expires_at == now + LEASE
    assert await _claim(store, now, replica="replica-b") is None
    assert await _claim(store, now, replica="replica-a") is None


async def test_ten_concurrent_claimers_get_exactly_one_winner(store: Store, now: datetime) -> None:
    results = await asyncio.gather(*(_claim(store, now, f"replica-{i}") for i in range(10)))

    winners = [d for d in results if d is not None]
    assert len(winners) == 1
    assert len(await store.delivery_history(*CHANNEL)) == 1


async def test_weekly_prompt_is_claimed_once_when_two_replicas_race(
    store: Store, database_url: str, now: datetime
) -> None:
    other_replica = open_store(database_url)
    try:
        results = await asyncio.gather(
            *(_claim(s, now, f"replica-{i}") for i, s in enumerate([store, other_replica] * 5))
        )
    finally:
        await other_replica.close()

    assert len([d for d in results if d is not None]) == 1


async def test_a_live_claim_is_not_taken_over(store: Store, now: datetime) -> None:
    await _claim(store, now, "replica-a")

    assert await _claim(store, now + LEASE - timedelta(seconds=1), "replica-b") is None
    assert await _claim(store, now + LEASE, "replica-b") is None


async def test_an_expired_claim_is_taken_over_by_one_replica(store: Store, now: datetime) -> None:
    first = await _claim(store, now, "replica-a")
    assert first is not None
    later = now + LEASE + timedelta(seconds=1)

    results = await asyncio.gather(*(_claim(store, later, f"replica-{i}") for i in range(5)))

    winners = [d for d in results if d is not None]
    assert len(winners) == 1
    (taken,) = winners
    assert taken.taken_over is True
    assert taken.id == first.id
    assert taken.status == "claimed"
    assert taken.claimed_at == later
    assert taken.lease_expires_at == later + LEASE
    assert [d.claimed_by for d in await store.pending_claims()] == [taken.claimed_by]


async def test_a_posted_week_is_never_claimed_again(store: Store, now: datetime) -> None:
    delivery = await _claim(store, now)
    assert delivery is not None

    assert await store.complete_delivery(delivery.id, "1732350000.000100", now) is True

    assert await _claim(store, now + timedelta(days=1), "replica-b") is None
    posted = await store.get_delivery(*CHANNEL, "2026-W48")
    assert posted is not None
    assert (posted.status, posted.message_ts, posted.completed_at) == (
        "posted",
        "1732350000.000100",
        now,
    )
    assert await store.complete_delivery(delivery.id, "again", now) is False
    assert await store.pending_claims() == []


async def test_a_failed_delivery_keeps_the_reason(store: Store, now: datetime) -> None:
    delivery = await _claim(store, now)
    assert delivery is not None

    assert await store.fail_delivery(delivery.id, "channel_not_found", now) is True

    failed = await store.get_delivery(*CHANNEL, "2026-W48")
    assert failed is not None
    assert (failed.status, failed.error, failed.completed_at) == (
        "failed",
        "channel_not_found",
        now,
    )
    assert await store.fail_delivery(delivery.id, "again", now) is False
    assert await _claim(store, now + LEASE * 2, "replica-b") is None


async def test_a_missed_week_is_recorded_once_and_blocks_a_late_claim(store: Store, now: datetime) -> None:
    assert await store.record_missed(*CHANNEL, "2026-W47", "neglect", now) is True
    assert await store.record_missed(*CHANNEL, "2026-W47", "neglect", now) is False

    missed = await store.get_delivery(*CHANNEL, "2026-W47")
    assert missed is not None
    assert (missed.status, missed.claimed_by) == ("missed", None)
    assert await _claim(store, now, week="2026-W47") is None

    posted = await _claim(store, now, week="2026-W48")
    assert posted is not None
    assert await store.record_missed(*CHANNEL, "2026-W48", "neglect", now) is False


async def test_a_released_claim_can_be_claimed_again(store: Store, now: datetime) -> None:
    delivery = await _claim(store, now, "replica-a")
    assert delivery is not None

    assert await store.release_claim(delivery.id) is True
    assert await store.release_claim(delivery.id) is False

    again = await _claim(store, now, "replica-b")
    assert again is not None and again.taken_over is False


async def test_a_posted_delivery_cannot_be_released(store: Store, now: datetime) -> None:
    delivery = await _claim(store, now)
    assert delivery is not None
    await store.complete_delivery(delivery.id, "1.2", now)

    assert await store.release_claim(delivery.id) is False
    assert await store.get_delivery(*CHANNEL, "2026-W48") is not None


async def test_pending_claims_can_be_listed_per_replica(store: Store, now: datetime) -> None:
    await _claim(store, now, "replica-a", week="2026-W46")
    await _claim(store, now + timedelta(seconds=1), "replica-b", week="2026-W47")
    posted = await _claim(store, now, "replica-a", week="2026-W48")
    assert posted is not None
    await store.complete_delivery(posted.id, "1.2", now)

    assert [d.week for d in await store.pending_claims()] == ["2026-W46", "2026-W47"]
    assert [d.week for d in await store.pending_claims("replica-a")] == ["2026-W46"]
    assert await store.pending_claims("replica-c") == []


async def test_history_lists_a_channels_weeks_oldest_first(store: Store, now: datetime) -> None:
    for week in ["2026-W50", "2025-W52", "2026-W01", "2026-W49"]:
        await _claim(store, now, week=week)
    await store.claim_delivery("slack", "T1", "C2", "2026-W48", "neglect", "r", now, LEASE)
    await store.claim_delivery("teams", "T1", "C1", "2026-W48", "neglect", "r", now, LEASE)

    history = await store.delivery_history(*CHANNEL)

    assert [d.week for d in history] == ["2025-W52", "2026-W01", "2026-W49", "2026-W50"]


async def test_a_week_must_look_like_an_iso_week(store: Store, now: datetime) -> None:
    for bad in ["2026-48", "2026-W00", "2026-W54", "2026W48"]:
        with pytest.raises(ValueError):
            await _claim(store, now, week=bad)
