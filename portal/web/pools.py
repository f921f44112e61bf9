"""The two gunicorn pools the same app runs in (``PORTAL_POOL``): ``web``, the public one, and ``service``, the one
the assistant's action server calls.

A chat turn holds a web thread while Rasa answers, and Rasa's actions call the portal's API in the middle of that
answer. Served by the same threads, those calls queue behind the very turns that wait on them; with every thread
waiting, nothing moves until Rasa's timeout. The service pool breaks the cycle: it serves only the API, only to
service-token callers, and never a route that waits on the assistant — so nothing it serves can wait on itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, jsonify, make_response, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from .errors import render_error
from .service_token import has_service_token

WEB = "web"
SERVICE = "service"
POOLS = (WEB, SERVICE)
API_PREFIX = "/api/"

F = TypeVar("F", bound=Callable[..., Any])


def calls_assistant(view: F) -> F:
    """Mark a view that waits on the assistant: the service pool never serves it."""
    view.calls_assistant = True  # type: ignore[attr-defined]
    return view


def _refuse_on_the_service_pool() -> ResponseReturnValue | None:
    if not request.path.startswith(API_PREFIX):
        return render_error(404)
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "calls_assistant", False):
        body = {"field": None, "message": _("This address is for service callers: send chat turns to the portal.")}
        return make_response(jsonify({"error": body}), 404)
    if not has_service_token():
        body = {"field": "Authorization", "message": _("This service needs a valid service token.")}
        response = make_response(jsonify({"error": body}), 401)
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    return None


def init_app(app: Flask) -> None:
    pool = app.config.get("PORTAL_POOL", WEB)
    if pool not in POOLS:
        raise ValueError(f"PORTAL_POOL must be one of {', '.join(POOLS)}, not {pool!r}")
    if pool == SERVICE:
        # First of all hooks: a refused request costs no CSRF check, no rate-limit hit, no database session.
        app.before_request_funcs.setdefault(None, []).insert(0, _refuse_on_the_service_pool)
