"""Every policy page, in both languages: 0 axe violations, read-aloud shown only where speech exists."""

from __future__ import annotations

import pytest

from portal.config import PROJECT_ROOT
from portal.content import load_catalogue

from .conftest import axe_violations, new_context

POLICY_IDS = [policy.id for policy in load_catalogue(PROJECT_ROOT / "content").policies]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_policy_page_has_no_axe_violations(browser, portal_url, lang):
    context = new_context(browser, portal_url, lang=lang)
    page = context.new_page()
    failures = {}
    for policy_id in POLICY_IDS:
        page.goto(f"{portal_url}/policies/{policy_id}")
        violations = axe_violations(page)
        if violations:
            failures[policy_id] = violations
    context.close()
    assert failures == {}


def test_read_aloud_appears_when_the_browser_can_speak(page, portal_url):
    page.goto(portal_url + "/policies/dibao")
    has_speech = page.evaluate("'speechSynthesis' in window && typeof SpeechSynthesisUtterance !== 'undefined'")
    assert page.is_visible(".read-aloud") == has_speech
