"""No acknowledged loss: residents file applications (with files) and the phone desk files petitions from
concurrent clients against a real gunicorn; the master and its workers are SIGKILLed mid-run and started again —
and, in the PostgreSQL+Redis pass, the PostgreSQL server is SIGKILLed and started again under a running portal.
Every submission that got a reference is complete (record, files, history, audit) and none is duplicated (a
petition the phone desk got an error for is retried with its Idempotency-Key, and filed once)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.db.models import Application, AuditEvent, Petition
from portal.web.applications import applications
from portal.web.database import db_session
from portal.web.petitions import petitions

from .support import databases
from .support.gunicorn import Portal
from .support.journey import Journey, id_number

CLIENTS = 3  # each files applications and petitions in turn
RUN_SECONDS = 6.0  # before the kill, and again after the restart


@pytest.fixture()
def portal(tmp_path: Path, search_index: Path):
    server = Portal(tmp_path / "instance", search_index)
    server.start()
    yield server
    server.stop()


@dataclass
class Acknowledged:
    applications: dict[str, str] = field(default_factory=dict)  # reference -> ID number
    petitions: dict[str, str] = field(default_factory=dict)  # reference -> Idempotency-Key
    before: tuple[int, int] = (0, 0)


def submit_through(portal: Portal, interrupt: Callable[[], None]) -> Acknowledged:
    """``CLIENTS`` residents and phone-desk callers submit for ``RUN_SECONDS``, ``interrupt()`` runs, and they go on
    for ``RUN_SECONDS`` more; what got a reference is returned."""
    seen = Acknowledged()
    lock = threading.Lock()
    phase = {"running": True}
    counter = iter(range(10**6))

    def petition(key: str) -> requests.Response:
        body = {
            "channel": "phone",
            "kind": "help",
            "what": f"盲道被占 {key}",
            "lang": "zh",
            "contact": {"name": "张三", "phone": "13800000000"},
        }
        return requests.post(
            portal.url + "/api/v1/petitions",
            json=body,
            headers={"Authorization": "Bearer kill-test-token", "Idempotency-Key": key},
            timeout=20,
        )

    def client() -> None:
        while phase["running"]:
            with lock:
                n = next(counter)
            person = id_number(n)
            try:
                reference, _code = Journey(portal.url, person).apply()
                with lock:
                    seen.applications[reference] = person
            except (requests.RequestException, AssertionError):
                pass  # the portal (or its database) died mid-application: not acknowledged, the resident saw an error
            key = str(uuid.uuid4())
            for _attempt in range(60):  # the phone desk retries with the same key until it gets an answer
                try:
                    response = petition(key)
                except requests.RequestException:
                    time.sleep(0.5)
                    continue
                if response.status_code >= 500:  # the database was away: an error, so try again
                    time.sleep(0.5)
                    continue
                if response.status_code == 201:
                    with lock:
                        seen.petitions[response.json()["reference"]] = key
                break

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(RUN_SECONDS)
        with lock:
            seen.before = (len(seen.applications), len(seen.petitions))
        interrupt()
        time.sleep(RUN_SECONDS)
    finally:  # the clients stop whatever happened, so a failed interrupt cannot leave them running
        phase["running"] = False
        for thread in threads:
            thread.join(120)
    print(
        f"acknowledged before the kill {seen.before}, in all {len(seen.applications)} applications and "
        f"{len(seen.petitions)} petitions"
    )
    assert seen.before[0] >= 1 and seen.before[1] >= 1, seen.before
    assert len(seen.applications) > seen.before[0], "no application was acknowledged after the restart"
    return seen


def assert_complete_and_once(portal: Portal, seen: Acknowledged) -> None:
    """Every acknowledged application and petition is complete; none is in the database twice."""
    app = create_app(
        {
            "INSTANCE_PATH": portal.instance,
            "DATABASE_URL": portal.database_url,
            "DATA_KEY": portal.data_key,
            "UPLOADS_DIR": portal.instance / "uploads",
            "TESTING": True,
            "SECRET_KEY": "test",
            "SEARCH_INDEX_DIR": portal.env["SEARCH_INDEX_DIR"],
        }
    )
    with app.app_context():
        session = db_session()
        service = applications()
        audited = Counter((row.action, row.subject) for row in session.scalars(select(AuditEvent)).all())
        submitted_by_person: Counter[str] = Counter()
        for application in session.scalars(select(Application)).all():
            if application.status != "draft":
                submitted_by_person[service.answers(application)["applicant"]["id_number"]] += 1
        assert max(submitted_by_person.values()) == 1, "an application was filed twice"
        for reference, person in seen.applications.items():
            application = service.find(reference)
            assert application is not None and application.status == "submitted", reference
            assert service.answers(application)["applicant"]["id_number"] == person
            shown = service.files(application)
            assert {f.document for f in shown} == {"identity", "certificate"}, reference
            for stored in shown:  # every file is on disk and opens with the key
                assert service.file_bytes(application, stored.id)[1]
            assert [e.status for e in service.history(application)][-1] == "submitted"
            assert audited[("application.submitted", reference)] == 1, reference

        petition_service = petitions()
        filed = session.scalars(select(Petition)).all()
        keys = Counter(petition_service.details(p)["what"].split()[-1] for p in filed)
        assert max(keys.values()) == 1, "a petition was filed twice"
        for reference, key in seen.petitions.items():
            row = next(p for p in filed if p.reference == reference)
            assert petition_service.details(row)["what"].endswith(key)
            assert petition_service.history(row)
            assert audited[("petition.filed", reference)] == 1, reference


def test_every_acknowledged_submission_survives_sigkill(portal: Portal):
    def kill_and_restart() -> None:
        portal.kill()
        time.sleep(1)
        portal.start()

    seen = submit_through(portal, kill_and_restart)
    portal.stop()
    assert_complete_and_once(portal, seen)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_postgresql() -> None:
    """SIGKILL the PostgreSQL server (the postmaster, whose pid ``postmaster.pid`` names, and every process it
    started: as when the kernel's OOM killer or a crash takes the whole server), then start it again with
    ``scripts/services.sh pg-start``; it recovers from its WAL."""
    folder = Path(os.environ["PORTAL_TEST_SERVICES_DIR"])
    postmaster = int((folder / "pg" / "data" / "postmaster.pid").read_text().split()[0])
    processes = [postmaster, *_children(postmaster)]
    for pid in processes:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)  # the portal answers errors meanwhile
    assert not any(_alive(pid) for pid in processes), "the PostgreSQL server survived SIGKILL"
    subprocess.run([str(PROJECT_ROOT / "scripts" / "services.sh"), "pg-start", str(folder)], check=True, timeout=90)
    restarted = int((folder / "pg" / "data" / "postmaster.pid").read_text().split()[0])
    assert restarted != postmaster and _alive(restarted)


@pytest.mark.services_only
def test_every_acknowledged_submission_survives_a_postgresql_sigkill(tmp_path: Path, search_index: Path, database_url):
    """Services only: the PostgreSQL server of the scaled set-up is what is killed. The throwaway cluster runs with
    ``synchronous_commit=off`` for speed, which a server holding residents' applications must not (a commit would
    be acknowledged before its WAL is written, and a killed server would lose it): this test's database is set to
    ``synchronous_commit=on``, the PostgreSQL default, as a deployment has it."""
    name = database_url.rsplit("/", 1)[1]
    with databases._admin_engine().connect() as connection:
        connection.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = on')
    server = Portal(
        tmp_path / "instance",
        search_index,
        database_url=database_url,
        RATELIMIT_STORAGE_URI=os.environ["RATELIMIT_STORAGE_URI"],
    )
    server.start()
    try:
        seen = submit_through(server, kill_postgresql)
    finally:
        server.stop()
        databases._admin_engine().dispose()  # its pooled connection died with the server
    assert_complete_and_once(server, seen)
