"""Language and display settings for each request.

The language comes from ``?lang=zh|en`` (remembered from then on), else the display cookie, else Chinese.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

from .display import COOKIE_MAX_AGE, COOKIE_NAME, HTML_LANG, LANGUAGES, LOCALES, DisplaySettings
from .extensions import babel


def current_display() -> DisplaySettings:
    if "display" not in g:
        settings = DisplaySettings.from_cookie(request.cookies.get(COOKIE_NAME))
        asked = request.args.get("lang")
        if asked in LANGUAGES and asked != settings.lang:
            settings = settings.updated({"lang": asked})
            g.display_changed = True
        g.display = settings
    return g.display


def current_lang() -> str:
    """``zh`` or ``en``: the language of this response."""
    return current_display().lang


def save_display(response: Response, settings: DisplaySettings) -> None:
    response.set_cookie(
        COOKIE_NAME,
        settings.to_cookie(),
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=lambda: LOCALES[current_lang()])

    @app.context_processor
    def _display_context() -> dict[str, object]:
        display = current_display()
        return {"display": display, "lang": display.lang, "html_lang": HTML_LANG[display.lang]}

    @app.after_request
    def _remember_language(response: Response) -> Response:
        if g.get("display_changed"):
            save_display(response, g.display)
        return response
