"""The domain services the views share: the content catalogue and the search engine.

The catalogue is loaded and jieba initialised once, in ``create_app`` — under gunicorn's ``preload_app`` that is
in the master, before workers fork. The Whoosh index is opened lazily in each worker thread (file handles are
not shared across a fork, nor a searcher across threads) and follows an atomic rebuild by itself.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app

from .content import Catalogue, load_catalogue
from .search import SearchEngine, init_jieba


def init_app(app: Flask) -> None:
    catalogue = load_catalogue(Path(app.config["CONTENT_DIR"]))
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
