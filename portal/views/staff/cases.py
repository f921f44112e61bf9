"""A case: the applicant's answers, the documents (each view audited), the stored eligibility result beside the
engine's result on today's facts, the history, requests and answers, internal notes, and only the actions this
member of staff may take now."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...applications.review import Review
from ...applications.workflow import WorkflowError
from ...db.models import Application
from ...forms import CsrfOnlyForm
from ...web.application_status import STATUS_LABELS, history
from ...web.applications import applications, origin
from ...web.database import db_session
from ...web.i18n import current_lang
from ...web.ratelimits import per_address
from ...web.services import catalogue
from ...web.staff_auth import requires, signed_in_staff
from ..apply_summary import answer_rows
from . import bp

ACTION_LABELS = {
    "accept": _l("Accept (受理)"),
    "request_info": _l("Ask the resident for more information"),
    "forward": _l("Forward for review"),
    "recommend": _l("Recommend a decision"),
    "approve": _l("Approve"),
    "reject": _l("Reject"),
}
ERRORS = {
    "wrong_state": _l("This action is not possible in the case's present state."),
    "four_eyes": _l("You took an earlier step on this case, so someone else must decide it."),
    "not_allowed": _l("Your role cannot take this action on this case."),
    "changed_meanwhile": _l("Someone else changed this case while you were looking at it. Here it is as it is now."),
    "reasons_needed": _l("Write the reasons (or the message) the resident will read."),
    "basis_needed": _l("Give the basis of the decision (the rule or document it rests on)."),
    "too_long": _l("This is too long: write 2,000 characters or fewer."),
    "unknown_action": _l("This action is not possible in the case's present state."),
}


def _case(reference: str) -> tuple[Review, Application]:
    staff = signed_in_staff()
    review = Review(applications())
    application = db_session().query(Application).filter_by(reference=reference).one_or_none()
    if application is None or not review.may_open(staff, application):
        abort(404)  # the same for a case that does not exist and one outside this member of staff's scope
    return review, application


@bp.get("/applications/<reference>")
@requires("applications.view")
def case(reference: str):
    review, application = _case(reference)
    staff = signed_in_staff()
    review.viewed(staff, application, "case", origin())
    lang = current_lang()
    service = review.apps
    answers = service.answers(application)
    return render_template(
        "staff/case.html",
        application=application,
        policy=catalogue().policy(application.benefit),
        status_label=STATUS_LABELS[application.status],
        rows=answer_rows(application, answers, service.files(application), masked=False, links=False),
        files=service.files(application),
        stored=service.eligibility(application),
        today=review.eligibility_today(application, lang),
        history=history(service, application),
        requests=review.requests(application),
        notes=review.notes(application),
        actions=review.actions(staff, application),
        action_labels=ACTION_LABELS,
        recommendation=review.recommendation(application),
        decision=review.decision(application),
        form=CsrfOnlyForm(),
    )


@bp.post("/applications/<reference>/act")
@requires("applications.view")
@per_address("staff")
def act(reference: str):
    CsrfOnlyForm().validate_on_submit()
    review, application = _case(reference)
    staff = signed_in_staff()
    try:
        review.act(
            staff,
            application,
            request.form.get("action", ""),
            request.form.get("version", type=int) or 0,
            origin(),
            message=request.form.get("message", ""),
            basis=request.form.get("basis", ""),
            outcome=request.form.get("outcome", ""),
        )
    except WorkflowError as error:
        flash(str(ERRORS.get(error.code, ERRORS["wrong_state"])), "error")
        return redirect(url_for("staff.case", reference=reference))
    flash(_("Done: the case is now “%(status)s”.", status=STATUS_LABELS[application.status]), "success")
    return redirect(url_for("staff.case", reference=reference))


@bp.post("/applications/<reference>/notes")
@requires("applications.note")
@per_address("staff")
def add_note(reference: str):
    CsrfOnlyForm().validate_on_submit()
    review, application = _case(reference)
    staff = signed_in_staff()
    try:
        review.add_note(staff, application, request.form.get("note", ""), origin())
    except WorkflowError as error:
        flash(str(ERRORS.get(error.code, ERRORS["reasons_needed"])), "error")
    return redirect(url_for("staff.case", reference=reference, _anchor="notes"))


@bp.get("/applications/<reference>/files/<int:file_id>")
@requires("applications.view")
def document(reference: str, file_id: int):
    review, application = _case(reference)
    staff = signed_in_staff()
    found = review.apps.file_bytes(application, file_id)
    if found is None:
        abort(404)
    shown, data = found
    review.viewed(staff, application, f"document:{file_id}", origin())
    disposition = "inline" if shown.content_type.startswith("image/") else "attachment"
    response = Response(data, mimetype=shown.content_type)
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''file-{file_id}"
    response.headers["Cache-Control"] = "no-store"
    return response
