"""SQLAlchemy models for everything scrbot keeps between restarts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

PLATFORMS = ("slack", "teams")
DELIVERY_STATUSES = ("claimed", "posted", "missed", "failed")
REFLECTION_SOURCES = ("modal", "command", "thread", "teams", "team-actions")

# Named constraints keep migrations reproducible and let SQLite batch mode find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back as an aware UTC datetime.

    SQLite keeps no offset, so values are normalised to UTC before storing and tagged UTC on
    the way out. Naive datetimes are refused: their meaning depends on the machine's clock.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware datetime (UTC)")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(none_as_null=True)}


class ProcessedEvent(Base):
    """A platform event we have already handled (Slack retries the same event_id)."""

    __tablename__ = "processed_events"

    event_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)


class Subscription(Base):
    """A channel that receives a weekly learning prompt."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("platform", "workspace_id", "channel_id"),
        CheckConstraint(_one_of("platform", PLATFORMS), name="platform"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("hour BETWEEN 0 AND 23", name="hour"),
        CheckConstraint("minute BETWEEN 0 AND 59", name="minute"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str] = mapped_column(String(255))
    channel_id: Mapped[str] = mapped_column(String(255))
    weekday: Mapped[int] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)
    minute: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64))
    skip_bank_holidays: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    paused_until: Mapped[date | None] = mapped_column(Date)
    excluded_themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    thread_replies_as_reflections: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    quiz_prompts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    conversation_ref: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]

    def is_paused_on(self, day: date) -> bool:
        """True while `day` is before `paused_until` (the subscription resumes on that date)."""
        return self.paused_until is not None and day < self.paused_until


class Conversation(Base):
    """A conversation scrbot was installed in (a team channel, group chat or 1:1 chat), with the
    reference a later proactive message or weekly prompt needs to post there."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("platform", "workspace_id", "conversation_id"),
        CheckConstraint(_one_of("platform", PLATFORMS), name="platform"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str] = mapped_column(String(255))
    conversation_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))  # "personal", "groupChat" or "channel"
    conversation_ref: Mapped[dict[str, Any]] = mapped_column(JSON)
    # A 1:1 chat belongs to one person (pseudonymous key), so forget me deletes it; else None.
    person_key: Mapped[str | None] = mapped_column(String(255), index=True)
    installed_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Delivery(Base):
    """One channel's prompt for one week: the exactly-once ledger across replicas."""

    __tablename__ = "deliveries"
    __table_args__ = (
        # Also serves "deliveries for this channel" lookups (leftmost prefix).
        UniqueConstraint("platform", "workspace_id", "channel_id", "week"),
        CheckConstraint(_one_of("platform", PLATFORMS), name="platform"),
        CheckConstraint(_one_of("status", DELIVERY_STATUSES), name="status"),
        Index(None, "status", "claimed_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str] = mapped_column(String(255))
    channel_id: Mapped[str] = mapped_column(String(255))
    week: Mapped[str] = mapped_column(String(8))
    theme_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16))
    claimed_by: Mapped[str | None] = mapped_column(String(255))
    claimed_at: Mapped[datetime]
    lease_expires_at: Mapped[datetime | None]
    message_ts: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None]

    # Not a column: set by Store.claim_delivery when this replica took over an expired claim,
    # so the caller checks channel history before posting again.
    taken_over = False


class Reflection(Base):
    """A practitioner's reflection on a theme, keyed to a pseudonymous person_key."""

    __tablename__ = "reflections"
    __table_args__ = (
        CheckConstraint(_one_of("source", REFLECTION_SOURCES), name="source"),
        CheckConstraint("confidence IS NULL OR confidence BETWEEN 1 AND 5", name="confidence"),
        Index(None, "person_key", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    theme_id: Mapped[str] = mapped_column(String(255), index=True)
    workspace_id: Mapped[str] = mapped_column(String(255))
    channel_id: Mapped[str | None] = mapped_column(String(255))
    week: Mapped[str | None] = mapped_column(String(8))
    person_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[int | None] = mapped_column(Integer)
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    source: Mapped[str] = mapped_column(String(16))


class QuizAnswer(Base):
    """One person's answer to one quiz; a second answer is refused."""

    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("quiz_id", "person_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[str] = mapped_column(String(255))
    person_key: Mapped[str] = mapped_column(String(255))
    choice: Mapped[str] = mapped_column(String(255))
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime]


class DashboardLink(Base):
    """A one-time sign-in link for the web dashboard; only a hash of its token is kept."""

    __tablename__ = "dashboard_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    admin_key: Mapped[str] = mapped_column(String(64))  # pseudonymous key of the admin it was sent to
    scope: Mapped[str | None] = mapped_column(String(255))  # the one workspace it shows; None for all
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


class DashboardSession(Base):
    """A signed-in dashboard browser; only a hash of the cookie's session id is kept."""

    __tablename__ = "dashboard_sessions"

    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    admin_key: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
