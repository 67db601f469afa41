"""Initial tables: processed events, subscriptions, deliveries, reflections, quiz answers.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Timestamps are stored as UTC; bot.store.models.UTCDateTime handles SQLite's lack of offsets.
TIMESTAMP = sa.DateTime(timezone=True)

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("event_key", sa.String(255), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("event_key", name="pk_processed_events"),
    )
    op.create_index("ix_processed_events_received_at", "processed_events", ["received_at"])

    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace_id", sa.String(255), nullable=False),
        sa.Column("channel_id", sa.String(255), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("skip_bank_holidays", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("excluded_themes", sa.JSON(), nullable=False),
        sa.Column("thread_replies_as_reflections", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("conversation_ref", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.UniqueConstraint(
            "platform",
            "workspace_id",
            "channel_id",
            name="uq_subscriptions_platform_workspace_id_channel_id",
        ),
        sa.CheckConstraint("platform IN ('slack', 'teams')", name="ck_subscriptions_platform"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="ck_subscriptions_weekday"),
        sa.CheckConstraint("hour BETWEEN 0 AND 23", name="ck_subscriptions_hour"),
        sa.CheckConstraint("minute BETWEEN 0 AND 59", name="ck_subscriptions_minute"),
    )

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace_id", sa.String(255), nullable=False),
        sa.Column("channel_id", sa.String(255), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("theme_id", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(255), nullable=True),
        sa.Column("claimed_at", TIMESTAMP, nullable=False),
        sa.Column("lease_expires_at", TIMESTAMP, nullable=True),
        sa.Column("message_ts", sa.String(255), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("completed_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        # The claim key; also the index for "deliveries for this channel".
        sa.UniqueConstraint(
            "platform",
            "workspace_id",
            "channel_id",
            "week",
            name="uq_deliveries_platform_workspace_id_channel_id_week",
        ),
        sa.CheckConstraint("platform IN ('slack', 'teams')", name="ck_deliveries_platform"),
        sa.CheckConstraint("status IN ('claimed', 'posted', 'missed', 'failed')", name="ck_deliveries_status"),
    )
    op.create_index("ix_deliveries_status_claimed_by", "deliveries", ["status", "claimed_by"])

    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("theme_id", sa.String(255), nullable=False),
        sa.Column("workspace_id", sa.String(255), nullable=False),
        sa.Column("channel_id", sa.String(255), nullable=True),
        sa.Column("week", sa.String(8), nullable=True),
        sa.Column("person_key", sa.String(255), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("shared", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reflections"),
        sa.UniqueConstraint("idempotency_key", name="uq_reflections_idempotency_key"),
        sa.CheckConstraint(
            "source IN ('modal', 'command', 'thread', 'teams', 'team-actions')",
            name="ck_reflections_source",
        ),
        sa.CheckConstraint("confidence IS NULL OR confidence BETWEEN 1 AND 5", name="ck_reflections_confidence"),
    )
    op.create_index("ix_reflections_created_at", "reflections", ["created_at"])
    op.create_index("ix_reflections_theme_id", "reflections", ["theme_id"])
    op.create_index("ix_reflections_person_key_created_at", "reflections", ["person_key", "created_at"])

    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.String(255), nullable=False),
        sa.Column("person_key", sa.String(255), nullable=False),
        sa.Column("choice", sa.String(255), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quiz_answers"),
        sa.UniqueConstraint("quiz_id", "person_key", name="uq_quiz_answers_quiz_id_person_key"),
    )


def downgrade() -> None:
    op.drop_table("quiz_answers")
    op.drop_table("reflections")
    op.drop_table("deliveries")
    op.drop_table("subscriptions")
    op.drop_table("processed_events")
