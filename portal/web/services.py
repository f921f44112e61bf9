"""The domain services the views share: the content catalogue, the search engine, the chat.

The catalogue is loaded and jieba initialised once, in ``create_app`` — under gunicorn's ``preload_app`` that is
in the master, before workers fork. The Whoosh index is opened lazily in each worker thread (file handles are
not shared across a fork, nor a searcher across threads) and follows an atomic rebuild by itself.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import content
from ..chat import ChatService, DegradedTexts, Link
from ..content import Catalogue
from ..search import SearchEngine, init_jieba
from .display import LOCALES


def init_app(app: Flask) -> None:
    catalogue = content.use(Path(app.config["CONTENT_DIR"]))
    init_jieba(catalogue)
    app.extensions["catalogue"] = catalogue
    app.extensions["search_engines"] = threading.local()


def catalogue() -> Catalogue:
    return current_app.extensions["catalogue"]


def search_engine() -> SearchEngine:
    """This thread's engine over the index at SEARCH_INDEX_DIR (an engine is not safe to share between
    threads, and is opened after gunicorn forks, never before)."""
    local = current_app.extensions["search_engines"]
    engine = getattr(local, "engine", None)
    if engine is None:
        engine = local.engine = SearchEngine(Path(current_app.config["SEARCH_INDEX_DIR"]))
    return engine


def _search_links(message: str, lang: str, limit: int) -> list[Link]:
    found = search_engine().search(message, lang=lang, limit=limit)
    return [Link(result.title, result.url) for result in found.results]


def _degraded_texts(lang: str) -> DegradedTexts:
    with force_locale(LOCALES[lang]):
        return DegradedTexts(
            with_results=_(
                "Sorry, the assistant cannot answer right now. "
                "You can call the disability services hotline 12385 (also for complaints), or look at these pages:"
            ),
            without_results=_(
                "Sorry, the assistant cannot answer right now. "
                "You can call the disability services hotline 12385 (also for complaints), or search this site:"
            ),
            search_more=_("Search for more"),
        )


def chat_service() -> ChatService:
    config = current_app.config
    return ChatService(
        rasa_url=str(config["RASA_URL"]),
        timeout=float(config["RASA_TIMEOUT"]),
        search=_search_links,
        search_url=lambda query: url_for("search.search", q=query),
        texts=_degraded_texts,
    )
