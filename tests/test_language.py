"""Both languages: Simplified Chinese by default, English by ?lang=en or the settings page."""

from __future__ import annotations

import re

from portal.web.display import COOKIE_NAME


def html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match
    return match.group(1)


def test_chinese_is_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert html_lang(html) == "zh-Hans"
    assert "大足区助残服务门户" in html
    assert "跳到主要内容" in html


def test_lang_parameter_switches_to_english_and_is_remembered(client):
    response = client.get("/?lang=en")
    html = response.get_data(as_text=True)
    assert html_lang(html) == "en"
    assert "Skip to main content" in html
    assert "lang=en" in response.headers["Set-Cookie"]
    # The next page, without the parameter, stays in English.
    assert html_lang(client.get("/accessibility").get_data(as_text=True)) == "en"
    # And back.
    assert html_lang(client.get("/accessibility?lang=zh").get_data(as_text=True)) == "zh-Hans"


def test_unknown_language_is_ignored(client):
    response = client.get("/?lang=fr")
    assert response.status_code == 200
    assert html_lang(response.get_data(as_text=True)) == "zh-Hans"


def test_language_link_points_to_the_other_language(client):
    html = client.get("/accessibility").get_data(as_text=True)
    assert 'href="/accessibility?lang=en" lang="en"' in html


def test_dates_are_formatted_by_babel_in_each_language(client):
    assert "2026年11月29日" in client.get("/accessibility").get_data(as_text=True)
    assert "November 29, 2026" in client.get("/accessibility?lang=en").get_data(as_text=True)


def test_every_ui_string_has_a_chinese_translation():
    from babel.messages.pofile import read_po

    with open("locales/zh_Hans/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    assert len(catalog) > 50


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    """No string was added to a template or view without being extracted into the catalogues, and none is in them
    that extraction no longer finds (a template the extractor cannot read drops out silently)."""
    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po

    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."]
    )
    with open(pot, "rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    with open("locales/zh_Hans/LC_MESSAGES/messages.po", "rb") as handle:
        translated = {m.id for m in read_po(handle) if m.id}
    assert extracted - translated == set()
    assert translated - extracted == set()


def test_cookie_holds_only_display_choices(client):
    client.get("/?lang=en")
    cookie = client.get_cookie(COOKIE_NAME)
    assert cookie is not None
    assert cookie.http_only
    assert set(dict(part.split("=") for part in cookie.value.split("&"))) == {
        "text",
        "contrast",
        "elder",
        "motion",
        "lang",
    }
