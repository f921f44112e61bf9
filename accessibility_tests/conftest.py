"""A real portal (gunicorn) on a free local port, driven by Debian's Chromium through Playwright, with axe-core."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from portal.config import PROJECT_ROOT
from portal.db import upgrade_to_head
from portal.web.display import DisplaySettings
from portal.web.ratelimits import GROUPS

AXE_SCRIPT = (Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# The display modes every page is checked in.
MODES = {
    "default": DisplaySettings(),
    "large-text": DisplaySettings(text="extra-large"),
    "high-contrast": DisplaySettings(contrast="high"),
    "elder": DisplaySettings(elder=True),
}

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_portal(instance: Path, **extra_env: str) -> Iterator[tuple[str, dict[str, str]]]:
    """A gunicorn portal on a free port with its own database under ``instance``; yields its URL and environment."""
    database_url = f"sqlite:///{instance / 'portal.sqlite3'}"
    upgrade_to_head(database_url)
    port = _free_port()
    env = {
        **os.environ,
        "PORTAL_INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(PROJECT_ROOT / "instance" / "search-index")),
        "RASA_URL": f"http://127.0.0.1:{_free_port()}",  # nothing listens: the chat answers degraded
        "RASA_TIMEOUT": "1",
        "PORTAL_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        # every browser of the suite comes from 127.0.0.1: the per-address limits are raised (each is proven to
        # hold in tests/test_rate_limits.py); the per-reference and chat limits stay as they are
        **{"RATE_LIMIT_" + name.upper().replace("-", "_"): "100000 per hour" for name in GROUPS},
        **extra_env,
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log = open(instance / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "portal:create_app()"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                break
        except OSError as error:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                raise RuntimeError("portal did not start:\n" + (instance / "gunicorn.log").read_text()) from error
            time.sleep(0.2)
    try:
        yield url, env
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The test portal (gunicorn) and the environment it runs with (its instance folder and database)."""
    with running_portal(tmp_path_factory.mktemp("instance")) as server:
        yield server


@pytest.fixture(scope="session")
def portal_url(portal_server: tuple[str, dict[str, str]]) -> str:
    return portal_server[0]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Debian's chromium is not installed: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_context(
    browser: Browser, portal_url: str, mode: str = "default", lang: str = "zh", **options: object
) -> BrowserContext:
    """A fresh browser profile whose display cookie selects ``mode`` and ``lang``."""
    settings = MODES[mode].updated({"lang": lang})
    context = browser.new_context(locale="zh-CN" if lang == "zh" else "en-GB", **options)
    context.add_cookies([{"name": "display", "value": settings.to_cookie(), "url": portal_url}])
    return context


@pytest.fixture()
def page(browser: Browser, portal_url: str) -> Iterator[Page]:
    context = new_context(browser, portal_url)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Page, aaa_contrast: bool = False) -> list[dict]:
    """Run axe-core on the page once it has loaded; return the violations with their failing nodes.

    ``aaa_contrast`` adds the rule ``color-contrast-enhanced`` (WCAG 1.4.6, 7:1 and 4.5:1 for large text): the
    high-contrast mode promises it.
    """
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    rules = {"color-contrast-enhanced": {"enabled": True}} if aaa_contrast else {}
    result = page.evaluate(
        """([tags, rules]) => axe.run(document,
               {runOnly: {type: 'tag', values: tags}, rules: rules, resultTypes: ['violations']})""",
        [AXE_TAGS, rules],
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
            "summary": violation["nodes"][0].get("failureSummary", "") if violation["nodes"] else "",
        }
        for violation in result["violations"]
    ]
