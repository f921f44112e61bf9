"""``/complaints``: file a 12385 petition in writing (a channel that is not a telephone, for Deaf and
speech-impaired residents), track it with the reference and the access code, rate the reply and ask for a review.
Unknown reference and wrong code get one and the same answer."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..applications import references
from ..applications.identity import InvalidNumber, clean_phone
from ..applications.uploads import MAX_BYTES, UploadRefused, clean_upload
from ..db.models import Petition
from ..db.visitor_store import PETITION
from ..forms.complaints import KIND_LABELS, PetitionForm, RateForm, ReviewForm, TrackForm
from ..petitions import clock
from ..petitions.workflow import MAX_FILES, PetitionError
from ..web import idempotency, visitor
from ..web.applications import origin
from ..web.database import db_session
from ..web.extensions import limiter
from ..web.features import serves
from ..web.i18n import current_lang
from ..web.petitions import petitions
from ..web.ratelimits import per_address, per_reference
from ..web.services import catalogue
from ..web.upload_messages import upload_error

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
serves(bp, "complaints")


def status_labels() -> dict[str, str]:
    return {
        "received": _("Received: waiting to be accepted"),
        "accepted": _("Accepted: being handled"),
        "declined": _("Not accepted"),
        "replied": _("Answered"),
        "review_requested": _("Review (复查) asked for"),
        "review_replied": _("Review answered"),
        "closed": _("Closed"),
    }


def note_labels() -> dict[str, str]:
    return {
        "routed": _("Received and sent to the department in charge"),
        "routed_triage": _("Received; the 12385 desk is finding the department in charge"),
        "accepted": _("Accepted"),
        "declined": _("Not accepted"),
        "transferred": _("Passed to another department (转办)"),
        "replied": _("Written reply given"),
        "extension_requested": _("More time asked for"),
        "extended": _("More time approved by the supervisor"),
        "extension_refused": _("More time refused"),
        "rated_satisfied": _("You rated the reply: satisfied"),
        "rated_basically_satisfied": _("You rated the reply: basically satisfied"),
        "rated_dissatisfied": _("You rated the reply: not satisfied"),
        "review_requested": _("Review (复查) asked for"),
        "review_replied": _("Review answered"),
    }


def _department_name(department: str) -> str:
    if department == "triage":
        return _("The 12385 desk (区残联)")
    found = catalogue().department(department)
    return found.name.get(current_lang()) if found else department


def _show(petition: Petition, full: bool = True, code: str | None = None, status: int = 200, **forms):
    service = petitions()
    now = service.now()
    current = service.current_deadline(petition)
    return render_template(
        "complaints/show.html",
        petition=petition,
        code=code,
        status=service.status_of(petition),
        closed_by=service.closed_by(petition),
        status_label=status_labels()[service.status_of(petition)],
        notes=note_labels(),
        kind_label=KIND_LABELS[petition.kind],
        department=_department_name(petition.department),
        history=[
            {**row, "at_text": row["at"].astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M")}
            for row in service.history(petition)
        ],
        deadlines=service.deadlines(petition),
        current=current,
        days_left=clock.days_left(dt.date.fromisoformat(current[1]), now) if current else None,
        regulation=clock.REGULATION[current_lang()],
        rate_form=forms.get("rate_form") or RateForm(),
        review_form=forms.get("review_form") or ReviewForm(),
        may_review=service.may_request_review(petition),
        extension=service.extension(petition),
        notices=service.notices(petition),
    ), status


def _session_key() -> str:
    """Per browser session first (the CSRF token is per session); a 村委 office or a carrier shares an address."""
    return "complaints-session:" + str(session.get("csrf_token") or request.remote_addr or "")


WEB_SCOPE = "petitions-web"


def _digest(form: PetitionForm, photos: list[bytes]) -> str:
    """What was sent, so that a repeat can be told from a changed form sent again under the same key."""
    fields = {
        name: (getattr(form, name).data or "")
        for name in ("kind", "what", "where", "since", "outcome", "reply", "name", "phone")
    }
    fields["photos"] = [hashlib.sha256(data).hexdigest() for data in photos]
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _receipt(row) -> tuple[Petition, str] | None:
    """The petition and access code first filed under a web form's key."""
    answer = idempotency.answer_of(row)
    petition = db_session().get(Petition, answer.get("petition"))
    if petition is None or petition.reference != answer.get("reference"):
        return None
    return petition, answer["code"]


def _repeat(form: PetitionForm, key: str, digest: str):
    """The answer to a form already sent under ``key``: the same receipt, or (changed since) the form again."""
    row = idempotency.stored(WEB_SCOPE, key)
    if row is None:
        return None
    found = _receipt(row) if row.request_hash == digest else None
    if found is not None:
        petition, code = found
        visitor.save(PETITION, {"petition": petition.id, "reference": petition.reference})
        flash(_("This petition was already received: it was filed once. Here is its receipt again."))
        return _show(petition, code=code)[0]
    form.submission.data = secrets.token_urlsafe(24)
    flash(
        _(
            "This form was already sent and filed once. To send what you changed as a new petition, check it "
            "and press Send again."
        )
    )
    return render_template("complaints/start.html", form=form), 409


@bp.route("", methods=["GET", "POST"])
@limiter.limit("10 per hour", key_func=_session_key, methods=["POST"])
@per_address("submit", methods=["POST"])
def start():
    form = PetitionForm()
    if request.method == "POST" and form.validate_on_submit():
        files, problems, sent = [], [], []
        for item in request.files.getlist("photos"):
            if item and item.filename:
                data = item.read(MAX_BYTES + 1)
                sent.append(data)
                try:
                    files.append(clean_upload(data, item.filename))
                except UploadRefused as refused:
                    problems.append(upload_error(refused))
        key = form.submission.data or None
        digest = _digest(form, sent)
        if key is not None:
            repeat = _repeat(form, key, digest)
            if repeat is not None:
                return repeat
        if len(files) > MAX_FILES:
            problems.append(_("Send at most %(max)d files.", max=MAX_FILES))
        if problems:
            form.photos.errors = problems
        contact = None
        if form.reply.data == "contact":
            if not (form.name.data or "").strip():
                form.name.errors = [_("Write your name, or choose to stay anonymous")]
            try:
                phone = clean_phone(form.phone.data or "")
            except InvalidNumber:
                form.phone.errors = [_("Give a mobile number (11 digits) or a landline with its area code.")]
            if not form.name.errors and not form.phone.errors:
                contact = {"name": form.name.data.strip(), "phone": phone}
        if not form.name.errors and not form.phone.errors and not problems:
            petition, code = petitions().file(
                kind=form.kind.data,
                channel="web",
                what=form.what.data,
                where=form.where.data or "",
                since=form.since.data or "",
                outcome=form.outcome.data or "",
                contact=contact,
                files=files,
                lang=current_lang(),
                origin=origin(),
                commit=False,
            )
            if key is not None:
                answer = {"petition": petition.id, "reference": petition.reference, "code": code}
                idempotency.record(WEB_SCOPE, key, digest, answer)
            try:
                db_session().commit()
            except IntegrityError:  # the same form, sent twice at once: the other request filed it
                db_session().rollback()
                repeat = _repeat(form, key, digest) if key is not None else None
                if repeat is None:
                    raise
                return repeat
            visitor.save(PETITION, {"petition": petition.id, "reference": petition.reference})
            return _show(petition, code=code)[0]
    if not form.submission.data:
        form.submission.data = secrets.token_urlsafe(24)
    status = 400 if request.method == "POST" else 200
    return render_template("complaints/start.html", form=form), status


@bp.route("/status", methods=["GET", "POST"])
@per_reference("petition", methods=["POST"])
@per_address("lookup", methods=["POST"])
def status():
    form = TrackForm()
    if request.method == "POST" and form.validate_on_submit():
        reference = references.parse_reference(form.reference.data or "", "petition")
        if reference is None:
            form.reference.errors = [_("Check the reference: it has 8 characters, like C7KX-4M9P")]
        else:
            petition = petitions().find(reference, form.access_code.data or "")
            if petition is not None:
                visitor.save(PETITION, {"petition": petition.id, "reference": petition.reference})
                return _show(petition)[0]
            form.reference.errors = [
                _("We could not find a petition with these details. Check them and try again, or call 12385.")
            ]
        return render_template("complaints/status.html", form=form), 400
    return render_template("complaints/status.html", form=form)


def _tracked() -> Petition | None:
    stored = visitor.load(PETITION)
    ident = stored.data.get("petition") if stored else None
    petition = db_session().get(Petition, ident) if ident else None
    if petition is None or petition.reference != stored.data.get("reference"):
        flash(_("To protect your information, please look the petition up again."))
        return None
    return petition


@bp.post("/rate")
@per_address("follow-up")
def rate():
    petition = _tracked()
    if petition is None:
        return redirect(url_for("complaints.status"))
    form = RateForm()
    if not form.validate_on_submit():
        return _show(petition, status=400, rate_form=form)
    try:
        petitions().rate(petition, form.rating.data, origin())
    except PetitionError:
        return _show(petition, status=409)
    flash(_("Thank you for rating the reply."), "success")
    return _show(petition)


@bp.post("/review")
@per_address("follow-up")
def review():
    petition = _tracked()
    if petition is None:
        return redirect(url_for("complaints.status"))
    form = ReviewForm()
    if not form.validate_on_submit():
        return _show(petition, status=400, review_form=form)
    try:
        petitions().request_review(petition, form.reason.data, origin=origin())
    except PetitionError:
        flash(_("A review can be asked for within 30 days of the reply."))
        return _show(petition, status=409)
    flash(_("Your request for a review has been recorded."), "success")
    return _show(petition)
