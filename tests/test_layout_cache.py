"""The page's frame kept for readers (portal/web/layout_cache.py): the same bytes as rendered afresh, a frame per
language, display settings and path, nothing kept for a browser with a session, and a bounded store."""

from __future__ import annotations

import re

import pytest

from portal.web import layout_cache
from portal.web.display import COOKIE_NAME, DisplaySettings

PAGES = ["/", "/search", "/search?q=%E6%8A%A4%E7%90%86", "/accessibility", "/privacy", "/settings", "/eligibility"]


def kept(app) -> layout_cache.ReaderCache:
    return app.jinja_env.extensions["portal.web.layout_cache.ReaderCache"]


def test_a_kept_frame_is_byte_for_byte_the_frame_rendered_afresh(app, client):
    for lang in ("zh", "en"):
        client.set_cookie(COOKIE_NAME, DisplaySettings(lang=lang).to_cookie())
        for page in PAGES:
            kept(app).clear()
            fresh = client.get(page).get_data(as_text=True)
            assert len(kept(app)._kept) >= 3, page  # header, footer and feedback at least were kept
            again = client.get(page).get_data(as_text=True)
            assert again == fresh, page


def test_frames_follow_language_display_and_path(client):
    zh = client.get("/").get_data(as_text=True)
    assert 'href="/?lang=en"' in zh and "无障碍声明" in zh
    en = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/?lang=zh"' in en and "Accessibility statement" in en and "无障碍声明" not in en

    client.set_cookie(COOKIE_NAME, DisplaySettings(elder=True).to_cookie())
    elder = client.get("/").get_data(as_text=True)
    assert 'value="elder" aria-pressed="true"' in elder
    assert elder.count('class="navigation__link"') < zh.count('class="navigation__link"')

    client.set_cookie(COOKIE_NAME, DisplaySettings().to_cookie())
    search = client.get("/search?q=x").get_data(as_text=True)
    assert 'href="/search?lang=en"' in search
    assert 'name="next" value="/search?q=x"' in search
    current = re.findall(r'<a class="navigation__link" href="([^"]+)" aria-current="page"', search)
    assert current == ["/search"]
    feedback_path = re.search(r'name="feedback-path" value="([^"]*)"', search)
    assert feedback_path and feedback_path.group(1) == "/search"


def test_a_browser_with_a_session_gets_its_own_tokens_and_readers_none(app):
    resident, reader = app.test_client(), app.test_client()
    assert "csrf_token" not in reader.get("/").get_data(as_text=True)
    response = resident.post("/feedback", data={"feedback-useful": "yes", "feedback-path": "/"})
    assert response.status_code in (200, 302, 303)
    assert resident.get_cookie("session") is not None
    page = resident.get("/").get_data(as_text=True)
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', page))
    assert len(tokens) == 1 and page.count('name="csrf_token"') >= 3  # display toggles, chat, feedback
    assert "csrf_token" not in reader.get("/").get_data(as_text=True)
    assert resident.get("/").get_data(as_text=True).count('name="csrf_token"') >= 3


def test_kept_frames_are_bounded(app, client, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(layout_cache, "MAX_KEPT", 5)
    for n in range(20):
        assert client.get(f"/search?q=x{n}").status_code == 200
    assert len(kept(app)._kept) == 5
