"""Service calls that file something (applications, petitions): the body read and checked the same way, and an
``Idempotency-Key`` honoured — a repeat with the same key and body returns the first answer and files nothing; the
same key with another body is a 409. The key's row is committed in the same transaction as what it filed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from flask import Response, jsonify, make_response, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..web.database import db_session
from ..web.display import LANGUAGES
from ..web.idempotency import answer_of, record, stored
from .contract import read_query
from .errors import ApiError, in_lang, json_body
from .models import KEY_MAX, LangQuery


@dataclass(frozen=True)
class ServiceRequest:
    scope: str
    lang: str
    body: dict[str, Any]
    key: str | None
    digest: str


def read(scope: str) -> tuple[ServiceRequest, Response | None]:
    """The request's JSON object, its language and its key; and the earlier answer if this is a repeat."""
    lang = read_query(LangQuery).lang
    body = json_body(lang)
    if isinstance(body, dict) and body.get("lang") in LANGUAGES:
        lang = body["lang"]
    with in_lang(lang):
        if not isinstance(body, dict):
            raise ApiError("body", _("The request body must be a JSON object."))
        if body.get("lang") is not None and body["lang"] not in LANGUAGES:
            raise ApiError("lang", _("lang must be zh or en."))
        key = request.headers.get("Idempotency-Key")
        if key is not None and not 0 < len(key) <= KEY_MAX:
            raise ApiError("Idempotency-Key", _("Idempotency-Key must be 1 to %(max)d characters.", max=KEY_MAX))
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        call = ServiceRequest(scope, lang, body, key, digest)
        return call, (earlier(call) if key is not None else None)


def earlier(call: ServiceRequest) -> Response | None:
    row = stored(call.scope, call.key) if call.key is not None else None
    if row is None:
        return None
    if row.request_hash != call.digest:
        with in_lang(call.lang):
            raise ApiError("Idempotency-Key", _("This Idempotency-Key was used for a different request."), 409)
    return make_response(
        json.dumps(answer_of(row), ensure_ascii=False), row.status_code, {"Content-Type": "application/json"}
    )


def commit_once(call: ServiceRequest, answer: dict[str, Any]) -> Response:
    """Commit what was filed with its key; if the same key won meanwhile, roll back and return the first answer."""
    session = db_session()
    if call.key is not None:
        record(call.scope, call.key, call.digest, answer)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        first = earlier(call) if call.key is not None else None
        if first is not None:
            return first
        raise
    return make_response(jsonify(answer), 201)
