"""Server-side session data (checker answers, chat transcripts), with an expiry.

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
        "server_sessions",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("kind", sa.String(length=20), primary_key=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_server_sessions_expires_at", "server_sessions", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_server_sessions_expires_at", table_name="server_sessions")
    op.drop_table("server_sessions")
