"""大足区助残服务门户 — the Dazu District disability services portal.

Served as ``gunicorn 'portal:create_app()'``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from . import database, errors, i18n, security, services, templating
from .config import PROJECT_ROOT, load_config
from .extensions import csrf, htmx, limiter


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the portal. ``config`` overrides what the environment gives (tests use it)."""
    default_instance = os.environ.get("PORTAL_INSTANCE_PATH", PROJECT_ROOT / "instance")
    instance_path = Path((config or {}).get("INSTANCE_PATH", default_instance))  # type: ignore[arg-type]
    app = Flask(__name__, instance_path=str(instance_path))
    app.config.update(load_config(instance_path))
    if config:
        app.config.update(config)

    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    database.init_app(app)
    templating.init_app(app)
    services.init_app(app)

    from .api import bp as api_bp
    from .api.openapi import openapi_bp
    from .views import chat, eligibility, feedback, home, info, policies, search, settings

    for module in (home, search, policies, eligibility, chat, settings, feedback, info):
        app.register_blueprint(module.bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(openapi_bp)

    return app
