"""Security headers on every response, CSRF on every form."""

from __future__ import annotations

import pytest

from .conftest import csrf_token


@pytest.mark.parametrize("path", ["/", "/settings", "/accessibility", "/no-such-page", "/static/css/portal.css"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "microphone=(self)" in headers["Permissions-Policy"]


def test_pages_have_no_inline_script_or_style(client):
    for path in ("/", "/settings", "/accessibility", "/feedback"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "<style" not in html and " style=" not in html
        assert " onclick=" not in html


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/settings", {"text": "large", "contrast": "high", "elder": "0", "motion": "standard", "lang": "zh"}),
        ("/settings/quick", {"toggle": "text", "next": "/"}),
        ("/feedback", {"feedback-useful": "yes", "feedback-path": "/"}),
    ],
)
def test_forms_refuse_posts_without_csrf_token(app, path, data):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post(path, data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "表单未能发送" in html
    assert "Traceback" not in html


def test_forms_refuse_a_token_from_another_session(app):
    other = app.test_client()
    token = csrf_token(other)
    response = app.test_client().post("/settings/quick", data={"csrf_token": token, "toggle": "text", "next": "/"})
    assert response.status_code == 400


def test_session_cookie_is_http_only_and_same_site(client):
    csrf_token(client)  # creates the session
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
