"""Shared fixtures: a portal on a fresh, migrated SQLite database in a temporary instance folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.content import load_catalogue
from portal.db import upgrade_to_head
from portal.search import build_index


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


@pytest.fixture()
def app(tmp_path: Path, search_index: Path):
    url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    upgrade_to_head(url)
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
