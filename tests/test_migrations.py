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
