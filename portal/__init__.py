"""大足区助残服务门户 — the Dazu District disability services portal.

Served as ``gunicorn 'portal:create_app()'``. The root holds only the app factory and the configuration:
``web/`` is the Flask glue, ``views/`` one blueprint per user task, ``api/`` the JSON API, and the domain
packages below them import no Flask (see README, "Where things live").
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .config import host_local_settings, load_config
from .config import instance_path as default_instance_path

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the portal. ``config`` overrides what the environment gives (tests use it)."""
    from .web.urls import PortalFlask

    instance_path = Path((config or {}).get("INSTANCE_PATH") or default_instance_path())  # type: ignore[arg-type]
    app = PortalFlask(__name__, instance_path=str(instance_path))
    app.config.update(load_config(instance_path))
    if config:
        app.config.update(config)
    local = host_local_settings(app.config, instance_path)
    if local:
        raise RuntimeError(
            "DATABASE_URL is a database server, which several hosts share, but these settings keep state on this "
            "host: " + "; ".join(local) + ' (README, "Running on PostgreSQL and Redis")'
        )

    from . import web  # imported here, so that the domain packages can be used without loading Flask

    web.init_app(app)

    from .api import bp as api_bp
    from .api.openapi import openapi_bp
    from .views import apply, chat, complaints, eligibility, feedback, home, info, policies, search, settings, status

    for module in (home, search, policies, eligibility, apply, status, complaints, chat, settings, feedback, info):
        app.register_blueprint(module.bp)
    from .views.staff import bp as staff_bp

    app.register_blueprint(staff_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(openapi_bp)

    return app
