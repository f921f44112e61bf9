"""Rotating the data key (``flask --app portal maintenance new-data-key`` and ``rotate-key``): while the portal runs
with the new key and the old one as the previous key it reads both, and after ``rotate-key`` everything — the
applications and their documents, petitions and their photos, staff second factors, idempotency answers, feedback
comments — opens with the new key alone, and lookups by ID number still find the applications."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from sqlalchemy import select

from portal import create_app
from portal.applications.sealing import Sealer
from portal.db.models import (
    Application,
    ApplicationFile,
    IdempotencyKey,
    PageFeedback,
    Petition,
    PetitionFile,
    StaffUser,
)
from portal.web.applications import applications
from portal.web.database import db_session
from portal.web.petitions import petitions

from .conftest import BrowserClient
from .support import files, people, staff
from .test_backup import TOKEN, fill

OLD, NEW = Sealer.generate_key(), Sealer.generate_key()
COMMENT = "请回电 13755556666"


def portal(root: Path, url: str, search_index: Path, key: str | None, previous: list[str] | None = None):
    config = {
        "INSTANCE_PATH": root,
        "DATABASE_URL": url,
        "TESTING": True,
        "SECRET_KEY": "test",
        "SEARCH_INDEX_DIR": search_index,
        "UPLOADS_DIR": root / "uploads",
        "PORTAL_SERVICE_TOKEN": "test-token",
        "RATELIMIT_ENABLED": False,
    }
    if key is not None:
        config.update(DATA_KEY=key, DATA_KEY_PREVIOUS=previous or [])
    app = create_app(config)
    app.test_client_class = BrowserClient
    return app


def _everything_opens(app, kept: dict[str, bytes], secret: str) -> None:
    with app.app_context():
        service = applications()
        for n, (reference, photo) in enumerate(kept.items()):
            pid = people.id_number(f"1950010{n + 1}")
            found = service.find(reference, pid)  # the lookup by ID number
            assert found is not None, reference
            assert service.answers(found)["applicant"]["id_number"] == pid
            [stored] = service.files(found)
            assert service.file_bytes(found, stored.id)[1] == photo
        for petition in db_session().scalars(select(Petition)):
            assert petitions().details(petition)["contact"]["phone"] == "13800000000"
            for photo in petition.files:
                assert petitions().file_bytes(petition, photo.id)[1][:8] == b"\x89PNG\r\n\x1a\n"
        [comment] = db_session().scalars(select(PageFeedback.comment_sealed)).all()
        assert app.extensions["sealer"].open_json(comment) == COMMENT
    again = app.test_client().post("/api/v1/petitions", json=_petition(), headers={**TOKEN, "Idempotency-Key": "k-1"})
    assert again.status_code == 201  # the sealed first answer, replayed
    client = app.test_client()
    assert staff.sign_in(app, client, "clerk", secret).status_code == 302  # the sealed TOTP secret


def _petition() -> dict:
    """A petition with a photo (a document of its own to re-seal)."""
    return {
        "channel": "phone",
        "kind": "help",
        "what": "盲道被占",
        "lang": "zh",
        "contact": {"name": "张三", "phone": "13800000000"},
        "photos": [{"name": "盲道.png", "data": base64.b64encode(files.png()).decode()}],
    }


def _raw(app) -> tuple[list[str], list[bytes]]:
    """Every sealed value in the database and every stored document, read raw."""
    with app.app_context():
        session = db_session()
        values = [
            *session.scalars(select(Application.sealed)),
            *session.scalars(select(ApplicationFile.sealed_name)),
            *session.scalars(select(Petition.sealed)),
            *session.scalars(select(PetitionFile.sealed_name)),
            *session.scalars(select(StaffUser.totp_secret)),
            *session.scalars(select(IdempotencyKey.response)),
            *session.scalars(select(PageFeedback.comment_sealed)),
        ]
    uploads = [p.read_bytes() for p in (Path(app.config["UPLOADS_DIR"])).rglob("*") if p.is_file()]
    return values, uploads


def test_after_rotation_everything_opens_with_the_new_key_alone(tmp_path, search_index, database_url):
    before = portal(tmp_path, database_url, search_index, OLD)
    kept = fill(before)
    secret = staff.add(before, "clerk", "town_clerk", scope="longgang")
    first = before.test_client().post(
        "/api/v1/petitions", json=_petition(), headers={**TOKEN, "Idempotency-Key": "k-1"}
    )
    assert first.status_code == 201, first.get_json()
    feedback = before.test_client().post(
        "/feedback", data={"feedback-useful": "no", "feedback-comment": COMMENT, "feedback-path": "/"}
    )
    assert feedback.status_code == 302
    with before.app_context():
        old_lookups = set(db_session().scalars(select(Application.applicant_lookup)))

    # the portal restarted with the new key, the old one still opened: nothing is lost while the rotation runs
    during = portal(tmp_path, database_url, search_index, NEW, [OLD])
    _everything_opens(during, kept, secret)
    result = during.test_cli_runner().invoke(args=["maintenance", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert "everything opens with the current key alone" in result.output
    assert "3 ID-number lookup(s), 4 document(s)" in result.output

    after = portal(tmp_path, database_url, search_index, NEW)  # the old key removed
    _everything_opens(after, kept, secret)
    with after.app_context():
        new_lookups = set(db_session().scalars(select(Application.applicant_lookup)))
    assert new_lookups.isdisjoint(old_lookups) and None not in new_lookups
    values, uploads = _raw(after)
    assert len(values) == 3 + 3 + 4 + 1 + 1 + 1 + 1 and len(uploads) == 4  # the old documents are gone
    old_alone = Sealer(OLD)
    for value in values:
        if value.startswith("{"):
            continue
        with pytest.raises(ValueError):
            old_alone.open(value.encode())
    for data in uploads:
        with pytest.raises(ValueError):
            old_alone.open_file(data)
        Sealer(NEW).open_file(data)


def test_rotate_key_without_a_previous_key_says_what_to_do(tmp_path, search_index, database_url):
    app = portal(tmp_path, database_url, search_index, NEW)
    result = app.test_cli_runner().invoke(args=["maintenance", "rotate-key"])
    assert result.exit_code != 0 and "new-data-key" in result.output


@pytest.mark.sqlite_only
def test_new_data_key_keeps_the_old_key_for_reading_in_the_instance_folder(
    tmp_path, search_index, database_url, monkeypatch
):
    """SQLite only: keys in the instance folder are refused with a server database (every host must share them,
    so they come from the environment there: the next test)."""
    monkeypatch.delenv("DATA_KEY", raising=False)  # the PostgreSQL pass sets it: this is the key-file set-up
    monkeypatch.delenv("DATA_KEY_PREVIOUS", raising=False)
    before = portal(tmp_path, database_url, search_index, None)
    old = (tmp_path / "data_key").read_text()
    kept = fill(before)
    result = before.test_cli_runner().invoke(args=["maintenance", "new-data-key"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data_key.previous").read_text().split() == [old]
    assert (tmp_path / "data_key").read_text() != old
    assert (tmp_path / "data_key").stat().st_mode & 0o777 == 0o600
    during = portal(tmp_path, database_url, search_index, None)
    assert during.config["DATA_KEY_PREVIOUS"] == [old]
    assert during.test_cli_runner().invoke(args=["maintenance", "rotate-key"]).exit_code == 0
    (tmp_path / "data_key.previous").unlink()
    after = portal(tmp_path, database_url, search_index, None)
    with after.app_context():
        for n, reference in enumerate(kept):
            assert applications().find(reference, people.id_number(f"1950010{n + 1}")) is not None


def test_new_data_key_with_keys_in_the_environment_prints_what_to_set(
    tmp_path, search_index, database_url, monkeypatch
):
    app = portal(tmp_path, database_url, search_index, OLD)
    monkeypatch.setenv("DATA_KEY", OLD)
    result = app.test_cli_runner().invoke(args=["maintenance", "new-data-key"])
    assert result.exit_code == 0
    assert f"DATA_KEY_PREVIOUS={OLD}" in result.output and "DATA_KEY=" in result.output
