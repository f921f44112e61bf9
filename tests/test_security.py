"""Security headers on every response; every form refuses cross-site requests; a reader is given no cookie."""

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


FORMS = [
    ("/settings", {"text": "large", "contrast": "high", "elder": "0", "motion": "standard", "lang": "zh"}),
    ("/settings/quick", {"toggle": "text", "next": "/"}),
    ("/feedback", {"feedback-useful": "yes", "feedback-path": "/"}),
]
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}


def public_pages(app) -> list[str]:
    policy = app.extensions["catalogue"].policies[0].id
    return [
        "/",
        "/search?q=护理补贴",
        "/policies",
        f"/policies/{policy}",
        "/eligibility",
        "/apply",
        "/apply/resume",
        "/status",
        "/complaints",
        "/complaints/status",
        "/chat",
        "/settings",
        "/accessibility",
        "/feedback",
        "/staff/sign-in",
        "/no-such-page",
    ]


def test_a_reader_is_given_no_cookie(app):
    client = app.test_client()
    for path in public_pages(app):
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        assert "Set-Cookie" not in response.headers, path
        assert 'name="csrf_token"' not in response.get_data(as_text=True), path


@pytest.mark.parametrize(("path", "data"), FORMS)
@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://evil.localhost"},
        {"Origin": "https://evil.example"},  # an older browser: no Fetch Metadata, but Origin
        {"Origin": "null"},
    ],
)
def test_a_cross_site_post_is_refused_politely(app, path, data, headers):
    client = app.test_client()
    del client.environ_base["HTTP_SEC_FETCH_SITE"]  # only the headers above
    response = client.post(path, data=data, headers=headers)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "表单未能发送" in html and "Traceback" not in html
    assert "Set-Cookie" not in response.headers  # a refused request starts nothing


@pytest.mark.parametrize(("path", "data"), FORMS)
def test_a_same_origin_post_without_javascript_works_and_begins_the_session(app, path, data):
    client = app.test_client()
    response = client.post(path, data=data, headers=SAME_ORIGIN)  # a plain form submit: no token on the page
    assert response.status_code == 302
    assert "Set-Cookie" in response.headers
    assert 'name="csrf_token" value="' in client.get("/").get_data(as_text=True)  # from now on, the token too


def test_with_a_session_and_no_browser_headers_the_token_is_required(app):
    client = app.test_client()
    del client.environ_base["HTTP_SEC_FETCH_SITE"]  # a very old browser: neither Sec-Fetch-Site nor Origin
    client.post("/feedback", data=FORMS[2][1])  # no session yet: nothing to borrow, let through; begins it
    assert client.get_cookie("session") is not None
    refused = client.post("/settings/quick", data={"toggle": "text", "next": "/"})
    assert refused.status_code == 400 and "表单未能发送" in refused.get_data(as_text=True)
    token = csrf_token(client)
    assert client.post("/settings/quick", data={"csrf_token": token, "toggle": "text", "next": "/"}).status_code == 302


def test_forms_refuse_a_token_from_another_session(app):
    other = app.test_client()
    other.post("/feedback", data=FORMS[2][1], headers=SAME_ORIGIN)
    token = csrf_token(other)
    assert token
    client = app.test_client()
    del client.environ_base["HTTP_SEC_FETCH_SITE"]
    client.post("/feedback", data=FORMS[2][1])
    response = client.post("/settings/quick", data={"csrf_token": token, "toggle": "text", "next": "/"})
    assert response.status_code == 400


def test_session_cookie_is_http_only_and_same_site(client):
    client.post("/feedback", data=FORMS[2][1], headers=SAME_ORIGIN)  # creates the session
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000"])
def test_the_portal_answers_on_its_trusted_hosts(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/apply/draft", "/api/v1/policies", "/no-such-page"])
def test_a_forged_host_gets_a_polite_400_and_steers_no_address(client, path):
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Location" not in response.headers
    body = response.get_data(as_text=True)
    assert "evil.example" not in body and "Traceback" not in body
    if not path.startswith("/api/"):
        assert "抱歉，我们无法理解这个请求" in body and "12385" in body


def test_a_forged_host_on_a_form_gets_the_same_400(client):
    response = client.post("/feedback", data=FORMS[2][1], headers={"Host": "evil.example"})
    assert response.status_code == 400 and "Set-Cookie" not in response.headers


def test_trusted_hosts_come_from_the_environment(monkeypatch, tmp_path):
    from portal.config import trusted_hosts

    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    assert trusted_hosts() == ["127.0.0.1", "localhost"]
    monkeypatch.setenv("TRUSTED_HOSTS", "canzu.example.gov.cn, .dazu.example")
    assert trusted_hosts() == ["canzu.example.gov.cn", ".dazu.example"]


def test_personal_pages_are_kept_out_of_caches_and_reader_pages_are_not(app):
    reader, resident = app.test_client(), app.test_client()
    for path in public_pages(app):
        response = reader.get(path)
        assert "no-store" not in response.headers.get("Cache-Control", ""), path
    answer = resident.post("/feedback", data=FORMS[2][1], headers=SAME_ORIGIN)
    assert answer.headers["Cache-Control"] == "no-store"  # the answer to a form
    for path in ("/", "/status", "/apply/nursing-subsidy/privacy"):
        assert resident.get(path).headers["Cache-Control"] == "no-store", path  # a browser with a session
    looked_up = reader.get("/api/v1/applications/A7KX-4M9P", headers={"X-Applicant-Id": "500225194803150027"})
    assert looked_up.headers["Cache-Control"] == "no-store"  # every API answer, found or not
    static = resident.get("/static/css/portal.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
