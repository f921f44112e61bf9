"""The applications API: towns, tracking without personal data, filing for a resident behind the service token."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.applications import references
from portal.db.models import Application

from .support import people

PID = people.id_number()
TOKEN = {"Authorization": "Bearer test-token"}


@pytest.fixture()
def api(app):
    app.config["PORTAL_SERVICE_TOKEN"] = "test-token"
    return app.test_client()


def body(**changes):
    data = {
        "benefit": "nursing-subsidy",
        "applicant": {
            "name": "李秀英",
            "id_number": PID,
            "phone": "13800001234",
            "town": "longgang",
            "village": "龙岗社区",
            "address": "3组12号",
            "certificate_number": people.certificate_number(PID),
            "bank_name": "重庆农村商业银行",
            "bank_account": "622848001234567890",
        },
        "proxy": {
            "name": "李明",
            "id_number": people.id_number("19800101", sequence="456"),
            "phone": "13900001234",
            "relation": "family",
        },
        "answers": {
            "hukou": "dazu",
            "certificate": True,
            "category": "physical",
            "grade": 1,
            "long_term_care": True,
            "household": "none",
        },
        "lang": "zh",
    }
    data.update(changes)
    return data


def count(app) -> int:
    with app.app_context():
        from portal.web.database import db_session

        return db_session().scalar(select(func.count()).select_from(Application))


def test_towns(api):
    towns = api.get("/api/v1/towns").get_json()
    assert len(towns["towns"]) == 27 and towns["towns"][0] == {"id": "longgang", "name": "龙岗街道"}
    assert towns["confirmed"] is False
    assert api.get("/api/v1/towns?lang=en").get_json()["towns"][0]["name"] == "Longgang Sub-district"


def test_filing_needs_the_service_token(app, api):
    assert api.post("/api/v1/applications", json=body()).status_code == 401
    assert api.post("/api/v1/applications", json=body(), headers={"Authorization": "Bearer nope"}).status_code == 401
    assert count(app) == 0


def test_filing_and_tracking(app, api):
    response = api.post("/api/v1/applications", json=body(), headers=TOKEN)
    assert response.status_code == 201, response.get_json()
    filed = response.get_json()
    assert filed["status"] == "submitted" and references.parse_reference(filed["reference"], "application")
    assert set(filed) == {"reference", "status", "access_code", "url"}
    ref = filed["reference"]
    public = api.get(f"/api/v1/applications/{ref}", headers={"X-Applicant-Id": PID}).get_json()
    assert public["status"] == "submitted" and public["benefit"] == "nursing-subsidy"
    assert [event["status"] for event in public["history"]] == ["submitted"]
    assert public["office"]["town"]["id"] == "longgang" and public["office"]["department"]["id"] == "civil-affairs"
    assert "requests" not in public and "decision" not in public
    text = str(public)
    assert PID not in text and "李秀英" not in text and "6228" not in text
    full = api.get(
        f"/api/v1/applications/{ref}", headers={"X-Applicant-Id": PID, "X-Access-Code": filed["access_code"]}
    )
    assert full.get_json()["requests"] == [] and full.get_json()["decision"] is None
    # An ID number written with spaces and a lower-case x is the same ID number.
    spaced = PID[:6] + " " + PID[6:14] + " " + PID[14:].lower()
    assert api.get(f"/api/v1/applications/{ref}", headers={"X-Applicant-Id": spaced}).status_code == 200


def test_every_failed_lookup_answers_the_same(app, api):
    filed = api.post("/api/v1/applications", json=body(), headers=TOKEN).get_json()
    ref = filed["reference"]
    other = references.new_reference("application")
    attempts = [
        (other, {"X-Applicant-Id": PID}),  # unknown reference
        (ref, {"X-Applicant-Id": people.id_number("19600101")}),  # wrong ID number
        (ref, {"X-Applicant-Id": PID, "X-Access-Code": "2222-2222"}),  # wrong code
        (ref, {}),  # no ID number
        (ref, {"X-Applicant-Id": "not an id"}),
    ]
    answers = []
    for reference, headers in attempts:
        response = api.get(f"/api/v1/applications/{reference}", headers=headers)
        answers.append((response.status_code, response.get_data()))
    assert len(set(answers)) == 1 and answers[0][0] == 404


def test_a_mistyped_reference_is_caught_before_any_lookup(api):
    ref = references.new_reference("application")
    body_ = ref.replace("-", "")
    swapped = body_[0] + body_[2] + body_[1] + body_[3:] if body_[1] != body_[2] else None
    for bad in filter(None, [ref[:-1] + ("2" if ref[-1] != "2" else "3"), swapped, "A7KX", "hello"]):
        response = api.get(f"/api/v1/applications/{bad}", headers={"X-Applicant-Id": PID})
        assert response.status_code == 400 and response.get_json()["error"]["field"] == "reference"


def test_idempotency_key_returns_the_first_answer_and_files_once(app, api):
    headers = {**TOKEN, "Idempotency-Key": "phone-desk-2026-12-01-0001"}
    first = api.post("/api/v1/applications", json=body(), headers=headers)
    second = api.post("/api/v1/applications", json=body(), headers=headers)
    assert first.status_code == second.status_code == 201 and first.get_json() == second.get_json()
    assert count(app) == 1
    changed = api.post("/api/v1/applications", json=body(lang="en"), headers=headers)
    assert changed.status_code == 409 and changed.get_json()["error"]["field"] == "Idempotency-Key"
    assert count(app) == 1


def test_concurrent_retries_with_one_key_file_one_application(app, tmp_path):
    """Four clients send the same request with one key at the same moment (a retry storm): one application."""
    app.config["PORTAL_SERVICE_TOKEN"] = "test-token"
    results = []
    barrier = threading.Barrier(4)

    def send():
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/applications", json=body(), headers={**TOKEN, "Idempotency-Key": "storm"})
        results.append((response.status_code, response.get_json().get("reference")))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _ref in results} == {201}
    assert len({ref for _status, ref in results}) == 1
    assert count(app) == 1


def test_every_invalid_field_is_listed(app, api):
    bad = body()
    bad["applicant"] = {
        **bad["applicant"],
        "id_number": PID[:-1] + ("0" if PID[-1] != "0" else "1"),
        "phone": "12345",
        "bank_account": "12",
        "town": "atlantis",
    }
    bad["proxy"] = {**bad["proxy"], "relation": "cousin"}
    bad["answers"] = {**bad["answers"], "grade": 9}
    response = api.post("/api/v1/applications", json=bad, headers=TOKEN)
    assert response.status_code == 400
    error = response.get_json()["error"]
    fields = {item["field"] for item in error["errors"]}
    assert {
        "applicant.id_number",
        "applicant.phone",
        "applicant.bank_account",
        "applicant.town",
        "proxy.relation",
        "answers.grade",
    } <= fields
    assert error["field"] == error["errors"][0]["field"] and error["message"]
    assert count(app) == 0


@pytest.mark.parametrize(
    "change, field",
    [
        ({"benefit": "dibao"}, "benefit"),  # applied for offline
        ({"benefit": None}, "benefit"),
        ({"applicant": "李秀英"}, "applicant"),
        ({"proxy": "李明"}, "proxy"),
        ({"answers": [1]}, "answers"),
        ({"answers": {"shoe_size": 42}}, "answers.shoe_size"),
        ({"extra": 1}, "extra"),
        ({"lang": "fr"}, "lang"),
    ],
)
def test_malformed_requests_name_the_field(api, change, field):
    response = api.post("/api/v1/applications", json=body(**change), headers=TOKEN)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert field in [error["field"], *[item["field"] for item in error.get("errors", [])]]


def test_the_certificate_must_belong_to_the_applicant_and_match_the_grade(api):
    other = people.id_number("19700101", sequence="777")
    for certificate, code in (
        (people.certificate_number(other), "applicant.certificate_number"),
        (people.certificate_number(PID, grade="3"), "applicant.certificate_number"),
    ):
        bad = body()
        bad["applicant"] = {**bad["applicant"], "certificate_number": certificate}
        response = api.post("/api/v1/applications", json=bad, headers=TOKEN)
        assert response.status_code == 400
        assert code in [item["field"] for item in response.get_json()["error"]["errors"]]


def test_the_api_is_off_with_the_service(app):
    closed = create_app({**app.config, "PORTAL_FEATURES": "apply=off,status=off", "PORTAL_SERVICE_TOKEN": "test-token"})
    client = closed.test_client()
    assert client.post("/api/v1/applications", json=body(), headers=TOKEN).status_code == 404
    assert client.get(f"/api/v1/applications/{references.new_reference('application')}").status_code == 404
