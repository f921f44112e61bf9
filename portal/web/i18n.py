"""Language and display settings for each request.

The language comes from ``?lang=zh|en`` (remembered from then on), else the display cookie, else Chinese.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, support
from flask import Flask, Response, g, request
from flask_babel import Domain, get_locale
from wtforms.i18n import messages_path

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


class _RequestDomain(Domain):
    """Flask-Babel's message domain, with the request's catalogue looked up once per request.

    Flask-Babel finds the catalogue again for every message (three look-ups of ``g``, the locale turned back into a
    string, a dictionary look-up); a page translates some sixty messages. The catalogues themselves are still the
    ones Flask-Babel loads and keeps, per locale, and ``force_locale()`` (a new locale object) still switches them.
    """

    def get_translations(self) -> support.Translations | support.NullTranslations:
        if not g:  # no app context: Flask-Babel's own answer (no translation)
            return super().get_translations()
        locale = get_locale()  # the same object all request long, except inside force_locale()
        cached = g.get("_portal_translations")
        if cached is not None and cached[0] is locale:
            return cached[1]
        translations = super().get_translations()
        g._portal_translations = (locale, translations)
        return translations


@cache
def _wtforms_catalogue(locale: str) -> support.Translations | support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


#: Each language's locale, parsed once: Flask-Babel takes a ``Locale`` as it is, where a name is parsed again for
#: every request (Babel looks for the locale's data file on disk each time).
_PARSED_LOCALES = {lang: Locale.parse(name) for lang, name in LOCALES.items()}


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=lambda: _PARSED_LOCALES[current_lang()])
    domain = babel.domain_instance = _RequestDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )

    @app.before_request
    def _wtforms_translations() -> None:
        # Flask-WTF reads WTForms' own catalogue (the "This field is required." messages) from disk again for every
        # request that builds a form, which was 1.3 ms of the home page's 3 ms (the page-feedback form is on every
        # page). It keeps what it read on the request; giving it the catalogue parsed once per locale skips that.
        request.wtforms_translations = _wtforms_catalogue(str(get_locale()))

    @app.context_processor
    def _display_context() -> dict[str, object]:
        display = current_display()
        return {"display": display, "lang": display.lang, "html_lang": HTML_LANG[display.lang]}

    @app.after_request
    def _remember_language(response: Response) -> Response:
        if g.get("display_changed"):
            save_display(response, g.display)
        return response
