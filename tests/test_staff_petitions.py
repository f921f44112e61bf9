"""Petitions in the back office: the queue per department with the clock in words, the case page with why it went
where, accept and reply through the pages, the supervisor's phone log and alerts, and scope."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from portal.db.models import Petition
from portal.petitions import escalation
from portal.web.database import db_session

from .support import staff

CN = dt.timezone(dt.timedelta(hours=8))


def signed(app, username, *roles, scope=None):
    secret = staff.add(app, username, *roles, scope=scope)
    client = app.test_client()
    assert staff.sign_in(app, client, username, secret).status_code == 302
    return client


def file(app, what="盲道被占用了，走不得"):
    with app.app_context():
        from portal.web.petitions import petitions

        petition, _code = petitions().file(kind="complaint", channel="web", what=what, lang="zh")
        return petition.reference


def test_the_handler_sees_the_clock_in_words_accepts_and_replies(app):
    app.config["PETITION_NOW"] = lambda: dt.datetime(2026, 9, 1, 9, tzinfo=CN)
    reference = file(app)
    handler = signed(app, "cg.handler", "petition_handler", scope="urban-management")
    app.config["PETITION_NOW"] = lambda: dt.datetime(2026, 9, 13, 9, tzinfo=CN)  # due 16 September
    queue = handler.get("/staff/petitions").get_data(as_text=True)
    assert reference in queue and "还剩 3 天受理" in queue
    page = handler.get(f"/staff/petitions/{reference}").get_data(as_text=True)
    assert "盲道被占" in page and "区住房城乡建委" in page  # the words that matched, the task's other leads
    token = staff.token(handler, f"/staff/petitions/{reference}")
    response = handler.post(f"/staff/petitions/{reference}/act",
                            data={"csrf_token": token, "action": "accept", "version": "1"})  # fmt: skip
    assert response.status_code == 302
    assert "还剩 60 天答复" in handler.get("/staff/petitions").get_data(as_text=True)
    reply = {"csrf_token": token, "action": "reply", "version": "2", "text": "已清理。"}
    assert handler.post(f"/staff/petitions/{reference}/act", data=reply).status_code == 302
    with app.app_context():
        assert db_session().scalar(select(Petition)).status == "replied"


def test_another_department_cannot_open_it(app):
    app.config["PETITION_NOW"] = lambda: dt.datetime(2026, 9, 1, 9, tzinfo=CN)
    reference = file(app)
    other = signed(app, "mz.handler", "petition_handler", scope="civil-affairs")
    assert reference not in other.get("/staff/petitions").get_data(as_text=True)
    assert other.get(f"/staff/petitions/{reference}").status_code == 404
    token = staff.token(other, "/staff/petitions")
    response = other.post(f"/staff/petitions/{reference}/act",
                          data={"csrf_token": token, "action": "accept", "version": "1"})  # fmt: skip
    assert response.status_code == 404
    clerk = signed(app, "clerk", "town_clerk", scope="longgang")
    assert clerk.get("/staff/petitions").status_code == 403


def test_the_supervisor_logs_a_call_and_sees_triage_and_escalations(app):
    app.config["PETITION_NOW"] = lambda: dt.datetime(2026, 9, 1, 9, tzinfo=CN)
    supervisor = signed(app, "desk", "supervisor")
    token = staff.token(supervisor, "/staff/petitions/phone")
    call = {"csrf_token": token, "kind": "complaint", "what": "有个事想反映一下", "name": "", "phone": ""}
    logged = supervisor.post("/staff/petitions/phone", data=call)
    assert logged.status_code == 200
    reference = re.search(r"C[0-9A-Z]{3}-[0-9A-Z]{4}", logged.get_data(as_text=True)).group(0)
    with app.app_context():
        petition = db_session().scalar(select(Petition).where(Petition.reference == reference))
        assert (petition.channel, petition.department, petition.anonymous) == ("phone", "triage", True)
        escalation.run(db_session(), dt.datetime(2026, 9, 20, tzinfo=CN))
    queue = supervisor.get("/staff/petitions").get_data(as_text=True)
    assert reference in queue and "待分办（12385 工作台）" in queue
    assert "2026-09-16" in queue  # the escalation
