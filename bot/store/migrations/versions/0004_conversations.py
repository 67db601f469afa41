"""The conversations scrbot is installed in, with the reference a proactive message needs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

TIMESTAMP = sa.DateTime(timezone=True)

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace_id", sa.String(255), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("conversation_ref", sa.JSON(), nullable=False),
        sa.Column("person_key", sa.String(255), nullable=True),
        sa.Column("installed_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("platform IN ('slack', 'teams')", name="ck_conversations_platform"),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
        sa.UniqueConstraint(
            "platform", "workspace_id", "conversation_id", name="uq_conversations_platform_workspace_id_conversation_id"
        ),
    )
    op.create_index("ix_conversations_person_key", "conversations", ["person_key"])


def downgrade() -> None:
    op.drop_index("ix_conversations_person_key", table_name="conversations")
    op.drop_table("conversations")
