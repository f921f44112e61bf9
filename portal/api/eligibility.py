"""``POST /api/v1/eligibility``: a profile in, one answer per rule out (eligibility-rules.md)."""

from __future__ import annotations

from flask import jsonify

from ..eligibility import RequestError, evaluate, parse_request
from ..web.features import online_rules
from ..web.ratelimits import per_address
from . import bp
from .contract import operation, read_query
from .errors import ApiError, json_body
from .models import EligibilityRequest, EligibilityResults, LangQuery, errors


@bp.post("/eligibility")
@operation(
    "post",
    "/api/v1/eligibility",
    "Check a profile against the eligibility rules",
    query=LangQuery,
    body=EligibilityRequest,
    responses={
        200: ("One result per requested rule, in the order of eligibility-rules.md", EligibilityResults),
        **errors(400, 429),
    },
)
@per_address("checker")
def check_eligibility():
    lang = read_query(LangQuery).lang
    try:
        parsed = parse_request(json_body(lang), lang)
    except RequestError as error:
        raise ApiError(error.field, error.message) from None
    results = evaluate(parsed.profile, parsed.benefits, lang=parsed.lang, online=online_rules())
    return jsonify({"results": results})
