"""The JSON API under ``/api/v1`` (a contract: see ARCHITECTURE.md), and ``/openapi.json`` describing it.

The API takes no cookies' authority, so it is exempt from CSRF; every error is JSON
``{"error": {"field", "message"}}`` in the request's language, never a 500 page.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded

from ..web.display import LANGUAGES
from ..web.errors import too_many_message
from ..web.extensions import csrf
from ..web.ratelimits import breached_conversation

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from . import applications, chat, eligibility, errors, petitions, policies, search  # noqa: E402,F401  (routes register on bp)


@bp.errorhandler(errors.ApiError)
def _api_error(error: errors.ApiError):
    return error.response()


@bp.errorhandler(RateLimitExceeded)
def _too_fast(error: RateLimitExceeded):
    """A 429 in the API's error shape, in the language the body asked for; ``field`` is ``sender`` when the
    conversation sent too fast, null when its address did (Retry-After says when to try again)."""
    body = errors.peek_json()
    lang = body["lang"] if isinstance(body, dict) and body.get("lang") in LANGUAGES else errors.request_lang()
    with errors.in_lang(lang):
        if request.endpoint == "api.chat":
            message = _("Please wait a moment before sending again.")
        else:
            message = too_many_message()
    return errors.ApiError("sender" if breached_conversation(error.limit) else None, message, 429).response()
