"""The Flask glue: extensions, the database session per request, errors, security headers, language and display
settings, templating, the features registry, the service-token check, the two pools (``pools.py``), the rate
limits on chat turns (``ratelimits.py``), the visitor store for a request.

Below this package (``portal.db``, ``content``, ``eligibility``, ``checker``, ``search``, ``chat``, ``questions``)
nothing imports Flask; a test enforces it.
"""

from __future__ import annotations

from flask import Flask, request

from . import (
    applications,
    assets,
    cli,
    cross_site,
    database,
    errors,
    features,
    i18n,
    pools,
    ratelimits,
    security,
    services,
    staff_auth,
    templating,
)
from .extensions import csrf, htmx, limiter

#: Endpoints that take more than MAX_CONTENT_LENGTH (photos), and how much. Set before CSRF reads the body, so a
#: file that is too large gets the page's own message rather than a bare 413.
LARGE_BODIES = {
    "apply.upload": 40 * 1024 * 1024,
    "status.answer": 40 * 1024 * 1024,
    "complaints.start": 32 * 1024 * 1024,
    "api.create_petition": 44 * 1024 * 1024,
}


def init_app(app: Flask) -> None:
    """Initialise every extension and app-wide hook, once."""

    @app.before_request
    def _body_limit() -> None:
        if request.endpoint in LARGE_BODIES:
            request.max_content_length = LARGE_BODIES[request.endpoint]

    pools.init_app(app)
    csrf.init_app(app)
    cross_site.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    ratelimits.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    database.init_app(app)
    services.init_app(app)
    features.init_app(app)
    applications.init_app(app)
    cli.init_app(app)
    staff_auth.init_app(app)
    templating.init_app(app)
    assets.init_app(app)
