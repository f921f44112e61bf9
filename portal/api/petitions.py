"""``POST /api/v1/petitions`` and ``GET /api/v1/petitions/<reference>`` (applications-and-petitions.md, "Public
interfaces added"): the assistant and the phone desk file 12385 petitions; anyone with the reference and the access
code reads the status, history and deadlines."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _

from ..applications import references
from ..applications.identity import InvalidNumber, clean_phone
from ..applications.uploads import MAX_BYTES, CleanFile, UploadRefused, clean_upload, display_name
from ..db.models import Petition
from ..petitions.workflow import Petitions
from ..web.applications import origin
from ..web.features import requires_service
from ..web.petitions import petitions
from ..web.ratelimits import per_address, per_reference
from ..web.upload_messages import upload_error
from . import bp, idempotency
from .applications import _errors_response
from .auth import service_token_required
from .contract import check, operation, read_headers, read_query
from .errors import ApiError, in_lang, request_lang
from .models import (
    IdempotencyHeaders,
    LangQuery,
    PetitionFiled,
    PetitionRequest,
    PetitionStatus,
    PetitionStatusHeaders,
    Photo,
    errors,
)

BASE64_MAX = 4 * ((MAX_BYTES + 2) // 3)  # the longest base64 of a file within the upload limit


def _read(body: dict[str, Any], lang: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The filing arguments and every invalid field: the model's checks, then the phone number's."""
    parsed, errors = check(PetitionRequest, body, lang)
    contact = body.get("contact") if isinstance(body.get("contact"), dict) else None
    clean: dict[str, str] | None = None
    if contact is not None:
        name, phone = contact.get("name"), contact.get("phone")
        try:
            clean = {"name": str(name or "").strip(), "phone": clean_phone(phone if isinstance(phone, str) else "")}
        except InvalidNumber:
            if not any(field == "contact.phone" for field, _m in errors):
                errors.append(
                    ("contact.phone", _("Give a mobile number (11 digits) or a landline with its area code."))
                )
    if parsed is None:
        return {}, errors
    files = _photos(parsed.photos or [], errors)
    args = {
        "files": files,
        "channel": parsed.channel,
        "kind": parsed.kind,
        "what": parsed.what,
        "where": parsed.where or "",
        "contact": clean,
    }
    return args, errors


def _photos(photos: list[Photo], errors: list[tuple[str, str]]) -> list[CleanFile]:
    """Each photo decoded and checked by the intake's upload rules (its content sniffed, never its name; size;
    re-encoded so no EXIF survives)."""
    clean: list[CleanFile] = []
    for index, photo in enumerate(photos):
        field = f"photos[{index}].data"
        if len(photo.data) > BASE64_MAX:
            errors.append(
                (field, upload_error(UploadRefused("too_large", display_name(photo.name), len(photo.data) * 3 // 4)))
            )
            continue
        try:
            data = base64.b64decode(photo.data, validate=True)
        except (binascii.Error, ValueError):
            errors.append((field, _("data must be the file in base64.")))
            continue
        try:
            clean.append(clean_upload(data, photo.name or f"photo-{index + 1}"))
        except UploadRefused as refused:
            errors.append((field, upload_error(refused)))
    return clean


def _extension(service: Petitions, petition: Petition) -> dict[str, Any] | None:
    """The approved extension (the petitioner is told): days, the new reply date, the reason and a sentence."""
    extension = service.extension(petition)
    if extension is None:
        return None
    return {
        "days": extension["days"],
        "resolve_by": extension["resolve_by"],
        "reason": extension["reason"],
        "message": _(
            "The time for the written reply was extended by %(days)d days, to %(date)s. Reason: %(reason)s",
            days=extension["days"],
            date=extension["resolve_by"],
            reason=extension["reason"],
        ),
    }


def petition_body(service: Petitions, petition: Petition) -> dict[str, Any]:
    """The status, routing, deadlines and history (no personal data)."""
    routing = service.routing(petition)
    return {
        "reference": petition.reference,
        "kind": petition.kind,
        "status": service.status_of(petition),
        "closed_by": service.closed_by(petition),
        "routed_to": {"department": petition.department, "task": petition.task, "words": routing.get("words", [])},
        "deadlines": service.deadlines(petition),
        "rating": petition.rating,
        "extension": _extension(service, petition),
        "history": [
            {"status": row["status"], "at": row["at"].isoformat(), "note": row["note"]}
            for row in service.history(petition)
        ],
    }


@bp.post("/petitions")
@operation(
    "post",
    "/api/v1/petitions",
    "File a 12385 petition (the assistant and the phone desk; service token)",
    query=LangQuery,
    headers=IdempotencyHeaders,
    body=PetitionRequest,
    token=True,
    responses={201: ("Filed", PetitionFiled), **errors(400, 401, 404, 409, 429)},
)
@requires_service("complaints")
@service_token_required
@per_address("submit")
def create_petition():
    if request.mimetype.startswith("multipart/"):
        with in_lang(request_lang()):
            raise ApiError("body", _("Send a JSON object; photos go in photos as base64, not as a multipart form."))
    call, repeat = idempotency.read("petitions")
    if repeat is not None:
        return repeat
    lang = call.lang
    with in_lang(lang):
        args, errors = _read(call.body, lang)
        if errors:
            return _errors_response(errors, lang)
    service = petitions()
    petition, code = service.file(**args, lang=lang, actor=f"service:{args['channel']}", origin=origin(), commit=False)
    deadlines = service.deadlines(petition)
    answer = {
        "reference": petition.reference,
        "access_code": code,
        "status": petition.status,
        "routed_to": {"department": petition.department, "task": petition.task},
        "deadlines": {k: deadlines[k] for k in ("acknowledge_by", "resolve_by", "provisional")},
        "url": url_for("complaints.status", _external=False),
    }
    return idempotency.commit_once(call, answer)


def _status_key() -> str:
    return references.normalise(request.view_args.get("reference", "") if request.view_args else "")


@bp.get("/petitions/<reference>")
@operation(
    "get",
    "/api/v1/petitions/{reference}",
    "A petition's status, history and deadlines (no personal data), with its access code",
    query=LangQuery,
    headers=PetitionStatusHeaders,
    responses={200: ("The status", PetitionStatus), **errors(400, 404, 429)},
)
@requires_service("complaints")
@per_reference("petition", _status_key)
@per_address("lookup")
def get_petition(reference: str):
    lang = read_query(LangQuery).lang
    read_headers(PetitionStatusHeaders, lang)
    with in_lang(lang):
        parsed = references.parse_reference(reference, "petition")
        if parsed is None:
            raise ApiError("reference", _("Check the reference: it has 8 characters, like C7KX-4M9P"))
        service = petitions()
        petition = service.find(parsed, request.headers.get("X-Access-Code") or "")
        if petition is None:
            raise ApiError(None, _("We could not find a petition with these details."), 404)
        return jsonify(petition_body(service, petition))
