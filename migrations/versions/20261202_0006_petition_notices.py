"""The outbox carries petition notices too (the petitioner told of an extension): ``notices.petition_id``, and
``application_id`` may be empty.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notices") as batch:
        batch.alter_column("application_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("petition_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_notices_petition_id", "petitions", ["petition_id"], ["id"], ondelete="CASCADE")
        batch.create_index("ix_notices_petition_id", ["petition_id"])


def downgrade() -> None:
    op.execute("DELETE FROM notices WHERE application_id IS NULL")
    with op.batch_alter_table("notices") as batch:
        batch.drop_index("ix_notices_petition_id")
        batch.drop_constraint("fk_notices_petition_id", type_="foreignkey")
        batch.drop_column("petition_id")
        batch.alter_column("application_id", existing_type=sa.Integer(), nullable=False)
