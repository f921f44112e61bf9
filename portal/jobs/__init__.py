"""The job worker (huey): scheduled work that runs beside the portal, started by ``make run``
(``scripts/run-all.sh``) as ``huey_consumer portal.jobs.huey``.

Storage is SQLite by default (``JOBS_URL`` unset: ``instance/jobs.sqlite3``); ``JOBS_URL=redis://…`` uses Redis,
which a portal on a server database (several hosts) must; run the worker on one host only (each consumer
schedules the periodic tasks). Every job is a plain function of the domain called with ``now``, so tests call it
directly with a fixed clock; the task here only supplies the database session and the time.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from huey import RedisHuey, SqliteHuey, crontab
from sqlalchemy.orm import Session

from ..config import instance_path, is_server_database, load_config
from ..db import make_engine
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
