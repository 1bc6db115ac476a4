"""The notification settings page (reached from the signed link in every
e-mail, no login) in headless Chromium, with the axe check: turning comment
e-mail off on a phone and on a desktop."""

import pytest

from outbox.preferences import preferences_for, preferences_token
from tests.helpers.browser import PHONE, axe_check

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_comment_e_mail_is_turned_off_from_the_link_in_an_e_mail(live_server, new_page, mentor, viewport):
    page = new_page(viewport)
    page.goto(f"/notiser/{preferences_token(mentor)}/")
    axe_check(page)
    page.get_by_label("Kommentarer").uncheck()
    with page.expect_navigation():
        page.click("form[novalidate] button[type=submit]")
    axe_check(page)
    assert page.get_by_label("Kommentarer").is_checked() is False
    prefs = preferences_for(mentor)
    assert (prefs.reminders, prefs.nudges, prefs.comments) == (True, True, False)
