"""The eligibility checker in a real browser: every question page, an error state, check answers, results —
in zh and en and each display mode — and the whole flow without JavaScript."""

from __future__ import annotations

import pytest

from .conftest import MODES, axe_violations, new_context


def _answer_current_question(page) -> None:
    if page.locator("#answer[type=text]").count():
        page.fill("#answer", "30")
    elif page.locator("input[type=radio][name=answer]").count():
        page.locator("input[type=radio][name=answer]").first.check()
    page.locator("main form button[type=submit]:not([name=skip])").first.click()
    page.wait_for_load_state("load")


def walk(page, portal_url: str, check) -> list[str]:
    """Start, choose everything, answer every question; ``check`` runs on each page. Returns the URLs seen."""
    seen = []
    page.goto(portal_url + "/eligibility")
    check(page)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url.endswith("/eligibility/benefits")
    check(page)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    for _ in range(25):
        if "/eligibility/questions/" not in page.url:
            break
        seen.append(page.url)
        check(page)
        _answer_current_question(page)
    assert page.url.endswith("/eligibility/check")
    check(page)
    page.click("main a.button[href='/eligibility/results']")
    page.wait_for_load_state("load")
    assert page.url.endswith("/eligibility/results")
    check(page)
    return seen


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_checker_page_has_no_axe_violations(browser, portal_url, lang, mode):
    context = new_context(browser, portal_url, mode=mode, lang=lang)
    page = context.new_page()
    failures: dict[str, list] = {}

    def check(current) -> None:
        violations = axe_violations(current, aaa_contrast=mode == "high-contrast")
        if violations:
            failures[current.url] = violations

    questions = walk(page, portal_url, check)
    context.close()
    assert len(questions) >= 5
    assert failures == {}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_checker_error_state(browser, portal_url, lang):
    context = new_context(browser, portal_url, lang=lang)
    page = context.new_page()
    page.goto(portal_url + "/eligibility?benefit=precision-rehab")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    page.locator("main form button[type=submit]:not([name=skip])").first.click()
    page.wait_for_load_state("load")
    assert page.title().startswith("错误：" if lang == "zh" else "Error:")
    assert page.evaluate("document.activeElement.className") == "error-summary"
    assert axe_violations(page) == []
    context.close()


def test_checker_works_without_javascript(browser, portal_url):
    context = new_context(browser, portal_url, java_script_enabled=False)
    page = context.new_page()
    questions = walk(page, portal_url, lambda _page: None)
    assert len(questions) >= 5
    assert page.locator(".result").count() == 17
    context.close()


def test_timeout_warning_is_hidden_until_two_minutes_before_expiry(page, portal_url):
    page.goto(portal_url + "/eligibility?benefit=precision-rehab")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.is_hidden("#timeout-warning")
    expires = page.get_attribute("#timeout-warning", "data-expires-at")
    assert expires
