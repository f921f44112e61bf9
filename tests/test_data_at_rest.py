"""Personal data at rest: after an application (ID number, phone, address, bank account, a photo) and a petition
(a phone number) are filed and a page-feedback comment is left (free text, here with a phone number and a home
address), neither the database file nor the upload store holds any of them in the clear, nor
the access codes; the lookup by ID number is a keyed hash."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from portal.applications.uploads import clean_upload
from portal.db.models import Application, PageFeedback
from portal.web.applications import applications
from portal.web.database import db_session

from .support import files, people
from .test_backup import TOKEN, body, petition, portal


def test_nothing_personal_is_in_the_clear_in_the_database_or_the_uploads(tmp_path, search_index):
    app = portal(tmp_path / "instance", search_index)
    client = app.test_client()
    data = body()
    filed = client.post("/api/v1/applications", json=data, headers={**TOKEN, "Idempotency-Key": "a-1"})
    assert filed.status_code == 201
    sent = petition(1)
    sent["contact"]["phone"] = "13698765432"
    lodged = client.post("/api/v1/petitions", json=sent, headers={**TOKEN, "Idempotency-Key": "p-1"})
    assert lodged.status_code == 201
    comment = "请回电 13755556666，我住龙水镇桂花村7组"
    feedback = client.post(
        "/feedback", data={"feedback-useful": "no", "feedback-comment": comment, "feedback-path": "/"}
    )
    assert feedback.status_code == 302
    photo = clean_upload(files.jpeg_with_gps(), "户口簿首页.jpg")
    with app.app_context():
        service = applications()
        application = service.find(filed.get_json()["reference"])
        service.attach(application, "identity", photo)
        db_session().commit()
        row = db_session().scalar(select(Application))
        pid = data["applicant"]["id_number"]
        assert row.applicant_lookup == service.sealer.lookup(pid) and pid not in row.applicant_lookup
        assert row.applicant_lookup != hashlib.sha256(pid.encode()).hexdigest()  # keyed, not a plain hash
        [kept] = db_session().scalars(select(PageFeedback.comment_sealed)).all()
        assert service.sealer.open_json(kept) == comment  # sealed, and it opens with the data key
    db_session_files = [p for p in (tmp_path / "instance").glob("portal.sqlite3*") if p.is_file()]
    stored = b"".join(p.read_bytes() for p in db_session_files)
    uploads = b"".join(p.read_bytes() for p in (tmp_path / "instance" / "uploads").rglob("*") if p.is_file())
    applicant = data["applicant"]
    secrets = [
        applicant["id_number"],
        applicant["phone"],
        applicant["bank_account"],
        applicant["address"],
        applicant["certificate_number"],
        data["proxy"]["id_number"],
        data["proxy"]["phone"],
        "13698765432",
        filed.get_json()["access_code"],
        lodged.get_json()["access_code"],
        "户口簿首页",
        "13755556666",
        "桂花村7组",
        people.id_number()[:14],
    ]
    for value in secrets:
        for encoding in ("utf-8", "utf-16-le"):
            assert value.encode(encoding) not in stored, f"the database holds {value[:4]}… in the clear"
            assert value.encode(encoding) not in uploads, f"the uploads hold {value[:4]}… in the clear"
    assert photo.data[100:164] not in uploads  # the photo itself is sealed
    # and a repeat with the same key still answers the first answer, from the sealed copy
    again = client.post("/api/v1/applications", json=data, headers={**TOKEN, "Idempotency-Key": "a-1"})
    assert again.status_code == 201 and again.get_json() == filed.get_json()
