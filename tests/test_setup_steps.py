"""Every set-up step of ``make setup`` honours ``PORTAL_INSTANCE_PATH`` and ``DATABASE_URL``: a second instance
is set up where its settings say, never in the checkout's ``instance/``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import inspect

from portal.config import PROJECT_ROOT
from portal.db import make_engine
from portal.search import SearchEngine
from tests.support import databases


def _make(targets: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``make TARGET…`` as a developer or CI runs it, with ``env`` added to the environment."""
    full = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "MAKEFLAGS", "MFLAGS"}}
    result = subprocess.run(
        ["make", "--no-print-directory", *targets],
        cwd=PROJECT_ROOT,
        env={**full, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _untouched(path: Path) -> tuple[float, int] | None:
    return (path.stat().st_mtime, path.stat().st_size) if path.exists() else None


def test_setup_steps_land_in_the_instance_path(tmp_path: Path):
    instance = tmp_path / "second-instance"
    default_db = PROJECT_ROOT / "instance" / "portal.sqlite3"
    before = _untouched(default_db)
    _make(["migrate", "content", "index"], {"PORTAL_INSTANCE_PATH": str(instance)})
    database = instance / "portal.sqlite3"
    assert database.exists()
    assert "applications" in inspect(make_engine(f"sqlite:///{database}")).get_table_names()
    assert (instance / "search-index").is_dir()
    assert SearchEngine(instance / "search-index").search("护理补贴", "zh").results
    assert _untouched(default_db) == before


def test_setup_steps_use_the_database_url_and_index_dir_given(tmp_path: Path):
    instance = tmp_path / "instance"
    index = tmp_path / "elsewhere" / "index"
    with databases.database(tmp_path, migrated=False, name="setup") as url:
        _make(
            ["migrate", "content", "index"],
            {"PORTAL_INSTANCE_PATH": str(instance), "DATABASE_URL": url, "SEARCH_INDEX_DIR": str(index)},
        )
        engine = make_engine(url)
        try:
            assert "petitions" in inspect(engine).get_table_names()
        finally:
            engine.dispose()
    assert not (instance / "portal.sqlite3").exists()
    assert SearchEngine(index).search("护理补贴", "zh").results
    assert not (instance / "search-index").exists()


def test_the_content_check_reads_content_dir(tmp_path: Path):
    broken = tmp_path / "content"
    broken.mkdir()
    (broken / "policies").mkdir()
    (broken / "policies" / "broken.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in {"MAKEFLAGS", "MFLAGS"}}
    result = subprocess.run(
        ["make", "--no-print-directory", "content"],
        cwd=PROJECT_ROOT,
        env={**env, "CONTENT_DIR": str(broken)},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert str(broken) in result.stdout + result.stderr
