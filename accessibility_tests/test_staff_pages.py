"""The back office in a real browser: sign-in (and its error), the queue, a case, the audit record and the accounts
page, in zh and en and each display mode; signing in and accepting a case with the keyboard and no JavaScript."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
from sqlalchemy import create_engine, text

from portal.config import PROJECT_ROOT

from .conftest import MODES, axe_violations, new_context
from .test_apply_flow import walk

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def office(portal_server):
    """Three accounts made with the CLI, against the test portal's database."""
    env = portal_server[1]

    def add(username: str, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "portal", "staff", "add", username, *args],
            input=PASSWORD + "\n",
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
        )
        return parse_qs(urlparse(result.stdout.splitlines()[0]).query)["secret"][0]

    return {
        "clerk": add("a11y.clerk", "--role", "town_clerk", "--scope", "longgang"),
        "super": add("a11y.super", "--role", "supervisor"),
        "admin": add("a11y.admin", "--role", "admin"),
        "database": env["DATABASE_URL"],
    }


def sign_in(page, portal_url: str, office: dict[str, str], username: str, secret: str) -> None:
    engine = create_engine(office["database"])
    with engine.begin() as connection:  # one test signs the same account in several times: forget the last code
        connection.execute(text("UPDATE staff_users SET last_totp_step = 0 WHERE username = :u"), {"u": username})
    engine.dispose()
    page.goto(portal_url + "/staff/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(secret).now())
    page.locator("main form[action*='/staff/sign-in'] button[type=submit]").click()
    page.wait_for_load_state("load")


@pytest.fixture(scope="module")
def reference(browser, portal_url):
    context = new_context(browser, portal_url)
    found = walk(context.new_page(), portal_url, lambda _page: None)
    context.close()
    return found


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_staff_pages_have_no_axe_violations(browser, portal_url, office, reference, lang, mode):
    context = new_context(browser, portal_url, mode=mode, lang=lang)
    page = context.new_page()
    found = []

    def check():
        violations = axe_violations(page)
        if violations:
            found.append((page.url, violations))

    page.goto(portal_url + "/staff/sign-in")
    check()
    page.locator("main form[action*='/staff/sign-in'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".error-summary").count() == 1
    check()
    sign_in(page, portal_url, office, "a11y.clerk", office["clerk"])
    assert page.url.endswith("/staff"), page.url
    check()
    page.goto(portal_url + f"/staff/applications/{reference}")
    check()
    context.close()
    for username, path in (("a11y.super", "/staff/audit"), ("a11y.admin", "/staff/accounts")):
        context = new_context(browser, portal_url, mode=mode, lang=lang)
        page = context.new_page()
        sign_in(page, portal_url, office, username, office["super" if "super" in username else "admin"])
        page.goto(portal_url + path)
        check()
        context.close()
    assert found == []


def test_a_clerk_signs_in_and_accepts_with_the_keyboard_and_no_javascript(browser, portal_url, office, reference):
    context = new_context(browser, portal_url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, portal_url, office, "a11y.clerk", office["clerk"])
    page.goto(portal_url + f"/staff/applications/{reference}")
    accept = page.locator("form.case-action:has(input[name=action][value=accept]) button[type=submit]")
    accept.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".notification-banner").count() >= 1
    assert page.locator("input[name=action][value=forward]").count() == 1  # now it can be forwarded
    context.close()
