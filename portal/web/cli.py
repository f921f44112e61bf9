"""``flask --app portal staff add …``: staff accounts. ``flask --app portal maintenance purge``: the clean-up the
job worker will run on a schedule (expired drafts with their files, expired visitor data); safe to run at any time,
from cron or by hand."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..accounts.permissions import ROLES, scope_problem
from ..accounts.users import AccountError
from ..db.visitor_store import purge_expired
from .applications import applications
from .database import db_session
from .staff_auth import accounts as staff_accounts

maintenance = AppGroup("maintenance", help="Clean-ups of expired data.")


@maintenance.command("purge")
def purge() -> None:
    """Delete drafts past their 30 days (with their files) and expired visitor data."""
    drafts = applications().purge_expired_drafts()
    visitors = purge_expired(db_session())
    click.echo(f"deleted {drafts} expired draft(s) and {visitors} expired visitor record(s)")


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
