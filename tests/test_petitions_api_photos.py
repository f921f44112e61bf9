"""Photos through ``POST /api/v1/petitions``: base64 in the JSON body, under the web form's upload rules (content
sniffed, size, count), attacked with what a careless or hostile caller sends. Never a 500, nothing filed on a
refusal, and the error names the photo."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io

import pytest
from sqlalchemy import func, select

from portal.db.models import Petition, PetitionFile
from portal.web.database import db_session
from portal.web.petitions import petitions

from .support import files
from .test_petitions_api import AUTH, CN, body


@pytest.fixture()
def api(app):
    app.config["PORTAL_SERVICE_TOKEN"] = "test-token"
    app.config["PETITION_NOW"] = lambda: dt.datetime(2026, 9, 17, 10, 0, tzinfo=CN)
    return app.test_client()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def counts(app) -> tuple[int, int]:
    with app.app_context():
        session = db_session()
        return (
            session.scalar(select(func.count()).select_from(Petition)),
            session.scalar(select(func.count()).select_from(PetitionFile)),
        )


def refused(api, photos, field: str) -> str:
    response = api.post("/api/v1/petitions", json=body(photos=photos), headers=AUTH)
    assert response.status_code == 400, response.get_data(as_text=True)
    fields = [e["field"] for e in response.get_json()["error"]["errors"]]
    assert field in fields, fields
    return response.get_json()["error"]["message"]


def test_photos_are_checked_cleaned_sealed_and_kept(app, api):
    photo = files.jpeg_with_gps()
    response = api.post(
        "/api/v1/petitions",
        headers=AUTH,
        json=body(photos=[{"name": "盲道.jpg", "data": b64(photo)}, {"data": b64(files.pdf())}]),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert counts(app) == (1, 2)
    with app.app_context():
        service = petitions()
        petition = service.session.scalar(select(Petition))
        stored = [service.file_bytes(petition, f.id) for f in petition.files]
        assert [row.content_type for row, _data in stored] == ["image/jpeg", "application/pdf"]
        assert b"GPS" not in stored[0][1] and stored[0][1][:2] == b"\xff\xd8"  # re-encoded: no EXIF
        assert stored[0][0].sha256 != hashlib.sha256(photo).hexdigest()


def test_no_photos_and_null_photos_are_fine(app, api):
    assert api.post("/api/v1/petitions", json=body(photos=None), headers=AUTH).status_code == 201
    assert api.post("/api/v1/petitions", json=body(photos=[]), headers=AUTH).status_code == 201
    assert counts(app) == (2, 0)


@pytest.mark.parametrize(
    ("photos", "field"),
    [
        ([{"name": "x.jpg", "data": b64(b"MZ\x90\x00 not a photo, an executable")}], "photos[0].data"),  # wrong type
        ([{"name": "a.svg", "data": b64(b"<svg xmlns='http://www.w3.org/2000/svg'/>")}], "photos[0].data"),
        ([{"name": "x.png", "data": b64(b"\x89PNG\r\n\x1a\n broken")}], "photos[0].data"),  # sniffed PNG, broken
        ([{"name": "bomb.png", "data": b64(files.png_bomb())}], "photos[0].data"),
        ([{"name": "locked.pdf", "data": b64(files.pdf(password="secret"))}], "photos[0].data"),
        ([{"name": "empty.jpg", "data": ""}], "photos[0].data"),
        ([{"name": "x.jpg", "data": "this is not base64!"}], "photos[0].data"),
        ([{"name": "x.jpg", "data": "QUJD="}], "photos[0].data"),  # bad padding
        ([{"name": "x.jpg", "data": 12345}], "photos[0].data"),
        ([{"name": "x.jpg", "data": b64(files.png()), "path": "/etc/passwd"}], "photos[0].path"),
        ([{"name": ["x"], "data": b64(files.png())}], "photos[0].name"),
        (["not an object"], "photos[0]"),
        ({"name": "x.jpg", "data": b64(files.png())}, "photos"),  # an object, not a list
        ("aGVsbG8=", "photos"),
        ([{"data": b64(files.png())}] * 4, "photos"),  # too many
    ],
)
def test_bad_photos_are_refused_and_nothing_is_filed(app, api, photos, field):
    refused(api, photos, field)
    assert counts(app) == (0, 0)


def test_a_photo_over_the_size_limit_is_refused_by_its_size(app, api):
    big = files.noisy_jpeg(10.5)
    message = refused(api, [{"name": "big.jpg", "data": b64(big)}], "photos[0].data")
    assert "big.jpg" in message and "10" in message
    assert counts(app) == (0, 0)


def test_one_bad_photo_refuses_the_whole_filing_and_names_it(app, api):
    photos = [{"name": "good.png", "data": b64(files.png())}, {"name": "bad.txt", "data": b64(b"hello")}]
    message = refused(api, photos, "photos[1].data")
    assert "bad.txt" in message
    assert counts(app) == (0, 0)


def test_a_multipart_form_is_a_polite_400(app, api):
    response = api.post(
        "/api/v1/petitions",
        headers=AUTH,
        content_type="multipart/form-data",
        data={"what": "盲道被占", "photos": (io.BytesIO(files.png()), "x.png")},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "body"
    garbled = api.post(
        "/api/v1/petitions",
        headers={**AUTH, "Content-Type": "multipart/form-data; boundary=x"},
        data=b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end',
    )
    assert garbled.status_code == 400 and garbled.get_json()["error"]["field"] == "body"
    assert counts(app) == (0, 0)


def test_a_body_over_the_limit_is_a_json_413(app, api):
    huge = "A" * (45 * 1024 * 1024)
    response = api.post(
        "/api/v1/petitions",
        headers={**AUTH, "Content-Type": "application/json"},
        data=('{"photos": [{"data": "' + huge + '"}]}').encode(),
    )
    assert response.status_code == 413 and "error" in response.get_json()
    assert counts(app) == (0, 0)


def test_a_repeat_with_the_same_key_stores_the_photos_once(app, api):
    headers = {**AUTH, "Idempotency-Key": "photo-once"}
    sent = body(photos=[{"name": "盲道.png", "data": b64(files.png())}])
    first = api.post("/api/v1/petitions", json=sent, headers=headers)
    second = api.post("/api/v1/petitions", json=sent, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json()["reference"] == second.get_json()["reference"]
    assert counts(app) == (1, 1)


def test_the_openapi_describes_photos(api):
    spec = api.get("/openapi.json").get_json()
    schema = spec["paths"]["/api/v1/petitions"]["post"]["requestBody"]["content"]["application/json"]["schema"]

    def resolve(node):
        while "$ref" in node:
            node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        return node

    photos = next(
        choice for choice in resolve(schema)["properties"]["photos"]["anyOf"] if choice.get("type") == "array"
    )
    assert photos["maxItems"] == 3 and resolve(photos["items"])["properties"]["data"]["contentEncoding"] == "base64"
