"""``POST /api/v1/eligibility``: a profile in, one answer per rule out (eligibility-rules.md)."""

from __future__ import annotations

import json

from flask import jsonify, request
from flask_babel import gettext as _

from ..eligibility import RequestError, evaluate, parse_request
from . import bp
from .errors import ApiError, in_lang, request_lang


def json_body(lang: str) -> object:
    """The decoded body, whatever its Content-Type says; malformed JSON is a 400 naming ``body``."""
    try:
        return json.loads(request.get_data(cache=False) or b"")
    except (ValueError, RecursionError):
        with in_lang(lang):
            raise ApiError("body", _("The request body must be a JSON object.")) from None


@bp.post("/eligibility")
def check_eligibility():
    lang = request_lang()
    try:
        parsed = parse_request(json_body(lang), lang)
    except RequestError as error:
        raise ApiError(error.field, error.message) from None
    return jsonify({"results": evaluate(parsed.profile, parsed.benefits, lang=parsed.lang)})
