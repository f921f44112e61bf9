"""``flask --app portal staff add …``: staff accounts. ``flask --app portal maintenance purge``: the clean-up the
job worker runs on a schedule (expired drafts with their files, expired visitor data); safe to run at any time,
from cron or by hand. ``maintenance backup DIR`` / ``maintenance restore DIR``: the database and uploads, while the
portal runs (``portal/db/backup.py``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..accounts.permissions import ROLES, scope_problem
from ..accounts.users import AccountError
from ..db import backup as backups
from ..db.visitor_store import purge_expired
from .applications import applications
from .database import db_session
from .staff_auth import accounts as staff_accounts

maintenance = AppGroup("maintenance", help="Clean-ups of expired data; backups and restores.")


@maintenance.command("purge")
def purge() -> None:
    """Delete drafts past their 30 days (with their files) and expired visitor data."""
    drafts = applications().purge_expired_drafts()
    visitors = purge_expired(db_session())
    click.echo(f"deleted {drafts} expired draft(s) and {visitors} expired visitor record(s)")


def _key_location() -> str:
    if os.environ.get("DATA_KEY"):
        return "the DATA_KEY environment variable of the portal's service"
    return str(Path(current_app.instance_path) / "data_key")


@maintenance.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def backup_command(directory: Path) -> None:
    """Back up the database and the uploads into DIRECTORY (new or empty), while the portal runs."""
    sealer = current_app.extensions["sealer"]
    try:
        summary = backups.backup(
            str(current_app.config["DATABASE_URL"]),
            Path(current_app.config["UPLOADS_DIR"]),
            directory,
            _key_location(),
            sealer.fingerprint(),
        )
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backed up the {summary.database} database and {summary.files} file(s) into {directory}")
    click.echo(f"the data key is not in the backup; keep it apart: {_key_location()}")


@maintenance.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(directory: Path) -> None:
    """Replace the database by the backup in DIRECTORY and put its files back (stop the portal first)."""
    try:
        summary = backups.restore(
            directory,
            str(current_app.config["DATABASE_URL"]),
            Path(current_app.config["UPLOADS_DIR"]),
            current_app.extensions["sealer"].fingerprint(),
        )
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored the {summary.database} database and {summary.files} file(s) from {directory}")


staff = AppGroup("staff", help="Staff accounts.")


@staff.command("add")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES), help="May be repeated.")
@click.option("--scope", default=None, help="The town (towns.yml) or department (departments.yml) they serve.")
@click.option("--name", "display_name", default=None, help="The name shown to colleagues.")
def staff_add(username: str, roles: tuple[str, ...], scope: str | None, display_name: str | None) -> None:
    """Make an account. The password is read once from standard input; the TOTP enrolment URI is printed alone
    on one line, then the one-time recovery codes."""
    catalogue = current_app.extensions["catalogue"]
    problem = scope_problem(roles, scope, {t.id for t in catalogue.towns}, {d.id for d in catalogue.departments})
    if problem:
        raise click.UsageError(problem)
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        _user, uri, codes = staff_accounts().create(
            username, password, list(roles), scope, "cli", display_name=display_name
        )
    except AccountError as error:
        raise click.UsageError(
            {
                "username": "use letters, digits, dots or underscores (at most 40)",
                "username_taken": f"{username!r} exists already",
                "password_short": "the password needs at least 12 characters",
            }[error.code]
        ) from None
    click.echo(uri)
    click.echo("recovery codes (each works once; keep them apart from the phone): " + " ".join(codes))


def init_app(app: Flask) -> None:
    app.cli.add_command(maintenance)
    app.cli.add_command(staff)
