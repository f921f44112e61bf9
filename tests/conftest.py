"""Shared fixtures: a portal on a fresh, migrated database (SQLite in a temporary instance folder; in the
PostgreSQL+Redis pass a database of its own on the throwaway cluster: ``tests/support/databases.py``)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.content import load_catalogue
from portal.search import build_index
from tests.support import databases


@pytest.fixture(scope="session")
def search_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content, indexed once for the whole test session."""
    index_dir = tmp_path_factory.mktemp("search") / "index"
    build_index(load_catalogue(PROJECT_ROOT / "content"), index_dir)
    return index_dir


class BrowserClient(FlaskClient):
    """A test client that says, as every current browser does, that its requests come from the portal's own pages
    (``Sec-Fetch-Site: same-origin``; a request's own headers override it). ``tests/test_security.py`` takes it
    away to test what an older browser or a forger gets."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_SEC_FETCH_SITE"] = "same-origin"


def pytest_report_header() -> str:
    return f"portal database: {databases.engine_name()}; services: {databases.SERVICES or 'none (SQLite, memory)'}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``sqlite_only`` or ``services_only`` run in one pass only: deselected (and counted as such),
    never skipped, in the other."""
    unwanted = "sqlite_only" if databases.SERVICES else "services_only"
    kept = [item for item in items if unwanted not in item.keywords]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if unwanted in item.keywords])
        items[:] = kept


@pytest.fixture(autouse=True)
def _fresh_redis() -> Iterator[None]:
    """In the Redis pass, each test starts with empty rate-limit counters and an empty job queue."""
    if databases.SERVICES:
        import redis

        for name in ("RATELIMIT_STORAGE_URI", "JOBS_URL"):
            redis.Redis.from_url(os.environ[name]).flushdb()
    yield


@pytest.fixture()
def database_url(tmp_path: Path) -> Iterator[str]:
    """A new database at the migrations' head, for this test only."""
    with databases.database(tmp_path) as url:
        yield url


@pytest.fixture()
def app(tmp_path: Path, search_index: Path, database_url: str):
    url = database_url
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path,
            "DATABASE_URL": url,
            "TESTING": True,
            "SECRET_KEY": "test",
            "SEARCH_INDEX_DIR": search_index,
        }
    )
    app.test_client_class = BrowserClient
    yield app


@pytest.fixture()
def client(app):
    return app.test_client()


def csrf_token(client, path: str = "/") -> str:
    """The CSRF token of the session, read from a page as a browser would; "" from a page for a browser that has no
    session yet (such a page carries none, and sets no cookie: portal/web/cross_site.py)."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if match is None:
        assert client.get_cookie("session") is None, "a session, but no CSRF token on the page"
        return ""
    return match.group(1)
