"""After the reply and around it, with a fixed clock: the petitioner is told of an extension (status page, API and
a notice in the outbox), and a replied case closes when its review window ends, read from the clock (no job or
person moves it)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal.db.models import Notice, Petition
from portal.petitions import escalation
from portal.petitions.workflow import PetitionError
from portal.web.database import db_session
from portal.web.petitions import petitions

from .conftest import csrf_token
from .test_petition_journey import CN, HANDLER, SUPERVISOR, Clock

WHAT = "我们小区门口的盲道被电瓶车占完了，我看不见，天天撞到车上"


@pytest.fixture()
def clock(app):
    fixed = Clock(dt.datetime(2026, 9, 17, 9, 0, tzinfo=CN))
    app.config["PETITION_NOW"] = fixed
    return fixed


def accepted(app, contact=True) -> tuple[str, str]:
    with app.app_context():
        service = petitions()
        petition, code = service.file(
            kind="complaint",
            channel="phone",
            what=WHAT,
            lang="zh",
            contact={"name": "王大爷", "phone": "13800000000"} if contact else None,
        )
        service.accept(HANDLER, petition, petition.version)
        return petition.reference, code


def extend(app, reference: str, approve: bool = True) -> None:
    with app.app_context():
        service = petitions()
        petition = service.session.scalar(select(Petition).where(Petition.reference == reference))
        service.request_extension(HANDLER, petition, petition.version, 30, "需要协调多个部门")
        service.decide_extension(SUPERVISOR, petition, petition.version, approve, "涉及多个部门，需要现场核实")


def status_page(client, reference: str, code: str) -> str:
    data = {"csrf_token": csrf_token(client, "/complaints/status"), "reference": reference, "access_code": code}
    response = client.post("/complaints/status", data=data)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def notices(app, reference: str) -> list[tuple[str, str, str]]:
    with app.app_context():
        petition = db_session().scalar(select(Petition).where(Petition.reference == reference))
        return [(n.kind, n.channel, n.state) for n in petitions().notices(petition)]


def test_an_approved_extension_is_told_on_the_status_page_the_api_and_the_outbox(app, client, clock):
    reference, code = accepted(app)
    assert notices(app, reference) == []
    extend(app, reference)
    html = status_page(client, reference, code)
    assert "书面答复的期限延长了 30 天，延至 2026-12-16" in html
    assert "涉及多个部门，需要现场核实" in html
    body = client.get(f"/api/v1/petitions/{reference}", headers={"X-Access-Code": code}).get_json()
    assert body["deadlines"]["resolve_by"] == "2026-12-16"  # accepted 17 Sep: 60 + 30 days is Wed 16 Dec
    assert body["extension"]["days"] == 30 and body["extension"]["resolve_by"] == "2026-12-16"
    assert body["extension"]["reason"] == "涉及多个部门，需要现场核实"
    assert "2026-12-16" in body["extension"]["message"]
    assert notices(app, reference) == [("petition_extended", "sms", "recorded")]  # recorded, never claimed sent


def test_a_refused_extension_tells_nothing_new_and_queues_nothing(app, client, clock):
    reference, code = accepted(app)
    extend(app, reference, approve=False)
    body = client.get(f"/api/v1/petitions/{reference}", headers={"X-Access-Code": code}).get_json()
    assert body["extension"] is None and body["deadlines"]["resolve_by"] == "2026-11-16"
    assert notices(app, reference) == []


def test_an_anonymous_petitioner_is_told_on_the_status_page_only(app, client, clock):
    reference, code = accepted(app, contact=False)
    extend(app, reference)
    assert "涉及多个部门，需要现场核实" in status_page(client, reference, code)
    assert notices(app, reference) == []
    with app.app_context():
        assert db_session().scalar(select(Notice).where(Notice.petition_id.is_not(None))) is None


def replied(app) -> tuple[str, str]:
    reference, code = accepted(app)
    with app.app_context():
        service = petitions()
        petition = service.session.scalar(select(Petition).where(Petition.reference == reference))
        service.reply(HANDLER, petition, petition.version, "已清理盲道上的车辆，并安排每日巡查。")
        assert petition.review_request_by == "2026-10-19"  # 30 days from 17 Sep is 17 Oct, a Saturday → Monday
    return reference, code


def test_a_replied_case_closes_when_the_review_window_ends(app, client, clock):
    reference, code = replied(app)
    clock.moment = dt.datetime(2026, 10, 19, 23, 30, tzinfo=CN)  # the last day, late: still open
    body = client.get(f"/api/v1/petitions/{reference}", headers={"X-Access-Code": code}).get_json()
    assert (body["status"], body["closed_by"]) == ("replied", None)
    clock.moment = dt.datetime(2026, 10, 20, 0, 5, tzinfo=CN)  # the next day in China time
    body = client.get(f"/api/v1/petitions/{reference}", headers={"X-Access-Code": code}).get_json()
    assert (body["status"], body["closed_by"]) == ("closed", "review_window")
    html = status_page(client, reference, code)
    assert "2026-10-19" in html and 'name="rating"' not in html and 'name="reason"' not in html
    with app.app_context():
        service = petitions()
        petition = service.session.scalar(select(Petition).where(Petition.reference == reference))
        assert petition.status == "replied"  # nothing was written: the clock closes it
        with pytest.raises(PetitionError):
            service.rate(petition, "satisfied")
        with pytest.raises(PetitionError):
            service.request_review(petition, "还是没解决")
        assert service.actions(SUPERVISOR, petition) == []
        assert service.queue(SUPERVISOR, status="closed") == [petition]
        assert service.queue(SUPERVISOR, status="replied") == []


def test_the_escalation_job_never_closes_or_moves_a_case(app, clock):
    reference, _code = replied(app)
    clock.moment = dt.datetime(2026, 11, 30, 9, 0, tzinfo=CN)
    with app.app_context():
        escalation.run(db_session(), now=clock())
        petition = db_session().scalar(select(Petition).where(Petition.reference == reference))
        assert petition.status == "replied" and petition.version == 3
        assert petitions().status_of(petition) == "closed"


def test_a_review_asked_in_time_keeps_it_open(app, client, clock):
    reference, code = replied(app)
    clock.moment = dt.datetime(2026, 10, 19, 9, 0, tzinfo=CN)
    with app.app_context():
        service = petitions()
        petition = service.session.scalar(select(Petition).where(Petition.reference == reference))
        service.request_review(petition, "车子第二天又停回来了")
    clock.moment = dt.datetime(2026, 11, 1, 9, 0, tzinfo=CN)
    body = client.get(f"/api/v1/petitions/{reference}", headers={"X-Access-Code": code}).get_json()
    assert (body["status"], body["closed_by"]) == ("review_requested", None)


def rate_on_the_web(client, reference: str, code: str, rating: str) -> str:
    status_page(client, reference, code)
    token = csrf_token(client, "/complaints/status")
    response = client.post("/complaints/rate", data={"csrf_token": token, "rating": rating})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_which_ratings_close_is_one_content_value_marked_unconfirmed(app, client, clock):
    from .support import staff

    reference, code = replied(app)
    rate_on_the_web(client, reference, code, "basically_satisfied")
    with app.app_context():
        service = petitions()
        closes, confirmed, ask = service.rating_closes()
        assert closes == {"satisfied", "basically_satisfied"} and confirmed is False and ask["zh"]
        petition = service.session.scalar(select(Petition).where(Petition.reference == reference))
        assert (petition.status, service.closed_by(petition)) == ("closed", "rating")
    secret = staff.add(app, "desk.rule", "supervisor")
    desk = app.test_client()
    staff.sign_in(app, desk, "desk.rule", secret)
    page = desk.get(f"/staff/petitions/{reference}").get_data(as_text=True)
    assert "petitions.yml" in page and "12385" in page  # the rule, marked unconfirmed, and who to ask


def test_the_rule_comes_from_content(app, clock):
    import dataclasses

    from portal.petitions.workflow import Petitions

    reference, _code = replied(app)
    with app.app_context():
        service = petitions()
        never = dataclasses.replace(
            service.catalogue, petition_rules={"rating_closes": {"value": [], "confirmed": True}}
        )
        strict = Petitions(service.session, service.sealer, never, now=service.now, storage=service.storage)
        petition = strict.session.scalar(select(Petition).where(Petition.reference == reference))
        strict.rate(petition, "satisfied")
        assert petition.status == "replied" and strict.may_request_review(petition)
        assert strict.rating_closes()[1] is True


def test_a_not_satisfied_rating_keeps_it_open_for_a_review(app, client, clock):
    reference, code = replied(app)
    html = rate_on_the_web(client, reference, code, "dissatisfied")
    assert 'name="reason"' in html  # the review form is offered
