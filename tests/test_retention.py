"""Retention: the job worker's nightly purge deletes drafts 30 days after their last change (with their files) and
expired visitor data, and keeps submitted applications; the privacy page (zh, en) says what is kept, why, for how
long and whom to ask, and is linked from every footer and from the accessibility statement."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from portal import create_app
from portal.applications.uploads import clean_upload
from portal.db.models import Application, ServerSession
from portal.jobs import purge_now
from portal.web.applications import applications
from portal.web.database import db_session

from .support import files
from .test_backup import TOKEN, body, portal


def test_the_worker_purge_deletes_old_drafts_and_their_files_and_keeps_submitted_ones(
    tmp_path, search_index, monkeypatch
):
    app = portal(tmp_path / "instance", search_index)
    assert app.test_client().post("/api/v1/applications", json=body(), headers=TOKEN).status_code == 201
    with app.app_context():
        service = applications()
        old, _code = service.create_draft("nursing-subsidy", "zh", {"general": True})
        fresh, _code = service.create_draft("nursing-subsidy", "zh", {"general": True})
        service.add_file(old, "identity", clean_upload(files.jpeg_with_gps(), "户口簿.jpg"))
        db_session().execute(
            update(Application).where(Application.id == old.id).values(expires_at=service.now() - timedelta(seconds=1))
        )
        db_session().add(
            ServerSession(id="x" * 43, kind="checker", data="{}", expires_at=service.now() - timedelta(minutes=1))
        )
        db_session().commit()
    assert len(list((tmp_path / "instance" / "uploads").rglob("*"))) == 2  # a folder and the file

    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("DATA_KEY", app.config["DATA_KEY"])
    monkeypatch.setenv("UPLOADS_DIR", str(tmp_path / "instance" / "uploads"))
    summary = purge_now()
    assert (summary.drafts, summary.visitors) == (1, 1)
    with app.app_context():
        left = db_session().scalars(select(Application)).all()
        assert sorted(a.status for a in left) == ["draft", "submitted"] and fresh.id in {a.id for a in left}
        assert db_session().scalar(select(func.count()).select_from(ServerSession)) == 0
    assert not [p for p in (tmp_path / "instance" / "uploads").rglob("*") if p.is_file()]


def test_the_purge_is_scheduled_nightly():
    import datetime as dt

    from portal.jobs import retention_purge

    nightly = retention_purge.task_class().validate_datetime
    assert nightly(dt.datetime(2026, 12, 2, 3, 20)) and not nightly(dt.datetime(2026, 12, 2, 4, 20))


def test_the_privacy_page_in_both_languages(client):
    zh = client.get("/privacy?lang=zh").get_data(as_text=True)
    en = client.get("/privacy?lang=en").get_data(as_text=True)
    assert "隐私说明" in zh and "30 天后删除" in zh and "12385" in zh and "还没有确定" in zh
    assert "Deleted 30 days after" in en and "has not been confirmed yet" in en and "12385" in en
    for page in ("/", "/accessibility"):
        assert 'href="/privacy"' in client.get(page).get_data(as_text=True), page


def test_a_confirmed_retention_period_is_shown(tmp_path, search_index, monkeypatch):
    monkeypatch.setenv("DECIDED_CASE_RETENTION_YEARS", "10")
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "TESTING": True,
            "SEARCH_INDEX_DIR": search_index,
        }
    )
    assert "Kept for 10 years after the decision." in app.test_client().get("/privacy?lang=en").get_data(as_text=True)
