"""The escalation job, with a fixed clock (its function called directly), across the National Day holiday; and
the worker process starts."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from portal.accounts.permissions import Staff
from portal.config import PROJECT_ROOT
from portal.db.models import Petition, PetitionAlert
from portal.petitions import escalation
from portal.web.database import db_session
from portal.web.petitions import petitions

CN = dt.timezone(dt.timedelta(hours=8))
HANDLER = Staff(1, "cg", frozenset({"petition_handler"}), "urban-management")


def at(month, day, hour=9):
    return dt.datetime(2026, month, day, hour, tzinfo=CN)


def alerts(session):
    return sorted((a.kind, a.recipient, a.deadline, a.due) for a in session.scalars(select(PetitionAlert)))


def test_reminders_and_escalations_across_the_holiday_never_move_the_case(app):
    app.config["PETITION_NOW"] = lambda: at(9, 17)
    with app.app_context():
        service = petitions()
        petition, _code = service.file(kind="complaint", channel="web", what="盲道被占用", lang="zh")
        session = db_session()
        assert petition.acknowledge_by == "2026-10-08"  # day 15 (2 Oct) is in the holiday
        assert escalation.run(session, at(10, 4)) == escalation.Summary(1, 0, 0)  # 4 days before: nothing yet
        assert escalation.run(session, at(10, 5)).reminders == 1  # 3 days before (still in the holiday)
        assert escalation.run(session, at(10, 6)) == escalation.Summary(1, 0, 0)  # not twice
        summary = escalation.run(session, at(10, 8, 18))
        assert (summary.reminders, summary.escalations) == (1, 1)
        assert alerts(session) == [
            ("escalation", "supervisor", "acknowledge_by", "2026-10-08"),
            ("reminder_before", "urban-management", "acknowledge_by", "2026-10-08"),
            ("reminder_due", "urban-management", "acknowledge_by", "2026-10-08"),
        ]
        assert escalation.run(session, at(10, 12)) == escalation.Summary(1, 0, 0)  # overdue: already escalated
        session.expire_all()
        assert session.get(Petition, petition.id).status == "received"  # the job never moves a case


def test_a_missed_run_catches_up_and_the_next_deadline_gets_its_own_alerts(app):
    app.config["PETITION_NOW"] = lambda: at(9, 1)
    with app.app_context():
        service = petitions()
        petition, _code = service.file(kind="complaint", channel="phone", what="盲道被占用", lang="zh")
        session = db_session()
        summary = escalation.run(session, at(9, 30))  # first run only after the deadline (16 Sep)
        assert (summary.reminders, summary.escalations) == (2, 1)
        app.config["PETITION_NOW"] = lambda: at(9, 30)
        service = petitions()
        petition = service.session.get(Petition, petition.id)
        service.accept(HANDLER, petition, petition.version)
        assert petition.resolve_by == "2026-11-30"
        assert escalation.run(db_session(), at(11, 27)).reminders == 1
        assert escalation.run(db_session(), at(11, 30)).escalations == 1


def test_a_closed_case_gets_no_alerts(app):
    app.config["PETITION_NOW"] = lambda: at(9, 1)
    with app.app_context():
        service = petitions()
        petition, _code = service.file(kind="complaint", channel="phone", what="盲道被占用", lang="zh")
        service.accept(HANDLER, petition, petition.version)
        service.reply(HANDLER, petition, petition.version, "已处理")
        assert escalation.run(db_session(), at(12, 31)) == escalation.Summary(0, 0, 0)


def test_the_worker_process_starts_and_runs_a_queued_job(tmp_path: Path, database_url: str):
    """The worker (``huey_consumer portal.jobs.huey``) starts on the configured queue (SQLite in the instance
    folder; Redis when ``JOBS_URL`` is given, in the PostgreSQL+Redis pass) and runs an escalation pass that
    another process queued: the queue is shared, not in either process's memory."""
    env = {**os.environ, "PORTAL_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": database_url}
    consumer = Path(sys.executable).parent / "huey_consumer"
    process = subprocess.Popen(
        [str(consumer), "portal.jobs.huey", "-w", "1"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        seen = _read_until(process, "petition_escalation", 30)
        assert process.poll() is None, seen
        enqueue = "from portal.jobs import petition_escalation; petition_escalation()"
        subprocess.run([sys.executable, "-c", enqueue], cwd=PROJECT_ROOT, env=env, check=True, timeout=60)
        seen = _read_until(process, "petition escalation:", 30)
        assert "petition escalation: 0 open, 0 reminders, 0 escalations" in seen, seen
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert (tmp_path / "jobs.sqlite3").exists() == (not os.environ.get("JOBS_URL"))


def _read_until(process: subprocess.Popen[str], wanted: str, seconds: float) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + seconds
    seen = ""
    while time.monotonic() < deadline and wanted not in seen:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen += line
    assert wanted in seen, seen
    return seen


def test_the_worker_on_a_shared_database_refuses_a_queue_on_its_own_disk(tmp_path: Path):
    env = {key: value for key, value in os.environ.items() if key != "JOBS_URL"}
    env.update(PORTAL_INSTANCE_PATH=str(tmp_path), DATABASE_URL="postgresql+psycopg://portal@127.0.0.1:1/portal")
    result = subprocess.run(
        [sys.executable, "-c", "import portal.jobs"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "JOBS_URL=redis://" in result.stderr
    assert not (tmp_path / "jobs.sqlite3").exists()
