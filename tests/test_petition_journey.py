"""A petition from the web form (no JavaScript) to the review, across the National Day holiday, with a fixed
clock: routed to the right department, accepted and answered by its handler, rated, reviewed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from portal.accounts.permissions import Staff
from portal.db.models import AuditEvent, Petition
from portal.petitions.workflow import PetitionError
from portal.web.database import db_session
from portal.web.petitions import petitions

from .conftest import csrf_token

CN = dt.timezone(dt.timedelta(hours=8))
HANDLER = Staff(1, "cg.handler", frozenset({"petition_handler"}), "urban-management")
OTHER = Staff(2, "mz.handler", frozenset({"petition_handler"}), "civil-affairs")
SUPERVISOR = Staff(3, "desk", frozenset({"supervisor"}), None)


class Clock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


@pytest.fixture()
def clock(app):
    fixed = Clock(dt.datetime(2026, 9, 17, 9, 0, tzinfo=CN))
    app.config["PETITION_NOW"] = fixed
    return fixed


def file_on_the_web(client, **fields):
    data = {"csrf_token": csrf_token(client, "/complaints"), "kind": "complaint",
            "what": "我们小区门口的盲道被电瓶车占完了，我看不见，天天撞到车上", "where": "龙岗街道",
            "reply": "contact", "name": "王大爷", "phone": "13800000000", **fields}  # fmt: skip
    return client.post("/complaints", data=data)


def test_the_form_is_there_and_linked_from_home(client):
    page = client.get("/complaints")
    assert page.status_code == 200 and 'name="what"' in page.get_data(as_text=True)
    assert "/complaints" in client.get("/").get_data(as_text=True)


def test_a_contact_needs_a_name_and_a_valid_phone(client, clock):
    response = file_on_the_web(client, name="", phone="123")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html


def test_anonymous_filing_needs_no_contact(app, client, clock):
    response = file_on_the_web(client, reply="anonymous", name="", phone="")
    assert response.status_code == 200
    with app.app_context():
        assert db_session().scalar(select(Petition)).anonymous is True


def test_the_whole_journey(app, client, clock):
    response = file_on_the_web(client)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    reference = re.search(r"C[0-9A-Z]{3}-[0-9A-Z]{4}", html).group(0)
    code = re.findall(r'<strong class="reference">([^<]+)</strong>', html)[1]
    assert "2026-10-08" in html  # day 15 is 2 October, in the holiday: moved to the first working day after it
    with app.app_context():
        service = petitions()
        petition = service.session.scalar(select(Petition).where(Petition.reference == reference))
        assert (petition.department, petition.task, petition.channel) == ("urban-management", 27, "web")
        assert service.queue(HANDLER) == [petition] and service.queue(OTHER) == []
        assert service.actions(OTHER, petition) == []
        with pytest.raises(PetitionError):
            service.accept(OTHER, petition, petition.version)
        clock.moment = dt.datetime(2026, 9, 20, 9, 0, tzinfo=CN)
        service.accept(HANDLER, petition, petition.version)
        assert petition.status == "accepted" and petition.resolve_by == "2026-11-19"  # 60 days after 20 September
        with pytest.raises(PetitionError) as stale:
            service.reply(HANDLER, petition, petition.version - 1, "已处理")
        assert stale.value.code == "changed_meanwhile"
        petition = service.session.scalar(select(Petition).where(Petition.reference == reference))
        service.request_extension(HANDLER, petition, petition.version, 30, "需要协调多个部门")
        assert "approve_extension" not in service.actions(HANDLER, petition)
        service.decide_extension(SUPERVISOR, petition, petition.version, True, "同意延期")
        assert petition.resolve_by == "2026-12-21"  # 90 days after 20 September is Sat 19 December → Monday
        clock.moment = dt.datetime(2026, 10, 9, 15, 0, tzinfo=CN)
        service.reply(HANDLER, petition, petition.version, "已清理盲道上的车辆，并安排每日巡查。")
        assert petition.status == "replied" and petition.review_request_by == "2026-11-09"  # Sun 8 Nov → Mon
        actions = [a for (a,) in service.session.execute(
            select(AuditEvent.action).where(AuditEvent.subject == reference).order_by(AuditEvent.id))]  # fmt: skip
        assert actions == ["petition.filed", "petition.accepted", "petition.extension_requested",
                           "petition.extension_approved", "petition.replied"]  # fmt: skip
    shown = client.post("/complaints/status", data={"csrf_token": csrf_token(client, "/complaints/status"),
                                                     "reference": reference, "access_code": code})  # fmt: skip
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "已清理盲道上的车辆" in html and 'name="rating"' in html
    token = csrf_token(client, "/complaints/status")
    assert client.post("/complaints/rate", data={"csrf_token": token, "rating": "dissatisfied"}).status_code == 200
    clock.moment = dt.datetime(2026, 10, 20, 9, 0, tzinfo=CN)
    asked = client.post("/complaints/review", data={"csrf_token": token, "reason": "车子第二天又停回来了"})
    assert asked.status_code == 200
    with app.app_context():
        service = petitions()
        petition = service.session.scalar(select(Petition).where(Petition.reference == reference))
        assert petition.status == "review_requested" and petition.rating == "dissatisfied"
        assert petition.review_reply_by == "2026-11-19"
        service.review_reply(SUPERVISOR, petition, petition.version, "复查意见：维持原处理并加强巡查。")
        assert petition.status == "review_replied"


def test_a_review_after_the_window_is_refused(app, clock):
    with app.app_context():
        service = petitions()
        petition, _code = service.file(kind="complaint", channel="phone", what="新修的楼没得坡道", lang="zh")
        assert petition.department == "housing-construction"
        handler = Staff(4, "jw", frozenset({"petition_handler"}), "housing-construction")
        service.accept(handler, petition, petition.version)
        service.reply(handler, petition, petition.version, "已要求建设单位整改。")
        assert service.actions(SUPERVISOR, petition) == ["review_request"]  # recorded for a caller, in the window
        clock.moment += dt.timedelta(days=40)
        assert service.actions(SUPERVISOR, petition) == []
        with pytest.raises(PetitionError) as refused:
            service.request_review(petition, "没有整改")
        assert refused.value.code == "review_window"


def test_a_transfer_needs_a_reason_and_stays_in_the_history(app, clock):
    with app.app_context():
        service = petitions()
        petition, _code = service.file(kind="complaint", channel="phone", what="有个事想反映一下", lang="zh")
        assert petition.department == "triage" and service.actions(SUPERVISOR, petition) == ["transfer"]
        with pytest.raises(PetitionError):
            service.transfer(SUPERVISOR, petition, petition.version, "civil-affairs", "")
        service.transfer(SUPERVISOR, petition, petition.version, "civil-affairs", "电话核实后是低保问题")
        assert petition.department == "civil-affairs"
        assert [row["note"] for row in service.history(petition)] == ["routed_triage", "transferred"]
        assert service.actions(OTHER, petition) == ["accept", "decline", "transfer"]


def test_photos_are_checked_sealed_and_shown_to_staff_only(app, client, clock):
    import io

    from .support import files, staff

    bad = file_on_the_web(client, photos=[(io.BytesIO(b"not a photo"), "x.txt")])
    assert bad.status_code == 400 and "x.txt" in bad.get_data(as_text=True)
    photo = files.jpeg_with_gps()
    response = file_on_the_web(client, photos=[(io.BytesIO(photo), "盲道.jpg")])
    assert response.status_code == 200
    reference = re.search(r"C[0-9A-Z]{3}-[0-9A-Z]{4}", response.get_data(as_text=True)).group(0)
    with app.app_context():
        petition = db_session().scalar(select(Petition).where(Petition.reference == reference))
        assert len(petition.files) == 1 and petition.files[0].content_type == "image/jpeg"
        file_id = petition.files[0].id
    secret = staff.add(app, "cg.photo", "petition_handler", scope="urban-management")
    handler = app.test_client()
    staff.sign_in(app, handler, "cg.photo", secret)
    shown = handler.get(f"/staff/petitions/{reference}/files/{file_id}")
    assert shown.status_code == 200 and shown.data[:2] == b"\xff\xd8" and b"GPS" not in shown.data
    assert client.get(f"/staff/petitions/{reference}/files/{file_id}").status_code == 302  # a visitor: sign in
