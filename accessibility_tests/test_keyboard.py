"""Keyboard only: Tab, Space and Enter (and typing into text boxes), never a click, through the whole checker and
the first pages of an application. Each page is entered by its skip link, as a keyboard user would."""

from __future__ import annotations

from urllib.parse import urlsplit

from .conftest import new_context

VISIBLE_FOCUS = """() => {
  const el = document.activeElement, box = el.getBoundingClientRect(), s = getComputedStyle(el);
  return {tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 40),
          shown: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight,
          ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'};
}"""


def _path(page) -> str:
    return urlsplit(page.url).path  # without the #main the skip link added


def skip_to_main(page) -> None:
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focus is on ``selector``; every stop on the way must be visible and show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(VISIBLE_FOCUS)
        assert focus["tag"] != "BODY", f"focus fell to the page looking for {selector} on {page.url}"
        assert focus["shown"] and focus["ring"], f"focus not visible on {focus} at {page.url}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} Tabs on {page.url}")


def activate(page, selector: str) -> None:
    """Tab to a link or button and press Enter; wait for the page it leads to."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    skip_to_main(page)


def test_the_whole_checker_by_keyboard(browser, portal_url):
    context = new_context(browser, portal_url)
    page = context.new_page()
    page.goto(portal_url + "/eligibility")
    skip_to_main(page)
    activate(page, "main form button.button--start")
    assert _path(page) == "/eligibility/benefits"
    activate(page, "main form button[type=submit]")  # all benefits: none ticked means every one
    questions = 0
    while _path(page).startswith("/eligibility/questions/") and questions < 25:
        questions += 1
        if page.locator("#answer[type=text]").count():
            tab_to(page, "#answer")
            page.keyboard.type("30")
        elif page.locator("input[type=radio][name=answer]").count():
            tab_to(page, "input[type=radio][name=answer]")
            page.keyboard.press("Space")
            assert page.evaluate("document.activeElement.checked")
        activate(page, "main form button[type=submit]:not([name=skip])")
    assert questions >= 5
    assert _path(page) == "/eligibility/check"
    activate(page, "main a.button[href='/eligibility/results']")
    assert _path(page) == "/eligibility/results"
    assert page.locator(".result").count() == 17
    context.close()


def test_the_first_pages_of_an_application_by_keyboard(browser, portal_url):
    context = new_context(browser, portal_url)
    page = context.new_page()
    page.goto(portal_url + "/apply/nursing-subsidy")
    skip_to_main(page)
    activate(page, "main a.button--start")
    assert _path(page).endswith("/privacy")
    for consent in ("#general", "#sensitive"):
        tab_to(page, consent)
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked")
    activate(page, "main form[action$='/privacy'] button[type=submit]")
    assert page.locator("strong.reference").count() == 2  # the reference and the access code
    activate(page, "main a.button")
    assert _path(page) == "/apply/draft"  # the task list
    activate(page, "main a.button")
    assert _path(page) == "/apply/draft/details/who"
    tab_to(page, "input[name=who][value=self]")
    page.keyboard.press("Space")
    activate(page, "main form button[type=submit]")
    assert _path(page) == "/apply/draft/details/name"
    tab_to(page, "#name")
    page.keyboard.type("李秀英")
    activate(page, "main form button[type=submit]")
    assert _path(page) == "/apply/draft/details/id-number"
    context.close()
