"""WCAG 1.4.12 text spacing: with line height 1.5, letter spacing 0.12 em, word spacing 0.16 em and paragraph
spacing 2 em forced on every element, nothing is cut off, nothing overlaps its box and nothing scrolls sideways
on a 320 px screen."""

from __future__ import annotations

import pytest

from .conftest import new_context
from .pages import JOURNEY_STARTS, PAGES

# The WCAG 1.4.12 test values, as a user stylesheet or bookmarklet would apply them.
TEXT_SPACING = """
*, *::before, *::after {
  line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important;
}
p { margin-bottom: 2em !important; }
"""

# Elements whose content no longer fits their box, sideways or downwards: it is then cut off (overflow hidden or
# clip) or overlaps what follows. Skipped: what is hidden on purpose (visually-hidden, closed disclosures), boxes
# that scroll by design (a wide table's wrapper) and replaced elements.
LOST_CONTENT = """() => {
  const lost = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.getClientRects().length || el.closest('.visually-hidden, details:not([open]) > :not(summary)')) continue;
    const s = getComputedStyle(el);
    if (s.overflowX === 'auto' || s.overflowX === 'scroll') continue;
    if (['INPUT', 'SELECT', 'TEXTAREA', 'IMG', 'VIDEO', 'svg'].includes(el.tagName)) continue;
    const wide = el.scrollWidth > el.clientWidth + 1, tall = el.scrollHeight > el.clientHeight + 1;
    if (el.clientWidth && (wide || tall)) {
      lost.push(`${el.tagName.toLowerCase()}.${el.className}: ${el.scrollWidth}×${el.scrollHeight} in `
                + `${el.clientWidth}×${el.clientHeight} "${el.textContent.trim().slice(0, 30)}"`);
    }
  }
  return lost;
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mode", ["default", "elder"])
def test_text_spacing_loses_nothing_at_320_px(browser, portal_url, mode, lang):
    # The test stylesheet is an inline <style>, which the portal's Content-Security-Policy (rightly) refuses.
    context = new_context(
        browser, portal_url, mode=mode, lang=lang, viewport={"width": 320, "height": 640}, bypass_csp=True
    )
    page = context.new_page()
    failures: dict[str, object] = {}
    for case in [*PAGES, *JOURNEY_STARTS]:
        page.goto(portal_url + case.path)
        if case.action:
            case.action(page)
        page.add_style_tag(content=TEXT_SPACING)
        page.evaluate("document.querySelector('header details').open = true")  # the display toggles too
        assert page.evaluate("getComputedStyle(document.body).letterSpacing") != "normal"
        width = page.evaluate("document.documentElement.scrollWidth")
        lost = page.evaluate(LOST_CONTENT)
        if width > 320 or lost:
            failures[case.name] = {"scroll width": width, "lost": lost[:5]}
    context.close()
    assert failures == {}, f"text spacing ({mode}, {lang}): {failures}"
