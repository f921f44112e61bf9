"""12385 petitions in the back office: the queue per department with the clock in words, a case page with why it
went where and only the actions this member of staff may take, the alerts of the escalation job, and the
supervisor's page to log a phone call. Every step is a domain transition (``portal.petitions.workflow``)."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from ... import audit
from ...accounts.permissions import can
from ...db.models import Petition, PetitionAlert
from ...forms import CsrfOnlyForm
from ...forms.complaints import RATING_LABELS
from ...petitions import clock
from ...petitions.workflow import KINDS, STATUSES, PetitionError
from ...web.applications import origin
from ...web.database import db_session
from ...web.i18n import current_lang
from ...web.petitions import petitions
from ...web.ratelimits import per_address
from ...web.services import catalogue
from ...web.staff_auth import requires, signed_in_staff
from ..complaints import note_labels, status_labels
from . import bp

ACTION_LABELS = {
    "accept": _l("Accept (受理)"),
    "decline": _l("Do not accept, with the reason and where to go instead"),
    "transfer": _l("Transfer to another department (转办)"),
    "reply": _l("Give the written reply"),
    "request_extension": _l("Ask the supervisor for more time (at most 30 days)"),
    "approve_extension": _l("Approve the extension"),
    "refuse_extension": _l("Refuse the extension"),
    "review_request": _l("Record a request for a review (复查) made by phone or in person"),
    "review_reply": _l("Record the answer to the review (复查)"),
}
ERRORS = {
    "wrong_state": _l("This action is not possible in the case's present state."),
    "not_allowed": _l("Your role cannot take this action on this case."),
    "changed_meanwhile": _l("Someone else changed this case while you were looking at it. Here it is as it is now."),
    "reason_needed": _l("Write the reason (or the reply) the petitioner will read."),
    "too_long": _l("This is too long."),
    "department": _l("Choose another department."),
    "extension_days": _l("An extension is 1 to 30 days."),
    "review_window": _l("A review can be asked for within 30 days of the reply."),
}


def clock_words(petition: Petition, now: dt.datetime) -> str | None:
    """The clock in words: “还剩 3 天受理”."""
    current = petitions().current_deadline(petition)
    if current is None:
        return None
    which, due = current
    left = clock.days_left(dt.date.fromisoformat(due), now)
    if left < 0:
        words = {
            "acknowledge_by": ngettext("%(num)d day overdue to accept", "%(num)d days overdue to accept", -left),
            "resolve_by": ngettext("%(num)d day overdue to reply", "%(num)d days overdue to reply", -left),
            "review_reply_by": ngettext(
                "%(num)d day overdue to answer the review", "%(num)d days overdue to answer the review", -left
            ),
        }
    else:
        words = {
            "acknowledge_by": ngettext("%(num)d day left to accept", "%(num)d days left to accept", left),
            "resolve_by": ngettext("%(num)d day left to reply", "%(num)d days left to reply", left),
            "review_reply_by": ngettext(
                "%(num)d day left to answer the review", "%(num)d days left to answer the review", left
            ),
        }
    text = words[which]
    if petition.provisional:
        text += " " + _("(provisional)")
    return text


def _department(department: str) -> str:
    if department == "triage":
        return _("Triage (12385 desk)")
    found = catalogue().department(department)
    return found.name.get(current_lang()) if found else department


@bp.get("/petitions")
@requires("petitions.view")
def petition_queue():
    staff = signed_in_staff()
    service = petitions()
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    rows = service.queue(staff, status=status, limit=200)
    recipients = ["supervisor"] if "supervisor" in staff.roles else []
    if staff.scope:
        recipients.append(staff.scope)
    alerts = (
        db_session()
        .scalars(
            select(PetitionAlert)
            .where(PetitionAlert.recipient.in_(recipients))
            .order_by(PetitionAlert.id.desc())
            .limit(50)
        )
        .all()
    )
    references = {
        p.id: p.reference
        for p in db_session().scalars(
            select(Petition).where(Petition.id.in_([a.petition_id for a in alerts if a.petition_id]))
        )
    }
    now = service.now()
    return render_template(
        "staff/petitions.html",
        rows=[(p, clock_words(p, now), _department(p.department)) for p in rows],
        alerts=alerts,
        alert_refs=references,
        status_labels=status_labels(),
        status_of=service.status_of,
        statuses=STATUSES,
        status=status,
        can_log_call=can(staff, "petitions.supervise"),
    )


def _rating_rule() -> dict[str, object]:
    """Which ratings close a case, in words, and whether that rule is confirmed (content/petitions.yml)."""
    closes, confirmed, ask = petitions().rating_closes()
    return {
        "closes": ("、" if current_lang() == "zh" else ", ").join(
            str(RATING_LABELS[r]) for r in RATING_LABELS if r in closes
        ),
        "confirmed": confirmed,
        "ask": ask.get(current_lang()) or ask.get("zh") or "",
    }


def _case(reference: str) -> Petition:
    staff = signed_in_staff()
    petition = db_session().scalar(select(Petition).where(Petition.reference == reference))
    if petition is None or not petitions().may_open(staff, petition):
        abort(404)
    return petition


@bp.get("/petitions/<reference>")
@requires("petitions.view")
def petition_case(reference: str):
    petition = _case(reference)
    staff = signed_in_staff()
    service = petitions()
    audit.record(db_session(), staff.actor, "petition.viewed", petition.reference, origin())
    db_session().commit()
    routing = service.routing(petition)
    task = next((t for t in catalogue().tasks if t.number == petition.task), None)
    return render_template(
        "staff/petition.html",
        petition=petition,
        details=service.details(petition),
        routing=routing,
        task=task,
        also=[_department(d) for d in routing.get("also", [])],
        department=_department(petition.department),
        status_label=status_labels()[service.status_of(petition)],
        closed_by=service.closed_by(petition),
        rating_rule=_rating_rule(),
        clock_text=clock_words(petition, service.now()),
        deadlines=service.deadlines(petition),
        history=[
            {**row, "at_text": row["at"].astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M")}
            for row in service.history(petition, staff_view=True)
        ],
        notes=note_labels(),
        actions=service.actions(staff, petition),
        action_labels=ACTION_LABELS,
        departments=[d for d in catalogue().departments if d.id != petition.department],
        form=CsrfOnlyForm(),
    )


@bp.post("/petitions/<reference>/act")
@requires("petitions.view")
@per_address("staff")
def petition_act(reference: str):
    CsrfOnlyForm().validate_on_submit()
    petition = _case(reference)
    staff = signed_in_staff()
    service = petitions()
    action = request.form.get("action", "")
    version = request.form.get("version", type=int) or 0
    text = request.form.get("text", "")
    where = origin()
    try:
        if action == "accept":
            service.accept(staff, petition, version, where)
        elif action == "decline":
            service.decline(staff, petition, version, text, where)
        elif action == "transfer":
            service.transfer(staff, petition, version, request.form.get("department", ""), text, where)
        elif action == "reply":
            service.reply(staff, petition, version, text, where)
        elif action == "request_extension":
            service.request_extension(staff, petition, version, request.form.get("days", type=int) or 0, text, where)
        elif action in ("approve_extension", "refuse_extension"):
            service.decide_extension(staff, petition, version, action == "approve_extension", text, where)
        elif action == "review_request":
            service.request_review(petition, text, actor=staff.actor, origin=where)
        elif action == "review_reply":
            service.review_reply(staff, petition, version, text, where)
        else:
            raise PetitionError("wrong_state")
    except PetitionError as error:
        flash(str(ERRORS.get(error.code, ERRORS["wrong_state"])), "error")
        return redirect(url_for("staff.petition_case", reference=reference))
    flash(_("Done: the petition is now “%(status)s”.", status=status_labels()[petition.status]), "success")
    if not service.may_open(staff, petition):  # transferred out of this member of staff's scope
        return redirect(url_for("staff.petition_queue"))
    return redirect(url_for("staff.petition_case", reference=reference))


@bp.get("/petitions/<reference>/files/<int:file_id>")
@requires("petitions.view")
def petition_file(reference: str, file_id: int):
    petition = _case(reference)
    staff = signed_in_staff()
    found = petitions().file_bytes(petition, file_id)
    if found is None:
        abort(404)
    row, data = found
    audit.record(db_session(), staff.actor, f"petition.viewed_document:{file_id}", petition.reference, origin())
    db_session().commit()
    disposition = "inline" if row.content_type.startswith("image/") else "attachment"
    response = Response(data, mimetype=row.content_type)
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''petition-file-{file_id}"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/petitions/phone", methods=["GET", "POST"])
@requires("petitions.supervise")
@per_address("staff", methods=["POST"])
def petition_phone():
    """The 12385 desk logs a phone call as a petition (channel ``phone``)."""
    form = CsrfOnlyForm()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        staff = signed_in_staff()
        name, phone = request.form.get("name", "").strip(), request.form.get("phone", "").strip()
        kind = request.form.get("kind") if request.form.get("kind") in KINDS else "complaint"
        try:
            petition, code = petitions().file(
                kind=kind,
                channel="phone",
                what=request.form.get("what", ""),
                where=request.form.get("where", ""),
                contact={"name": name[:50], "phone": phone[:30]} if name or phone else None,
                lang=current_lang(),
                actor=staff.actor,
                origin=origin(),
            )
        except PetitionError:
            error = _("Write what the caller said.")
        else:
            return render_template("staff/petition_logged.html", petition=petition, code=code)
    return render_template("staff/petition_phone.html", form=form, error=error, kinds=KINDS), 400 if error else 200
