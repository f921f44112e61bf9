"""The database each test runs on: a SQLite file in the test's folder by default; in the PostgreSQL+Redis pass
(``scripts/services.sh run``, ``make pytest-services``) a database of its own on the throwaway cluster, cloned
from one migrated once per run, and dropped after the test.

The pass hands the cluster's URL in ``DATABASE_URL``; ``SERVER_URL`` takes it out of the environment as the test
session starts, so that no app or subprocess falls back to that shared database by accident.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine

from portal.db import upgrade_to_head

SERVICES = os.environ.get("PORTAL_TEST_SERVICES", "")
SERVER_URL = os.environ.pop("DATABASE_URL", "") if SERVICES else ""
if SERVICES:
    # As on several hosts: the keys come from the environment, the same for every process (a portal on a server
    # database refuses keys generated into one host's instance folder).
    from cryptography.fernet import Fernet

    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("DATA_KEY", Fernet.generate_key().decode())
TEMPLATE = "portal_template_head"

_admin: Engine | None = None
_template_ready = False


def on_postgresql() -> bool:
    return SERVER_URL.startswith("postgresql")


def engine_name() -> str:
    return "postgresql" if on_postgresql() else "sqlite"


def _admin_engine() -> Engine:
    global _admin
    if _admin is None:
        _admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", pool_size=1)
    return _admin


def _url_of(name: str) -> str:
    return SERVER_URL.rsplit("/", 1)[0] + "/" + name


def _create(name: str, template: str | None = None) -> str:
    clause = f" TEMPLATE {template}" if template else ""
    with _admin_engine().connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"{clause}')
    return _url_of(name)


def _drop(name: str) -> None:
    with _admin_engine().connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _migrated_template() -> str:
    global _template_ready
    if not _template_ready:
        _drop(TEMPLATE)
        upgrade_to_head(_create(TEMPLATE))
        _template_ready = True
    return TEMPLATE


@contextmanager
def database(folder: Path, migrated: bool = True, name: str = "test") -> Iterator[str]:
    """The URL of a new database (at the migrations' head when ``migrated``) for one test; on PostgreSQL it is
    dropped afterwards."""
    if not on_postgresql():
        url = f"sqlite:///{folder / f'{name}.sqlite3'}"
        if migrated:
            upgrade_to_head(url)
        yield url
        return
    db_name = f"t_{name}_{secrets.token_hex(4)}".lower()
    url = _create(db_name, _migrated_template() if migrated else None)
    try:
        yield url
    finally:
        _drop(db_name)
