"""The app factory and its configuration."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from portal import create_app
from portal.config import load_config


def test_secret_key_is_generated_once_and_persisted(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    second = load_config(tmp_path)["SECRET_KEY"]
    assert first == second
    assert len(first) == 64
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_secret_key_from_environment_wins(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert load_config(tmp_path)["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_database_defaults_to_sqlite_under_instance(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_config(tmp_path)["DATABASE_URL"] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://portal@db/portal")
    assert load_config(tmp_path)["DATABASE_URL"] == "postgresql+psycopg://portal@db/portal"


def test_rasa_url_and_service_token_from_environment(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("RASA_URL", "http://rasa.internal:5005")
    monkeypatch.setenv("PORTAL_SERVICE_TOKEN", "token-123")
    app = create_app({"INSTANCE_PATH": tmp_path})
    assert app.config["RASA_URL"] == "http://rasa.internal:5005"
    assert app.config["PORTAL_SERVICE_TOKEN"] == "token-123"


def test_config_argument_overrides_environment(tmp_path: Path):
    app = create_app({"INSTANCE_PATH": tmp_path, "RASA_TIMEOUT": 0.5})
    assert app.config["RASA_TIMEOUT"] == 0.5
    assert Path(app.instance_path) == tmp_path


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode(app):
    """SQLite only: the default database's pragmas (PostgreSQL has none)."""
    engine = app.extensions["db_engine"]
    with engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert mode == "wal"


def test_visitor_lifetimes_from_environment(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("VISITOR_LIFETIMES", raising=False)
    assert load_config(tmp_path)["VISITOR_LIFETIMES"] == {}
    monkeypatch.setenv("VISITOR_LIFETIMES", '{"checker": 125, "draft": 125}')
    assert load_config(tmp_path)["VISITOR_LIFETIMES"] == {"checker": 125, "draft": 125}
    for wrong in ('{"checkr": 125}', '{"checker": "125"}', '{"checker": 0}', "[125]", "checker=125"):
        monkeypatch.setenv("VISITOR_LIFETIMES", wrong)
        with pytest.raises(ValueError, match="VISITOR_LIFETIMES"):
            load_config(tmp_path)
