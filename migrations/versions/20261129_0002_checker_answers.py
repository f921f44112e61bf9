"""Eligibility checker answers, server-side with an expiry.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checker_answers",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_checker_answers_expires_at", "checker_answers", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_checker_answers_expires_at", table_name="checker_answers")
    op.drop_table("checker_answers")
