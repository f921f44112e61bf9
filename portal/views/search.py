"""``/search``: a GET form that works without JavaScript; with htmx the results update as you type."""

from __future__ import annotations

from flask import Blueprint, request

from ..content.models import AUDIENCES
from ..search import MAX_QUERY_CHARS
from ..web.features import serves
from ..web.fragments import page_or_fragment
from ..web.i18n import current_lang
from ..web.ratelimits import per_address
from ..web.services import catalogue, search_engine

bp = Blueprint("search", __name__)
serves(bp, "search")

PER_PAGE = 10
MAX_PAGE = 100


def _page_number(raw: str | None) -> int:
    if raw and raw.isascii() and raw.isdigit():
        return min(max(int(raw), 1), MAX_PAGE)
    return 1


@bp.get("/search")
@per_address("search")
def search():
    content = catalogue()
    known_categories = [c.id for c in content.categories]
    q = (request.args.get("q") or "")[:MAX_QUERY_CHARS]
    chosen = [c for c in request.args.getlist("category") if c in known_categories]
    audiences = [a for a in request.args.getlist("audience") if a in AUDIENCES]
    page = _page_number(request.args.get("page"))
    response = search_engine().search(
        q, lang=current_lang(), limit=PER_PAGE, page=page, categories=chosen, audiences=audiences
    )
    pages = max(1, -(-response.total // PER_PAGE))
    return page_or_fragment(
        "search.html",
        "search/_results.html",
        q=q,
        searched="q" in request.args,
        response=response,
        chosen=chosen,
        audiences=audiences,
        categories=content.categories,
        page=page,
        pages=pages,
    )
