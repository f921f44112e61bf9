"""Keyboard, reflow, elder mode, focus, forms without JavaScript, and htmx swaps, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import MODES, axe_violations, new_context
from .pages import PAGES

# What counts as a target for the size rules: controls and navigation, not links inside running text.
TARGETS = (
    "button, input:not([type=hidden]), select, textarea, .navigation__link, .header__link, .header__name, "
    ".skip-link:focus, .button, .back-link, .breadcrumbs__item a, .footer__links a, .summary-list__actions a"
)


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.name)
def test_first_tab_reaches_a_visible_skip_link_to_main(page, portal_url, case):
    page.goto(portal_url + case.path)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
        const el = document.activeElement, box = el.getBoundingClientRect();
        return {cls: el.className, href: el.getAttribute('href'), top: box.top, height: box.height};
    }"""
    )
    assert focused["cls"] == "skip-link" and focused["href"] == "#main"
    assert focused["top"] >= 0 and focused["height"] >= 24
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.name)
def test_no_horizontal_scroll_at_320_px(browser, portal_url, case, mode):
    context = new_context(browser, portal_url, mode=mode, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(portal_url + case.path)
    if case.action:
        case.action(page)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    context.close()
    assert widths[0] <= widths[1], f"{case.path} in {mode}: content {widths[0]} px wide in a {widths[1]} px window"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.name)
def test_elder_mode_text_and_targets(browser, portal_url, case, lang):
    context = new_context(browser, portal_url, mode="elder", lang=lang)
    page = context.new_page()
    page.goto(portal_url + case.path)
    if case.action:
        case.action(page)
    body = page.evaluate(
        """() => { const s = getComputedStyle(document.body);
        return {size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight) / parseFloat(s.fontSize)}; }"""
    )
    small = page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
          .filter(el => el.offsetParent !== null && !el.closest('.visually-hidden'))
          .map(el => { const b = el.getBoundingClientRect();
                       return {el: el.outerHTML.slice(0, 80), w: Math.round(b.width), h: Math.round(b.height)}; })
          .filter(t => t.w < 60 || t.h < 60)""",
        TARGETS,
    )
    animated = page.evaluate(
        """() => [...document.querySelectorAll('*')].filter(el => {
            const s = getComputedStyle(el);
            return s.animationName !== 'none' || parseFloat(s.transitionDuration) > 0; }).length"""
    )
    context.close()
    assert body["size"] >= 18
    assert body["line"] >= 1.5
    assert small == []
    assert animated == 0


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.name)
def test_default_mode_targets_are_at_least_44_px(page, portal_url, case):
    page.goto(portal_url + case.path)
    small = page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
          .filter(el => el.offsetParent !== null && !el.closest('.visually-hidden'))
          .map(el => { const b = el.getBoundingClientRect();
                       return {el: el.outerHTML.slice(0, 80), w: Math.round(b.width), h: Math.round(b.height)}; })
          .filter(t => t.w < 44 || t.h < 44)""",
        TARGETS,
    )
    assert small == []


def test_extra_large_text_reaches_30_px(browser, portal_url):
    context = new_context(browser, portal_url, mode="large-text")
    page = context.new_page()
    page.goto(portal_url + "/")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    context.close()
    assert size >= 30


@pytest.mark.parametrize("mode", ["default", "high-contrast"])
def test_focus_is_always_visible(browser, portal_url, mode):
    context = new_context(browser, portal_url, mode=mode)
    page = context.new_page()
    page.goto(portal_url + "/settings")
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const el = document.activeElement, s = getComputedStyle(el);
            return {tag: el.tagName, outline: s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) : 0,
                    shadow: s.boxShadow, bg: s.backgroundColor}; }"""
        )
        if style["tag"] == "BODY":
            continue
        seen += 1
        assert style["outline"] >= 2 or style["shadow"] != "none", style
    context.close()
    assert seen >= 20


def test_settings_form_works_without_javascript(browser, portal_url):
    context = new_context(browser, portal_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(portal_url + "/settings")
    page.check("#text-2")  # extra-large
    page.check("#lang-1")  # English
    page.click("form[action='/settings'] button[type=submit]")
    page.wait_for_load_state("load")
    assert "saved=1" in page.url
    assert page.evaluate("document.documentElement.className").split() == ["text-extra-large", "contrast-standard"]
    assert page.evaluate("document.documentElement.lang") == "en"
    context.close()


def test_quick_toggle_works_without_javascript(browser, portal_url):
    context = new_context(browser, portal_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(portal_url + "/accessibility")
    page.click("button[name=toggle][value=contrast]")
    page.wait_for_load_state("load")
    assert page.url.endswith("/accessibility")
    assert "contrast-high" in page.evaluate("document.documentElement.className")
    assert page.get_attribute("button[name=toggle][value=contrast]", "aria-pressed") == "true"
    context.close()


def test_feedback_form_works_without_javascript(browser, portal_url):
    context = new_context(browser, portal_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(portal_url + "/accessibility")
    page.fill("#feedback-comment", "很好用")
    page.click("#feedback button[type=submit]")
    page.wait_for_load_state("load")
    # No answer chosen: the error page keeps the comment and focuses nothing by script.
    assert page.title().startswith("错误：")
    assert page.input_value("#feedback-comment") == "很好用"
    page.check("#feedback-useful-0")
    page.click("main form.feedback__form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url.endswith("/") or page.url.endswith("/accessibility")
    assert "谢谢您的反馈" in page.content()
    context.close()


def test_failed_submit_focuses_the_error_summary(page, portal_url):
    page.goto(portal_url + "/feedback?path=/")
    page.click("main form.feedback__form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.className") == "error-summary"
    # Each summary item links to its field.
    page.click(".error-summary a")
    assert page.evaluate("document.activeElement.id") == "feedback-useful-0"


def test_htmx_feedback_swap_moves_focus_and_announces(page, portal_url):
    page.goto(portal_url + "/accessibility")
    page.check("#feedback-useful-0")
    page.click("#feedback button[type=submit]")
    page.wait_for_selector(".feedback__thanks")
    assert page.url.endswith("/accessibility")  # swapped in place, no navigation
    assert page.evaluate("document.activeElement.className") == "feedback__thanks"
    expect(page.locator("#live-status")).to_contain_text("谢谢")
    assert axe_violations(page) == []


def test_chat_swap_keeps_focus_in_the_box_and_the_log_grows(page, portal_url):
    page.goto(portal_url + "/chat")
    page.fill("#chat-message", "残疾证咋个办")
    page.click("#chat-form button[type=submit]")
    page.wait_for_selector(".chat__message--assistant")
    assert page.url.endswith("/chat")  # swapped in place
    assert page.evaluate("document.activeElement.id") == "chat-message"
    assert page.input_value("#chat-message") == ""
    assert page.locator("#chat-log .chat__message--user").inner_text().endswith("残疾证咋个办")
    assert page.get_attribute("#chat-log", "role") == "log"
    assert axe_violations(page) == []


def test_chat_panel_on_a_policy_page_answers_in_place(page, portal_url):
    page.goto(portal_url + "/policies/dibao")
    page.fill("#chat-message", "低保咋个申请")
    page.click("#chat-form button[type=submit]")
    page.wait_for_selector("#chat-log .chat__message--assistant")
    assert page.url.endswith("/policies/dibao")
    assert page.evaluate("document.activeElement.id") == "chat-message"
    assert axe_violations(page) == []


def test_search_swap_announces_the_count_and_keeps_focus(page, portal_url):
    page.goto(portal_url + "/search")
    page.fill("#search-q", "轮椅")
    page.keyboard.press("Enter")
    page.wait_for_selector(".search-results__count")
    assert page.evaluate("document.activeElement.id") == "search-q"
    expect(page.locator("#live-status")).to_contain_text("条结果")
    assert "q=" in page.url  # the address follows the search
    assert axe_violations(page) == []
