"""``flask --app portal staff add …``: staff accounts. ``flask --app portal maintenance purge``: the clean-up the
job worker runs on a schedule (expired drafts with their files, expired visitor data); safe to run at any time,
from cron or by hand. ``maintenance backup DIR`` / ``maintenance restore DIR``: the database and uploads, while the
portal runs (``portal/db/backup.py``). ``maintenance new-data-key`` and ``maintenance rotate-key``: a new data key,
and everything sealed again under it (``portal/applications/rotation.py``; README "Rotating the data key")."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..accounts.permissions import ROLES, scope_problem
from ..accounts.users import AccountError
from ..applications import rotation
from ..applications.sealing import Sealer
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


def _write_private(path: Path, text: str) -> None:
    """``text`` into ``path`` (mode 0600), replacing it in one step."""
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


@maintenance.command("new-data-key")
def new_data_key() -> None:
    """Step 1 of a key rotation: make a new data key and keep the current one as the previous key (still opened,
    never used to seal). With the keys in the environment, prints what to set instead."""
    current = str(current_app.config["DATA_KEY"])
    new = Sealer.generate_key()
    if os.environ.get("DATA_KEY"):
        previous = ",".join([current, *current_app.config["DATA_KEY_PREVIOUS"]])
        click.echo("set on every host, then restart the portal and the job worker:")
        click.echo(f"DATA_KEY={new}")
        click.echo(f"DATA_KEY_PREVIOUS={previous}")
        click.echo("then run: flask --app portal maintenance rotate-key")
        return
    instance = Path(current_app.instance_path)
    previous_file = instance / "data_key.previous"
    kept = [current, *current_app.config["DATA_KEY_PREVIOUS"]]
    _write_private(previous_file, "\n".join(dict.fromkeys(kept)) + "\n")
    _write_private(instance / "data_key", new)
    click.echo(f"a new data key is in {instance / 'data_key'}; the previous one is kept in {previous_file}")
    click.echo("restart the portal and the job worker, then run: flask --app portal maintenance rotate-key")


@maintenance.command("rotate-key")
def rotate_key() -> None:
    """Step 2: seal every value and document again under the current data key and re-compute every keyed hash,
    while the portal runs (it opens with the previous keys until this is done); then check that everything opens
    with the current key alone."""
    sealer = current_app.extensions["sealer"]
    if not sealer.rotating:
        raise click.ClickException(
            "no previous data key is configured, so there is nothing to rotate from: run "
            "`flask --app portal maintenance new-data-key` first (or set DATA_KEY to the new key and "
            "DATA_KEY_PREVIOUS to the old one), restart the portal, then run this again"
        )
    storage = current_app.extensions["document_storage"]
    summary = rotation.rotate(db_session(), sealer, storage)
    click.echo(
        f"sealed again: {summary.values} value(s), {summary.lookups} ID-number lookup(s), "
        f"{summary.documents} document(s); {summary.skipped} changed by the portal meanwhile (already new)"
    )
    problems = summary.problems + rotation.verify(
        db_session(), Sealer(str(current_app.config["DATA_KEY"])), storage
    )
    if problems:
        raise click.ClickException(
            "these do not open with the current key yet (keep the previous key; run this again): "
            + ", ".join(problems[:20])
            + (" …" if len(problems) > 20 else "")
        )
    click.echo(f"everything opens with the current key alone (fingerprint {sealer.fingerprint()}).")
    click.echo(
        "now remove the previous key from the portal (DATA_KEY_PREVIOUS, or instance/data_key.previous) and "
        "restart it; keep the previous key only with the backups made before today, which need it."
    )


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
