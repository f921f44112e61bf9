"""The Flask glue: extensions, the database session per request, errors, security headers, language and display
settings, templating, the features registry, the service-token check, the two pools (``pools.py``), the rate
limits on chat turns (``ratelimits.py``), the visitor store for a request.

Below this package (``portal.db``, ``content``, ``eligibility``, ``checker``, ``search``, ``chat``, ``questions``)
nothing imports Flask; a test enforces it.
"""

from __future__ import annotations

from flask import Flask

from . import database, errors, features, i18n, pools, security, services, templating
from .extensions import csrf, htmx, limiter


def init_app(app: Flask) -> None:
    """Initialise every extension and app-wide hook, once."""
    pools.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    database.init_app(app)
    services.init_app(app)
    features.init_app(app)
    templating.init_app(app)
