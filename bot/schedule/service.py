"""Weekly prompts in motion: APScheduler jobs rebuilt from the store, the delivery ledger that
makes each channel's prompt exactly-once per week, catch-up after downtime, bounded fan-out.

The store is the truth. APScheduler only says "now might be a good time"; every run claims the
(platform, workspace, channel, week) row before posting, so restarts, replicas, double firings in
a daylight-saving hour and periodic reconciliation can never post twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError

from bot.meetings import weekly_quiz
from bot.observability import record_prompt
from bot.schedule.calendar import (
    WeeklySlot,
    cron_fields,
    due_for_catch_up,
    is_skipped,
    next_occurrences,
    occurrence_in_week,
    week_key,
)
from bot.schedule.prompts import WORKSPACE_ERRORS, ChannelUnavailable, PromptPoster, WeeklyPrompt
from bot.schedule.rotation import choose_theme, preview
from bot.services import Services

log = logging.getLogger("scrbot.schedule")

DEFAULT_CONCURRENCY = 50
# A database that is out of reach: SQLAlchemy's errors, or the driver's socket errors on connect.
STORE_ERRORS = (SQLAlchemyError, OSError)


@dataclass(frozen=True)
class Outcome:
    """What happened to one channel's prompt for one week."""

    status: str  # "posted" | "already" | "skipped" | "missed" | "failed" | "retry"
    detail: str = ""
    theme_id: str | None = None
    message_ts: str | None = None


def replica_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def slot_of(subscription: Any) -> WeeklySlot:
    return WeeklySlot(
        weekday=subscription.weekday,
        hour=subscription.hour,
        minute=subscription.minute,
        timezone=subscription.timezone,
        skip_bank_holidays=subscription.skip_bank_holidays,
        paused_until=subscription.paused_until,
    )


def job_id(platform: str, workspace_id: str, channel_id: str) -> str:
    return f"prompt:{platform}:{workspace_id}:{channel_id}"


class WeeklyPrompts:
    """Schedules, claims and posts weekly prompts for every subscribed channel."""

    def __init__(
        self,
        services: Services,
        posters: dict[str, PromptPoster],
        *,
        replica: str | None = None,
        lease: timedelta | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_failure: Callable[[Any, str], Awaitable[None]] | None = None,
        housekeeping: tuple[tuple[str, Any, Callable[[], Awaitable[Any]]], ...] = (),
    ):
        self.services = services
        self.posters = posters
        self.replica = replica or replica_id()
        self.lease = lease or timedelta(seconds=services.settings.prompt_lease_seconds)
        self.reconcile_every = timedelta(seconds=services.settings.reconcile_seconds)
        self.grace = timedelta(hours=services.settings.prompt_grace_hours)
        self._limit = asyncio.Semaphore(concurrency)
        self._on_failure = on_failure
        self.housekeeping = housekeeping  # (job id, APScheduler trigger, coroutine function)
        self._in_flight: set[asyncio.Task[Any]] = set()
        # (platform, workspace) -> why its prompts stopped; the admins have been told once
        self._stopped_workspaces: dict[tuple[str, str], str] = {}
        self._stopping = False
        self.scheduler: AsyncIOScheduler | None = None

    @property
    def store(self):
        assert self.services.store is not None, "the store must be open before prompts run"
        return self.services.store

    # -- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        """Build jobs from the store, catch up on anything missed, then start the scheduler."""
        self.scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(self.grace.total_seconds()) or 1,
            },
        )
        await self.resume_workspaces()
        await self.rebuild()
        self.scheduler.add_job(
            self._scheduled_reconcile,
            IntervalTrigger(seconds=self.reconcile_every.total_seconds()),
            id="reconcile",
            replace_existing=True,
        )
        for job_name, trigger, work in self.housekeeping:
            self.scheduler.add_job(self._housekeep, trigger, args=(job_name, work), id=job_name, replace_existing=True)
        self.scheduler.start()
        self._spawn(self._scheduled_reconcile())

    async def _housekeep(self, name: str, work: Callable[[], Awaitable[Any]]) -> None:
        if self._stopping:
            return
        try:
            await self._spawn(work())
        except Exception:  # housekeeping must never take the scheduler down
            log.exception("housekeeping job %s failed", name)

    async def stop(self, grace: float = 20.0) -> None:
        """Stop taking new work, let posts in flight finish, and release claims never posted."""
        self._stopping = True
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=grace)
        for claim in await self.store.pending_claims(self.replica):
            await self.store.release_claim(claim.id)
            log.info("released unposted claim for %s %s", claim.channel_id, claim.week)

    def _spawn(self, coroutine: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coroutine)
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return task

    async def rebuild(self) -> int:
        """Replace every prompt job with one per subscription, from the store."""
        if self.scheduler is None:
            return 0
        for job in self.scheduler.get_jobs():
            if job.id.startswith("prompt:"):
                job.remove()
        subscriptions = [
            s for s in await self.store.list_subscriptions(active_only=False) if not self._workspace_stopped(s)
        ]
        for subscription in subscriptions:
            self._add_job(subscription)
        log.info("scheduled weekly prompts for %d channel(s)", len(subscriptions))
        return len(subscriptions)

    def schedule_changed(self, subscription: Any | None, key: tuple[str, str, str]) -> None:
        """Call after a subscription is created, changed or removed."""
        if self.scheduler is None:
            return
        existing = self.scheduler.get_job(job_id(*key))
        if existing is not None:
            existing.remove()
        if subscription is not None:
            self._add_job(subscription)

    def _add_job(self, subscription: Any) -> None:
        assert self.scheduler is not None
        key = (subscription.platform, subscription.workspace_id, subscription.channel_id)
        self.scheduler.add_job(
            self._due,
            CronTrigger(**cron_fields(slot_of(subscription))),
            args=key,
            id=job_id(*key),
            replace_existing=True,
        )

    async def _due(self, platform: str, workspace_id: str, channel_id: str) -> None:
        if self._stopping:
            return
        try:
            await self._spawn(self.deliver_current(platform, workspace_id, channel_id))
        except STORE_ERRORS as exc:
            log.error(
                "weekly prompt for %s not sent: the store is unreachable (%s); a later reconcile sends it",
                channel_id,
                type(exc).__name__,
            )

    async def _scheduled_reconcile(self) -> None:
        """The periodic reconcile: while the database is away it logs one line, not a traceback."""
        try:
            await self.reconcile()
        except STORE_ERRORS as exc:
            log.error(
                "weekly prompts not checked: the store is unreachable (%s); trying again in %ds",
                type(exc).__name__,
                self.reconcile_every.total_seconds(),
            )

    # -- decisions ----------------------------------------------------------------------------
    def eligible_theme_ids(self) -> list[str]:
        return self.services.catalogue.ids()

    async def choose(self, subscription: Any, history: list[str] | None = None) -> str:
        if history is None:
            history = await self._posted_themes(subscription)
        return choose_theme(
            self.eligible_theme_ids(),
            history,
            excluded=subscription.excluded_themes or (),
            curated_order=self.services.catalogue.rotation or None,
            seed=job_id(subscription.platform, subscription.workspace_id, subscription.channel_id),
        )

    async def upcoming(self, subscription: Any, count: int = 4) -> list[tuple[datetime, str]]:
        """The next `count` prompt times and the theme each would carry."""
        now = self.services.clock.now()
        times = next_occurrences(slot_of(subscription), now, count)
        current = await self.store.get_delivery(
            subscription.platform,
            subscription.workspace_id,
            subscription.channel_id,
            week_key(now, subscription.timezone),
        )
        history = await self._posted_themes(subscription)
        if current is not None and current.status == "claimed":
            history.append(current.theme_id)
        themes = preview(
            self.eligible_theme_ids(),
            history,
            excluded=subscription.excluded_themes or (),
            curated_order=self.services.catalogue.rotation or None,
            seed=job_id(subscription.platform, subscription.workspace_id, subscription.channel_id),
            count=count,
        )
        return list(zip(times, themes, strict=False))

    async def _posted_themes(self, subscription: Any) -> list[str]:
        deliveries = await self.store.delivery_history(
            subscription.platform, subscription.workspace_id, subscription.channel_id
        )
        return [d.theme_id for d in deliveries if d.status == "posted"]

    # -- delivery -----------------------------------------------------------------------------
    async def deliver_current(self, platform: str, workspace_id: str, channel_id: str) -> Outcome:
        """The scheduler fired: post this week's prompt if it is due and not skipped."""
        subscription = await self.store.get_subscription(platform, workspace_id, channel_id)
        if subscription is None:
            return Outcome("skipped", "no longer subscribed")
        now = self.services.clock.now()
        slot = slot_of(subscription)
        week = week_key(now, slot.timezone)
        reason = is_skipped(slot, occurrence_in_week(slot, week).date())
        if reason:
            log.info("prompt for %s %s skipped: %s", channel_id, week, reason)
            return Outcome("skipped", reason)
        return await self.deliver(subscription, week)

    async def deliver(self, subscription: Any, week: str, history: list[str] | None = None) -> Outcome:
        """Claim the week in the ledger, then post; exactly one caller anywhere gets to post.
        `history` (themes already posted here) may be passed in by a fan-out that loaded it."""
        outcome = await self._deliver(subscription, week, history)
        record_prompt({"posted": "posted", "failed": "failed"}.get(outcome.status, "skipped"))
        return outcome

    async def _deliver(self, subscription: Any, week: str, history: list[str] | None) -> Outcome:
        if self._workspace_stopped(subscription):
            return Outcome("skipped", f"workspace stopped: {subscription.last_error}")
        poster = self.posters.get(subscription.platform)
        if poster is None:
            return Outcome("skipped", f"no {subscription.platform} connection configured")
        async with self._limit:
            # Claim only when the platform would let us post at once: a claim that sat in a
            # rate-limit queue past its lease could be taken over while we still meant to post.
            ready = getattr(poster, "ready", None)
            if ready is not None:
                await ready()
            now = self.services.clock.now()
            key = (subscription.platform, subscription.workspace_id, subscription.channel_id)
            theme_id = await self.choose(subscription, history)
            claim = await self.store.claim_delivery(*key, week, theme_id, self.replica, now, self.lease)
            if claim is None:
                return Outcome("already", "another run has this week")
            theme = self.services.catalogue.get(claim.theme_id) or self.services.catalogue.get(theme_id)
            assert theme is not None  # choose() only returns ids from the catalogue
            quiz = weekly_quiz(theme, self.services.catalogue, f"w{claim.id}") if subscription.quiz_prompts else None
            prompt = WeeklyPrompt(*key, week, theme, quiz)
            ref = subscription.conversation_ref or await self._installed_reference(key)
            heartbeat = asyncio.ensure_future(self._hold(claim.id))
            try:
                # A claim taken over from a crashed run: its post may already be in the channel.
                found = await poster.find_prompt(prompt, ref) if claim.taken_over else None
                if found:
                    await self.store.complete_delivery(claim.id, found, self.services.clock.now())
                    log.info("reconciled %s %s: already posted by a crashed run", subscription.channel_id, week)
                    return Outcome("already", "found in channel history", theme.id, found)
                ts = await poster.post_prompt(prompt, ref)
            except ChannelUnavailable as exc:
                now = self.services.clock.now()
                await self.store.fail_delivery(claim.id, exc.reason, now)
                first_notice = True
                if exc.workspace_wide:
                    first_notice = await self._stop_workspace(subscription, exc.reason, now)
                else:
                    await self.store.set_subscription_error(*key, exc.reason, now)
                log.warning("prompt for %s %s failed: %s", subscription.channel_id, week, exc.reason)
                if self._on_failure is not None and first_notice:
                    await self._on_failure(subscription, exc.reason)
                return Outcome("failed", exc.reason, theme.id)
            except Exception as exc:  # temporary: leave the claim to expire, reconcile retries it
                log.warning(
                    "prompt for %s %s not confirmed (%s); will reconcile after the lease",
                    subscription.channel_id,
                    week,
                    type(exc).__name__,
                )
                return Outcome("retry", type(exc).__name__, theme.id)
            finally:
                heartbeat.cancel()
            await self.store.complete_delivery(claim.id, ts, self.services.clock.now())
            self._stopped_workspaces.pop((subscription.platform, subscription.workspace_id), None)
            log.info("posted weekly prompt %s to %s for %s", theme.id, subscription.channel_id, week)
            return Outcome("posted", "", theme.id, ts)

    async def _installed_reference(self, key: tuple[str, str, str]) -> dict[str, Any] | None:
        """For a subscription without a reference: the one kept when scrbot was installed there."""
        conversation = await self.store.get_conversation(*key)
        return conversation.conversation_ref if conversation is not None else None

    async def _hold(self, delivery_id: int) -> None:
        """Renew our claim every third of a lease while a post is in progress."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            if not await self.store.renew_claim(delivery_id, self.replica, self.services.clock.now(), self.lease):
                log.warning("lost the claim on delivery %s while posting", delivery_id)
                return

    def _workspace_stopped(self, subscription: Any) -> bool:
        return (
            subscription.last_error or ""
        ) in WORKSPACE_ERRORS  # the channel's last error stopped its whole workspace

    async def _stop_workspace(self, subscription: Any, reason: str, now: datetime) -> bool:
        """The token was revoked or the app uninstalled: mark every channel of the workspace, so
        none is tried again until the app is reinstalled or a schedule is set again. True the
        first time here (the admins are told once, not once per channel)."""
        workspace = (subscription.platform, subscription.workspace_id)
        for other in await self.store.list_subscriptions(active_only=False):
            if (other.platform, other.workspace_id) == workspace and not self._workspace_stopped(other):
                await self.store.set_subscription_error(*workspace, other.channel_id, reason, now)
        self._remove_jobs(workspace)
        if workspace in self._stopped_workspaces:
            return False
        self._stopped_workspaces[workspace] = reason
        log.error(
            "weekly prompts stopped for %s workspace %s: %s; reinstall the app (then restart scrbot) "
            "or set a channel's schedule again",
            *workspace,
            reason,
        )
        return True

    async def stop_workspace(self, platform: str, workspace_id: str | None, reason: str) -> int:
        """The platform said the app was uninstalled or its token revoked: stop that workspace's
        prompts at once (every workspace of `platform` when `workspace_id` is None, as for an
        org-wide install). Returns how many channels stopped."""
        now = self.services.clock.now()
        subscriptions = [
            s
            for s in await self.store.list_subscriptions(active_only=False)
            if s.platform == platform and workspace_id in (None, s.workspace_id)
        ]
        workspaces = {s.workspace_id for s in subscriptions} | ({workspace_id} if workspace_id else set())
        for workspace in workspaces:
            self._remove_jobs((platform, workspace))
            self._stopped_workspaces[(platform, workspace)] = reason
        for subscription in subscriptions:
            await self.store.set_subscription_error(
                platform, subscription.workspace_id, subscription.channel_id, reason, now
            )
        log.error(
            "weekly prompts stopped for %s workspace %s (%d channel(s)): %s; reinstall the app "
            "(then restart scrbot) or set a channel's schedule again",
            platform,
            workspace_id or "(all, org-wide)",
            len(subscriptions),
            reason,
        )
        return len(subscriptions)

    def stopped_workspaces(self) -> dict[str, str]:
        """ "platform:workspace" -> why its weekly prompts are stopped, for /readyz."""
        return {f"{platform}:{workspace}": reason for (platform, workspace), reason in self._stopped_workspaces.items()}

    def _remove_jobs(self, workspace: tuple[str, str]) -> None:
        if self.scheduler is None:
            return
        prefix = job_id(*workspace, "")
        for job in self.scheduler.get_jobs():
            if job.id.startswith(prefix):
                job.remove()

    async def resume_workspaces(self) -> int:
        """At start-up: channels stopped by a revoked token post again once the platform accepts
        our credentials (the app was reinstalled). Returns how many channels resumed."""
        resumed = 0
        stopped = [s for s in await self.store.list_subscriptions(active_only=False) if self._workspace_stopped(s)]
        for platform in {s.platform for s in stopped}:
            authorized = getattr(self.posters.get(platform), "authorized", None)
            if authorized is None or not await authorized():
                for subscription in (s for s in stopped if s.platform == platform):
                    self._stopped_workspaces[(platform, subscription.workspace_id)] = subscription.last_error
                continue
            for subscription in (s for s in stopped if s.platform == platform):
                key = (subscription.platform, subscription.workspace_id, subscription.channel_id)
                await self.store.set_subscription_error(*key, None, self.services.clock.now())
                resumed += 1
            log.info("the %s token works again: weekly prompts resumed", platform)
        return resumed

    async def reconcile(self) -> list[Outcome]:
        """Post what is due within the grace window and not yet posted; record older weeks as
        missed. Runs at start-up and every few minutes (retries, crashed replicas, downtime)."""
        if self._stopping:
            return []
        now = self.services.clock.now()
        subscriptions = await self.store.list_subscriptions(active_only=False)
        candidates = []
        for subscription in subscriptions:
            since = max(subscription.created_at, subscription.updated_at or subscription.created_at)
            for item in due_for_catch_up(slot_of(subscription), since, now, self.grace):
                candidates.append((subscription, item))
        if not candidates:
            return []
        ledger = {
            (d.platform, d.workspace_id, d.channel_id, d.week): d
            for d in await self.store.deliveries_in_weeks({item.week for _, item in candidates})
        }
        histories: dict[str, dict[tuple[str, str], list[str]]] = {}
        due: list[tuple[Any, str, list[str]]] = []
        for subscription, item in candidates:
            key = (subscription.platform, subscription.workspace_id, subscription.channel_id)
            existing = ledger.get((*key, item.week))
            if existing is not None and (existing.status != "claimed" or existing.lease_expires_at > now):
                continue
            if subscription.platform not in histories:
                histories[subscription.platform] = await self.store.posted_themes(subscription.platform)
            history = histories[subscription.platform].get(key[1:], [])
            if item.within_grace:
                due.append((subscription, item.week, history))
            elif existing is None:
                theme = await self.choose(subscription, history)
                await self.store.record_missed(*key, item.week, theme, now)
                log.info("week %s for %s recorded as missed (bot was down)", item.week, subscription.channel_id)
        return await self.fan_out(due)

    async def fan_out(self, due: list[tuple[Any, str, list[str]]]) -> list[Outcome]:
        """Deliver many channels concurrently, bounded by the semaphore in `deliver`."""
        tasks = [self._spawn(self.deliver(subscription, week, history)) for subscription, week, history in due]
        return list(await asyncio.gather(*tasks)) if tasks else []

    async def once_a_week(self, platform: str, workspace_id: str, job: str, when: datetime, work) -> bool:
        """Run `work()` at most once per ISO week across every replica (the weekly digest),
        using the same ledger as prompts with a pseudo-channel such as "digest:C0LEADS"."""
        week = week_key(when, "UTC")
        claim = await self.store.claim_delivery(platform, workspace_id, job, week, job, self.replica, when, self.lease)
        if claim is None:
            return False
        try:
            await work()
        except Exception:
            await self.store.release_claim(claim.id)
            raise
        await self.store.complete_delivery(claim.id, None, self.services.clock.now())
        return True

    async def send_now(self, platform: str, workspace_id: str, channel_id: str) -> Outcome:
        """Post this week's prompt now (admin command), through the same ledger."""
        subscription = await self.store.get_subscription(platform, workspace_id, channel_id)
        if subscription is None:
            return Outcome("skipped", "this channel has no schedule")
        week = week_key(self.services.clock.now(), subscription.timezone)
        return await self.deliver(subscription, week)
