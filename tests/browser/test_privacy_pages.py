"""The privacy notice, Mina data (page) and the erasure request in headless
Chromium, with the axe check, on desktop and phone (issue 12)."""

import pytest

from privacy.models import ErasureRequest
from tests.factories import PASSWORD
from tests.helpers.browser import PHONE, axe_check, login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_mentee_reads_the_notice_and_their_data_and_asks_for_erasure(
    live_server, new_page, mentorship, mentee, viewport
):
    page = new_page(viewport)
    page.goto("/integritet/")
    axe_check(page)
    login(page, mentee.email, PASSWORD)
    page.goto("/mina-data/")
    axe_check(page)
    page.goto("/mina-data/sida/")
    axe_check(page)
    assert mentee.email in page.content()
    page.goto("/mina-data/radera/")
    axe_check(page)
    page.get_by_label("Jag förstår att mitt konto stängs och att det jag skrivit raderas.").check()
    with page.expect_navigation():
        page.click("form[novalidate] button[type=submit]")
    axe_check(page)
    assert ErasureRequest.objects.filter(user=mentee).exists()


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_coordinator_reads_what_is_stored_about_them_as_coordinator(
    live_server, new_page, coordinator, program, viewport
):
    page = new_page(viewport)
    login(page, coordinator.email, PASSWORD)
    page.goto("/mina-data/")
    axe_check(page)
    assert "som samordnare" in page.locator("main").inner_text()
    page.goto("/mina-data/sida/")
    axe_check(page)
    text = page.locator("main").inner_text()
    assert "Program du samordnar" in text and program.name in text
    page.goto("/mina-data/radera/")
    axe_check(page)
    assert "Som samordnare lämnar du de program du samordnar" in page.locator("main").inner_text()
