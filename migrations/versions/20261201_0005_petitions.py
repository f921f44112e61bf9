"""12385 petitions, their history and photos, and the escalation job's reminders and alerts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "petitions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(length=12), nullable=False, unique=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("town", sa.String(length=40), nullable=True),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("task", sa.Integer(), nullable=True),
        sa.Column("routing", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("access_code_hash", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("accepted_at", TZ, nullable=True),
        sa.Column("replied_at", TZ, nullable=True),
        sa.Column("review_requested_at", TZ, nullable=True),
        sa.Column("acknowledge_by", sa.String(length=10), nullable=False),
        sa.Column("resolve_by", sa.String(length=10), nullable=True),
        sa.Column("review_request_by", sa.String(length=10), nullable=True),
        sa.Column("review_reply_by", sa.String(length=10), nullable=True),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("extension_state", sa.String(length=12), nullable=True),
        sa.Column("rating", sa.String(length=16), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_petitions_status", "petitions", ["status"])
    op.create_index("ix_petitions_department", "petitions", ["department"])
    op.create_table(
        "petition_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("petition_id", sa.Integer(), sa.ForeignKey("petitions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("note", sa.String(length=60), nullable=True),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
    )
    op.create_index("ix_petition_events_petition_id", "petition_events", ["petition_id"])
    op.create_table(
        "petition_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("petition_id", sa.Integer(), sa.ForeignKey("petitions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False, unique=True),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("sealed_name", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_petition_files_petition_id", "petition_files", ["petition_id"])
    op.create_table(
        "petition_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("petition_id", sa.Integer(), sa.ForeignKey("petitions.id", ondelete="CASCADE"), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("deadline", sa.String(length=24), nullable=False),
        sa.Column("due", sa.String(length=10), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("seen_at", TZ, nullable=True),
        sa.UniqueConstraint("petition_id", "kind", "deadline", "due"),
    )
    op.create_index("ix_petition_alerts_petition_id", "petition_alerts", ["petition_id"])
    op.create_index("ix_petition_alerts_recipient", "petition_alerts", ["recipient"])


def downgrade() -> None:
    op.drop_table("petition_alerts")
    op.drop_table("petition_files")
    op.drop_table("petition_events")
    op.drop_table("petitions")
