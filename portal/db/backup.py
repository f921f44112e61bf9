"""Backups of the database and the upload store, made while the portal runs, and their restore.

SQLite: the online backup API (a consistent copy page by page, while workers go on writing). PostgreSQL:
``pg_dump --format=custom`` (one snapshot transaction), restored by ``pg_restore``. The database is copied first,
then the uploads: a stored file is written before the row that names it is committed and never changed after, so
every file the copied database names is in the copy. The data key is never written into a backup: the manifest
says where it lives and holds a fingerprint, so a restore can tell whether the key it has opens this backup.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, with fixed argument lists and never a shell
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

MANIFEST = "manifest.json"
SQLITE_COPY = "portal.sqlite3"
PG_DUMP = "portal.pgdump"
UPLOADS = "uploads"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done, with the reason in words."""


@dataclass(frozen=True)
class Summary:
    database: str
    files: int
    directory: Path


def _libpq_url(database_url: str) -> str:
    """``postgresql+psycopg://…`` (SQLAlchemy) as the ``postgresql://…`` that pg_dump understands."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(database)


def _kind(database_url: str) -> str:
    backend = make_url(database_url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"no backup method for {backend}")
    return backend


def _copy_files(source: Path, target: Path) -> int:
    """Every stored file (``ab/abcdef…``), skipping half-written ``.part`` files and files deleted meanwhile."""
    count = 0
    if not source.is_dir():
        return 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.suffix == ".part":
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            shutil.copy2(path, destination)
        except FileNotFoundError:  # a draft's file purged after the database was copied: not in that copy either
            continue
        os.chmod(destination, 0o600)
        count += 1
    return count


def backup(database_url: str, uploads_dir: Path, target: Path, key_location: str, key_fingerprint: str) -> Summary:
    """Write a backup into ``target`` (a new or empty directory, made with mode 0700)."""
    kind = _kind(database_url)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new directory")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    if kind == "sqlite":
        source = sqlite3.connect(_sqlite_path(database_url))
        copy = sqlite3.connect(target / SQLITE_COPY)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        os.chmod(target / SQLITE_COPY, 0o600)
    else:
        dump = shutil.which("pg_dump")
        if dump is None:
            raise BackupError("pg_dump is not installed (Debian: postgresql-client)")
        subprocess.run(  # noqa: S603  (a fixed tool and arguments; the URL is the operator's own setting)
            [dump, "--format=custom", "--no-owner", "--file", str(target / PG_DUMP), _libpq_url(database_url)],
            check=True,
            capture_output=True,
        )
    files = _copy_files(uploads_dir, target / UPLOADS)
    manifest = {
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": kind,
        "files": files,
        "data_key": {
            "where": key_location,
            "fingerprint": key_fingerprint,
            "note": "The key is not in this backup. Keep a copy of it apart from the backups: without it the "
            "sealed personal data and documents cannot be read; with it, this backup reveals them.",
        },
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return Summary(kind, files, target)


def read_manifest(source: Path) -> dict:
    try:
        return json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a portal backup (no readable {MANIFEST})") from error


def restore(source: Path, database_url: str, uploads_dir: Path, key_fingerprint: str) -> Summary:
    """Put a backup back: the database replaced by the copy, the files added to the upload store."""
    manifest = read_manifest(source)
    kind = _kind(database_url)
    if manifest.get("database") != kind:
        raise BackupError(f"this backup is of a {manifest.get('database')} database, the portal uses {kind}")
    if manifest.get("data_key", {}).get("fingerprint") != key_fingerprint:
        raise BackupError(
            "the configured data key does not open this backup: restore the key it was made with first "
            f"(it was kept at: {manifest.get('data_key', {}).get('where')})"
        )
    if kind == "sqlite":
        target = _sqlite_path(database_url)
        target.parent.mkdir(parents=True, exist_ok=True)
        copy = sqlite3.connect(source / SQLITE_COPY)
        live = sqlite3.connect(target)
        try:
            with live:
                copy.backup(live)
        finally:
            live.close()
            copy.close()
    else:
        restore_tool = shutil.which("pg_restore")
        if restore_tool is None:
            raise BackupError("pg_restore is not installed (Debian: postgresql-client)")
        subprocess.run(  # noqa: S603  (a fixed tool and arguments; the URL is the operator's own setting)
            [
                restore_tool,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _libpq_url(database_url),
                str(source / PG_DUMP),
            ],
            check=True,
            capture_output=True,
        )
    files = _copy_files(source / UPLOADS, uploads_dir)
    return Summary(kind, files, source)
