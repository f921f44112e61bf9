"""``GET /api/v1/search?q=…&lang=zh|en&limit=N`` (plus ``page``, ``category``, ``audience``)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from ..content.models import AUDIENCES
from ..search import MAX_QUERY_CHARS
from ..web.services import catalogue, search_engine
from . import bp
from .errors import ApiError, in_lang, int_arg, lang_arg

MAX_LIMIT = 50
MAX_PAGE = 100


def filter_args(name: str, allowed: set[str], lang: str) -> list[str]:
    values = request.args.getlist(name)
    for value in values:
        if value not in allowed:
            with in_lang(lang):
                raise ApiError(name, _("%(value)s is not a known %(name)s.", value=value[:50], name=name))
    return values


@bp.get("/search")
def search():
    lang = lang_arg()
    q = request.args.get("q")
    if q is None:
        with in_lang(lang):
            raise ApiError("q", _("Enter what you are looking for in q."))
    if len(q) > MAX_QUERY_CHARS:
        with in_lang(lang):
            raise ApiError("q", _("q must be %(max)d characters or fewer.", max=MAX_QUERY_CHARS))
    limit = int_arg("limit", 10, 1, MAX_LIMIT, lang)
    page = int_arg("page", 1, 1, MAX_PAGE, lang)
    categories = filter_args("category", {c.id for c in catalogue().categories}, lang)
    audiences = filter_args("audience", set(AUDIENCES), lang)
    response = search_engine().search(q, lang=lang, limit=limit, page=page, categories=categories, audiences=audiences)
    body = response.to_dict()
    body["facets"] = response.facets
    return jsonify(body)
