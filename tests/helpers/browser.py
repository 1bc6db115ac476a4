"""For the browser tests: window sizes, logging in through the real allauth
form, and the axe accessibility check."""

import pytest
from axe_playwright_python.sync_playwright import Axe

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


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


def agreement_url(mentorship):
    return f"/mentorskap/{mentorship.public_id}/overenskommelse/"


def notes_url(meeting):
    return f"/tillfalle/{meeting.public_id}/anteckningar/"


def wait_for_draft(page, text):
    """site.js saves a draft a moment after typing stops: wait until it holds `text`."""
    page.wait_for_function(
        """text => Object.keys(localStorage).some(
               key => key.startsWith("mentorskap-draft:") && localStorage.getItem(key).includes(text))""",
        arg=text,
    )
