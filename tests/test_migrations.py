"""Alembic migrations: applied to an empty database they build exactly the models' schema (the drift check), on
SQLite and, in the PostgreSQL+Redis pass, on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.db import make_engine, upgrade_to_head
from portal.db.models import Base
from tests.support import databases


def test_migrations_build_the_schema_on_an_empty_database(tmp_path: Path):
    with databases.database(tmp_path, migrated=False, name="empty") as url:
        upgrade_to_head(url)
        engine = make_engine(url)
        assert engine.dialect.name == databases.engine_name()
        assert "page_feedback" in inspect(engine).get_table_names()
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        engine.dispose()
    assert diff == []
    assert version is not None


def test_upgrade_is_idempotent(tmp_path: Path):
    with databases.database(tmp_path, migrated=False, name="twice") as url:
        upgrade_to_head(url)
        upgrade_to_head(url)
        engine = make_engine(url)
        assert "page_feedback" in inspect(engine).get_table_names()
        engine.dispose()


def test_feedback_comments_already_stored_are_sealed_by_the_upgrade_and_opened_by_the_downgrade(tmp_path: Path):
    from alembic import command
    from alembic.config import Config

    from portal.applications.sealing import Sealer
    from portal.config import PROJECT_ROOT

    key = Sealer.generate_key()
    with databases.database(tmp_path, migrated=False, name="feedback") as url:
        config = Config(str(PROJECT_ROOT / "alembic.ini"))
        config.attributes.update(database_url=url, skip_logging=True, data_key=key)
        command.upgrade(config, "0007")
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO page_feedback (created_at, path, useful, comment, lang) "
                "VALUES (CURRENT_TIMESTAMP, '/', false, '我的电话 13800001234', 'zh')"
            )
        command.upgrade(config, "0008")
        with engine.connect() as connection:
            [sealed] = connection.exec_driver_sql("SELECT comment_sealed FROM page_feedback").scalars().all()
        assert "13800001234" not in sealed and Sealer(key).open_json(sealed) == "我的电话 13800001234"
        command.downgrade(config, "0007")
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT comment FROM page_feedback").scalar() == "我的电话 13800001234"
        engine.dispose()
