"""``petitions.rating`` holds ``basically_satisfied`` (19 characters): 16 was too short, which PostgreSQL refuses
(SQLite does not check lengths, so only the PostgreSQL pass found it).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("petitions") as batch:
        batch.alter_column("rating", existing_type=sa.String(length=16), type_=sa.String(length=32))


def downgrade() -> None:
    with op.batch_alter_table("petitions") as batch:
        batch.alter_column("rating", existing_type=sa.String(length=32), type_=sa.String(length=16))
