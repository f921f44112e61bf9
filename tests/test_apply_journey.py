"""The whole resident journey through /apply without JavaScript: for a parent (代办), photos, leave, resume,
submit once, track."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from portal.db.models import Application, ApplicationEvent, AuditEvent, Notice

from .conftest import csrf_token
from .support import files, people

PARENT = people.id_number("19520314")
CHILD = people.id_number("19800101", sequence="456")


def _token(client, path="/apply/nursing-subsidy/privacy") -> str:
    return csrf_token(client, path)


def post(client, path, data, **kwargs):
    return client.post(path, data={"csrf_token": _token(client, "/apply"), **data}, **kwargs)


def start_draft(client, benefit="nursing-subsidy") -> tuple[str, str]:
    response = post(client, f"/apply/{benefit}/privacy", {"general": "y", "sensitive": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/apply/draft/code")
    page = client.get("/apply/draft/code").get_data(as_text=True)
    reference, code = re.findall(r'<strong class="reference">([A-Z0-9-]+)</strong>', page)
    return reference, code


def fill_applicant(client, who="proxy"):
    assert post(client, "/apply/draft/details/who", {"who": who}).status_code == 302
    if who == "proxy":
        r = post(
            client,
            "/apply/draft/details/proxy",
            {"proxy_name": "李明", "relation": "family", "proxy_id_number": CHILD, "proxy_phone": "138 0000 1234"},
        )
        assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    assert post(client, "/apply/draft/details/name", {"name": "李秀英"}).status_code == 302
    assert (
        post(client, "/apply/draft/details/id-number", {"id_number": PARENT.lower()[:6] + " " + PARENT[6:]}).status_code
        == 302
    )
    assert post(client, "/apply/draft/details/phone", {"phone": "023-4372 1234"}).status_code == 302
    r = post(client, "/apply/draft/details/address", {"town": "longgang", "village": "龙岗社区", "address": "3组12号"})
    assert r.status_code == 302


def answer_facts(client):
    """Answer whatever the engine asks next until it asks no more."""
    answers = {**people.NURSING_FACTS, "exclusions": []}
    for _ in range(12):
        location = client.get("/apply/draft").get_data(as_text=True)
        match = re.search(r'href="/apply/draft/facts/([a-z_]+)"', location)
        if not match:
            return
        name = match.group(1)
        value = answers[name]
        r = post(client, f"/apply/draft/facts/{name}", {"answer": value})
        assert r.status_code == 302, (name, r.get_data(as_text=True)[:500])
    raise AssertionError("the facts never ended")


def test_the_whole_journey_for_a_parent(app, client):
    reference, code = start_draft(client)
    assert re.fullmatch(r"A[2-9A-Z]{3}-[2-9A-Z]{4}", reference) and re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    fill_applicant(client)
    answer_facts(client)
    r = post(
        client, "/apply/draft/details/certificate-number", {"certificate_number": people.certificate_number(PARENT)}
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    r = post(
        client, "/apply/draft/details/bank", {"bank_name": "重庆农村商业银行", "bank_account": "6228 4800 1234 5678 9"}
    )
    assert r.status_code == 302
    photo = files.jpeg_with_gps()
    r = post(
        client,
        "/apply/draft/documents/identity",
        {"files": [(io.BytesIO(photo), "户口簿首页.jpg"), (io.BytesIO(files.png()), "本人页.png")]},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    r = post(
        client,
        "/apply/draft/documents/certificate",
        {"files": [(io.BytesIO(files.pdf()), "残疾证.pdf")]},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]

    # The browser closes: a new one resumes with reference + ID number + access code.
    other = app.test_client()
    assert other.get("/apply/draft").status_code == 302
    r = other.post(
        "/apply/resume",
        data={
            "csrf_token": csrf_token(other, "/apply/resume"),
            "reference": reference.lower().replace("-", " "),
            "id_number": PARENT,
            "access_code": code,
        },
    )
    assert r.status_code == 302 and r.headers["Location"].endswith("/apply/draft")
    check = other.get("/apply/draft/check")
    assert check.status_code == 200, check.headers.get("Location")
    html = check.get_data(as_text=True)
    assert "李秀英" in html and PARENT not in html and PARENT[:4] + "*" in html
    assert "6228480012345678" not in html.replace(" ", "")
    token = csrf_token(other, "/apply/draft/check")
    data = {"csrf_token": token, "true_and_complete": "y", "authority": "y"}
    first = other.post("/apply/draft/check", data=data)
    again = other.post("/apply/draft/check", data=data)  # a double click
    assert first.status_code == 302 and first.headers["Location"].endswith("/apply/draft/done")
    assert again.status_code == 302
    done = other.get("/apply/draft/done").get_data(as_text=True)
    assert reference in done and code in done
    with app.app_context():
        from portal.web.database import db_session

        session = db_session()
        assert session.scalar(select(func.count()).select_from(Application)) == 1
        application = session.scalars(select(Application)).one()
        assert application.status == "submitted" and application.rules_version.startswith("rules-")
        assert PARENT not in application.sealed and "李秀英" not in application.sealed
        events = session.scalars(select(ApplicationEvent.status)).all()
        assert events == ["draft", "submitted"]
        assert session.scalar(select(func.count()).select_from(Notice)) == 1
        assert {"application.draft_created", "application.submitted"} <= set(session.scalars(select(AuditEvent.action)))
        from portal.web.applications import applications

        stored = applications().eligibility(application)
        assert stored[0]["benefit"] == "nursing-subsidy" and stored[0]["status"] == "eligible"
        kept = applications().files(application)
        assert sorted(f.name for f in kept) == ["户口簿首页.jpg", "本人页.png", "残疾证.pdf"]
        jpeg = next(f for f in kept if f.name.endswith(".jpg"))
        _shown, data_bytes = applications().file_bytes(application, jpeg.id)

        from PIL import Image

        assert not Image.open(io.BytesIO(data_bytes)).getexif()  # no EXIF, no GPS
    # Tracking: reference + ID number show the status without personal data.
    status = other.post(
        "/status", data={"csrf_token": csrf_token(other, "/status"), "reference": reference, "id_number": PARENT}
    )
    page = status.get_data(as_text=True)
    assert status.status_code == 200 and reference in page and "李秀英" not in page
    assert "已收到" in page or "Received" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_of_the_journey_answers_in_both_languages(app, lang):
    client = app.test_client()
    client.get(f"/?lang={lang}")
    for path in ("/apply", "/apply/nursing-subsidy", "/apply/nursing-subsidy/privacy", "/apply/resume", "/status"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert ('<html lang="en"' in response.get_data(as_text=True)) == (lang == "en")
