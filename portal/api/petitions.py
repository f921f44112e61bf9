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
from ..petitions import workflow
from ..petitions.workflow import Petitions
from ..web.applications import origin
from ..web.extensions import limiter
from ..web.features import requires_service
from ..web.petitions import petitions
from ..web.upload_messages import upload_error
from . import bp, idempotency
from .applications import _errors_response
from .auth import service_token_required
from .errors import ApiError, in_lang, lang_arg, request_lang

ALLOWED = {"channel", "kind", "what", "where", "contact", "lang", "photos"}
WHERE_MAX = 200
NAME_MAX = 50
NAME_FILE_MAX = 200
BASE64_MAX = 4 * ((MAX_BYTES + 2) // 3)  # the longest base64 of a file within the upload limit


def _read(body: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The filing arguments and every invalid field."""
    errors: list[tuple[str, str]] = []
    for key in body:
        if key not in ALLOWED:
            errors.append((str(key)[:50], _("Only channel, kind, what, where, contact, lang and photos may be sent.")))
    channel, kind, what, where = body.get("channel"), body.get("kind"), body.get("what"), body.get("where")
    if channel not in workflow.CHANNELS:
        errors.append(("channel", _("channel must be assistant, phone or web.")))
    if kind not in workflow.KINDS:
        errors.append(("kind", _("kind must be complaint, suggestion or help.")))
    if not isinstance(what, str) or not what.strip():
        errors.append(("what", _("Say what happened.")))
    elif len(what) > workflow.TEXT_MAX:
        errors.append(("what", _("Please keep it under %(max)d characters.", max=workflow.TEXT_MAX)))
    if where is not None and (not isinstance(where, str) or len(where) > WHERE_MAX):
        errors.append(("where", _("where must be text of at most %(max)d characters.", max=WHERE_MAX)))
    contact = body.get("contact")
    clean: dict[str, str] | None = None
    if contact is not None:
        if not isinstance(contact, dict):
            errors.append(("contact", _("contact must be an object with name and phone, or null.")))
        else:
            for key in contact:
                if key not in ("name", "phone"):
                    errors.append((f"contact.{str(key)[:50]}", _("Only name and phone may be sent.")))
            name, phone = contact.get("name"), contact.get("phone")
            if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX:
                errors.append(("contact.name", _("Give a name of at most %(max)d characters.", max=NAME_MAX)))
            try:
                clean = {"name": str(name or "").strip(), "phone": clean_phone(phone if isinstance(phone, str) else "")}
            except InvalidNumber:
                errors.append(
                    ("contact.phone", _("Give a mobile number (11 digits) or a landline with its area code."))
                )
    files = _photos(body.get("photos"), errors)
    args = {
        "files": files,
        "channel": channel,
        "kind": kind,
        "what": what if isinstance(what, str) else "",
        "where": where or "",
        "contact": clean,
    }
    return args, errors


def _photos(photos: Any, errors: list[tuple[str, str]]) -> list[CleanFile]:
    """``photos``: at most ``MAX_FILES`` of ``{"name", "data"}``, ``data`` the file in base64, each checked by the
    intake's upload rules (its content sniffed, never its name; size; re-encoded so no EXIF survives)."""
    if photos is None:
        return []
    if not isinstance(photos, list):
        errors.append(("photos", _("photos must be a list of {name, data} objects, data in base64.")))
        return []
    if len(photos) > workflow.MAX_FILES:
        errors.append(("photos", _("Send at most %(max)d files.", max=workflow.MAX_FILES)))
        return []
    clean: list[CleanFile] = []
    for index, photo in enumerate(photos):
        field = f"photos[{index}]"
        if not isinstance(photo, dict) or not isinstance(photo.get("data"), str):
            errors.append((field, _("Each photo must be an object with name and data (base64).")))
            continue
        extra = [str(key)[:50] for key in photo if key not in ("name", "data")]
        name = photo.get("name")
        if extra or (name is not None and (not isinstance(name, str) or len(name) > NAME_FILE_MAX)):
            errors.append((field, _("Each photo must be an object with name and data (base64).")))
            continue
        text = photo["data"]
        if len(text) > BASE64_MAX:
            errors.append(
                (f"{field}.data", upload_error(UploadRefused("too_large", display_name(name), len(text) * 3 // 4)))
            )
            continue
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            errors.append((f"{field}.data", _("data must be the file in base64.")))
            continue
        try:
            clean.append(clean_upload(data, name or f"photo-{index + 1}"))
        except UploadRefused as refused:
            errors.append((f"{field}.data", upload_error(refused)))
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
@requires_service("complaints")
@service_token_required
def create_petition():
    if request.mimetype.startswith("multipart/"):
        with in_lang(request_lang()):
            raise ApiError("body", _("Send a JSON object; photos go in photos as base64, not as a multipart form."))
    call, repeat = idempotency.read("petitions")
    if repeat is not None:
        return repeat
    lang = call.lang
    with in_lang(lang):
        args, errors = _read(call.body)
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
    return "api-petition:" + references.normalise(request.view_args.get("reference", "") if request.view_args else "")


@bp.get("/petitions/<reference>")
@requires_service("complaints")
@limiter.limit("20 per hour", key_func=_status_key)
def get_petition(reference: str):
    lang = lang_arg()
    with in_lang(lang):
        parsed = references.parse_reference(reference, "petition")
        if parsed is None:
            raise ApiError("reference", _("Check the reference: it has 8 characters, like C7KX-4M9P"))
        service = petitions()
        petition = service.find(parsed, request.headers.get("X-Access-Code") or "")
        if petition is None:
            raise ApiError(None, _("We could not find a petition with these details."), 404)
        return jsonify(petition_body(service, petition))
