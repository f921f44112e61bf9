"""The database engine: SQLite in WAL mode by default, any SQLAlchemy URL otherwise.

Schema changes go through Alembic (``migrations/``); the app never calls ``create_all``.
"""

from __future__ import annotations

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from ..config import PROJECT_ROOT


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite turn on WAL, foreign keys and a busy timeout on every connection."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - exercised by every test
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged submission survives a power cut too
        cursor.close()

    return engine


def upgrade_to_head(url: str) -> None:
    """Apply every Alembic migration to the database at ``url`` (what ``alembic upgrade head`` does)."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes.update(database_url=url, skip_logging=True)
    command.upgrade(config, "head")
