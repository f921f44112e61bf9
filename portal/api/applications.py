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
from ..web.features import requires_service
from ..web.ratelimits import per_address, per_reference
from ..web.services import catalogue
from . import bp, idempotency
from .auth import service_token_required
from .contract import check, operation, read_query
from .errors import ApiError, in_lang
from .models import (
    ApplicationFiled,
    ApplicationRequest,
    ApplicationStatus,
    ApplicationStatusHeaders,
    IdempotencyHeaders,
    LangQuery,
    TownsResponse,
    errors,
)

APPLICANT_KEYS = ("name", "id_number", "phone", "town", "village", "address")
DETAIL_KEYS = ("certificate_number", "bank_name", "bank_account")
PROXY_KEYS = {"name": "proxy_name", "id_number": "proxy_id_number", "phone": "proxy_phone", "relation": "relation"}


@bp.get("/towns")
@operation(
    "get",
    "/api/v1/towns",
    "The 镇街 of Dazu District used in forms and routing",
    query=LangQuery,
    responses={200: ("The towns, and whether the list has been confirmed", TownsResponse), **errors(400, 429)},
)
@per_address("read")
def towns():
    lang = read_query(LangQuery).lang
    content = catalogue()
    return jsonify(
        {
            "towns": [{"id": town.id, "name": town.name.get(lang)} for town in content.towns],
            "confirmed": bool(content.towns_source.get("confirmed")),
            "source": (content.towns_source.get("title") or {}).get(lang),
        }
    )


def _status_key() -> str:
    return references.normalise(
        request.view_args.get("reference", "") if request.view_args else ""
    )


@bp.get("/applications/<reference>")
@operation(
    "get",
    "/api/v1/applications/{reference}",
    "An application's status and history (no personal data); more with the access code",
    query=LangQuery,
    headers=ApplicationStatusHeaders,
    responses={200: ("The status", ApplicationStatus), **errors(400, 404, 429)},
)
@requires_service("status")
@per_reference("application", _status_key)
@per_address("lookup")
def get_application(reference: str):
    lang = read_query(LangQuery).lang
    # the headers are described by ApplicationStatusHeaders; a missing or wrong one is the same 404 as a wrong
    # reference, so a lookup tells nothing about which part was wrong
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


def _covered(path: str, found: list[tuple[str, str]]) -> bool:
    return any(path == field or path.startswith((f"{field}.", f"{field}[")) for field, _m in found)


def _read(body: dict[str, Any], lang: str) -> tuple[str, dict[str, Any], list[tuple[str, str]]]:
    """The benefit and the answer store of a request, and every invalid field (all of them, not the first): the
    model's checks first, then what only the domain knows (the form, the facts, check digits, towns)."""
    _parsed, errors = check(ApplicationRequest, body, lang)
    found: list[tuple[str, str]] = []
    benefit = body.get("benefit")
    form = catalogue().forms.get(benefit) if isinstance(benefit, str) else None
    if form is None:
        found.append(("benefit", _("benefit must be one of: %(ids)s", ids=", ".join(sorted(catalogue().forms)))))
    answers: dict[str, Any] = {"consent": {"obtained_by": "service channel"}}
    raw_answers = body.get("answers")
    try:
        facts = parse_request({"profile": raw_answers if isinstance(raw_answers, dict) else {}, "lang": lang}).profile
        answers["facts"] = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in facts.items()}
        answers["asked"] = list(answers["facts"])
    except RequestError as error:
        found.append((error.field.replace("profile.", "answers.", 1), error.message))
    applicant = body.get("applicant") if isinstance(body.get("applicant"), dict) else {}
    keys = APPLICANT_KEYS + (DETAIL_KEYS if form and "certificate_number" in form.details else ())
    for key in applicant:
        if key in ApplicationRequest.model_fields["applicant"].annotation.model_fields and key not in keys:
            found.append((f"applicant.{key}", _("This field is not part of this benefit's form.")))
    proxy = body.get("proxy") if isinstance(body.get("proxy"), dict) else None
    answers["who"] = "proxy" if proxy else "self"
    checks: list[tuple[str, str, Any]] = [(f"applicant.{key}", key, applicant.get(key)) for key in keys]
    if proxy:
        checks += [(f"proxy.{key}", field, proxy.get(key)) for key, field in PROXY_KEYS.items()]
    for path, field, value in checks:
        if not isinstance(value, str):
            found.append((path, message(intake.FieldError(field, "required"))))
            continue
        try:
            intake.put(answers, field, intake.FIELDS[field].clean(value, answers))
        except InvalidNumber as error:
            found.append((path, message(intake.FieldError(field, error.code))))
    errors += [(path, text) for path, text in found if not _covered(path, errors)]
    return str(benefit), answers, errors


@bp.post("/applications")
@operation(
    "post",
    "/api/v1/applications",
    "File an application for a resident (staff-assisted and partner channels; service token)",
    query=LangQuery,
    headers=IdempotencyHeaders,
    body=ApplicationRequest,
    token=True,
    responses={201: ("Filed", ApplicationFiled), **errors(400, 401, 409, 429)},
)
@requires_service("apply")
@service_token_required
@per_address("submit")
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
