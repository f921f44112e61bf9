"""Alembic migrations: applied to an empty database they build exactly the models' schema."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.db import make_engine, upgrade_to_head
from portal.db.models import Base


def test_migrations_build_the_schema_on_an_empty_database(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    assert "page_feedback" in inspect(engine).get_table_names()
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert diff == []
    assert version is not None


def test_upgrade_is_idempotent(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'twice.sqlite3'}"
    upgrade_to_head(url)
    upgrade_to_head(url)
    assert "page_feedback" in inspect(make_engine(url)).get_table_names()
