from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.store import Store, Subscription

CHANNEL = ("slack", "T1", "C1")


async def _subscribe(
    store: Store, now: datetime, channel: tuple[str, str, str] = CHANNEL, **changes: Any
) -> Subscription:
    settings: dict[str, Any] = {
        "weekday": 0,
        "hour": 9,
        "minute": 30,
        "timezone": "Europe/London",
        "created_by": "U1",
        "now": now,
    } | changes
    return await store.upsert_subscription(*channel, **settings)


async def test_subscribing_a_channel_stores_its_schedule(store: Store, now: datetime) -> None:
    created = await _subscribe(store, now, skip_bank_holidays=True, excluded_themes=["neglect", "online-harm"])

    found = await store.get_subscription(*CHANNEL)
    assert found is not None
    assert found.id == created.id
    assert (found.weekday, found.hour, found.minute, found.timezone) == (0, 9, 30, "Europe/London")
    assert found.skip_bank_holidays is True
    assert found.excluded_themes == ["neglect", "online-harm"]
    assert found.thread_replies_as_reflections is False
    assert found.paused_until is None
    assert found.conversation_ref is None
    assert found.created_by == "U1"
    assert found.created_at == found.updated_at == now
    assert found.last_error is None


async def test_subscribing_again_changes_the_schedule_but_keeps_the_history(store: Store, now: datetime) -> None:
    reference = {"serviceUrl": "https://smba.example/", "conversation": {"id": "19:abc"}}
    first = await _subscribe(store, now, channel=("teams", "T1", "C1"), conversation_ref=reference)
    await store.set_subscription_error("teams", "T1", "C1", "channel_not_found", now)
    later = now + timedelta(days=3)

    second = await _subscribe(
        store,
        later,
        channel=("teams", "T1", "C1"),
        weekday=4,
        hour=14,
        created_by="U2",
        thread_replies_as_reflections=True,
    )

    assert second.id == first.id
    assert (second.weekday, second.hour) == (4, 14)
    assert second.thread_replies_as_reflections is True
    assert second.created_by == "U1"
    assert second.created_at == now
    assert second.updated_at == later
    assert second.conversation_ref == reference
    assert second.last_error is None and second.last_error_at is None
    assert len(await store.list_subscriptions(active_only=False)) == 1


async def test_unsubscribing_removes_the_channel(store: Store, now: datetime) -> None:
    await _subscribe(store, now)

    assert await store.delete_subscription(*CHANNEL) is True
    assert await store.delete_subscription(*CHANNEL) is False
    assert await store.get_subscription(*CHANNEL) is None


async def test_paused_channels_are_left_out_of_the_active_list(store: Store, now: datetime) -> None:
    await _subscribe(store, now, channel=("slack", "T1", "C1"))
    await _subscribe(store, now, channel=("slack", "T1", "C2"))
    await _subscribe(store, now, channel=("teams", "T9", "C3"))
    assert await store.set_paused_until("slack", "T1", "C2", date(2026, 12, 7), now) is True

    def channels(subscriptions: list[Subscription]) -> list[str]:
        return [s.channel_id for s in subscriptions]

    assert channels(await store.list_subscriptions(active_only=False)) == ["C1", "C2", "C3"]
    assert channels(await store.list_subscriptions()) == ["C1", "C3"]
    assert channels(await store.list_subscriptions(today=date(2026, 12, 6))) == ["C1", "C3"]
    assert channels(await store.list_subscriptions(today=date(2026, 12, 7))) == ["C1", "C2", "C3"]

    paused = await store.get_subscription("slack", "T1", "C2")
    assert paused is not None and paused.paused_until == date(2026, 12, 7)
    assert paused.is_paused_on(date(2026, 12, 6)) and not paused.is_paused_on(date(2026, 12, 7))

    assert await store.set_paused_until("slack", "T1", "C2", None, now) is True
    assert channels(await store.list_subscriptions()) == ["C1", "C2", "C3"]


async def test_a_posting_error_is_recorded_and_cleared(store: Store, now: datetime) -> None:
    await _subscribe(store, now)

    assert await store.set_subscription_error(*CHANNEL, "not_in_channel", now) is True
    failed = await store.get_subscription(*CHANNEL)
    assert failed is not None
    assert (failed.last_error, failed.last_error_at) == ("not_in_channel", now)

    await store.set_subscription_error(*CHANNEL, None, now)
    cleared = await store.get_subscription(*CHANNEL)
    assert cleared is not None
    assert (cleared.last_error, cleared.last_error_at) == (None, None)


async def test_changing_a_missing_subscription_reports_false(store: Store, now: datetime) -> None:
    assert await store.set_paused_until(*CHANNEL, date(2026, 12, 7), now) is False
    assert await store.set_subscription_error(*CHANNEL, "boom", now) is False
