"""The JSON API under ``/api/v1`` (a contract: see ARCHITECTURE.md), and ``/openapi.json`` describing it.

The API takes no cookies' authority, so it is exempt from CSRF; every error is JSON
``{"error": {"field", "message"}}`` in the request's language, never a 500 page.
"""

from __future__ import annotations

from flask import Blueprint

from ..web.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from . import applications, chat, eligibility, errors, petitions, policies, search  # noqa: E402,F401  (routes register on bp)


@bp.errorhandler(errors.ApiError)
def _api_error(error: errors.ApiError):
    return error.response()
