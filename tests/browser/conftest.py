"""Headless Chromium (Debian's, never a downloaded build) driven by Playwright,
against pytest-django's live server.

Fixtures: `browser` (one per session), `new_page` (a fresh context per call, so
two people can work side by side), `page` (one person). Helpers: `login` goes
through the real allauth form, `axe_check` fails on serious or critical
accessibility violations.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import require

# Playwright's sync API runs an event loop in this thread; Django refuses ORM
# calls from a thread with a running loop unless told it is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Generous for a loaded 2-core machine; a waiting step never sleeps a fixed time.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives every run a fresh, temporary user-data dir of its own.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(viewport=None, **context_options) -> a page in a context of its
    own (own cookies and storage): one per person."""
    contexts = []

    def make(viewport=None, **options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or DESKTOP,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def login(page, email, password):
    """Log in through the real allauth form, on the page the person is on if
    it is the login page (keeps ?next=), else from /konto/login/."""
    if "/konto/login/" not in page.url:
        page.goto("/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form[action*='/konto/login/'] [type=submit]")
    assert "/konto/login/" not in page.url, f"login failed for {email}: still on {page.url}"


def axe_check(page):
    """Fail on any axe-core violation with impact serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    if bad:
        lines = [f"axe: {len(bad)} serious/critical violation(s) on {page.url}"]
        for violation in bad:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    {node['target']}: {node['html'][:200]}" for node in violation["nodes"][:5])
        report = "\n".join(lines)
        print(report)
        pytest.fail(report)
