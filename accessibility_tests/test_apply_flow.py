"""Applying online in a real browser: every page of the journey, its error states and the file-upload states, in
zh and en and each display mode; the whole journey without JavaScript on a phone-sized screen; tracking."""

from __future__ import annotations

import re

import pytest

from tests.support import files, people

from .conftest import MODES, axe_violations, new_context

PARENT = people.id_number("19520314")
HELPER = people.id_number("19800101", sequence="456")
FACT_ANSWERS = people.NURSING_FACTS


def _continue(page) -> None:
    page.locator(
        "main form:not(.file-list__remove):not([action$='/leave']) button[type=submit]:not([name=skip])"
    ).first.click()
    page.wait_for_load_state("load")


def walk(page, portal_url: str, check, reopen=None) -> str:
    """Apply for 护理补贴 for a parent, through every page; ``check`` runs on each page and state. Returns the
    reference."""
    page.goto(portal_url + "/policies/nursing-subsidy")
    page.click("main a.button[href='/apply/nursing-subsidy']")
    page.wait_for_load_state("load")
    check(page)  # before you start
    page.click("main a.button--start")
    page.wait_for_load_state("load")
    check(page)  # the personal-information notice
    page.locator("main form[action$='/privacy'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".error-summary").count() == 1
    check(page)  # consent not given: the error state
    page.check("#general")
    page.check("#sensitive")
    page.locator("main form[action$='/privacy'] button[type=submit]").click()
    page.wait_for_load_state("load")
    reference, access_code = (node.inner_text() for node in page.locator("strong.reference").all())
    check(page)  # reference and access code
    page.click("main a.button")
    page.wait_for_load_state("load")
    check(page)  # task list
    page.click("main a.button")
    page.wait_for_load_state("load")
    page.check("input[name=who][value=proxy]")
    check(page)
    _continue(page)
    page.fill("#proxy_name", "李明")
    page.check("input[name=relation][value=family]")
    page.fill("#proxy_id_number", HELPER)
    page.fill("#proxy_phone", "13800001234")
    check(page)
    _continue(page)
    page.fill("#name", "李秀英")
    _continue(page)
    page.fill("#id_number", PARENT[:-1] + ("0" if PARENT[-1] != "0" else "1"))
    _continue(page)
    assert page.locator(".error-summary").count() == 1
    check(page)  # a wrong ID number: the error state
    page.fill("#id_number", PARENT)
    _continue(page)
    page.fill("#phone", "023 4372 1234")
    _continue(page)
    page.check("input[name=town][value=longgang]")
    page.fill("#village", "龙岗社区")
    page.fill("#address", "3组12号")
    check(page)
    _continue(page)
    for _ in range(10):
        match = re.search(r"/apply/draft/facts/([a-z_]+)", page.url)
        if not match:
            break
        check(page)
        name = match.group(1)
        if name != "exclusions":
            value = FACT_ANSWERS[name]
            page.check(f"input[name=answer][value='{value}']") if page.locator(
                "input[name=answer][type=radio]"
            ).count() else page.fill("#answer", value)
        _continue(page)
    assert page.url.endswith("/apply/draft/details/certificate-number"), page.url
    page.fill("#certificate_number", people.certificate_number(PARENT))
    check(page)
    _continue(page)
    page.fill("#bank_name", "重庆农村商业银行")
    page.fill("#bank_account", "6228480012345678901")
    _continue(page)
    assert page.url.endswith("/apply/draft/documents")
    check(page)  # nothing uploaded yet
    page.set_input_files("#files-identity", [{"name": "evil.svg", "mimeType": "image/svg+xml", "buffer": files.SVG}])
    page.locator("#document-identity form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "evil.svg" in page.locator(".error-summary").inner_text()
    check(page)  # a refused file: the error state
    photo = files.jpeg_with_gps()
    page.set_input_files(
        "#files-identity",
        [
            {"name": "户口簿首页.jpg", "mimeType": "image/jpeg", "buffer": photo},
            {"name": "本人页.png", "mimeType": "image/png", "buffer": files.png()},
        ],
    )
    page.locator("#document-identity form button[type=submit]").click()
    page.wait_for_load_state("load")
    page.set_input_files(
        "#files-certificate", [{"name": "残疾证.pdf", "mimeType": "application/pdf", "buffer": files.pdf()}]
    )
    page.locator("#document-certificate form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".file-list__item").count() == 3
    check(page)  # files listed, each with a remove button
    if reopen is not None:  # the browser is closed; a new one picks the application up again
        page = reopen(page)
        page.goto(portal_url + "/apply/resume")
        page.fill("#reference", reference)
        page.fill("#id_number", PARENT)
        page.fill("#access_code", access_code)
        page.locator("main form[action$='/apply/resume'] button[type=submit]").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/apply/draft"), page.url
        page.goto(portal_url + "/apply/draft/documents")
    page.click("main a.button[href='/apply/draft/check']")
    page.wait_for_load_state("load")
    check(page)  # check answers
    page.locator("main form[action$='/apply/draft/check'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".error-summary").count() == 1
    check(page)  # the declaration not ticked
    page.check("#true_and_complete")
    page.check("#authority")
    page.locator("main form[action$='/apply/draft/check'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/apply/draft/done")
    check(page)  # confirmation and receipt
    page.goto(portal_url + "/status")
    check(page)
    page.fill("#reference", reference)
    page.fill("#id_number", PARENT)
    page.locator("main form[action$='/status'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert reference in page.locator("h1").inner_text()
    check(page)  # the status
    page.goto(portal_url + "/apply/resume")
    check(page)
    return reference


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_application_page_has_no_axe_violations(browser, portal_url, lang, mode):
    context = new_context(browser, portal_url, mode=mode, lang=lang)
    page = context.new_page()
    found: list[tuple[str, list]] = []

    def check(page):
        violations = axe_violations(page, aaa_contrast=mode == "high-contrast")
        if violations:
            found.append((page.url, violations))

    walk(page, portal_url, check)
    context.close()
    assert found == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_applying_for_a_parent_without_javascript_on_a_phone_closing_the_browser_between(browser, portal_url, lang):
    options = {"mode": "elder", "lang": lang, "java_script_enabled": False, "viewport": {"width": 390, "height": 844}}
    contexts = [new_context(browser, portal_url, **options)]

    def check(page):
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url

    def reopen(page):
        contexts[-1].close()
        contexts.append(new_context(browser, portal_url, **options))
        return contexts[-1].new_page()

    reference = walk(contexts[0].new_page(), portal_url, check, reopen)
    contexts[-1].close()
    assert re.fullmatch(r"A[2-9A-Z]{3}-[2-9A-Z]{4}", reference)
