"""The page's frame (header and menu, footer, chat panel, feedback form), rendered once for all readers.

Profiling the home page (README, "Speed") showed most of its rendering went into parts every reader is shown
alike: the header and menu, the footer, the chat panel and the empty feedback form, some forty translations,
twenty links and a dozen macros. They differ only by language, display settings and the page's path, so for a
reader (a browser with no session) each is rendered once per such combination and kept::

    {% reader_cache "header", lang, display, request.path, request.query_string %}…{% endreader_cache %}

The values after the name are the key, and they must be everything the block reads: the block's author lists
them (the templates say so beside each use). The mount point (``script_root``, part of every link) is always in
the key. A browser with a session is never served from here, and nothing it is shown is kept: its forms carry
a CSRF token of its own, and staff see services readers do not. The whole page is still rendered per request,
flashed messages and the page's own content included; only these frames are reused. Kept per worker and per
app, at most ``MAX_KEPT`` entries (the least recently used go first), so paths a client makes up cannot grow it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import ClassVar

from flask import request
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

from .cross_site import has_session

MAX_KEPT = 2048


class ReaderCache(Extension):
    """``{% reader_cache name, key… %}body{% endreader_cache %}``: the body rendered once per key for readers."""

    tags: ClassVar[set[str]] = {"reader_cache"}

    def __init__(self, environment) -> None:  # type: ignore[no-untyped-def]
        super().__init__(environment)
        self._kept: OrderedDict[tuple[Hashable, ...], Markup] = OrderedDict()
        self._lock = threading.Lock()

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endreader_cache",), drop_needle=True)
        call = self.call_method("_render", [nodes.Tuple(key, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render(self, key: tuple[Hashable, ...], caller: Callable[[], Markup]) -> Markup:
        # ``caller`` is the block's body as Jinja renders it: already escaped Markup.
        if has_session():
            return caller()
        key = (request.script_root, *key)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        rendered = caller()
        with self._lock:
            self._kept[key] = rendered
            if len(self._kept) > MAX_KEPT:
                self._kept.popitem(last=False)
        return rendered

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
