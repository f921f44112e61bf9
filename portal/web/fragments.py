"""One URL, two answers: a whole page, or (for htmx) just the part that changed. Caches must tell them apart."""

from __future__ import annotations

from flask import Response, make_response, render_template

from .extensions import htmx


def page_or_fragment(page_template: str, fragment_template: str, status: int = 200, /, **context: object) -> Response:
    """Render the fragment for an htmx request, else the page; either way send ``Vary: HX-Request``."""
    response = make_response(render_template(fragment_template if htmx else page_template, **context), status)
    response.vary.add("HX-Request")
    return response
