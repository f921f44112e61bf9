"""The service-token check, one decorator for the API routes that need it."""

from __future__ import annotations

import pytest
from flask import jsonify

from portal import create_app
from portal.api.auth import has_service_token, service_token_required


@pytest.fixture()
def token_app(app):
    guarded = create_app({**app.config, "PORTAL_SERVICE_TOKEN": "s3cret-token"})

    @guarded.get("/api/v1/_probe")
    @service_token_required
    def probe():
        return jsonify({"ok": True, "service": has_service_token()})

    return guarded


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer wrong", "Basic s3cret-token", "Bearer s3cret-token-and-more", "s3cret-token"],
)
def test_requests_without_the_token_are_refused(token_app, header):
    headers = {"Authorization": header} if header is not None else {}
    response = token_app.test_client().get("/api/v1/_probe", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.get_json()["error"]["field"] == "Authorization"


def test_the_token_lets_the_request_through(token_app):
    response = token_app.test_client().get("/api/v1/_probe", headers={"Authorization": "Bearer s3cret-token"})
    assert response.status_code == 200 and response.get_json() == {"ok": True, "service": True}


def test_with_no_token_configured_nothing_gets_through(app):
    open_app = create_app({**app.config, "PORTAL_SERVICE_TOKEN": ""})

    @open_app.get("/api/v1/_probe")
    @service_token_required
    def probe():
        return jsonify({"ok": True})

    assert open_app.test_client().get("/api/v1/_probe", headers={"Authorization": "Bearer "}).status_code == 401
