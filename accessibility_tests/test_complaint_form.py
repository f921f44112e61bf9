"""The complaint form (/complaints) in a real browser: axe-core finds nothing in zh and en, in each display mode,
on the empty form, the form with errors and the confirmation; and a petition is filed with JavaScript off."""

from __future__ import annotations

import re

import pytest

from .conftest import MODES, axe_violations, new_context

SUBMIT = 'main form[action$="/complaints"] button[type="submit"]'


def _fill(page) -> None:
    page.get_by_label(re.compile("发生了什么|What happened")).fill("我们小区门口的盲道被电瓶车占完了")
    page.get_by_label(re.compile("我想匿名|I want to stay anonymous")).check()


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_complaint_pages_have_no_axe_violations(browser, portal_url, lang, mode):
    context = new_context(browser, portal_url, mode=mode, lang=lang)
    page = context.new_page()
    assert page.goto(portal_url + "/complaints").status == 200
    found = {"form": axe_violations(page)}
    page.locator(SUBMIT).click()
    page.wait_for_load_state("load")
    found["errors"] = axe_violations(page)
    _fill(page)
    page.locator(SUBMIT).click()
    page.wait_for_load_state("load")
    assert re.search(r"C[0-9A-Z]{3}-[0-9A-Z]{4}", page.content())
    found["confirmation"] = axe_violations(page)
    context.close()
    assert found == {"form": [], "errors": [], "confirmation": []}


def test_a_petition_is_filed_without_javascript(browser, portal_url):
    context = new_context(browser, portal_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(portal_url + "/complaints")
    _fill(page)
    page.locator(SUBMIT).click()
    page.wait_for_load_state("load")
    html = page.content()
    assert "您的诉求已收到" in html and re.search(r"C[0-9A-Z]{3}-[0-9A-Z]{4}", html)
    context.close()
