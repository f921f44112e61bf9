"""Security headers, set once for every response; personal pages kept out of caches."""

from __future__ import annotations

from flask import Flask, Response, request, session

# No inline script or style anywhere: every script and stylesheet is a file served by the portal itself.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    # The microphone is for the assistant's voice input, on this origin only.
    "Permissions-Policy": "microphone=(self), camera=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    @app.after_request
    def _set_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.after_request
    def _keep_personal_pages_out_of_caches(response: Response) -> Response:
        # What a browser with a session is shown (its draft, its case, a staff queue), the answer to a form (a 429
        # page keeps what was typed, ID number included) and every API answer (a status looked up by ID number) may
        # hold personal information: no browser history cache or proxy keeps it (个人信息保护法). A reader's page
        # (no session, no form) stays cacheable; static files set their own caching (assets.py).
        if request.endpoint == "static" or "Cache-Control" in response.headers:
            return response
        if (
            session
            or request.method not in ("GET", "HEAD")
            or request.blueprint == "api"
            or "Set-Cookie" in response.headers
        ):
            response.headers["Cache-Control"] = "no-store"
        return response
