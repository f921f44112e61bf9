"""``flask --app portal maintenance backup DIR`` while the portal is writing, then ``restore DIR`` into a fresh
instance: every application (with its files and history) and every petition is there."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import func, select

from portal import create_app
from portal.applications.sealing import Sealer
from portal.applications.uploads import clean_upload
from portal.db import upgrade_to_head
from portal.db.models import Application, Petition
from portal.web.applications import applications
from portal.web.database import db_session

from .support import files, people
from .test_applications_api import body

TOKEN = {"Authorization": "Bearer test-token"}
KEY = Sealer.generate_key()


def portal(root: Path, search_index: Path, key: str = KEY):
    root.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{root / 'portal.sqlite3'}"
    upgrade_to_head(url)
    return create_app(
        {
            "INSTANCE_PATH": root,
            "DATABASE_URL": url,
            "TESTING": True,
            "SECRET_KEY": "test",
            "SEARCH_INDEX_DIR": search_index,
            "DATA_KEY": key,
            "UPLOADS_DIR": root / "uploads",
            "PORTAL_SERVICE_TOKEN": "test-token",
            "RATELIMIT_ENABLED": False,
        }
    )


def petition(n: int) -> dict:
    return {
        "channel": "phone",
        "kind": "help",
        "what": f"第{n}件：盲道被占",
        "lang": "zh",
        "contact": {"name": "张三", "phone": "13800000000"},
    }


def fill(app) -> dict[str, bytes]:
    """Three applications, each with a photo, and three petitions; returns each file's bytes by reference."""
    client = app.test_client()
    kept: dict[str, bytes] = {}
    for n in range(3):
        pid = people.id_number(f"1950010{n + 1}")
        data = body()
        data["applicant"] = {
            **data["applicant"],
            "id_number": pid,
            "certificate_number": people.certificate_number(pid),
        }
        filed = client.post("/api/v1/applications", json=data, headers=TOKEN)
        assert filed.status_code == 201, filed.get_json()
        with app.app_context():
            service = applications()
            application = service.find(filed.get_json()["reference"])
            document = service.form(application).documents[0].id
            clean = clean_upload(files.jpeg_with_gps(size=(64 + n, 48)), f"户口簿{n}.jpg")
            service.attach(application, document, clean)
            db_session().commit()
            kept[application.reference] = clean.data
        filed = client.post("/api/v1/petitions", json=petition(n), headers=TOKEN)
        assert filed.status_code == 201, filed.get_json()
    return kept


def test_a_backup_made_while_the_portal_writes_restores_everything(tmp_path, search_index):
    live = portal(tmp_path / "live", search_index)
    kept = fill(live)
    writing = threading.Event()
    stop = threading.Event()

    def keep_filing() -> None:  # the portal goes on taking petitions while the backup runs
        client = live.test_client()
        n = 100
        while not stop.is_set():
            assert client.post("/api/v1/petitions", json=petition(n), headers=TOKEN).status_code == 201
            writing.set()
            n += 1

    writer = threading.Thread(target=keep_filing)
    writer.start()
    writing.wait(10)
    result = live.test_cli_runner().invoke(args=["maintenance", "backup", str(tmp_path / "backup")])
    stop.set()
    writer.join()
    assert result.exit_code == 0, result.output
    assert "data key is not in the backup" in result.output
    assert KEY not in (tmp_path / "backup" / "manifest.json").read_text()
    copy = sqlite3.connect(tmp_path / "backup" / "portal.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    backed_up_petitions = copy.execute("SELECT count(*) FROM petitions").fetchone()[0]
    copy.close()
    assert backed_up_petitions >= 3

    fresh = portal(tmp_path / "fresh", search_index)
    result = fresh.test_cli_runner().invoke(args=["maintenance", "restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    with fresh.app_context():
        session = db_session()
        assert session.scalar(select(func.count()).select_from(Petition)) == backed_up_petitions
        service = applications()
        restored = session.scalars(select(Application)).all()
        assert {a.reference for a in restored} == set(kept)
        for application in restored:
            [stored] = service.files(application)
            _shown, data = service.file_bytes(application, stored.id)
            assert data == kept[application.reference]
            assert service.history(application)
            assert service.answers(application)["applicant"]["name"] == "李秀英"


def test_a_restore_with_another_key_is_refused_and_says_why(tmp_path, search_index):
    live = portal(tmp_path / "live", search_index)
    fill(live)
    assert live.test_cli_runner().invoke(args=["maintenance", "backup", str(tmp_path / "b")]).exit_code == 0
    other = portal(tmp_path / "other", search_index, key=Sealer.generate_key())
    result = other.test_cli_runner().invoke(args=["maintenance", "restore", str(tmp_path / "b")])
    assert result.exit_code != 0 and "data key does not open this backup" in result.output
    with other.app_context():
        assert db_session().scalar(select(func.count()).select_from(Application)) == 0


def test_a_backup_never_overwrites(tmp_path, search_index):
    live = portal(tmp_path / "live", search_index)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "something").write_text("x")
    result = live.test_cli_runner().invoke(args=["maintenance", "backup", str(tmp_path / "b")])
    assert result.exit_code != 0 and "not empty" in result.output
