"""The Store: every query scrbot makes, in one place.

Each method is one short transaction built from single atomic statements (INSERT ... ON
CONFLICT, conditional UPDATE), so correctness across replicas never depends on isolation
levels or in-process locks. Times are always passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Delete, Update, case, delete, func, null, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.store.models import (
    Conversation,
    DashboardLink,
    DashboardSession,
    Delivery,
    ProcessedEvent,
    QuizAnswer,
    Reflection,
    Subscription,
)

_Model = TypeVar(
    "_Model",
    ProcessedEvent,
    Subscription,
    Delivery,
    Reflection,
    QuizAnswer,
    DashboardLink,
    DashboardSession,
    Conversation,
)

_ISO_WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")
_DELIVERY_KEY = ("platform", "workspace_id", "channel_id", "week")
_SUBSCRIPTION_KEY = ("platform", "workspace_id", "channel_id")


def check_week(week: str) -> str:
    """Return `week` if it looks like an ISO week ("2026-W48"), else raise ValueError."""
    if not _ISO_WEEK.match(week):
        raise ValueError(f"week must look like 2026-W48, not {week!r}")
    return week


class Store:
    """Async access to scrbot's tables; one instance per process, shared by all tasks."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    async def migrate(self) -> None:
        """Bring the schema up to date (alembic upgrade head) through this store's engine."""
        from bot.store.migrate import upgrade_engine

        await upgrade_engine(self.engine)

    async def ping(self) -> None:
        """Raise if the database cannot answer a trivial query (for readiness checks)."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()

    # -- processed events ------------------------------------------------------------------

    async def claim_event(self, key: str, now: datetime) -> bool:
        """True the first time `key` is seen by any replica, False for every retry after."""
        statement = (
            self._insert(ProcessedEvent)
            .values(event_key=key, received_at=now)
            .on_conflict_do_nothing(index_elements=["event_key"])
            .returning(ProcessedEvent.event_key)
        )
        async with self._sessions.begin() as session:
            return (await session.execute(statement)).first() is not None

    async def purge_events(self, older_than: datetime) -> int:
        """Forget events received before `older_than`; returns how many."""
        return await self._count(delete(ProcessedEvent).where(ProcessedEvent.received_at < older_than))

    # -- subscriptions ---------------------------------------------------------------------

    async def upsert_subscription(
        self,
        platform: str,
        workspace_id: str,
        channel_id: str,
        *,
        weekday: int,
        hour: int,
        minute: int,
        timezone: str,
        created_by: str,
        now: datetime,
        skip_bank_holidays: bool = False,
        excluded_themes: Iterable[str] = (),
        thread_replies_as_reflections: bool = False,
        quiz_prompts: bool = False,
        conversation_ref: dict[str, Any] | None = None,
    ) -> Subscription:
        """Subscribe a channel, or change its schedule if it already is.

        An update keeps created_by/created_at and the pause, keeps the stored conversation_ref
        when none is given, and clears last_error (the new settings deserve a fresh try).
        """
        insert = self._insert(Subscription).values(
            platform=platform,
            workspace_id=workspace_id,
            channel_id=channel_id,
            weekday=weekday,
            hour=hour,
            minute=minute,
            timezone=timezone,
            skip_bank_holidays=skip_bank_holidays,
            excluded_themes=list(excluded_themes),
            thread_replies_as_reflections=thread_replies_as_reflections,
            quiz_prompts=quiz_prompts,
            conversation_ref=conversation_ref,
            created_by=created_by,
            created_at=now,
            updated_at=now,
        )
        new = insert.excluded
        statement = insert.on_conflict_do_update(
            index_elements=list(_SUBSCRIPTION_KEY),
            set_={
                "weekday": new.weekday,
                "hour": new.hour,
                "minute": new.minute,
                "timezone": new.timezone,
                "skip_bank_holidays": new.skip_bank_holidays,
                "excluded_themes": new.excluded_themes,
                "thread_replies_as_reflections": new.thread_replies_as_reflections,
                "quiz_prompts": new.quiz_prompts,
                "conversation_ref": func.coalesce(new.conversation_ref, Subscription.__table__.c.conversation_ref),
                "updated_at": new.updated_at,
                "last_error": None,
                "last_error_at": None,
            },
        ).returning(Subscription)
        async with self._sessions.begin() as session:
            result = await session.scalars(statement, execution_options={"populate_existing": True})
            return result.one()

    async def get_subscription(self, platform: str, workspace_id: str, channel_id: str) -> Subscription | None:
        """The channel's subscription, or None."""
        statement = select(Subscription).where(*self._subscription_is(platform, workspace_id, channel_id))
        async with self._sessions() as session:
            return (await session.scalars(statement)).one_or_none()

    async def list_subscriptions(self, active_only: bool = True, today: date | None = None) -> list[Subscription]:
        """All subscriptions; with `active_only`, leave out paused ones.

        Paused means `today < paused_until`; without `today`, any pause date counts as paused.
        """
        statement = select(Subscription).order_by(
            Subscription.platform, Subscription.workspace_id, Subscription.channel_id
        )
        if active_only:
            if today is None:
                statement = statement.where(Subscription.paused_until.is_(None))
            else:
                statement = statement.where(
                    or_(Subscription.paused_until.is_(None), Subscription.paused_until <= today)
                )
        async with self._sessions() as session:
            return list((await session.scalars(statement)).all())

    async def delete_subscription(self, platform: str, workspace_id: str, channel_id: str) -> bool:
        """Unsubscribe a channel; False if it was not subscribed."""
        statement = delete(Subscription).where(*self._subscription_is(platform, workspace_id, channel_id))
        return await self._count(statement) > 0

    async def set_paused_until(
        self,
        platform: str,
        workspace_id: str,
        channel_id: str,
        paused_until: date | None,
        now: datetime,
    ) -> bool:
        """Pause the channel's prompts until that date (they resume on it); None resumes."""
        statement = (
            update(Subscription)
            .where(*self._subscription_is(platform, workspace_id, channel_id))
            .values(paused_until=paused_until, updated_at=now)
        )
        return await self._count(statement) > 0

    async def set_subscription_error(
        self,
        platform: str,
        workspace_id: str,
        channel_id: str,
        error: str | None,
        now: datetime,
    ) -> bool:
        """Record why the last post failed (None clears it)."""
        statement = (
            update(Subscription)
            .where(*self._subscription_is(platform, workspace_id, channel_id))
            .values(last_error=error, last_error_at=now if error is not None else None)
        )
        return await self._count(statement) > 0

    # -- deliveries ------------------------------------------------------------------------

    async def claim_delivery(
        self,
        platform: str,
        workspace_id: str,
        channel_id: str,
        week: str,
        theme_id: str,
        replica_id: str,
        now: datetime,
        lease: timedelta,
    ) -> Delivery | None:
        """Claim this week's post for this channel; the one replica that gets a row posts.

        A claim whose lease has expired (its replica died) is taken over: the row comes back
        with `taken_over=True` and the original theme_id, and the caller should check the
        channel's history before posting, as the first replica may have posted already.
        Anything else (a live claim, or a posted/missed/failed week) returns None.
        """
        key = {
            "platform": platform,
            "workspace_id": workspace_id,
            "channel_id": channel_id,
            "week": check_week(week),
        }
        lease_values = {
            "claimed_by": replica_id,
            "claimed_at": now,
            "lease_expires_at": now + lease,
        }
        claim = (
            self._insert(Delivery)
            .values(**key, theme_id=theme_id, status="claimed", **lease_values)
            .on_conflict_do_nothing(index_elements=list(_DELIVERY_KEY))
            .returning(Delivery)
        )
        take_over = (
            update(Delivery)
            .where(
                *self._delivery_is(platform, workspace_id, channel_id, week),
                Delivery.status == "claimed",
                Delivery.lease_expires_at < now,
            )
            .values(**lease_values)
            .returning(Delivery)
        )
        async with self._sessions.begin() as session:
            delivery = (await session.scalars(claim)).one_or_none()
            if delivery is not None:
                delivery.taken_over = False
                return delivery
            delivery = (await session.scalars(take_over)).one_or_none()
            if delivery is not None:
                delivery.taken_over = True
            return delivery

    async def renew_claim(self, delivery_id: int, replica_id: str, now: datetime, lease: timedelta) -> bool:
        """Extend a claim this replica still holds (a heartbeat while a post is slow, e.g.
        waiting out rate limits); False if the claim is gone or belongs to someone else."""
        statement = (
            update(Delivery)
            .where(
                Delivery.id == delivery_id,
                Delivery.status == "claimed",
                Delivery.claimed_by == replica_id,
            )
            .values(lease_expires_at=now + lease)
        )
        return await self._count(statement) == 1

    async def complete_delivery(self, delivery_id: int, message_ts: str | None, now: datetime) -> bool:
        """Mark a claimed delivery as posted; False if it was not (or no longer) claimed."""
        return await self._finish(delivery_id, status="posted", message_ts=message_ts, completed_at=now)

    async def fail_delivery(self, delivery_id: int, error: str, now: datetime) -> bool:
        """Mark a claimed delivery as failed with the reason."""
        return await self._finish(delivery_id, status="failed", error=error, completed_at=now)

    async def record_missed(
        self,
        platform: str,
        workspace_id: str,
        channel_id: str,
        week: str,
        theme_id: str,
        now: datetime,
    ) -> bool:
        """Note a week that passed without a post; False if the week already has a row."""
        statement = (
            self._insert(Delivery)
            .values(
                platform=platform,
                workspace_id=workspace_id,
                channel_id=channel_id,
                week=check_week(week),
                theme_id=theme_id,
                status="missed",
                claimed_at=now,
                completed_at=now,
            )
            .on_conflict_do_nothing(index_elements=list(_DELIVERY_KEY))
            .returning(Delivery.id)
        )
        async with self._sessions.begin() as session:
            return (await session.execute(statement)).first() is not None

    async def release_claim(self, delivery_id: int) -> bool:
        """Drop a claim that never posted (graceful shutdown), so another replica can post."""
        statement = delete(Delivery).where(Delivery.id == delivery_id, Delivery.status == "claimed")
        return await self._count(statement) > 0

    async def pending_claims(self, replica_id: str | None = None) -> list[Delivery]:
        """Deliveries still claimed (optionally by one replica), oldest claim first."""
        statement = select(Delivery).where(Delivery.status == "claimed").order_by(Delivery.claimed_at, Delivery.id)
        if replica_id is not None:
            statement = statement.where(Delivery.claimed_by == replica_id)
        return await self._all(statement)

    async def delivery_history(self, platform: str, workspace_id: str, channel_id: str) -> list[Delivery]:
        """Every week's delivery row for a channel, oldest week first."""
        statement = (
            select(Delivery)
            .where(
                Delivery.platform == platform,
                Delivery.workspace_id == workspace_id,
                Delivery.channel_id == channel_id,
            )
            .order_by(Delivery.week, Delivery.id)
        )
        return await self._all(statement)

    async def deliveries_in_weeks(self, weeks: Iterable[str]) -> list[Delivery]:
        """Every delivery row for any of these weeks, all channels: one query for a fan-out."""
        wanted = sorted(set(weeks))
        if not wanted:
            return []
        return await self._all(select(Delivery).where(Delivery.week.in_(wanted)))

    async def delivery_facts(self, weeks: Iterable[str]) -> list[Any]:
        """Like deliveries_in_weeks, for figures: Core rows of (id, platform, workspace_id,
        channel_id, week, status), several times lighter than ORM objects for a year of them."""
        wanted = sorted(set(weeks))
        if not wanted:
            return []
        statement = select(
            Delivery.id, Delivery.platform, Delivery.workspace_id, Delivery.channel_id, Delivery.week, Delivery.status
        ).where(Delivery.week.in_(wanted))
        async with self.engine.connect() as connection:
            return list((await connection.execute(statement)).all())

    async def posted_themes(self, platform: str) -> dict[tuple[str, str], list[str]]:
        """Theme ids posted to each (workspace, channel), oldest week first: the rotation's
        history for a whole fan-out in one query."""
        statement = (
            select(Delivery.workspace_id, Delivery.channel_id, Delivery.theme_id)
            .where(Delivery.platform == platform, Delivery.status == "posted")
            .order_by(Delivery.week, Delivery.id)
        )
        async with self._sessions() as session:
            rows = (await session.execute(statement)).all()
        history: dict[tuple[str, str], list[str]] = {}
        for workspace_id, channel_id, theme_id in rows:
            history.setdefault((workspace_id, channel_id), []).append(theme_id)
        return history

    async def get_delivery(self, platform: str, workspace_id: str, channel_id: str, week: str) -> Delivery | None:
        """The channel's delivery row for that week, or None."""
        statement = select(Delivery).where(*self._delivery_is(platform, workspace_id, channel_id, week))
        async with self._sessions() as session:
            return (await session.scalars(statement)).one_or_none()

    # -- reflections -----------------------------------------------------------------------

    async def add_reflection(
        self,
        *,
        idempotency_key: str,
        theme_id: str,
        workspace_id: str,
        person_key: str,
        text: str,
        source: str,
        now: datetime,
        channel_id: str | None = None,
        week: str | None = None,
        confidence: int | None = None,
        shared: bool = False,
    ) -> tuple[Reflection, bool]:
        """Save a reflection once per idempotency_key; returns (row, created)."""
        insert = (
            self._insert(Reflection)
            .values(
                idempotency_key=idempotency_key,
                theme_id=theme_id,
                workspace_id=workspace_id,
                channel_id=channel_id,
                week=week,
                person_key=person_key,
                created_at=now,
                updated_at=now,
                text=text,
                confidence=confidence,
                shared=shared,
                source=source,
            )
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(Reflection)
        )
        existing = select(Reflection).where(Reflection.idempotency_key == idempotency_key)
        async with self._sessions.begin() as session:
            reflection = (await session.scalars(insert)).one_or_none()
            if reflection is not None:
                return reflection, True
            return (await session.scalars(existing)).one(), False

    async def get_reflection(self, reflection_id: int) -> Reflection | None:
        """One reflection by id, or None. Callers check person_key before showing it."""
        async with self._sessions() as session:
            return await session.get(Reflection, reflection_id)

    async def list_reflections_for_person(self, person_key: str, limit: int = 50) -> list[Reflection]:
        """A person's own reflections, newest first."""
        statement = (
            select(Reflection)
            .where(Reflection.person_key == person_key)
            .order_by(Reflection.created_at.desc(), Reflection.id.desc())
            .limit(limit)
        )
        return await self._all(statement)

    async def update_reflection(
        self,
        reflection_id: int,
        person_key: str,
        *,
        text: str,
        confidence: int | None,
        shared: bool,
        now: datetime,
    ) -> bool:
        """Edit a reflection; False unless it exists and belongs to `person_key`."""
        statement = (
            update(Reflection)
            .where(Reflection.id == reflection_id, Reflection.person_key == person_key)
            .values(text=text, confidence=confidence, shared=shared, updated_at=now)
        )
        return await self._count(statement) > 0

    async def delete_reflection(self, reflection_id: int, person_key: str) -> bool:
        """Delete a reflection; False unless it exists and belongs to `person_key`."""
        statement = delete(Reflection).where(Reflection.id == reflection_id, Reflection.person_key == person_key)
        return await self._count(statement) > 0

    async def delete_reflections_for_person(self, person_key: str) -> int:
        """Forget-me: delete all of a person's reflections; returns how many."""
        return await self._count(delete(Reflection).where(Reflection.person_key == person_key))

    async def purge_reflections(self, older_than: datetime) -> int:
        """Delete reflections created before `older_than` (retention); returns how many."""
        return await self._count(delete(Reflection).where(Reflection.created_at < older_than))

    async def reflections_between(
        self, start: datetime, end: datetime, workspace_id: str | None = None
    ) -> list[Reflection]:
        """Reflections created in [start, end), optionally for one workspace, oldest first."""
        statement = (
            select(Reflection)
            .where(Reflection.created_at >= start, Reflection.created_at < end)
            .order_by(Reflection.created_at, Reflection.id)
        )
        if workspace_id is not None:
            statement = statement.where(Reflection.workspace_id == workspace_id)
        return await self._all(statement)

    async def reflection_facts(
        self,
        start: datetime,
        end: datetime,
        workspace_id: str | None = None,
        *,
        all_times: bool = True,
    ) -> list[Any]:
        """Reflections created in [start, end) for reports: every column but the text (rows
        with workspace_id, channel_id, theme_id, week, person_key, confidence, shared, source,
        created_at), oldest first. Far lighter than whole rows for a year of data.

        With `all_times=False` (figures only) rows come unordered and created_at is read only
        where week is missing: turning 100,000 stored times into datetimes costs about 0.5 s.
        """
        created_at: Any = Reflection.created_at
        if not all_times:
            created_at = case((Reflection.week.is_(None), Reflection.created_at), else_=null())
        statement = select(
            Reflection.workspace_id,
            Reflection.channel_id,
            Reflection.theme_id,
            Reflection.week,
            Reflection.person_key,
            Reflection.confidence,
            Reflection.shared,
            Reflection.source,
            created_at.label("created_at"),
        ).where(Reflection.created_at >= start, Reflection.created_at < end)
        if all_times:
            statement = statement.order_by(Reflection.created_at, Reflection.id)
        if workspace_id is not None:
            statement = statement.where(Reflection.workspace_id == workspace_id)
        async with self.engine.connect() as connection:  # Core rows: no ORM work per row
            return list((await connection.execute(statement)).all())

    # -- conversations scrbot is installed in ---------------------------------------------

    async def save_conversation(
        self,
        platform: str,
        workspace_id: str,
        conversation_id: str,
        *,
        kind: str,
        conversation_ref: dict[str, Any],
        now: datetime,
        person_key: str | None = None,
    ) -> None:
        """Keep (or refresh) the reference of a conversation scrbot was installed in."""
        insert = self._insert(Conversation).values(
            platform=platform,
            workspace_id=workspace_id,
            conversation_id=conversation_id,
            kind=kind,
            conversation_ref=conversation_ref,
            person_key=person_key,
            installed_at=now,
            updated_at=now,
        )
        new = insert.excluded
        statement = insert.on_conflict_do_update(
            index_elements=["platform", "workspace_id", "conversation_id"],
            set_={
                "kind": new.kind,
                "conversation_ref": new.conversation_ref,
                "person_key": new.person_key,
                "updated_at": new.updated_at,
            },
        )
        async with self._sessions.begin() as session:
            await session.execute(statement)

    async def get_conversation(self, platform: str, workspace_id: str, conversation_id: str) -> Conversation | None:
        """The stored conversation, or None if scrbot was not installed there (or was removed)."""
        statement = select(Conversation).where(*self._conversation_is(platform, workspace_id, conversation_id))
        async with self._sessions() as session:
            return (await session.scalars(statement)).one_or_none()

    async def conversation_workspaces(self, platform: str) -> list[str]:
        """The workspaces (Teams tenants) in which scrbot keeps any conversation."""
        statement = select(Conversation.workspace_id).where(Conversation.platform == platform).distinct()
        async with self._sessions() as session:
            return sorted((await session.scalars(statement)).all())

    async def personal_conversation(self, platform: str, workspace_id: str, person_key: str) -> Conversation | None:
        """The 1:1 chat this person (by pseudonymous key) has with scrbot, if one is kept; the
        latest when there are several."""
        statement = (
            select(Conversation)
            .where(
                Conversation.platform == platform,
                Conversation.workspace_id == workspace_id,
                Conversation.person_key == person_key,
            )
            .order_by(Conversation.updated_at.desc(), Conversation.id.desc())
            .limit(1)
        )
        async with self._sessions() as session:
            return (await session.scalars(statement)).one_or_none()

    async def delete_conversation(self, platform: str, workspace_id: str, conversation_id: str) -> bool:
        """scrbot was removed: forget the conversation's reference; False if none was kept."""
        statement = delete(Conversation).where(*self._conversation_is(platform, workspace_id, conversation_id))
        return await self._count(statement) > 0

    async def delete_conversations_for_person(self, person_key: str) -> int:
        """Forget-me for the person's 1:1 chats with scrbot; returns how many were deleted."""
        return await self._count(delete(Conversation).where(Conversation.person_key == person_key))

    @staticmethod
    def _conversation_is(platform: str, workspace_id: str, conversation_id: str) -> tuple[Any, ...]:
        return (
            Conversation.platform == platform,
            Conversation.workspace_id == workspace_id,
            Conversation.conversation_id == conversation_id,
        )

    # -- quiz ------------------------------------------------------------------------------

    async def record_quiz_answer(
        self, quiz_id: str, person_key: str, choice: str, correct: bool, now: datetime
    ) -> bool:
        """Keep a person's first answer to a quiz; False if they had already answered."""
        statement = (
            self._insert(QuizAnswer)
            .values(
                quiz_id=quiz_id,
                person_key=person_key,
                choice=choice,
                correct=correct,
                answered_at=now,
            )
            .on_conflict_do_nothing(index_elements=["quiz_id", "person_key"])
            .returning(QuizAnswer.id)
        )
        async with self._sessions.begin() as session:
            return (await session.execute(statement)).first() is not None

    async def quiz_tally(self, quiz_id: str) -> dict[str, int]:
        """How many people picked each choice."""
        statement = (
            select(QuizAnswer.choice, func.count())
            .where(QuizAnswer.quiz_id == quiz_id)
            .group_by(QuizAnswer.choice)
            .order_by(QuizAnswer.choice)
        )
        async with self._sessions() as session:
            rows = (await session.execute(statement)).all()
        return {choice: count for choice, count in rows}

    async def delete_quiz_answers_for_person(self, person_key: str) -> int:
        """Forget-me for quiz answers; returns how many were deleted."""
        return await self._count(delete(QuizAnswer).where(QuizAnswer.person_key == person_key))

    async def quiz_answer_facts(self, start: datetime, end: datetime) -> list[Any]:
        """Quiz answers given in [start, end) for the dashboard: (quiz_id, person_key, correct)."""
        statement = select(QuizAnswer.quiz_id, QuizAnswer.person_key, QuizAnswer.correct).where(
            QuizAnswer.answered_at >= start, QuizAnswer.answered_at < end
        )
        async with self.engine.connect() as connection:
            return list((await connection.execute(statement)).all())

    async def shared_texts(
        self, start: datetime, end: datetime, source: str, workspace_id: str | None = None
    ) -> list[Any]:
        """Text their writers shared without their names, from one source, created in [start,
        end), newest first: (workspace_id, channel_id, theme_id, week, text). No person keys."""
        statement = (
            select(
                Reflection.workspace_id, Reflection.channel_id, Reflection.theme_id, Reflection.week, Reflection.text
            )
            .where(
                Reflection.created_at >= start,
                Reflection.created_at < end,
                Reflection.source == source,
                Reflection.shared.is_(True),
            )
            .order_by(Reflection.created_at.desc(), Reflection.id.desc())
        )
        if workspace_id is not None:
            statement = statement.where(Reflection.workspace_id == workspace_id)
        async with self.engine.connect() as connection:
            return list((await connection.execute(statement)).all())

    # -- dashboard sign-in -----------------------------------------------------------------

    async def add_dashboard_link(
        self, token_hash: str, admin_key: str, scope: str | None, now: datetime, expires_at: datetime
    ) -> None:
        """Keep a new sign-in link (its token's hash)."""
        async with self._sessions.begin() as session:
            session.add(
                DashboardLink(
                    token_hash=token_hash, admin_key=admin_key, scope=scope, created_at=now, expires_at=expires_at
                )
            )

    async def usable_dashboard_link(self, token_hash: str, now: datetime) -> DashboardLink | None:
        """The link if it is unused and unexpired (looking does not use it)."""
        statement = select(DashboardLink).where(
            DashboardLink.token_hash == token_hash, DashboardLink.used_at.is_(None), DashboardLink.expires_at > now
        )
        async with self._sessions() as session:
            return (await session.scalars(statement)).one_or_none()

    async def use_dashboard_link(self, token_hash: str, now: datetime) -> DashboardLink | None:
        """Mark the link used and return it, once: one atomic UPDATE, so of two replicas (or
        two tabs) redeeming the same link at once exactly one succeeds."""
        statement = (
            update(DashboardLink)
            .where(
                DashboardLink.token_hash == token_hash,
                DashboardLink.used_at.is_(None),
                DashboardLink.expires_at > now,
            )
            .values(used_at=now)
            .returning(DashboardLink)
        )
        async with self._sessions.begin() as session:
            return (await session.scalars(statement)).one_or_none()

    async def add_dashboard_session(
        self, session_hash: str, admin_key: str, scope: str | None, now: datetime, expires_at: datetime
    ) -> None:
        """Keep a new signed-in session (its id's hash)."""
        async with self._sessions.begin() as session:
            session.add(
                DashboardSession(
                    session_hash=session_hash, admin_key=admin_key, scope=scope, created_at=now, expires_at=expires_at
                )
            )

    async def get_dashboard_session(self, session_hash: str, now: datetime) -> DashboardSession | None:
        """The session if it exists and has not expired."""
        statement = select(DashboardSession).where(
            DashboardSession.session_hash == session_hash, DashboardSession.expires_at > now
        )
        async with self._sessions() as session:
            return (await session.scalars(statement)).one_or_none()

    async def delete_dashboard_session(self, session_hash: str) -> bool:
        """Sign out: forget the session; False if it was already gone."""
        statement = delete(DashboardSession).where(DashboardSession.session_hash == session_hash)
        return await self._count(statement) > 0

    async def purge_dashboard_sign_ins(self, now: datetime) -> int:
        """Forget expired links and sessions; returns how many rows went."""
        links = await self._count(delete(DashboardLink).where(DashboardLink.expires_at <= now))
        sessions = await self._count(delete(DashboardSession).where(DashboardSession.expires_at <= now))
        return links + sessions

    # -- helpers ---------------------------------------------------------------------------

    def _insert(self, model: type[_Model]) -> Any:
        """The dialect's INSERT, which knows ON CONFLICT."""
        if self.dialect == "postgresql":
            return postgresql.insert(model)
        if self.dialect == "sqlite":
            return sqlite.insert(model)
        raise NotImplementedError(f"scrbot's store supports SQLite and PostgreSQL, not {self.dialect}")

    async def _count(self, statement: Update | Delete) -> int:
        async with self._sessions.begin() as session:
            result = await session.execute(statement, execution_options={"synchronize_session": False})
            return int(result.rowcount)  # type: ignore[attr-defined]

    async def _all(self, statement: Any) -> list[Any]:
        async with self._sessions() as session:
            return list((await session.scalars(statement)).all())

    async def _finish(self, delivery_id: int, **values: Any) -> bool:
        statement = update(Delivery).where(Delivery.id == delivery_id, Delivery.status == "claimed").values(**values)
        return await self._count(statement) > 0

    @staticmethod
    def _subscription_is(platform: str, workspace_id: str, channel_id: str) -> Sequence[Any]:
        return (
            Subscription.platform == platform,
            Subscription.workspace_id == workspace_id,
            Subscription.channel_id == channel_id,
        )

    @staticmethod
    def _delivery_is(platform: str, workspace_id: str, channel_id: str, week: str) -> Sequence[Any]:
        return (
            Delivery.platform == platform,
            Delivery.workspace_id == workspace_id,
            Delivery.channel_id == channel_id,
            Delivery.week == week,
        )
