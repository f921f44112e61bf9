"""The job worker (huey): scheduled work that runs beside the portal, started by ``make run``
(``scripts/run-all.sh``) as ``huey_consumer portal.jobs.huey``: petition reminders and escalations every hour, the
retention purge (expired drafts and visitor data) every night.

Storage is SQLite by default (``JOBS_URL`` unset: ``instance/jobs.sqlite3``); ``JOBS_URL=redis://…`` uses Redis,
which a portal on a server database (several hosts) must; run the worker on one host only (each consumer
schedules the periodic tasks). Every job is a plain function of the domain called with ``now``, so tests call it
directly with a fixed clock; the task here only supplies the database session and the time.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from huey import RedisHuey, SqliteHuey, crontab
from sqlalchemy.orm import Session

from ..applications.sealing import Sealer
from ..applications.storage import LocalStorage
from ..applications.workflow import Applications
from ..config import instance_path, is_server_database, load_config
from ..content import load_catalogue
from ..db import make_engine
from ..db.visitor_store import purge_expired
from ..petitions import escalation


def _instance() -> Path:
    return instance_path()


def _make_huey():
    url = os.environ.get("JOBS_URL", "")
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("portal", url=url)
    if is_server_database(os.environ.get("DATABASE_URL", "sqlite")):
        raise RuntimeError(
            "DATABASE_URL is a database server, which several hosts share, but the job queue would be a SQLite "
            'file on this host: set JOBS_URL=redis://… (README, "Running on PostgreSQL and Redis")'
        )
    path = _instance() / "jobs.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("portal", filename=str(path))


huey = _make_huey()


def escalate_now() -> escalation.Summary:
    """One escalation pass on the portal's database, now."""
    config = load_config(_instance())
    engine = make_engine(str(config["DATABASE_URL"]))
    try:
        with Session(engine) as session:
            return escalation.run(session, dt.datetime.now(dt.timezone.utc))
    finally:
        engine.dispose()


@huey.periodic_task(crontab(minute="5"))  # every hour at :05; a missed run catches up on the next
def petition_escalation() -> None:
    summary = escalate_now()
    print(
        f"petition escalation: {summary.checked} open, {summary.reminders} reminders, "
        f"{summary.escalations} escalations",
        flush=True,
    )


@dataclass(frozen=True)
class PurgeSummary:
    drafts: int
    visitors: int


def purge_now() -> PurgeSummary:
    """The retention clean-up on the portal's database, now: drafts 30 days after their last change (with their
    files) and visitor data past its lifetime (``flask --app portal maintenance purge`` does the same by hand)."""
    config = load_config(_instance())
    engine = make_engine(str(config["DATABASE_URL"]))
    try:
        with Session(engine) as session:
            service = Applications(
                session,
                Sealer(str(config["DATA_KEY"]), list(config["DATA_KEY_PREVIOUS"])),
                LocalStorage(Path(config["UPLOADS_DIR"])),
                load_catalogue(Path(config["CONTENT_DIR"])),
            )
            return PurgeSummary(service.purge_expired_drafts(), purge_expired(session))
    finally:
        engine.dispose()


@huey.periodic_task(crontab(minute="20", hour="3"))  # every night at 03:20; a missed night is caught up the next
def retention_purge() -> None:
    summary = purge_now()
    print(f"retention purge: {summary.drafts} expired drafts, {summary.visitors} expired visitor records", flush=True)
