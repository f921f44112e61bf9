"""Alembic environment: migrates the database the portal is configured for."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from portal.config import instance_path, load_config
from portal.db import Base, make_engine

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    """The URL a caller passed (``upgrade_to_head``), else the portal's: ``DATABASE_URL``, else the SQLite database
    in ``PORTAL_INSTANCE_PATH`` (what the portal itself opens)."""
    return config.attributes.get("database_url") or str(load_config(instance_path())["DATABASE_URL"])


def run_migrations_offline() -> None:
    context.configure(url=database_url(), target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(database_url())
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
