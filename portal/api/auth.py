"""The service token: what the assistant's action server, the phone desk and partner channels present.

``Authorization: Bearer <PORTAL_SERVICE_TOKEN>``, compared in constant time. With no token configured every
such request is refused: a route that needs the token is never open by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask_babel import gettext as _

from ..web.service_token import has_service_token
from .errors import ApiError, in_lang, request_lang

__all__ = ["has_service_token", "service_token_required"]

F = TypeVar("F", bound=Callable[..., Any])


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
