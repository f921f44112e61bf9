"""``GET /api/v1/search?q=…&lang=zh|en&limit=N`` (plus ``page``, ``category``, ``audience``)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from ..web.ratelimits import per_address
from ..web.services import catalogue, search_engine
from . import bp
from .contract import operation, read_query
from .errors import ApiError, in_lang, request_lang
from .models import SearchQuery, SearchResponse, errors


def filter_args(name: str, values: list[str], allowed: set[str], lang: str) -> list[str]:
    for value in values:
        if value not in allowed:
            with in_lang(lang):
                raise ApiError(name, _("%(value)s is not a known %(name)s.", value=value[:50], name=name))
    return values


@bp.get("/search")
@operation(
    "get",
    "/api/v1/search",
    "Search every policy and service",
    query=SearchQuery,
    responses={200: ("Results, best first", SearchResponse), **errors(400, 429)},
)
@per_address("search")
def search():
    if "q" not in request.args:
        with in_lang(request_lang()):
            raise ApiError("q", _("Enter what you are looking for in q."))
    query = read_query(SearchQuery)
    lang = query.lang
    categories = filter_args("category", query.category, {c.id for c in catalogue().categories}, lang)
    response = search_engine().search(
        query.q, lang=lang, limit=query.limit, page=query.page, categories=categories, audiences=query.audience
    )
    body = response.to_dict()
    body["facets"] = response.facets
    return jsonify(body)
