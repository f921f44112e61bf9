"""``POST /api/v1/petitions`` and ``GET /api/v1/petitions/<reference>``, with a fixed clock."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from portal.db.models import Petition, PetitionAlert
from portal.web.database import db_session

CN = dt.timezone(dt.timedelta(hours=8))
AUTH = {"Authorization": "Bearer test-token"}


@pytest.fixture()
def api(app):
    app.config["PORTAL_SERVICE_TOKEN"] = "test-token"
    app.config["PETITION_NOW"] = lambda: dt.datetime(2026, 9, 17, 10, 0, tzinfo=CN)
    return app.test_client()


def body(**changes):
    base = {
        "channel": "assistant",
        "kind": "complaint",
        "what": "我们小区门口的盲道被占了，走不得",
        "where": "龙岗街道",
        "contact": {"name": "张三", "phone": "13800000000"},
        "lang": "zh",
    }
    base.update(changes)
    return base


def count(app) -> int:
    with app.app_context():
        return db_session().scalar(select(func.count()).select_from(Petition)) or 0


def test_filing_needs_the_service_token(app, api):
    assert api.post("/api/v1/petitions", json=body()).status_code == 401
    assert count(app) == 0


def test_filing_routes_and_starts_the_clock(app, api):
    response = api.post("/api/v1/petitions", json=body(), headers=AUTH)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["reference"].startswith("C") and len(answer["access_code"]) == 9
    assert answer["status"] == "received"
    assert answer["routed_to"] == {"department": "urban-management", "task": 27}
    # received 2026-09-17: day 15 is 2 October, in the National Day holiday → the first working day after it
    assert answer["deadlines"]["acknowledge_by"] == "2026-10-08"
    assert answer["deadlines"]["resolve_by"] is None and answer["deadlines"]["provisional"] is False
    assert answer["url"] == "/complaints/status"
    shown = api.get(f"/api/v1/petitions/{answer['reference']}", headers={"X-Access-Code": answer["access_code"]})
    assert shown.status_code == 200
    data = shown.get_json()
    assert data["status"] == "received" and data["history"][0]["note"] == "routed"
    assert "盲道被占" in data["routed_to"]["words"]
    assert "张三" not in shown.get_data(as_text=True) and "13800000000" not in shown.get_data(as_text=True)
    with app.app_context():
        stored = db_session().scalar(select(Petition))
        assert "盲道" not in stored.sealed and "13800000000" not in stored.sealed  # sealed at rest


def test_anonymous_and_unplaced_goes_to_triage(api):
    answer = api.post(
        "/api/v1/petitions", json=body(what="有个事想反映一下", where=None, contact=None), headers=AUTH
    ).get_json()
    assert answer["routed_to"] == {"department": "triage", "task": None}


def test_unknown_reference_and_wrong_code_answer_alike(api):
    answer = api.post("/api/v1/petitions", json=body(), headers=AUTH).get_json()
    wrong = api.get(f"/api/v1/petitions/{answer['reference']}", headers={"X-Access-Code": "2222-2222"})
    missing = api.get("/api/v1/petitions/C222-2222", headers={"X-Access-Code": answer["access_code"]})
    from portal.applications.references import check_character

    other = "C22222" + "2"
    other = f"{other[:4]}-{other[4:]}{check_character(other)}"
    unknown = api.get(f"/api/v1/petitions/{other}", headers={"X-Access-Code": answer["access_code"]})
    assert wrong.status_code == 404 and unknown.status_code == 404
    assert wrong.get_json() == unknown.get_json()
    assert missing.status_code in (400, 404)


def test_a_malformed_reference_is_a_400(api):
    assert api.get("/api/v1/petitions/C7KX-4M9Q", headers={"X-Access-Code": "x"}).status_code == 400


def test_every_invalid_field_is_listed(api):
    response = api.post(
        "/api/v1/petitions",
        headers=AUTH,
        json={"channel": "fax", "kind": "rant", "what": "", "contact": {"name": "", "phone": "12"}, "extra": 1},
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.get_json()["error"]["errors"]}
    assert {"channel", "kind", "what", "contact.name", "contact.phone", "extra"} <= fields
    assert response.get_json()["error"]["field"] in fields


def test_idempotency_key_returns_the_first_answer(app, api):
    headers = {**AUTH, "Idempotency-Key": "call-1"}
    first = api.post("/api/v1/petitions", json=body(), headers=headers)
    again = api.post("/api/v1/petitions", json=body(), headers=headers)
    assert first.status_code == again.status_code == 201 and first.get_json() == again.get_json()
    assert count(app) == 1
    assert api.post("/api/v1/petitions", json=body(what="别的事"), headers=headers).status_code == 409


def test_a_year_the_calendar_lacks_is_provisional_and_alerts_the_supervisor(app, api):
    app.config["PETITION_NOW"] = lambda: dt.datetime(2026, 12, 25, 10, 0, tzinfo=CN)
    answer = api.post("/api/v1/petitions", json=body(), headers=AUTH).get_json()
    assert answer["deadlines"] == {"acknowledge_by": "2027-01-11", "resolve_by": None, "provisional": True}
    api.post("/api/v1/petitions", json=body(), headers=AUTH)
    with app.app_context():
        alerts = db_session().scalars(select(PetitionAlert).where(PetitionAlert.kind == "calendar")).all()
        assert [(a.recipient, a.due) for a in alerts] == [("supervisor", "2027")]


def test_the_openapi_describes_the_petition_routes(api):
    paths = api.get("/openapi.json").get_json()["paths"]
    assert "post" in paths["/api/v1/petitions"] and "get" in paths["/api/v1/petitions/{reference}"]
