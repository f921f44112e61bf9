"""axe-core: 0 violations on every page, in zh and en, in each display mode; in high-contrast mode also the AAA
contrast rule (7:1)."""

from __future__ import annotations

import pytest

from .conftest import MODES, axe_violations, new_context
from .pages import PAGES


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.name)
def test_no_axe_violations(browser, portal_url, case, lang, mode):
    context = new_context(browser, portal_url, mode=mode, lang=lang)
    page = context.new_page()
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    response = page.goto(portal_url + case.path)
    assert response is not None and response.status == case.status
    if case.action:
        case.action(page)
    assert page.evaluate("document.documentElement.lang") == ("zh-Hans" if lang == "zh" else "en")
    violations = axe_violations(page, aaa_contrast=mode == "high-contrast")
    context.close()
    assert violations == [], f"{case.path} ({lang}, {mode}): {violations}"
    assert csp_errors == []
