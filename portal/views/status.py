"""``/status``: track an application with its reference and the applicant's ID number (a POST form, so the ID
number never reaches a URL or a log). With the access code as well, the resident sees it in full and can
withdraw it. Unknown reference, wrong ID number, wrong code: one and the same answer."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..applications import references
from ..applications.identity import InvalidNumber, clean_id_number
from ..applications.review import Review
from ..applications.uploads import MAX_BYTES, UploadRefused, clean_upload
from ..applications.workflow import OPEN_TO_WITHDRAW, WorkflowError, aware
from ..db.models import Application
from ..db.visitor_store import TRACKING
from ..forms import CsrfOnlyForm
from ..forms.apply import ResumeForm
from ..web import visitor
from ..web.application_status import STATUS_LABELS, history, office
from ..web.applications import applications, origin
from ..web.database import db_session
from ..web.features import serves
from ..web.i18n import current_lang
from ..web.ratelimits import per_address, per_reference
from ..web.services import catalogue
from ..web.upload_messages import upload_error

bp = Blueprint("status", __name__, url_prefix="/status")
serves(bp, "status")


def _page(application: Application, full: bool, status: int = 200, error: str | None = None):
    service = applications()
    review = Review(service)
    submitted = aware(application.submitted_at)
    page = render_template(
        "status/show.html",
        application=application,
        policy=catalogue().policy(application.benefit),
        status_label=STATUS_LABELS[application.status],
        history=history(service, application),
        office=office(application, current_lang()),
        submitted=submitted,
        full=full,
        notices=service.notices(application) if full else [],
        can_withdraw=full and application.status in OPEN_TO_WITHDRAW,
        requests=review.requests(application) if full else [],
        decision=review.decision(application) if full else None,
        lead=catalogue().department(catalogue().policy(application.benefit).lead_department),
        answer_error=error,
        form=CsrfOnlyForm(),
    )
    return page, status


@bp.route("", methods=["GET", "POST"])
@per_reference("application", methods=["POST"])
@per_address("lookup", methods=["POST"])
def start():
    form = ResumeForm()
    form.access_code.description = _("Optional. With it you can see the application in full and withdraw it.")
    if request.method == "POST" and form.validate_on_submit():
        reference = references.parse_reference(form.reference.data or "", "application")
        id_number = None
        if reference is None:
            form.reference.errors = [_("Check the reference: it has 8 characters, like A7KX-4M9P")]
        try:
            id_number = clean_id_number(form.id_number.data or "")
        except InvalidNumber:
            form.id_number.errors = [_("Enter the applicant's ID card number as on the card (18 characters)")]
        if reference and id_number:
            code = (form.access_code.data or "").strip() or None
            application = applications().find(reference, id_number, code)
            if application is not None:
                if code:
                    visitor.save(TRACKING, {"id": application.id, "reference": application.reference})
                return _page(application, full=bool(code))[0]
            form.reference.errors = [_("We could not find an application with these details. Check them and try "
                                       "again, or call 12385.")]  # fmt: skip
        return render_template("status/start.html", form=form), 400
    return render_template("status/start.html", form=form)


def _tracked() -> Application | None:
    """The application this browser proved (with the access code) it may see in full, while that lasts."""
    stored = visitor.load(TRACKING)
    application = db_session().get(Application, stored.data["id"]) if stored else None
    if application is None or application.reference != stored.data.get("reference"):
        flash(_("To protect your information, please look the application up again."))
        return None
    return application


@bp.post("/answer")
@per_address("upload")
def answer():
    """The resident answers a request for more information: a message and files."""
    CsrfOnlyForm().validate_on_submit()
    application = _tracked()
    if application is None:
        return redirect(url_for("status.start"))
    files, problems = [], []
    for item in request.files.getlist("files"):
        if item and item.filename:
            try:
                files.append(clean_upload(item.read(MAX_BYTES + 1), item.filename))
            except UploadRefused as refused:
                problems.append(upload_error(refused))
    if problems:
        return _page(application, True, 400, " ".join(problems))
    try:
        Review(applications()).answer_request(application, request.form.get("message", ""), files, origin())
    except WorkflowError as error:
        message = _("Write what you want to tell them, or add a file.") if error.code != "wrong_state" else None
        if message:
            return _page(application, True, 400, message)
        return _page(application, True)
    flash(_("Thank you: your answer has been sent with the application."), "success")
    return _page(application, True)


@bp.post("/withdraw")
@per_address("follow-up")
def withdraw():
    CsrfOnlyForm().validate_on_submit()
    application = _tracked()
    if application is None:
        return redirect(url_for("status.start"))
    if request.form.get("confirm") != "yes":
        return render_template("status/withdraw.html", application=application, form=CsrfOnlyForm())
    try:
        applications().withdraw(application, origin=origin())
    except WorkflowError:
        flash(_("This application can no longer be withdrawn: a decision has been made."))
        return _page(application, full=True)
    visitor.clear(TRACKING)
    flash(_("The application has been withdrawn."), "success")
    return _page(application, full=True)
