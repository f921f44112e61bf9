"""``/apply``: apply online, one question per page, saved as you go (GOV.UK patterns), working without JavaScript.

before you start → personal-information notice and consent → (reference and access code) → task list → details,
the situation (the checker's questions), payment details, documents → check answers → declaration → submit →
confirmation. The draft is an application row kept 30 days; this browser keeps only a pointer to it for 30 minutes.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from ..applications import intake, references
from ..applications.identity import InvalidNumber, clean_id_number, mask
from ..applications.uploads import MAX_BYTES, UploadRefused, clean_upload
from ..applications.workflow import WorkflowError
from ..checker.flow import EXCLUSION_FIELDS, EXCLUSIONS, AnswerError, texts
from ..checker.flow import question as fact_question
from ..db.models import Application
from ..db.visitor_store import CHECKER
from ..forms import CsrfOnlyForm, question_form
from ..forms.apply import ConsentForm, DeclarationForm, ResumeForm, UploadForm, details_form, show_errors
from ..web import visitor
from ..web.applications import applications, current_draft, forget_draft, origin, pointer_expires, remember_draft
from ..web.features import applies_online, serves
from ..web.i18n import current_lang
from ..web.ratelimits import per_address, per_reference
from ..web.services import catalogue
from ..web.upload_messages import upload_error
from .apply_summary import answer_rows

bp = Blueprint("apply", __name__, url_prefix="/apply")
serves(bp, "apply")


def _open_form(benefit: str):
    policy = catalogue().policy(benefit)
    form = catalogue().forms.get(benefit)
    if policy is None or form is None or not applies_online(policy):
        abort(404)
    return policy, form


@bp.get("")
def index():
    offered = [p for p in catalogue().policies if p.id in catalogue().forms and applies_online(p)]
    return render_template("apply/index.html", policies=offered, draft=current_draft())


@bp.get("/<benefit>")
def start(benefit: str):
    policy, form = _open_form(benefit)
    lead = catalogue().department(policy.lead_department)
    return render_template("apply/start.html", policy=policy, form_spec=form, lead=lead)


@bp.route("/<benefit>/privacy", methods=["GET", "POST"])
@per_address("apply", methods=["POST"])
def privacy(benefit: str):
    policy, form_spec = _open_form(benefit)
    form = ConsentForm()
    if request.method == "POST" and form.validate_on_submit():
        if not form.general.data:
            form.general.errors = [_("Tick the box to agree, or call 12385 to apply another way")]
        if not form.sensitive.data:
            form.sensitive.errors = [_("Tick the box to agree to give sensitive information, or apply in person")]
        if not form.errors and not form.general.errors and not form.sensitive.errors:
            consent = {"general": True, "sensitive": True, "guardian": bool(form.guardian.data)}
            application, code = applications().create_draft(benefit, current_lang(), consent, origin=origin())
            _carry_checker_answers(application, form_spec.facts)
            remember_draft(application, code)
            return redirect(url_for("apply.code"))
    status = 400 if request.method == "POST" else 200
    lead = catalogue().department(policy.lead_department)
    return render_template("apply/privacy.html", policy=policy, form=form, lead=lead), status


def _carry_checker_answers(application: Application, facts: tuple[str, ...]) -> None:
    """The facts already given to the checker in this browser, so they are not asked twice."""
    stored = visitor.load(CHECKER)
    if stored is None:
        return
    profile = stored.data.get("profile") or {}
    carried = {name: profile[name] for name in facts if name in profile}
    if "multiple_includes" in profile and profile.get("category") == "multiple":
        carried["multiple_includes"] = profile["multiple_includes"]
    if not carried:
        return
    service = applications()
    answers = service.answers(application)
    answers["facts"] = carried
    # the checker asks its exclusions (孤儿, 工伤护理费) as one question: carried, they count as that question
    asked = [EXCLUSIONS if name in EXCLUSION_FIELDS else name for name in facts if name in carried]
    answers["asked"] = list(dict.fromkeys(asked))
    answers["carried_from_checker"] = True
    service.save_answers(application, answers)


# --- the draft this browser is on ----------------------------------------------------------------------------


def _draft(allow_submitted: bool = False) -> tuple[Application, str]:
    """The draft, or a redirect (raised) to where the resident can pick it up again."""
    found = current_draft()
    if found is None:
        flash(_("To protect your information, this page closed after 30 minutes without changes. Your draft is "
                "saved: continue it with its reference, the ID number and the access code."))  # fmt: skip
        abort(redirect(url_for("apply.resume")))
    application, code = found
    if application.status != "draft" and not allow_submitted:
        abort(redirect(url_for("apply.done")))
    return application, code


def _context(application: Application, **extra: Any) -> dict[str, Any]:
    service = applications()
    answers = service.answers(application)
    form_spec = service.form(application)
    uploaded = {f.document for f in application.files}
    return {
        "application": application,
        "policy": catalogue().policy(application.benefit),
        "form_spec": form_spec,
        "answers": answers,
        "progress": intake.progress(form_spec, answers, uploaded),
        "deleted_on": service.draft_expires(application),
        "expires": pointer_expires(),
        "field_specs": intake.FIELDS,
        "towns_source": catalogue().towns_source,
        **extra,
    }


def _next(application: Application) -> str:
    """Where to go after a page: back to check answers when changing an answer, else the next unfinished page."""
    if request.args.get("change") == "1":
        return url_for("apply.check")
    service = applications()
    answers = service.answers(application)
    progress = intake.progress(service.form(application), answers, {f.document for f in application.files})
    return _page_url(progress.next_page)


def _page_url(page: str) -> str:
    if page.startswith("fact:"):
        return url_for("apply.fact", name=page.removeprefix("fact:"))
    if page in ("documents", "check"):
        return url_for(f"apply.{page}")
    return url_for("apply.details", page_id=page)


@bp.get("/draft/code")
def code():
    application, access_code = _draft()
    return render_template("apply/code.html", **_context(application, access_code=access_code))


@bp.get("/draft")
def tasks():
    application, _code = _draft()
    return render_template("apply/tasks.html", **_context(application), next_url=_next(application))


@bp.route("/draft/details/<page_id>", methods=["GET", "POST"])
@per_address("apply", methods=["POST"])
def details(page_id: str):
    application, _code = _draft()
    service = applications()
    answers = service.answers(application)
    form_spec = service.form(application)
    page = intake.page(form_spec, answers, page_id)
    if page is None:
        abort(404)
    lang = current_lang()
    if request.method == "POST":
        form = details_form(page, catalogue(), lang, answers, formdata=request.form)
        form.validate()  # CSRF; the values are the intake engine's to check
        errors = intake.read_page(page, request.form, answers)
        if not errors and not form.errors:
            service.save_answers(application, answers)
            return redirect(_next(application))
        show_errors(form, errors)
        status = 400
    else:
        form, status = details_form(page, catalogue(), lang, answers), 200
    return render_template("apply/details.html", **_context(application, form=form, page=page)), status


@bp.route("/draft/facts/<name>", methods=["GET", "POST"])
@per_address("apply", methods=["POST"])
def fact(name: str):
    application, _code = _draft()
    service = applications()
    answers = service.answers(application)
    form_spec = service.form(application)
    if name != EXCLUSIONS and name not in form_spec.facts:
        abort(404)
    lang = current_lang()
    words = texts()["questions"][name]
    question = fact_question(name)
    label, hint = words["question"][lang], words.get("hint", {}).get(lang)
    facts = intake.profile(answers)
    if request.method == "POST":
        form = question_form(question, label, hint, lang, facts, formdata=request.form)
        form.validate()
        if "skip" in request.form and name != EXCLUSIONS:
            intake.record_fact(answers, name, {})
            service.save_answers(application, answers)
            return redirect(_next(application))
        try:
            values = question.parse(request.form.getlist("answer"))
        except AnswerError as error:
            message = words.get(f"error_{error.key}", {}).get(lang) or _("Choose an answer, or say you don’t know")
            form.answer.errors = [message]
            return render_template("apply/fact.html", **_context(application, form=form, name=name,
                                                                  kind=question.kind)), 400  # fmt: skip
        intake.record_fact(answers, name, values)
        service.save_answers(application, answers)
        return redirect(_next(application))
    form = question_form(question, label, hint, lang, facts)
    return render_template("apply/fact.html", **_context(application, form=form, name=name, kind=question.kind))


@bp.get("/draft/documents")
def documents():
    application, _code = _draft()
    return render_template("apply/documents.html", **_context(application, files=applications().files(application),
                                                               upload_form=UploadForm(), errors={}))  # fmt: skip


@bp.post("/draft/documents/<document>")
@per_address("upload")
def upload(document: str):
    application, _code = _draft()
    service = applications()
    if service.form(application).document(document) is None:
        abort(404)
    CsrfOnlyForm().validate_on_submit()
    sent: list[FileStorage] = [f for f in request.files.getlist("files") if f and f.filename]
    problems = []
    if not sent:
        problems.append(_("Choose a photo or file to upload"))
    for item in sent:
        data = item.read(MAX_BYTES + 1)
        try:
            service.add_file(application, document, clean_upload(data, item.filename))
        except UploadRefused as refused:
            problems.append(upload_error(refused))
        except WorkflowError:
            problems.append(_("You have uploaded as many files as this document can take. Remove one first."))
            break
    if problems:
        context = _context(application, files=service.files(application), upload_form=UploadForm(),
                           errors={document: problems})  # fmt: skip
        return render_template("apply/documents.html", **context), 400
    flash(_("Uploaded. Add another file, or continue."), "success")
    return redirect(url_for("apply.documents", _anchor=f"document-{document}"))


@bp.post("/draft/files/<int:file_id>/remove")
@per_address("apply")
def remove_file(file_id: int):
    application, _code = _draft()
    CsrfOnlyForm().validate_on_submit()
    if applications().remove_file(application, file_id):
        flash(_("The file was removed."), "success")
    return redirect(url_for("apply.documents"))


@bp.route("/draft/check", methods=["GET", "POST"])
@per_address("apply", methods=["POST"])
def check():
    application, _code = _draft()
    service = applications()
    answers = service.answers(application)
    context = _context(application)
    if context["progress"].next_page != "check":
        return redirect(_page_url(context["progress"].next_page))
    form = DeclarationForm()
    guardian_needed = intake.needs_guardian_consent(answers)
    proxy = answers.get("who") == "proxy"
    if request.method == "POST" and form.validate_on_submit():
        if not form.true_and_complete.data:
            form.true_and_complete.errors = [_("Tick the box to confirm the information is true")]
        if proxy and not form.authority.data:
            form.authority.errors = [_("Tick the box to confirm the applicant asked you to apply for them")]
        guardian = request.form.get("guardian") == "y" or bool((answers.get("consent") or {}).get("guardian"))
        guardian_error = guardian_needed and not guardian
        if not (form.true_and_complete.errors or form.authority.errors or guardian_error):
            if guardian_needed:
                answers.setdefault("consent", {})["guardian"] = True
                service.save_answers(application, answers)
            try:
                service.submit(application, {"true": True, "authority": proxy}, origin=origin())
            except WorkflowError:
                flash(_("Some answers are missing. Please complete every part of the task list."))
                return redirect(url_for("apply.tasks"))
            return redirect(url_for("apply.done"))
        context["guardian_error"] = guardian_error
        status = 400
    else:
        status = 200
    rows = answer_rows(application, answers, service.files(application))
    return render_template("apply/check.html", **context, rows=rows, form=form, guardian_needed=guardian_needed,
                           proxy=proxy), status  # fmt: skip


@bp.get("/draft/done")
def done():
    application, access_code = _draft(allow_submitted=True)
    if application.status == "draft":
        return redirect(url_for("apply.tasks"))
    service = applications()
    answers = service.answers(application)
    applicant = answers.get("applicant") or {}
    lead = catalogue().department(catalogue().policy(application.benefit).lead_department)
    town = catalogue().town(applicant.get("town") or "")
    return render_template(
        "apply/done.html", application=application, access_code=access_code, lead=lead, town=town,
        policy=catalogue().policy(application.benefit), masked_id=mask(applicant.get("id_number", "")),
        notices=service.notices(application),
    )  # fmt: skip


@bp.post("/draft/leave")
@per_address("apply")
def leave():
    CsrfOnlyForm().validate_on_submit()
    forget_draft()
    flash(_("You have left the application on this device. It is saved: continue it with its reference, the ID "
            "number and the access code."), "success")  # fmt: skip
    return redirect(url_for("apply.resume"))


@bp.post("/draft/extend")
@per_address("apply")
def extend():
    found = current_draft()
    if found is None:
        return redirect(url_for("apply.resume"))
    remember_draft(*found)
    target = request.form.get("next") or ""
    return redirect(target if target.startswith("/apply/") else url_for("apply.tasks"))


@bp.route("/resume", methods=["GET", "POST"])
@per_reference("application", methods=["POST"])
@per_address("lookup", methods=["POST"])
def resume():
    form = ResumeForm()
    if request.method == "POST" and form.validate_on_submit():
        reference = references.parse_reference(form.reference.data or "", "application")
        id_number = None
        try:
            id_number = clean_id_number(form.id_number.data or "")
        except InvalidNumber:
            form.id_number.errors = [_("Enter the applicant's ID card number as on the card (18 characters)")]
        if reference is None:
            form.reference.errors = [_("Check the reference: it has 8 characters, like A7KX-4M9P")]
        if not (form.access_code.data or "").strip():
            form.access_code.errors = [_("Enter the access code")]
        if not (form.reference.errors or form.id_number.errors or form.access_code.errors):
            application = applications().find(reference, id_number, form.access_code.data)
            if application is not None:
                remember_draft(application, references.group(references.normalise(form.access_code.data)))
                return redirect(url_for("apply.tasks" if application.status == "draft" else "apply.done"))
            form.reference.errors = [_("We could not find an application with these details. Check them and try "
                                       "again, or call 12385.")]  # fmt: skip
        return render_template("apply/resume.html", form=form), 400
    return render_template("apply/resume.html", form=form)
