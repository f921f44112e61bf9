"""A phone (390 × 844): the compact header, the page's h1 on the first screen in elder and extra-large modes
(accessibility.md item 12), and the reviewed screenshots."""

from __future__ import annotations

import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from .conftest import axe_violations, new_context
from .pages import JOURNEY_STARTS, PAGES, start_an_application, start_the_checker

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).parent / "screenshots"
REVIEWED = SCREENSHOTS / "reviewed"


def _first_content_top(page) -> float:
    """Where the page's h1 starts (from the top of the document, in CSS px); after a failed submit or a saved change
    the error summary or the notification banner comes first, and is then what must be in view."""
    return page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('main h1, main .error-summary, main .notification-banner')]
                 .map(el => el.getBoundingClientRect().top + window.scrollY))"""
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mode", ["elder", "large-text"])
def test_h1_starts_in_the_first_half_of_a_phone_screen(browser, portal_url, mode, lang):
    context = new_context(browser, portal_url, mode=mode, lang=lang, viewport=PHONE)
    page = context.new_page()
    late: dict[str, float] = {}
    for case in [*PAGES, *JOURNEY_STARTS]:
        page.goto(portal_url + case.path)
        if case.action:
            case.action(page)
        top = _first_content_top(page)
        if top > PHONE["height"] / 2:
            late[case.name] = round(top)
    context.close()
    assert late == {}, f"h1 below {PHONE['height'] // 2} px ({mode}, {lang}): {late}"


TARGET_SIZE = {"default": 44, "elder": 60}


@pytest.mark.parametrize("mode", ["default", "elder"])
def test_compact_header_folds_the_display_toggles_into_one_labelled_disclosure(browser, portal_url, mode):
    context = new_context(browser, portal_url, mode=mode, viewport=PHONE)
    page = context.new_page()
    page.goto(portal_url + "/policies/nursing-subsidy")
    summary = page.locator("header summary")
    assert summary.inner_text().strip() == "大字、高对比度、长辈版"
    assert page.is_visible(".header__name") and page.is_visible("header a[hreflang=en]")
    assert not page.is_visible("button[name=toggle]")
    # Two rows: the site name and the language link, then the disclosure.
    assert page.evaluate("document.querySelector('.header__container').getBoundingClientRect().height") < 844 / 5
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site name
    page.keyboard.press("Tab")  # English
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert page.get_attribute("header details", "open") == ""
    assert page.is_visible("button[name=toggle][value=elder]")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('header summary, header a, header button')]
            .filter(el => el.getClientRects().length).map(el => {
              const b = el.getBoundingClientRect(); return [el.textContent.trim(), b.width, b.height]; })"""
    )
    assert [box for box in boxes if min(box[1], box[2]) < TARGET_SIZE[mode]] == []
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_compact_header_toggles_work_without_javascript(browser, portal_url):
    context = new_context(browser, portal_url, mode="elder", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(portal_url + "/policies/nursing-subsidy")
    page.click("header summary")
    page.click("button[name=toggle][value=contrast]")  # a plain form post
    page.wait_for_load_state("load")
    assert page.url.endswith("/policies/nursing-subsidy")
    assert "contrast-high" in page.evaluate("document.documentElement.className")
    context.close()


def test_wide_screens_show_the_toggles_without_the_disclosure(page, portal_url):
    page.goto(portal_url + "/")
    assert page.is_visible("button[name=toggle][value=elder]")
    assert not page.is_visible("header summary")


def _checker_first_question(page, portal_url: str) -> None:
    page.goto(portal_url + "/eligibility")
    start_the_checker(page)


def _application_task_list(page, portal_url: str) -> None:
    start_an_application(page, portal_url)


SHOTS: dict[str, Callable[[Page, str], None]] = {
    "home": lambda page, url: page.goto(url + "/"),
    "policy": lambda page, url: page.goto(url + "/policies/nursing-subsidy"),
    "checker-first-question": _checker_first_question,
    "apply-task-list": _application_task_list,
}


def _png_dimensions(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def test_reviewed_screenshots_are_regenerated_and_match_in_size(browser, portal_url):
    """The first screen of four pages in zh, elder mode, on a phone, regenerated into screenshots/ (git-ignored)
    and compared with the reviewed copies in screenshots/reviewed/ by dimensions, and by file size within a factor
    of two (a blank, unstyled or half-drawn page): pixels differ between machines, so a person compares the
    pictures themselves. After an intended change, look at the new ones and copy them over the reviewed ones."""
    if shutil.which("fc-list"):
        cjk = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True).stdout
        assert cjk.strip(), "no Chinese font: `make chromium` installs Debian's fonts-noto-cjk"
    SCREENSHOTS.mkdir(exist_ok=True)
    context = new_context(browser, portal_url, mode="elder", viewport=PHONE)
    page = context.new_page()
    different = {}
    for name, go in SHOTS.items():
        go(page, portal_url)
        page.evaluate("document.activeElement && document.activeElement.blur()")  # no focus ring in the picture
        fresh, reviewed = SCREENSHOTS / f"{name}.png", REVIEWED / f"{name}.png"
        page.screenshot(path=str(fresh), animations="disabled", caret="hide")
        if not reviewed.exists():
            different[name] = f"no reviewed screenshot: look at {fresh}, then copy it to {REVIEWED}"
            continue
        new, old = (_png_dimensions(fresh), fresh.stat().st_size), (_png_dimensions(reviewed), reviewed.stat().st_size)
        if new[0] != old[0] or not 0.5 < new[1] / old[1] < 2:
            different[name] = {"new": new, "reviewed": old}
    context.close()
    assert different == {}, f"compare screenshots/ with screenshots/reviewed/: {different}"
