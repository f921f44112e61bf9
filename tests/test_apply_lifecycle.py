"""Save and return, expiry, exactly-once submit, lookups that leak nothing, withdrawal, and the apply links."""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from portal import create_app
from portal.applications.workflow import Applications
from portal.db.models import Application, ServerSession

from .conftest import csrf_token
from .support import files, people
from .test_apply_journey import CHILD, PARENT, answer_facts, fill_applicant, post, start_draft


def db(app):
    from portal.web.database import db_session

    return db_session()


def rows(app, model) -> int:
    with app.app_context():
        return db(app).scalar(select(func.count()).select_from(model))


def complete_draft(client) -> tuple[str, str]:
    reference, code = start_draft(client)
    fill_applicant(client)
    answer_facts(client)
    post(client, "/apply/draft/details/certificate-number", {"certificate_number": people.certificate_number(PARENT)})
    post(client, "/apply/draft/details/bank", {"bank_name": "农商行", "bank_account": "622848001234567890"})
    for document, upload in (("identity", files.png()), ("certificate", files.pdf())):
        response = post(
            client,
            f"/apply/draft/documents/{document}",
            {"files": [(io.BytesIO(upload), "p.png")]},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    return reference, code


def test_the_draft_says_when_it_will_be_deleted_and_is_gone_after_30_days(app, client):
    reference, code = start_draft(client)
    fill_applicant(client)
    page = client.get("/apply/draft").get_data(as_text=True)
    assert reference in page and ("2027" in page or "2026" in page)
    with app.app_context():
        application = db(app).scalars(select(Application)).one()
        expires = application.expires_at.replace(tzinfo=timezone.utc)
        assert timedelta(days=29, hours=23) < expires - datetime.now(timezone.utc) <= timedelta(days=30)
        application.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
        db(app).commit()
    other = app.test_client()
    response = other.post(
        "/apply/resume",
        data={
            "csrf_token": csrf_token(other, "/apply/resume"),
            "reference": reference,
            "id_number": PARENT,
            "access_code": code,
        },
    )
    assert response.status_code == 400 and "没有找到与这些信息相符的申请" in response.get_data(as_text=True)
    with app.app_context():
        service = Applications(
            db(app), app.extensions["sealer"], app.extensions["document_storage"], app.extensions["catalogue"]
        )
        assert service.purge_expired_drafts() == 1
    assert rows(app, Application) == 0


def test_after_30_idle_minutes_this_browser_must_prove_it_again(app, client):
    reference, code = start_draft(client)
    with app.app_context():
        for row in db(app).scalars(select(ServerSession).where(ServerSession.kind == "draft")):
            row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
        db(app).commit()
    response = client.get("/apply/draft")
    assert response.status_code == 302 and response.headers["Location"].endswith("/apply/resume")
    assert "30" in client.get("/apply/resume").get_data(as_text=True)
    resumed = client.post(
        "/apply/resume",
        data={
            "csrf_token": csrf_token(client, "/apply/resume"),
            "reference": reference,
            "id_number": "",
            "access_code": code,
        },
    )
    assert resumed.status_code == 400  # the ID number is needed too


def test_leaving_on_a_shared_computer_forgets_the_draft_here_only(app, client):
    _reference, _code = start_draft(client)
    assert post(client, "/apply/draft/leave", {}).status_code == 302
    assert client.get("/apply/draft").status_code == 302
    assert rows(app, Application) == 1


def test_concurrent_submits_file_one_application(app, client):
    _reference, _code = complete_draft(client)
    token = csrf_token(client, "/apply/draft/check")
    cookie = client.get_cookie("session")
    results = []
    barrier = threading.Barrier(3)

    def submit():
        browser = app.test_client()
        browser.set_cookie("session", cookie.value)
        barrier.wait()
        response = browser.post(
            "/apply/draft/check", data={"csrf_token": token, "true_and_complete": "y", "authority": "y"}
        )
        results.append(response.status_code)

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [302, 302, 302]
    with app.app_context():
        application = db(app).scalars(select(Application)).one()
        assert application.status == "submitted"
        assert [e.status for e in application.events].count("submitted") == 1


def test_the_declaration_is_required(app, client):
    complete_draft(client)
    response = post(client, "/apply/draft/check", {"authority": "y"})
    assert response.status_code == 400 and "error-summary" in response.get_data(as_text=True)
    assert "<title>错误：" in response.get_data(as_text=True)  # the title says so
    with app.app_context():
        assert db(app).scalars(select(Application)).one().status == "draft"


def test_a_draft_that_is_not_complete_cannot_be_sent(app, client):
    start_draft(client)
    response = client.get("/apply/draft/check")
    assert response.status_code == 302 and "/apply/draft/details/who" in response.headers["Location"]


def test_status_lookups_leak_nothing(app, client):
    reference, _code = complete_draft(client)
    post(client, "/apply/draft/check", {"true_and_complete": "y", "authority": "y"})
    other = app.test_client()
    token = csrf_token(other, "/status")

    def look(ref, pid, access=""):
        return other.post(
            "/status", data={"csrf_token": token, "reference": ref, "id_number": pid, "access_code": access}
        )

    good = look(reference, PARENT)
    assert good.status_code == 200 and "李秀英" not in good.get_data(as_text=True)
    assert "/status/withdraw" not in good.get_data(as_text=True)  # no withdrawing without the access code
    from portal.applications import references

    failures = [
        look(references.new_reference("application"), PARENT),
        look(reference, CHILD),
        look(reference, PARENT, "2222-2222"),
    ]
    bodies = {f.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0] for f in failures}
    assert {f.status_code for f in failures} == {400} and len(bodies) == 1
    assert "没有找到与这些信息相符的申请" in bodies.pop()


def test_lookups_are_limited_per_reference(app, client):
    from portal.applications import references

    target = references.new_reference("application")
    other = app.test_client()
    token = csrf_token(other, "/status")
    codes = [
        other.post("/status", data={"csrf_token": token, "reference": target, "id_number": PARENT}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [400] * 10 and codes[10] == 429
    fresh = app.test_client()  # another address would be limited the same way: the limit is the reference's
    assert (
        fresh.post(
            "/status", data={"csrf_token": csrf_token(fresh, "/status"), "reference": target, "id_number": PARENT}
        ).status_code
        == 429
    )


def test_withdrawing_with_the_access_code(app, client):
    reference, code = complete_draft(client)
    post(client, "/apply/draft/check", {"true_and_complete": "y", "authority": "y"})
    other = app.test_client()
    token = csrf_token(other, "/status")
    page = other.post(
        "/status", data={"csrf_token": token, "reference": reference, "id_number": PARENT, "access_code": code}
    ).get_data(as_text=True)
    assert "/status/withdraw" in page
    confirm = other.post("/status/withdraw", data={"csrf_token": token})
    assert "确定" in confirm.get_data(as_text=True) or "withdraw" in confirm.get_data(as_text=True).lower()
    done = other.post("/status/withdraw", data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 200
    with app.app_context():
        assert db(app).scalars(select(Application)).one().status == "withdrawn"


def test_a_child_under_14_needs_a_guardians_consent(app, client):
    child = people.id_number("20180601", sequence="321")
    start_draft(client, "child-rehab")
    post(client, "/apply/draft/details/who", {"who": "proxy"})
    post(
        client,
        "/apply/draft/details/proxy",
        {"proxy_name": "王芳", "relation": "guardian", "proxy_id_number": CHILD, "proxy_phone": "13900001234"},
    )
    post(client, "/apply/draft/details/name", {"name": "王小宝"})
    post(client, "/apply/draft/details/id-number", {"id_number": child})
    post(client, "/apply/draft/details/phone", {"phone": "13900001234"})
    post(client, "/apply/draft/details/address", {"town": "zhifeng", "village": "某社区", "address": "1号"})
    import re

    for _ in range(10):
        page = client.get("/apply/draft").get_data(as_text=True)
        match = re.search(r'href="/apply/draft/facts/([a-z_]+)"', page)
        if not match:
            break
        post(client, f"/apply/draft/facts/{match.group(1)}", {"skip": "1"} if match.group(1) != "exclusions" else {})
    post(
        client,
        "/apply/draft/documents/identity",
        {"files": [(io.BytesIO(files.png()), "a.png")]},
        content_type="multipart/form-data",
    )
    check = client.get("/apply/draft/check")
    assert check.status_code == 200, check.headers.get("Location")
    assert 'name="guardian"' in check.get_data(as_text=True)
    refused = post(client, "/apply/draft/check", {"true_and_complete": "y", "authority": "y"})
    assert refused.status_code == 400
    accepted = post(client, "/apply/draft/check", {"true_and_complete": "y", "authority": "y", "guardian": "y"})
    assert accepted.status_code == 302


def test_answers_given_to_the_checker_are_not_asked_again(app, client):
    token = csrf_token(client, "/eligibility")
    client.post("/eligibility/start", data={"csrf_token": token, "benefit": "nursing-subsidy"})
    for name, value in (("hukou", "dazu"), ("certificate", "yes"), ("category", "physical"), ("grade", "1")):
        client.post(f"/eligibility/questions/{name}", data={"csrf_token": token, "answer": value})
    results = client.get("/eligibility/results").get_data(as_text=True)
    start_draft(client)
    fill_applicant(client)
    page = client.get("/apply/draft").get_data(as_text=True)
    assert "/apply/draft/facts/hukou" not in page and "/apply/draft/facts/grade" not in page
    assert results  # the results page rendered


def test_apply_links_follow_the_features_registry(app, client):
    page = client.get("/policies/nursing-subsidy").get_data(as_text=True)
    assert 'href="/apply/nursing-subsidy"' in page
    assert client.get("/api/v1/policies/nursing-subsidy").get_json()["apply_url"] == "/apply/nursing-subsidy"
    assert 'href="/apply/dibao"' not in client.get("/policies/dibao").get_data(as_text=True)  # applied for offline
    closed = create_app({**app.config, "PORTAL_FEATURES": "apply.nursing-subsidy=off"}).test_client()
    assert closed.get("/apply/nursing-subsidy").status_code == 404
    assert 'href="/apply/nursing-subsidy"' not in closed.get("/policies/nursing-subsidy").get_data(as_text=True)
    assert closed.get("/api/v1/policies/nursing-subsidy").get_json()["apply_url"] is None
    assert closed.get("/apply/fuel-subsidy").status_code == 200
    dark = create_app({**app.config, "PORTAL_FEATURES": "apply=staff"}).test_client()
    assert dark.get("/apply").status_code == 404 and "网上申请暂未开通" in dark.get("/").get_data(as_text=True)


def test_the_purge_command(app, client):
    start_draft(client)
    with app.app_context():
        db(app).scalars(select(Application)).one().expires_at = datetime.now(timezone.utc) - timedelta(days=1)
        db(app).commit()
    result = app.test_cli_runner().invoke(args=["maintenance", "purge"])
    assert "deleted 1 expired draft(s)" in result.output
    assert rows(app, Application) == 0


def test_exclusions_answered_in_the_checker_are_carried_as_one_question(app, client):
    """The checker asks 孤儿 and 工伤护理费 as one question; carried into an application they count as that
    question answered, and the check-answers page shows it (it was a 500 when they were carried one by one)."""
    token = csrf_token(client, "/eligibility")
    client.post("/eligibility/start", data={"csrf_token": token, "benefit": "nursing-subsidy"})
    answers = (("hukou", "dazu"), ("certificate", "yes"), ("category", "physical"), ("grade", "2"))
    for name, value in answers:
        client.post(f"/eligibility/questions/{name}", data={"csrf_token": token, "answer": value})
    client.post("/eligibility/questions/exclusions", data={"csrf_token": token, "answer": "work_injury_nursing"})
    start_draft(client)
    fill_applicant(client)
    page = client.get("/apply/draft").get_data(as_text=True)
    assert "/apply/draft/facts/exclusions" not in page and "/apply/draft/facts/work_injury_nursing" not in page
    check = client.get("/apply/draft/check")
    assert check.status_code in (200, 302), check.status_code
