"""WCAG 2.2.1: the timeout warning really appears 2 minutes before saved answers go, takes focus, is announced, and
"keep my answers" moves the expiry. A second portal keeps visitor data for 125 s (``VISITOR_LIFETIMES``), so the
warning is due 5 s after the last change instead of 28 minutes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from .conftest import new_context, running_portal
from .pages import start_an_application, start_the_checker

LIFETIME = 125  # seconds: the warning shows at 120 s before expiry


@pytest.fixture(scope="module")
def short_lived_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    lifetimes = json.dumps({"checker": LIFETIME, "draft": LIFETIME})
    with running_portal(
        tmp_path_factory.mktemp("short-lived"), VISITOR_LIFETIMES=lifetimes, WEB_CONCURRENCY="1"
    ) as (url, _env):
        yield url


def _expires(page) -> datetime:
    return datetime.fromisoformat(page.get_attribute("#timeout-warning", "data-expires-at"))


def _warn_then_extend(page, announcement: str) -> None:
    first = _expires(page)
    remaining = (first - datetime.now(timezone.utc)).total_seconds()
    assert 0 < remaining <= LIFETIME
    warning = page.locator("#timeout-warning")
    assert warning.is_hidden()
    expect(warning).to_be_visible(timeout=(remaining - 120 + 15) * 1000)
    assert page.evaluate("document.activeElement.id") == "timeout-warning"  # focus moved to it
    expect(page.locator("#live-status")).to_contain_text(announcement)
    path = page.url
    page.keyboard.press("Tab")  # from the warning to its button
    assert page.evaluate("document.activeElement.closest('#timeout-warning') !== null")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == path  # back on the same page, answers kept
    later = _expires(page)
    assert (later - first).total_seconds() >= 3
    assert (later - datetime.now(timezone.utc)).total_seconds() > LIFETIME - 10
    assert page.locator("#timeout-warning").is_hidden()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_checker_warns_two_minutes_before_and_keep_my_answers_extends(browser, short_lived_portal, lang):
    context = new_context(browser, short_lived_portal, lang=lang)
    page = context.new_page()
    page.goto(short_lived_portal + "/eligibility")
    start_the_checker(page)
    _warn_then_extend(page, "2分钟" if lang == "zh" else "2 minutes")
    assert "/eligibility/questions/" in page.url
    context.close()


def test_application_warns_two_minutes_before_and_staying_extends(browser, short_lived_portal):
    context = new_context(browser, short_lived_portal)
    page = context.new_page()
    start_an_application(page, short_lived_portal)
    _warn_then_extend(page, "2分钟")
    context.close()
