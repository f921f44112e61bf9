"""``POST /api/v1/eligibility``: a profile in, one answer per rule out (eligibility-rules.md)."""

from __future__ import annotations

from flask import jsonify

from ..eligibility import RequestError, evaluate, parse_request
from ..web.features import online_rules
from . import bp
from .errors import ApiError, json_body, request_lang


@bp.post("/eligibility")
def check_eligibility():
    lang = request_lang()
    try:
        parsed = parse_request(json_body(lang), lang)
    except RequestError as error:
        raise ApiError(error.field, error.message) from None
    results = evaluate(parsed.profile, parsed.benefits, lang=parsed.lang, online=online_rules())
    return jsonify({"results": results})
