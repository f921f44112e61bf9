"""Display settings: saved in a cookie, applied server-side on every page, without JavaScript."""

from __future__ import annotations

import re

from portal.web.display import DisplaySettings

from .conftest import csrf_token


def html_classes(html: str) -> set[str]:
    match = re.search(r'<html lang="[^"]+" class="([^"]*)"', html)
    assert match
    return set(match.group(1).split())


def test_defaults(client):
    assert html_classes(client.get("/").get_data(as_text=True)) == {"text-standard", "contrast-standard"}


def test_settings_form_saves_and_applies_everywhere(client):
    token = csrf_token(client, "/settings")
    response = client.post(
        "/settings",
        data={
            "csrf_token": token,
            "text": "extra-large",
            "contrast": "high",
            "elder": "1",
            "motion": "reduce",
            "lang": "en",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/settings?saved=1")
    html = client.get("/accessibility").get_data(as_text=True)
    assert html_classes(html) == {"text-extra-large", "contrast-high", "elder", "reduce-motion"}
    assert '<html lang="en"' in html
    confirmation = client.get("/settings?saved=1").get_data(as_text=True)
    assert "Your display settings have been saved" in confirmation


def test_invalid_settings_show_errors_and_keep_other_answers(client):
    token = csrf_token(client, "/settings")
    response = client.post("/settings", data={"csrf_token": token, "text": "huge", "contrast": "high"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>错误：" in html
    assert 'class="error-summary"' in html
    assert 'href="#text-0"' in html
    # The valid answer the user gave is still selected.
    assert re.search(r'id="contrast-1" name="contrast" type="radio" value="high"[^>]*checked', html)
    # Each field's error is tied to its fieldset.
    assert 'aria-describedby="text-error"' in html


def test_quick_toggles_flip_and_return_to_the_page(client):
    token = csrf_token(client, "/accessibility")
    response = client.post("/settings/quick", data={"csrf_token": token, "toggle": "elder", "next": "/accessibility"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/accessibility"
    html = client.get("/accessibility").get_data(as_text=True)
    assert "elder" in html_classes(html)
    assert 'value="elder" aria-pressed="true"' in html
    client.post("/settings/quick", data={"csrf_token": token, "toggle": "elder", "next": "/"})
    assert "elder" not in html_classes(client.get("/").get_data(as_text=True))


def test_quick_toggle_never_redirects_off_site(client):
    token = csrf_token(client)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/settings/quick", data={"csrf_token": token, "toggle": "text", "next": target})
        assert response.headers["Location"] == "/"


def test_elder_mode_simplifies_navigation(client):
    token = csrf_token(client)
    normal = client.get("/").get_data(as_text=True)
    client.post("/settings/quick", data={"csrf_token": token, "toggle": "elder", "next": "/"})
    elder = client.get("/").get_data(as_text=True)
    assert normal.count('class="navigation__link"') > elder.count('class="navigation__link"')


def test_tampered_cookie_is_ignored():
    settings = DisplaySettings.from_cookie("text=<script>&contrast=high&elder=yes&lang=de" + "x" * 5000)
    assert settings == DisplaySettings(contrast="high")
    assert DisplaySettings.from_cookie(settings.to_cookie()) == settings
