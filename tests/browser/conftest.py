"""Headless Chromium (Debian's, never a downloaded build) driven by Playwright,
against pytest-django's live server.

Fixtures: `browser` (one per session, so one per xdist worker), `new_page`
(a fresh context per call, so two people can work side by side), `page` (one
person). The helpers `login` and `axe_check` are in tests/helpers/browser.py.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers.browser import DESKTOP
from tests.helpers.services import require

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
# Generous for a loaded 2-core machine; a waiting step never sleeps a fixed time.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")

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
