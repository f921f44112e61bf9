"""``page_feedback.comment`` is free text a resident may fill with personal details: it is now sealed with the data
key like every other personal field (``comment_sealed``). Comments already stored are sealed by the migration
(with the key the portal reads: ``DATA_KEY``, else ``instance/data_key``); downgrading opens them again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

feedback = sa.table(
    "page_feedback",
    sa.column("id", sa.Integer),
    sa.column("comment", sa.Text),
    sa.column("comment_sealed", sa.Text),
)


def _sealer():
    from portal.applications.sealing import Sealer
    from portal.config import instance_path, load_config

    key = context.config.attributes.get("data_key")
    if key:
        return Sealer(key)
    config = load_config(instance_path())
    return Sealer(str(config["DATA_KEY"]), list(config["DATA_KEY_PREVIOUS"]))


def _rows(connection, column) -> list:
    return connection.execute(sa.select(feedback.c.id, column).where(column.is_not(None))).all()


def upgrade() -> None:
    with op.batch_alter_table("page_feedback") as batch:
        batch.add_column(sa.Column("comment_sealed", sa.Text(), nullable=True))
    connection = op.get_bind()
    rows = _rows(connection, feedback.c.comment)
    if rows:
        sealer = _sealer()
        for row_id, comment in rows:
            connection.execute(
                feedback.update().where(feedback.c.id == row_id).values(comment_sealed=sealer.seal_json(comment))
            )
    with op.batch_alter_table("page_feedback") as batch:
        batch.drop_column("comment")


def downgrade() -> None:
    with op.batch_alter_table("page_feedback") as batch:
        batch.add_column(sa.Column("comment", sa.Text(), nullable=True))
    connection = op.get_bind()
    rows = _rows(connection, feedback.c.comment_sealed)
    if rows:
        sealer = _sealer()
        for row_id, sealed in rows:
            connection.execute(
                feedback.update().where(feedback.c.id == row_id).values(comment=sealer.open_json(sealed))
            )
    with op.batch_alter_table("page_feedback") as batch:
        batch.drop_column("comment_sealed")
