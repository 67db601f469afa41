from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.store import Store, open_store


async def test_an_event_is_claimed_the_first_time_only(store: Store, now: datetime) -> None:
    assert await store.claim_event("slack:T1:Ev123", now) is True
    assert await store.claim_event("slack:T1:Ev123", now + timedelta(seconds=2)) is False
    assert await store.claim_event("slack:T1:Ev124", now) is True


async def test_a_slack_retry_reaching_two_replicas_is_handled_once(
    store: Store, database_url: str, now: datetime
) -> None:
    other_replica = open_store(database_url)
    try:
        results = await asyncio.gather(*(s.claim_event("slack:T1:Ev9", now) for s in [store, other_replica] * 4))
    finally:
        await other_replica.close()

    assert sorted(results) == [False] * 7 + [True]


async def test_purging_events_forgets_only_old_ones(store: Store, now: datetime) -> None:
    await store.claim_event("slack:T1:old", now - timedelta(days=2))
    await store.claim_event("slack:T1:new", now)

    assert await store.purge_events(older_than=now - timedelta(days=1)) == 1

    assert await store.claim_event("slack:T1:old", now) is True
    assert await store.claim_event("slack:T1:new", now) is False
