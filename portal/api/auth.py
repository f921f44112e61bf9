"""The service token: what the assistant's action server, the phone desk and partner channels present.

``Authorization: Bearer <PORTAL_SERVICE_TOKEN>``, compared in constant time. With no token configured every
such request is refused: a route that needs the token is never open by accident.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_babel import gettext as _

from .errors import ApiError, in_lang, request_lang

F = TypeVar("F", bound=Callable[..., Any])


def has_service_token() -> bool:
    """Whether this request carries the configured service token (remembered for the request)."""
    if "service_caller" not in g:
        expected = str(current_app.config.get("PORTAL_SERVICE_TOKEN") or "")
        scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
        g.service_caller = bool(
            expected and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())
        )
    return g.service_caller


def service_token_required(view: F) -> F:
    """An API route for service callers only: 401 (JSON, naming the header) without the right token."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not has_service_token():
            with in_lang(request_lang()):
                error = ApiError("Authorization", _("This service needs a valid service token."), 401)
            response = error.response()
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
