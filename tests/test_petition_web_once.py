"""The web complaint form files exactly one petition however often the same form is sent (a double click, back
and send again, a retry after a timeout): the second answer is the first receipt, with the same reference and
access code."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.db.models import Petition, PetitionFile
from portal.web.database import db_session

from .conftest import csrf_token
from .test_petition_journey import CN, Clock

REFERENCE = re.compile(r"C[0-9A-Z]{3}-[0-9A-Z]{4}")


@pytest.fixture()
def clock(app):
    fixed = Clock(dt.datetime(2026, 9, 17, 9, 0, tzinfo=CN))
    app.config["PETITION_NOW"] = fixed
    return fixed


def the_form(client) -> dict[str, str]:
    """The form as a browser shows it: the CSRF token and the form's one-time key."""
    html = client.get("/complaints").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token or client.get_cookie("session") is None, "a session, but no CSRF token on the page"
    return {
        "csrf_token": token.group(1) if token else "",
        "submission": key_of(html),
        "kind": "complaint",
        "what": "我们小区门口的盲道被电瓶车占完了，我看不见，天天撞到车上",
        "where": "龙岗街道",
        "reply": "contact",
        "name": "王大爷",
        "phone": "13800000000",
    }


def key_of(html: str) -> str:
    key = re.search(r'<input[^>]*name="submission"[^>]*value="([^"]+)"', html)
    assert key, "the form carries no one-time key"
    return key.group(1)


def receipt(html: str) -> tuple[str, str]:
    reference = REFERENCE.search(html).group(0)
    code = re.findall(r'<strong class="reference">([^<]+)</strong>', html)[1]
    return reference, code


def count(app, model=Petition) -> int:
    with app.app_context():
        return db_session().scalar(select(func.count()).select_from(model))


def test_sending_the_same_form_twice_files_one_petition_and_shows_the_same_receipt(app, client, clock):
    data = the_form(client)
    first = client.post("/complaints", data=data)
    second = client.post("/complaints", data=dict(data))
    assert first.status_code == 200 and second.status_code == 200
    assert receipt(first.get_data(as_text=True)) == receipt(second.get_data(as_text=True))
    assert count(app) == 1
    assert "这件诉求已经收到，只登记了一次" in second.get_data(as_text=True)


def test_the_repeat_receipt_works_for_tracking(app, client, clock):
    data = the_form(client)
    client.post("/complaints", data=data)
    reference, code = receipt(client.post("/complaints", data=data).get_data(as_text=True))
    other = app.test_client()
    found = other.post(
        "/complaints/status",
        data={"csrf_token": csrf_token(other, "/complaints/status"), "reference": reference, "access_code": code},
    )
    assert found.status_code == 200 and reference in found.get_data(as_text=True)


def test_a_new_form_files_a_new_petition(app, client, clock):
    client.post("/complaints", data=the_form(client))
    client.post("/complaints", data=the_form(client))
    assert count(app) == 2


def test_a_changed_form_sent_again_is_not_filed_silently_and_nothing_is_lost(app, client, clock):
    data = the_form(client)
    client.post("/complaints", data=data)
    changed = client.post("/complaints", data={**data, "what": data["what"] + "，还有台阶也没有坡道"})
    assert changed.status_code == 409
    html = changed.get_data(as_text=True)
    assert "还有台阶也没有坡道" in html  # what they wrote is still in the form
    assert count(app) == 1
    new_key = key_of(html)
    assert new_key != data["submission"]
    again = client.post("/complaints", data={**data, "submission": new_key, "what": data["what"] + "，还有台阶"})
    assert again.status_code == 200 and count(app) == 2


def test_a_repeat_with_photos_stores_the_photos_once(app, client, clock):
    def photo():
        out = io.BytesIO()
        Image.new("RGB", (8, 8), (200, 10, 10)).save(out, "PNG")
        return (io.BytesIO(out.getvalue()), "盲道.png")

    data = the_form(client)
    for _ in range(2):
        response = client.post("/complaints", data={**data, "photos": photo()}, content_type="multipart/form-data")
        assert response.status_code == 200
    assert count(app) == 1 and count(app, PetitionFile) == 1


def test_a_form_without_its_key_still_files(app, client, clock):
    data = the_form(client)
    del data["submission"]
    assert client.post("/complaints", data=data).status_code == 200
    assert count(app) == 1
