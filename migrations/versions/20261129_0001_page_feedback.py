"""Page feedback: “这个页面有帮助吗？”

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=False),
    )
    op.create_index("ix_page_feedback_path", "page_feedback", ["path"])


def downgrade() -> None:
    op.drop_index("ix_page_feedback_path", table_name="page_feedback")
    op.drop_table("page_feedback")
