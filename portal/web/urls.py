"""The portal's Flask class: ``url_for`` remembers the links it has built.

A page builds some forty links (the header, the navigation, the footer, the forms' actions, the versioned
stylesheet and scripts), and Werkzeug builds each one afresh, about 8 µs apiece: a quarter of the home page's
rendering. Within a request, a path-only link depends on nothing but the endpoint, its values, the blueprint a
relative endpoint (``.page``) is resolved against and the mount point (``script_root``); the URL map is fixed once
the app serves, and the one ``url_defaults`` hook (``assets.py``: the static files' versions, read at start) is
a function of the endpoint and its values. So these links are kept, per app, keyed by exactly those; anything
else (an external link, an anchor, a method, a value that cannot be a key, a link built outside a request) is
built as Flask builds it. A link that cannot be built raises as before and is not kept.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.globals import request_ctx

#: Links kept per app, at most: one for each (endpoint, values) a page can show, far fewer than this; a page that
#: builds links from unbounded input (a search query in a link) stops adding once full rather than growing.
MAX_KEPT = 4096


class PortalFlask(Flask):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._links: dict[tuple[object, ...], str] = {}

    def url_for(  # type: ignore[override]
        self,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        if _anchor is not None or _method is not None or _scheme is not None or _external or not request_ctx:
            return super().url_for(
                endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
            )
        req = request_ctx.request
        key = (
            req.script_root,
            req.blueprint if endpoint[:1] == "." else None,
            endpoint,
            *sorted(values.items()),
        )
        try:
            return self._links[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key (a list of values): built every time
            return super().url_for(endpoint, **values)
        link = super().url_for(endpoint, **values)
        if len(self._links) < MAX_KEPT:
            self._links[key] = link
        return link
