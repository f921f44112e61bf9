"""Every page the portal serves, for the accessibility suite. Each issue that adds pages adds them here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page


@dataclass(frozen=True)
class PageCase:
    name: str
    path: str
    # Brings the page into the state to check (a failed submit, a swap…), after loading ``path``.
    action: Callable[[Page], None] | None = None
    status: int = 200


def submit_feedback_without_answer(page: Page) -> None:
    page.locator("main form.feedback__form button[type=submit]").click()
    page.wait_for_selector(".error-summary")


PAGES: list[PageCase] = [
    PageCase("home", "/"),
    PageCase("settings", "/settings"),
    PageCase("settings-saved", "/settings?saved=1"),
    PageCase("accessibility-statement", "/accessibility"),
    PageCase("feedback", "/feedback?path=/"),
    PageCase("feedback-error", "/feedback?path=/", action=submit_feedback_without_answer, status=200),
    PageCase("not-found", "/no-such-page", status=404),
]
