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


def lang_arg() -> str:
    """``?lang=zh|en`` (default zh); anything else is a 400."""
    raw = request.args.get("lang")
    if raw is None or raw == "":
        return "zh"
    if raw not in LANGUAGES:
        with in_lang("zh"):
            raise ApiError("lang", _("lang must be zh or en."))
    return raw


def int_arg(name: str, default: int, low: int, high: int, lang: str) -> int:
    """A whole-number query parameter within [low, high]; anything else is a 400 naming it."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    with in_lang(lang):
        raise ApiError(
            name, _("%(name)s must be a whole number from %(low)d to %(high)d.", name=name, low=low, high=high)
        )


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
