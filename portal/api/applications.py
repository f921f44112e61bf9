"""``GET /api/v1/towns``, ``GET /api/v1/applications/<reference>`` and ``POST /api/v1/applications``
(applications-and-petitions.md, "Public interfaces added")."""

from __future__ import annotations

from typing import Any

from flask import jsonify, make_response, request, url_for
from flask_babel import gettext as _

from ..applications import intake, references
from ..applications.identity import InvalidNumber, clean_id_number
from ..eligibility import RequestError, parse_request
from ..forms.apply import message
from ..web.application_status import STATUS_LABELS, history, office
from ..web.applications import applications, origin
from ..web.extensions import limiter
from ..web.features import requires_service
from ..web.services import catalogue
from . import bp, idempotency
from .auth import service_token_required
from .errors import ApiError, in_lang, lang_arg

APPLICANT_KEYS = ("name", "id_number", "phone", "town", "village", "address")
DETAIL_KEYS = ("certificate_number", "bank_name", "bank_account")
PROXY_KEYS = {"name": "proxy_name", "id_number": "proxy_id_number", "phone": "proxy_phone", "relation": "relation"}


@bp.get("/towns")
def towns():
    lang = lang_arg()
    content = catalogue()
    return jsonify(
        {
            "towns": [{"id": town.id, "name": town.name.get(lang)} for town in content.towns],
            "confirmed": bool(content.towns_source.get("confirmed")),
            "source": (content.towns_source.get("title") or {}).get(lang),
        }
    )


def _status_key() -> str:
    return "api-application:" + references.normalise(
        request.view_args.get("reference", "") if request.view_args else ""
    )


@bp.get("/applications/<reference>")
@requires_service("status")
@limiter.limit("20 per hour", key_func=_status_key)
def get_application(reference: str):
    lang = lang_arg()
    with in_lang(lang):
        parsed = references.parse_reference(reference, "application")
        if parsed is None:
            raise ApiError("reference", _("Check the reference: it has 8 characters, like A7KX-4M9P"))
        not_found = ApiError(None, _("We could not find an application with these details."), 404)
        try:
            id_number = clean_id_number(request.headers.get("X-Applicant-Id", ""))
        except InvalidNumber:
            raise not_found from None
        code = request.headers.get("X-Access-Code")
        service = applications()
        application = service.find(parsed, id_number, code if code is not None else None)
        if application is None:
            raise not_found
        body: dict[str, Any] = {
            "reference": application.reference,
            "benefit": application.benefit,
            "status": application.status,
            "status_text": str(STATUS_LABELS[application.status]),
            "history": [{**event, "at": event["at"].isoformat()} for event in history(service, application)],
            "office": office(application, lang),
        }
        if code is not None:
            body["requests"] = []
            body["decision"] = None
    return jsonify(body)


# --- filing for a resident: staff-assisted and partner channels -------------------------------------------------


def _errors_response(errors: list[tuple[str, str]], lang: str):
    with in_lang(lang):
        first_field, first_message = errors[0]
        error = ApiError(first_field, first_message)
        response = error.response()
    body = response.get_json()
    body["error"]["errors"] = [{"field": field, "message": text} for field, text in errors]
    return make_response(jsonify(body), 400)


def _read(body: dict[str, Any], lang: str) -> tuple[str, dict[str, Any], list[tuple[str, str]]]:
    """The benefit and the answer store of a request, and every invalid field (all of them, not the first)."""
    errors: list[tuple[str, str]] = []
    allowed = {"benefit", "applicant", "proxy", "answers", "lang"}
    for key in body:
        if key not in allowed:
            errors.append((str(key)[:50], _("Only benefit, applicant, proxy, answers and lang may be sent.")))
    benefit = body.get("benefit")
    form = catalogue().forms.get(benefit) if isinstance(benefit, str) else None
    if form is None:
        errors.append(("benefit", _("benefit must be one of: %(ids)s", ids=", ".join(sorted(catalogue().forms)))))
    answers: dict[str, Any] = {"consent": {"obtained_by": "service channel"}}
    raw_answers = body.get("answers")
    if raw_answers is None:
        raw_answers = {}
    if not isinstance(raw_answers, dict):
        errors.append(("answers", _("answers must be an object of eligibility facts.")))
        raw_answers = {}
    try:
        facts = parse_request({"profile": raw_answers, "lang": lang}).profile
        answers["facts"] = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in facts.items()}
        answers["asked"] = list(answers["facts"])
    except RequestError as error:
        errors.append((error.field.replace("profile.", "answers.", 1), error.message))
    applicant = body.get("applicant")
    if not isinstance(applicant, dict):
        errors.append(("applicant", _("applicant must be an object.")))
        applicant = {}
    keys = APPLICANT_KEYS + (DETAIL_KEYS if form and "certificate_number" in form.details else ())
    for key in applicant:
        if key not in keys:
            errors.append((f"applicant.{str(key)[:50]}", _("This field is not part of this benefit's form.")))
    proxy = body.get("proxy")
    if proxy is not None and not isinstance(proxy, dict):
        errors.append(("proxy", _("proxy must be an object or null.")))
        proxy = None
    answers["who"] = "proxy" if proxy else "self"
    checks: list[tuple[str, str, Any]] = [(f"applicant.{key}", key, applicant.get(key)) for key in keys]
    if proxy:
        for key in proxy:
            if key not in PROXY_KEYS:
                errors.append((f"proxy.{str(key)[:50]}", _("Only name, id_number, phone and relation may be sent.")))
        checks += [(f"proxy.{key}", field, proxy.get(key)) for key, field in PROXY_KEYS.items()]
    for path, field, value in checks:
        if not isinstance(value, str):
            errors.append(
                (path, _("This must be text.") if value is not None else message(intake.FieldError(field, "required")))
            )
            continue
        try:
            intake.put(answers, field, intake.FIELDS[field].clean(value, answers))
        except InvalidNumber as error:
            errors.append((path, message(intake.FieldError(field, error.code))))
    return str(benefit), answers, errors


@bp.post("/applications")
@requires_service("apply")
@service_token_required
def create_application():
    call, repeat = idempotency.read("applications")
    if repeat is not None:
        return repeat
    with in_lang(call.lang):
        benefit, answers, errors = _read(call.body, call.lang)
        if errors:
            return _errors_response(errors, call.lang)
    application, code = applications().file_complete(
        benefit, answers, call.lang, "service", "api", origin(), commit=False
    )
    answer = {
        "reference": application.reference,
        "status": application.status,
        "access_code": code,
        "url": url_for("status.start", _external=False),
    }
    return idempotency.commit_once(call, answer)
