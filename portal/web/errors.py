"""Error pages in both languages, set once. Never a stack trace: the 500 page says what to do next."""

from __future__ import annotations

import math
import time

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from .extensions import htmx

PAGE_CODES = (400, 401, 403, 404, 405, 413, 429, 500)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _messages(code: int) -> tuple[str, str]:
    """The heading and explanation for an error code, in the current language."""
    messages = {
        400: (_("Sorry, we could not understand that request"), _("Please go back and try again.")),
        401: (_("Please sign in"), _("This page is for staff. Sign in, then try again.")),
        403: (_("You do not have permission to see this page"), _("If you think this is wrong, call 12385.")),
        404: (
            _("Page not found"),
            _("If you typed the web address, check it is correct. If you pasted it, check you copied all of it."),
        ),
        405: (_("Sorry, we could not understand that request"), _("Please go back and try again.")),
        413: (
            _("What you sent is too large"),
            _("Please send something smaller, or bring it to the service office."),
        ),
        429: (
            _("Too many requests"),
            _("You have sent a lot of requests in a short time. Please wait a minute and try again."),
        ),
        500: (
            _("Sorry, there is a problem with the service"),
            _("Please try again later. Nothing you entered on earlier pages has been lost."),
        ),
    }
    return messages.get(code, messages[400])


def render_error(code: int, heading: str | None = None, body: str | None = None) -> Response:
    default_heading, default_body = _messages(code)
    heading, body = heading or default_heading, body or default_body
    if _wants_json():
        return make_response(jsonify({"error": {"field": None, "message": f"{heading} {body}"}}), code)
    return make_response(render_template("error.html", code=code, heading=heading, body=body), code)


#: Form fields never written back into the "send again" form of the 429 page.
NOT_RESENT = frozenset({"password", "code", "new_password"})


def _retry_seconds() -> int:
    from .extensions import limiter

    current = limiter.current_limit
    if current is None:
        return 60
    # ``reset_at`` is rounded up a second by Flask-Limiter (an hour read as 61 minutes); the window's own end is not.
    return max(1, math.ceil(current.window[0] - time.time()))


def _too_many_words(seconds: int) -> tuple[str, str]:
    minutes = max(1, (seconds + 59) // 60)
    heading = _("Too many tries in a short time.")
    body = _("To protect residents' information, please wait %(minutes)s minutes and try again.", minutes=minutes)
    return heading, body


def too_many_message() -> str:
    """The 429 message in one line (the API's), in the current language."""
    return " ".join(_too_many_words(_retry_seconds()))


def too_many_requests(_error: RateLimitExceeded) -> Response:
    """The friendly 429: how long to wait, in words, and (for a form) what was typed kept in a form that sends it
    again once the wait is over; files are not kept (the page says so), nor passwords and sign-in codes. The API
    and chat answer with their own handlers."""
    seconds = _retry_seconds()
    heading, body = _too_many_words(seconds)
    if _wants_json():
        return make_response(jsonify({"error": {"field": None, "message": f"{heading} {body}"}}), 429)
    kept: list[tuple[str, str]] = []
    if request.method == "POST":
        kept = [
            (name, value)
            for name, value in request.form.items(multi=True)
            if name.rsplit("-", 1)[-1] not in NOT_RESENT
        ]
    context = {
        "code": 429,
        "heading": heading,
        "body": body,
        "resend": kept,
        "had_files": bool(request.files),
        "action": request.full_path.rstrip("?"),
    }
    if htmx:  # the part of the page the form was in: the message and the form to send again
        response = make_response(render_template("components/too_many.html", fragment=True, **context), 429)
        response.vary.add("HX-Request")
    else:
        response = make_response(render_template("error.html", **context), 429)
    response.headers.setdefault("Retry-After", str(seconds))
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(_error: CSRFError):
        return render_error(
            400,
            _("Your form could not be sent"),
            _(
                "For your security, forms expire when the page has been open a long time or cookies are blocked. "
                "Please go back, reload the page and send it again."
            ),
        )

    @app.errorhandler(SecurityError)
    def _untrusted_host(_error: SecurityError):
        # A Host header not in TRUSTED_HOSTS: Flask has no URL adapter for it, so the page builds no link.
        if _wants_json():
            message = _("Sorry, we could not understand that request")
            return make_response(jsonify({"error": {"field": None, "message": message}}), 400)
        return make_response(render_template("untrusted_host.html"), 400)

    @app.errorhandler(RateLimitExceeded)
    def _too_many(error: RateLimitExceeded):
        return too_many_requests(error)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        code = error.code or 500
        response = render_error(code if code in PAGE_CODES else 400)
        if code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected_error(error: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        return render_error(InternalServerError.code)
