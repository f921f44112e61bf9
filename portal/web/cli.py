"""``flask --app portal maintenance purge``: the clean-up the job worker will run on a schedule (expired drafts
with their files, expired visitor data). Safe to run at any time, from cron or by hand."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from ..db.visitor_store import purge_expired
from .applications import applications
from .database import db_session

maintenance = AppGroup("maintenance", help="Clean-ups of expired data.")


@maintenance.command("purge")
def purge() -> None:
    """Delete drafts past their 30 days (with their files) and expired visitor data."""
    drafts = applications().purge_expired_drafts()
    visitors = purge_expired(db_session())
    click.echo(f"deleted {drafts} expired draft(s) and {visitors} expired visitor record(s)")


def init_app(app: Flask) -> None:
    app.cli.add_command(maintenance)
