"""The back office end to end: a town clerk accepts and asks for a document, the resident answers on /status, the
clerk forwards, the reviewer recommends, the approver decides; the resident sees each step; the audit has it all."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from portal.db.models import Application, AuditEvent

from .conftest import csrf_token
from .support import files, staff
from .test_apply_journey import PARENT, post
from .test_apply_lifecycle import complete_draft


def submit(client) -> tuple[str, str]:
    reference, code = complete_draft(client)
    assert post(client, "/apply/draft/check", {"true_and_complete": "y", "authority": "y"}).status_code == 302
    return reference, code


def act(client, reference: str, action: str, **fields):
    page = client.get(f"/staff/applications/{reference}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    return client.post(
        f"/staff/applications/{reference}/act",
        data={"csrf_token": staff.token(client), "action": action, "version": version, **fields},
    )


def resident_status(app, reference: str, code: str | None = None):
    browser = app.test_client()
    data = {"csrf_token": csrf_token(browser, "/status"), "reference": reference, "id_number": PARENT}
    if code:
        data["access_code"] = code
    return browser, browser.post("/status", data=data)


def test_the_whole_review(app, client):
    reference, code = submit(client)
    clerk = staff.add(app, "clerk.longgang", "town_clerk", scope="longgang")
    reviewer = staff.add(app, "reviewer.ca", "reviewer", scope="civil-affairs")
    approver = staff.add(app, "approver.ca", "approver", scope="civil-affairs")

    office = app.test_client()
    signed = staff.sign_in(app, office, "clerk.longgang", clerk)
    assert signed.status_code == 302 and signed.headers["Location"].endswith("/staff")
    queue = office.get("/staff").get_data(as_text=True)
    assert reference in queue and PARENT not in queue and PARENT[:4] + "*" in queue
    case = office.get(f"/staff/applications/{reference}").get_data(as_text=True)
    assert "李秀英" in case and "eligible" in case  # the stored result beside today's
    assert 'value="approve"' not in case  # a clerk is offered only a clerk's actions
    assert act(office, reference, "accept").status_code == 302
    asked = act(office, reference, "request_info", message="请补传户口簿本人页。")
    assert asked.status_code == 302

    browser, page = resident_status(app, reference, code)
    html = page.get_data(as_text=True)
    assert "请补传户口簿本人页。" in html and 'action="/status/answer"' in html
    answered = browser.post(
        "/status/answer",
        data={
            "csrf_token": csrf_token(browser, "/status"),
            "message": "已补传。",
            "files": [(io.BytesIO(files.png()), "本人页.png")],
        },
        content_type="multipart/form-data",
    )
    assert answered.status_code == 200 and "已补传" not in answered.get_data(as_text=True).split("<main")[0]

    case = office.get(f"/staff/applications/{reference}").get_data(as_text=True)
    assert "已补传。" in case and "本人页.png" in case
    document_id = re.search(rf"/staff/applications/{reference}/files/(\d+)", case).group(1)
    viewed = office.get(f"/staff/applications/{reference}/files/{document_id}")
    assert viewed.status_code == 200 and viewed.headers["Cache-Control"] == "no-store"
    assert act(office, reference, "forward").status_code == 302

    review_office = app.test_client()
    staff.sign_in(app, review_office, "reviewer.ca", reviewer)
    assert reference in review_office.get("/staff").get_data(as_text=True)
    assert act(review_office, reference, "recommend", message="符合条件。", outcome="approve").status_code == 302

    approve_office = app.test_client()
    staff.sign_in(app, approve_office, "approver.ca", approver)
    no_basis = act(approve_office, reference, "approve", message="您符合重度残疾人护理补贴的条件。")
    assert no_basis.status_code == 302
    assert "依据" in approve_office.get(f"/staff/applications/{reference}").get_data(as_text=True)
    decided = act(
        approve_office, reference, "approve", message="您符合重度残疾人护理补贴的条件。", basis="国发〔2015〕52号"
    )
    assert decided.status_code == 302

    _browser, page = resident_status(app, reference, code)
    html = page.get_data(as_text=True)
    for words in (
        "镇街已受理",
        "已补充",
        "转交审核",
        "审批结果：已批准",
        "您符合重度残疾人护理补贴的条件。",
        "国发〔2015〕52号",
        "行政复议",
    ):
        assert words in html, words
    with app.app_context():
        from portal.web.database import db_session

        application = db_session().scalars(select(Application)).one()
        assert application.status == "approved"
        actions = db_session().scalars(select(AuditEvent.action).where(AuditEvent.subject == reference)).all()
        for expected in (
            "application.accept",
            "application.request_info",
            "application.request_answered",
            "application.forward",
            "application.recommend",
            "application.approve",
            "application.viewed_case",
            f"application.viewed_document:{document_id}",
        ):
            assert expected in actions, expected
        signins = db_session().scalars(select(AuditEvent.actor).where(AuditEvent.action == "signin")).all()
        assert set(signins) == {"staff:clerk.longgang", "staff:reviewer.ca", "staff:approver.ca"}
