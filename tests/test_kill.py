"""No acknowledged loss: residents file applications (with files) and the phone desk files petitions from
concurrent clients against a real gunicorn; the master and its workers are SIGKILLed mid-run and started again.
Every submission that got a reference is complete (record, files, history, audit) and none is duplicated (a
petition retried with its Idempotency-Key after the restart is filed once)."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from portal import create_app
from portal.db.models import Application, AuditEvent, Petition
from portal.web.applications import applications
from portal.web.database import db_session
from portal.web.petitions import petitions

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


def test_every_acknowledged_submission_survives_sigkill(portal: Portal):
    acknowledged_applications: dict[str, str] = {}  # reference -> ID number
    acknowledged_petitions: dict[str, str] = {}  # reference -> Idempotency-Key
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
                    acknowledged_applications[reference] = person
            except (requests.RequestException, AssertionError):
                pass  # the portal died mid-application: not acknowledged (the resident would see an error)
            key = str(uuid.uuid4())
            for _attempt in range(60):  # the phone desk retries with the same key until it gets an answer
                try:
                    response = petition(key)
                except requests.RequestException:
                    time.sleep(0.5)
                    continue
                if response.status_code == 201:
                    with lock:
                        acknowledged_petitions[response.json()["reference"]] = key
                break

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(RUN_SECONDS)
    before_kill = (len(acknowledged_applications), len(acknowledged_petitions))
    portal.kill()
    time.sleep(1)
    portal.start()
    time.sleep(RUN_SECONDS)
    phase["running"] = False
    for thread in threads:
        thread.join(120)
    portal.stop()

    print(
        f"acknowledged before the kill {before_kill}, in all {len(acknowledged_applications)} applications and "
        f"{len(acknowledged_petitions)} petitions"
    )
    assert before_kill[0] >= 1 and before_kill[1] >= 1, before_kill
    assert len(acknowledged_applications) > before_kill[0], "no application was acknowledged after the restart"

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
        for reference, person in acknowledged_applications.items():
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
        for reference, key in acknowledged_petitions.items():
            row = next(p for p in filed if p.reference == reference)
            assert petition_service.details(row)["what"].endswith(key)
            assert petition_service.history(row)
            assert audited[("petition.filed", reference)] == 1, reference
