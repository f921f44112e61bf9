"""Validation helpers and JSON errors for the API, in the request's language."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager

from flask import jsonify, make_response, request
from flask.wrappers import Response
from flask_babel import force_locale
from flask_babel import gettext as _

from ..web.display import LANGUAGES, LOCALES


class ApiError(Exception):
    """A 4xx answer naming the bad field."""

    def __init__(self, field: str | None, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field, self.message, self.status = field, message, status

    def response(self) -> Response:
        return make_response(jsonify({"error": {"field": self.field, "message": self.message}}), self.status)


def in_lang(lang: str) -> AbstractContextManager[None]:
    """Translate messages into ``lang`` whatever the visitor's display cookie says."""
    return force_locale(LOCALES[lang])


def request_lang() -> str:
    """The language for messages when the request may not say: a valid ``?lang=``, else Chinese."""
    raw = request.args.get("lang")
    return raw if raw in LANGUAGES else "zh"


def peek_json() -> object:
    """The decoded body, or None when it is not JSON; the raw body stays cached for ``json_body`` (rate-limit keys
    and the 429 answer read it before the view does)."""
    try:
        return json.loads(request.get_data(cache=True) or b"")
    except (ValueError, RecursionError):
        return None


def json_body(lang: str) -> object:
    """The decoded body, whatever its Content-Type says; malformed JSON is a 400 naming ``body``."""
    try:
        return json.loads(request.get_data(cache=False) or b"")
    except (ValueError, RecursionError):
        with in_lang(lang):
            raise ApiError("body", _("The request body must be a JSON object.")) from None
