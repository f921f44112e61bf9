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


def ask_the_assistant(page: Page) -> None:
    page.fill("#chat-message", "轮椅怎么申请")
    page.click("#chat-form button[type=submit]")
    page.wait_for_selector(".chat__message--assistant")


def send_empty_chat(page: Page) -> None:
    page.click("#chat-form button[type=submit]")
    page.wait_for_selector("#chat-form .error-summary")


def start_an_application(page: Page, portal_url: str) -> None:
    """From 护理补贴's apply page, consent given, to the new draft's task list."""
    page.goto(portal_url + "/apply/nursing-subsidy")
    page.click("main a.button--start")
    page.check("#general")
    page.check("#sensitive")
    page.locator("main form[action$='/privacy'] button[type=submit]").click()
    page.click("main a.button")
    page.wait_for_url("**/apply/draft")


def start_the_checker(page: Page) -> None:
    """From the checker's start page to its first question."""
    page.locator("main form button.button--start").click()
    page.wait_for_url("**/eligibility/benefits")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/eligibility/questions/**")


PAGES: list[PageCase] = [
    PageCase("home", "/"),
    PageCase("settings", "/settings"),
    PageCase("settings-saved", "/settings?saved=1"),
    PageCase("accessibility-statement", "/accessibility"),
    PageCase("privacy", "/privacy"),
    PageCase("feedback", "/feedback?path=/"),
    PageCase("feedback-error", "/feedback?path=/", action=submit_feedback_without_answer, status=200),
    PageCase("not-found", "/no-such-page", status=404),
    PageCase("search", "/search"),
    PageCase("search-results", "/search?q=护理补贴"),
    PageCase("search-results-page-2", "/search?q=补贴&page=2"),
    PageCase("search-filtered", "/search?q=补贴&category=employment"),
    PageCase("search-no-results", "/search?q=天气预报"),
    PageCase("search-suggestion", "/search?q=残急人证"),
    PageCase("policies", "/policies"),
    PageCase("policies-category", "/policies?category=rehabilitation"),
    PageCase("policies-audience", "/policies?audience=children"),
    PageCase("policy", "/policies/nursing-subsidy"),
    PageCase("policy-easy-read", "/policies/child-rehab?easy=1"),
    PageCase("eligibility-start", "/eligibility"),
    PageCase("eligibility-start-one-benefit", "/eligibility?benefit=fuel-subsidy"),
    PageCase("chat", "/chat"),
    PageCase("chat-with-reply", "/chat", action=ask_the_assistant),
    PageCase("chat-error", "/chat", action=send_empty_chat),
]

# Pages reached through a journey (their flows are checked in test_checker_flow.py and test_apply_flow.py), added to
# the checks that run on every page of PAGES with a phone in mind: the h1 position and text spacing.
JOURNEY_STARTS: list[PageCase] = [
    PageCase("eligibility-first-question", "/eligibility", action=start_the_checker),
    PageCase("apply-start", "/apply/nursing-subsidy"),
]
