"""Forms protected against cross-site requests without giving every reader a cookie.

A page read by someone who has no session yet carries no CSRF token (a token needs a session, and a session is a
cookie): readers are given no identifier. What keeps a form from being sent by another site is, in order
(OWASP's CSRF Prevention Cheat Sheet, "Fetch Metadata headers" and "Verifying Origin with standard headers"):

1. ``Sec-Fetch-Site``, which every current browser sends and no page can forge: ``same-origin`` (or ``none``, the
   resident's own action such as a bookmark) passes; ``cross-site`` and ``same-site`` (a sibling sub-domain) are
   refused.
2. Without it (an older browser), ``Origin``: it must be this portal's own scheme and host.
3. Without either (a very old browser, or a program), the session-bound token as before, when the request
   carries a session cookie: that cookie is what a forged request would borrow. With no session cookie there is
   nothing to borrow, and the request is let through (a reader's first submit).

Once a session exists (after the first submit, a saved draft, a chat turn, a staff sign-in), every form on the
pages it sees carries the session-bound token too, and the token is checked when the browser sent neither header.
The API blueprint (JSON, service token) is exempt, as it was from Flask-WTF's check. A refused request gets the
polite 400 page of ``errors.py`` (``CSRFError``).
"""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_wtf.csrf import CSRFError, generate_csrf
from markupsafe import Markup

from .extensions import csrf

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ACCEPTED_FETCH_SITES = frozenset({"same-origin", "none"})


def has_session() -> bool:
    """Whether this browser already has a session (a cookie of ours, or one this request has just begun)."""
    return bool(session)


def csrf_field() -> Markup:
    """The hidden token field, on pages for a browser that has a session; nothing (and no cookie) otherwise."""
    if not has_session():
        return Markup("")
    return Markup('<input type="hidden" name="csrf_token" value="%s">') % generate_csrf()


def _same_origin(origin: str) -> bool:
    return origin == f"{request.scheme}://{request.host}"


def check_request() -> bool:
    """Refuse (``CSRFError``) an unsafe request that another site sent; True for an unsafe request let through.

    (Exemptions are Flask-WTF's own list, ``csrf.exempt``: the API blueprint.)"""
    if request.method not in UNSAFE_METHODS or not request.endpoint or csrf._is_exempt():
        return False
    request.form  # noqa: B018 - the body is read here, as Flask-WTF's check did: one too large is a polite 413 now
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        if fetch_site not in ACCEPTED_FETCH_SITES:
            raise CSRFError("The form was sent from another site.")
        return True
    origin = request.headers.get("Origin")
    if origin is not None:
        if not _same_origin(origin):
            raise CSRFError("The form was sent from another site.")
        return True
    if request.cookies.get(current_app.config["SESSION_COOKIE_NAME"]):
        csrf.protect()  # raises CSRFError for a missing or wrong token
    return True


def init_app(app: Flask) -> None:
    # Flask-WTF's own check needs a token from every page, hence a session for every reader: this module's check
    # replaces it (and WTForms' per-form token field, which would start a session whenever a form is built).
    app.config["WTF_CSRF_ENABLED"] = False
    app.jinja_env.globals.update(csrf_field=csrf_field, has_session=has_session)

    @app.before_request
    def _refuse_cross_site_requests() -> None:
        if check_request():
            # A submit that passed begins the session, before the answer is rendered, so the page it answers with
            # carries the token (its secret is also what chat turns and complaint limits count by). With choosing
            # a display setting, the only moments a resident is given a cookie.
            generate_csrf()
