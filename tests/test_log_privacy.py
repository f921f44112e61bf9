"""Logs never contain personal data: a full journey against gunicorn (an application with ID number, phone and bank
account; a petition with a phone number; staff viewing both, their files and the lists), then the job worker's
run, and every log is searched for the numbers, in every spelling a log could hold them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyotp
import requests

from portal import create_app
from portal.config import PROJECT_ROOT

from .support import staff
from .support.gunicorn import Portal
from .support.journey import Journey, id_number

PHONE = "13912345678"
PETITION_PHONE = "13698765432"
ACCOUNT = "6228480099887766554"


def spellings(value: str) -> set[str]:
    """The value as typed, without separators, lower-cased, and URL- or JSON-escaped forms."""
    return {value, value.lower(), value.replace(" ", ""), value.replace(" ", "%20"), value.replace(" ", "+")}


def signed_in(url: str, secret: str, username: str) -> requests.Session:
    desk = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', desk.get(url + "/staff/sign-in").text)
    answer = desk.post(
        url + "/staff/sign-in",
        data={
            "csrf_token": token.group(1) if token else "",
            "username": username,
            "password": staff.PASSWORD,
            "code": pyotp.TOTP(secret).now(),
        },
        allow_redirects=False,
        timeout=20,
    )
    assert answer.status_code == 302, answer.text[:500]
    return desk


def test_a_full_journey_leaves_no_personal_data_in_any_log(tmp_path: Path, search_index: Path):
    portal = Portal(tmp_path / "instance", search_index, LOG_LEVEL="debug")
    portal.start()
    person = id_number(4242)
    try:
        reference, _code = Journey(portal.url, person, phone=PHONE, account=ACCOUNT).apply()
        filed = requests.post(
            portal.url + "/api/v1/petitions",
            json={
                "channel": "phone",
                "kind": "complaint",
                "what": "盲道被占，电话 " + PETITION_PHONE,
                "lang": "zh",
                "contact": {"name": "张三", "phone": PETITION_PHONE},
            },
            headers={"Authorization": "Bearer kill-test-token"},
            timeout=20,
        )
        assert filed.status_code == 201
        petition = filed.json()["reference"]
        # the status lookups residents make (the ID number travels in a header, never in the URL)
        assert requests.get(
            f"{portal.url}/api/v1/applications/{reference}", headers={"X-Applicant-Id": person}, timeout=20
        ).ok

        app = create_app(
            {
                "INSTANCE_PATH": portal.instance,
                "DATABASE_URL": portal.database_url,
                "DATA_KEY": portal.data_key,
                "TESTING": True,
                "SECRET_KEY": "x",
                "SEARCH_INDEX_DIR": portal.env["SEARCH_INDEX_DIR"],
            }
        )
        clerk = signed_in(portal.url, staff.add(app, "clerk.wang", "town_clerk", scope="longgang"), "clerk.wang")
        case = clerk.get(f"{portal.url}/staff/applications/{reference}", timeout=20)
        assert case.status_code == 200
        files = re.findall(r'href="(/staff/applications/[^"]+/files/\d+)"', case.text)
        assert files
        for path in ["/staff", *files]:
            assert clerk.get(portal.url + path, timeout=20).status_code == 200, path
        supervisor = signed_in(portal.url, staff.add(app, "supervisor.li", "supervisor"), "supervisor.li")
        for path in ["/staff/petitions", f"/staff/petitions/{petition}", "/staff/audit"]:
            assert supervisor.get(portal.url + path, timeout=20).status_code == 200, path
    finally:
        portal.stop()

    # the job worker: its scheduled passes (escalation, the purge), run by huey's own consumer
    env = {**portal.env, "PYTHONPATH": str(PROJECT_ROOT)}
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from portal.jobs import petition_escalation, retention_purge\npetition_escalation(); retention_purge()",
        ],
        env=env,
        cwd=PROJECT_ROOT,
        check=True,
        timeout=60,
    )
    worker_log = portal.instance / "worker.log"
    with worker_log.open("w") as log:
        worker = subprocess.Popen(
            [str(Path(sys.executable).parent / "huey_consumer"), "portal.jobs.huey", "-w", "1", "-v"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker_log.read_text().count(" executed in ") < 2:
            time.sleep(0.5)
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(20)
    worker_text = worker_log.read_text()
    assert "petition escalation:" in worker_text and "retention purge:" in worker_text, worker_text[-2000:]

    logs = {path: path.read_text(errors="replace") for path in (portal.log, worker_log)}
    assert reference in logs[portal.log] or "/staff/applications/" in logs[portal.log]  # the access log is there
    secrets = {person, PHONE, ACCOUNT, PETITION_PHONE, person[:6] + " " + person[6:]}
    for path, text in logs.items():
        for value in secrets:
            for spelling in spellings(value):
                assert spelling not in text, f"{path.name} holds {value[:3]}… ({spelling!r})"
