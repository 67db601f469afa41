"""Weekly prompts end to end: the real store (both backends), the real slack_sdk client and a
fake Slack Web API. Time is a clock we move by hand."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.config import Settings
from bot.schedule.service import WeeklyPrompts
from bot.services import Services
from bot.slack.prompts import SlackPromptPoster, prompt_client
from bot.store import open_store
from tests.fakes.slack_api import FakeSlack

MONDAY_0930_LONDON = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # GMT in November


class Clock:
    def __init__(self, now: datetime):
        self.current = now

    def now(self) -> datetime:
        return self.current


@pytest.fixture
async def fake():
    slack = await FakeSlack().start()
    yield slack
    await slack.close()


@pytest.fixture
def clock():
    return Clock(MONDAY_0930_LONDON)


def make_prompts(store, catalogue, conversation, fake, clock, replica="r1", admins=(), failures=None):
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=fake.api_url, admins=tuple(admins))
    services = Services(settings, catalogue, conversation, store=store, clock=clock)

    async def on_failure(subscription, reason):
        if failures is not None:
            failures.append((subscription.channel_id, reason))

    poster = SlackPromptPoster(prompt_client("xoxb-test", fake.api_url))
    return WeeklyPrompts(services, {"slack": poster}, replica=replica, on_failure=on_failure)


async def subscribe(store, channel, clock, weekday=0, hour=9, minute=30, tz="Europe/London", **extra):
    return await store.upsert_subscription(
        "slack",
        "T1",
        channel,
        weekday=weekday,
        hour=hour,
        minute=minute,
        timezone=tz,
        created_by="U1",
        now=clock.now() - timedelta(days=30),
        **extra,
    )


async def test_weekly_prompt_is_posted_with_metadata_and_buttons(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    outcome = await prompts.deliver_current("slack", "T1", "C1")
    assert outcome.status == "posted"
    (call,) = fake.of("chat.postMessage")
    assert call.params["channel"] == "C1"
    metadata = call.params["metadata"]
    assert metadata["event_type"] == "scrbot_weekly_prompt"
    assert metadata["event_payload"]["channel"] == "C1" and metadata["event_payload"]["week"] == "2026-W48"
    labels = [e["text"]["text"] for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Reflect", "Read more", "Discussion starter"]
    theme = catalogue.get(outcome.theme_id)
    assert theme.title in str(call.params["blocks"])


async def test_a_second_run_in_the_same_week_posts_nothing(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    assert (await prompts.deliver_current("slack", "T1", "C1")).status == "posted"
    clock.current += timedelta(hours=1)
    assert (await prompts.deliver_current("slack", "T1", "C1")).status == "already"
    await prompts.reconcile()
    assert len(fake.of("chat.postMessage")) == 1


async def test_weekly_prompt_is_posted_once_when_two_replicas_race(database_url, catalogue, conversation, fake, clock):
    stores = [open_store(database_url), open_store(database_url)]
    await stores[0].migrate()
    try:
        channels = [f"C{i}" for i in range(20)]
        for channel in channels:
            await subscribe(stores[0], channel, clock)
        replicas = [
            make_prompts(s, catalogue, conversation, fake, clock, replica=f"r{i}") for i, s in enumerate(stores)
        ]
        runs = [r.deliver_current("slack", "T1", c) for c in channels for r in replicas]
        outcomes = await asyncio.gather(*runs)
        assert sorted(o.status for o in outcomes).count("posted") == len(channels)
        posted = [c.params["channel"] for c in fake.of("chat.postMessage")]
        assert sorted(posted) == sorted(channels)
    finally:
        for s in stores:
            await s.close()


async def test_a_claim_left_by_a_crashed_replica_is_reconciled_from_channel_history(
    store, catalogue, conversation, fake, clock
):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    # A replica claimed the week and posted, then died before recording the message ts.
    claim = await store.claim_delivery(
        "slack", "T1", "C1", "2026-W48", "neglect", "dead", clock.now(), timedelta(minutes=5)
    )
    fake.history["C1"].insert(
        0,
        {
            "ts": "111.1",
            "metadata": {"event_type": "scrbot_weekly_prompt", "event_payload": {"channel": "C1", "week": "2026-W48"}},
        },
    )
    assert (await prompts.deliver_current("slack", "T1", "C1")).status == "already"  # lease still held
    clock.current += timedelta(minutes=6)
    outcomes = await prompts.reconcile()
    assert [o.status for o in outcomes] == ["already"]
    assert fake.of("chat.postMessage") == []
    delivery = await store.get_delivery("slack", "T1", "C1", "2026-W48")
    assert delivery.id == claim.id and delivery.status == "posted" and delivery.message_ts == "111.1"


async def test_a_claim_that_never_posted_is_posted_once_after_the_lease(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    await store.claim_delivery("slack", "T1", "C1", "2026-W48", "neglect", "dead", clock.now(), timedelta(minutes=5))
    clock.current += timedelta(minutes=6)
    outcomes = await prompts.reconcile()
    assert [o.status for o in outcomes] == ["posted"] and outcomes[0].theme_id == "neglect"
    assert len(fake.of("chat.postMessage")) == 1


async def test_posts_on_recovery_within_the_grace_window(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    clock.current = MONDAY_0930_LONDON + timedelta(hours=5)
    outcomes = await prompts.reconcile()
    assert [o.status for o in outcomes] == ["posted"]


async def test_weeks_beyond_the_grace_window_are_recorded_as_missed(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    clock.current = MONDAY_0930_LONDON + timedelta(hours=7)
    assert await prompts.reconcile() == []
    assert fake.of("chat.postMessage") == []
    assert (await store.get_delivery("slack", "T1", "C1", "2026-W48")).status == "missed"


async def test_daylight_saving_week_keeps_local_time(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    # Clocks went forward on Sunday 29 March 2026: 09:30 BST is 08:30 UTC on Monday 30 March.
    clock.current = datetime(2026, 3, 30, 8, 29, tzinfo=UTC)
    await subscribe(store, "C1", clock)
    assert await prompts.reconcile() == []
    clock.current = datetime(2026, 3, 30, 8, 31, tzinfo=UTC)
    outcomes = await prompts.reconcile()
    assert [o.status for o in outcomes] == ["posted"]
    assert fake.of("chat.postMessage")[0].params["metadata"]["event_payload"]["week"] == "2026-W14"


async def test_bank_holiday_is_skipped_when_the_channel_asks(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock, weekday=4, skip_bank_holidays=True)  # Fridays
    clock.current = datetime(2026, 12, 25, 9, 30, tzinfo=UTC)  # Christmas Day, a Friday
    outcome = await prompts.deliver_current("slack", "T1", "C1")
    assert outcome.status == "skipped" and "Christmas" in outcome.detail
    assert await prompts.reconcile() == []
    assert fake.of("chat.postMessage") == []


async def test_pause_skips_until_the_date_and_then_resumes(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    await store.set_paused_until("slack", "T1", "C1", date(2026, 12, 7), clock.now() - timedelta(days=1))
    assert (await prompts.deliver_current("slack", "T1", "C1")).status == "skipped"
    clock.current = datetime(2026, 12, 7, 9, 31, tzinfo=UTC)
    assert (await prompts.deliver_current("slack", "T1", "C1")).status == "posted"


async def test_rotation_never_repeats_a_theme_two_weeks_running(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    themes = []
    for week in range(len(catalogue) + 3):
        clock.current = MONDAY_0930_LONDON + timedelta(weeks=week, minutes=1)
        themes.append((await prompts.deliver_current("slack", "T1", "C1")).theme_id)
    assert len(set(themes[: len(catalogue)])) == len(catalogue)
    assert all(a != b for a, b in zip(themes, themes[1:], strict=False))


async def test_a_dead_channel_is_marked_reported_and_the_rest_still_go_out(store, catalogue, conversation, fake, clock):
    failures = []
    prompts = make_prompts(store, catalogue, conversation, fake, clock, admins=["UADMIN1"], failures=failures)
    for channel in ("C1", "C2", "C3"):
        await subscribe(store, channel, clock)
    fake.channel_errors["C2"] = "not_in_channel"
    clock.current += timedelta(minutes=1)
    outcomes = await prompts.reconcile()
    assert sorted(o.status for o in outcomes) == ["failed", "posted", "posted"]
    assert failures == [("C2", "not_in_channel")]
    assert (await store.get_subscription("slack", "T1", "C2")).last_error == "not_in_channel"
    assert (await store.get_delivery("slack", "T1", "C2", "2026-W48")).status == "failed"


async def test_rate_limits_are_waited_out_and_nothing_is_duplicated(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    fake.rate_limit("chat.postMessage", retry_after=1, times=2)
    outcome = await prompts.deliver_current("slack", "T1", "C1")
    assert outcome.status == "posted"
    assert len(fake.history["C1"]) == 1


async def test_a_revoked_token_stops_the_workspace(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    fake.revoked = True
    assert (await prompts.deliver_current("slack", "T1", "C1")).detail == "token_revoked"
    clock.current += timedelta(weeks=1)
    outcome = await prompts.deliver_current("slack", "T1", "C1")
    assert outcome.status == "skipped" and "token_revoked" in outcome.detail


async def test_stop_releases_claims_that_never_posted(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock, replica="me")
    await store.claim_delivery("slack", "T1", "C9", "2026-W48", "neglect", "me", clock.now(), timedelta(minutes=5))
    await prompts.stop(grace=1)
    assert await store.pending_claims() == []


async def test_start_builds_one_job_per_subscription_from_the_store(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock)
    await subscribe(store, "C2", clock, weekday=2, hour=14, minute=0, tz="America/New_York")
    await prompts.start()
    try:
        jobs = {j.id: j for j in prompts.scheduler.get_jobs()}
        assert {"prompt:slack:T1:C1", "prompt:slack:T1:C2", "reconcile"} <= set(jobs)
        upcoming = jobs["prompt:slack:T1:C2"].trigger.get_next_fire_time(None, clock.now())
        assert upcoming.astimezone(UTC) == datetime(2026, 11, 25, 19, 0, tzinfo=UTC)  # 14:00 EST
    finally:
        await prompts.stop(grace=1)


async def test_the_weekly_digest_runs_once_a_week_across_replicas(database_url, catalogue, conversation, fake, clock):
    stores = [open_store(database_url), open_store(database_url)]
    await stores[0].migrate()
    runs = []

    async def digest():
        runs.append(clock.now())

    try:
        replicas = [
            make_prompts(s, catalogue, conversation, fake, clock, replica=f"r{i}") for i, s in enumerate(stores)
        ]
        job = "digest:C0LEADS"
        first = await asyncio.gather(*(r.once_a_week("slack", "T1", job, clock.now(), digest) for r in replicas))
        assert sorted(first) == [False, True] and len(runs) == 1
        clock.current += timedelta(days=1)
        assert not await replicas[0].once_a_week("slack", "T1", job, clock.now(), digest)
        clock.current += timedelta(weeks=1)
        assert await replicas[1].once_a_week("slack", "T1", job, clock.now(), digest)
        assert len(runs) == 2
        # The digest's ledger rows live under a pseudo-channel: never the leads channel's own history.
        assert ("T1", "C0LEADS") not in await stores[0].posted_themes("slack")
    finally:
        for s in stores:
            await s.close()


async def test_housekeeping_jobs_are_scheduled_and_purge_old_reflections(store, catalogue, conversation, fake, clock):
    from bot.server import housekeeping_jobs

    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    old = clock.now() - timedelta(days=400)
    await store.add_reflection(
        idempotency_key="k-old",
        theme_id="neglect",
        workspace_id="T1",
        person_key="p",
        text="an old reflection",
        source="command",
        now=old,
    )
    await store.add_reflection(
        idempotency_key="k-new",
        theme_id="neglect",
        workspace_id="T1",
        person_key="p",
        text="a recent reflection",
        source="command",
        now=clock.now(),
    )
    jobs = housekeeping_jobs(prompts.services, prompts.posters)
    assert [name for name, _, _ in jobs] == ["retention"]
    await jobs[0][2]()
    remaining = await store.list_reflections_for_person("p")
    assert [r.idempotency_key for r in remaining] == ["k-new"]
    prompts.housekeeping = jobs
    await prompts.start()
    try:
        assert prompts.scheduler.get_job("retention") is not None
    finally:
        await prompts.stop(grace=1)


async def test_a_channel_can_take_its_weekly_prompt_as_a_quiz(store, catalogue, conversation, fake, clock):
    prompts = make_prompts(store, catalogue, conversation, fake, clock)
    await subscribe(store, "C1", clock, quiz_prompts=True)
    outcome = await prompts.deliver_current("slack", "T1", "C1")
    assert outcome.status == "posted"
    (call,) = fake.of("chat.postMessage")
    buttons = [e for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [e["action_id"] for e in buttons] == ["quiz_answer"] * 3
    assert call.params["metadata"]["event_payload"]["week"] == "2026-W48"
