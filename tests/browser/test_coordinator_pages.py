"""The coordinator's own pages in headless Chromium, with the axe check:
the programs they coordinate, one program's pairs, a pair's page as a
coordinator sees it, and the admin's pair list, on a desktop and a phone."""

import pytest
from playwright.sync_api import expect

from accounts.models import Invitation, User
from tests.factories import PASSWORD, AgreementFactory, MeetingFactory, MentorshipFactory
from tests.helpers.browser import PHONE, axe_check, login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_coordinator_walks_their_programs(live_server, new_page, coordinator, program, mentorship, viewport):
    AgreementFactory(mentorship=mentorship, summary="Hemlig sammanfattning")
    MeetingFactory(mentorship=mentorship, number=2, summary="Hemlig anteckning")
    MentorshipFactory(program=program)
    page = new_page(viewport)

    login(page, coordinator.email, PASSWORD)
    assert page.url.endswith("/program/"), page.url  # a coordinator in no pair starts on their programs
    axe_check(page)

    page.click(f"main a[href='/program/{program.pk}/']")
    page.wait_for_url(f"**/program/{program.pk}/")
    axe_check(page)

    page.click(f"main a[href='/program/par/{mentorship.public_id}/']")
    page.wait_for_url(f"**/program/par/{mentorship.public_id}/")
    axe_check(page)
    assert "Hemlig" not in page.content()

    page.click(f"main a[href='/mentorskap/{mentorship.public_id}/']")
    page.wait_for_url(f"**/mentorskap/{mentorship.public_id}/")
    axe_check(page)
    assert "Hemlig" not in page.content()  # private by default: dates, not notes
    assert page.locator(f"nav a[href='/program/{program.pk}/']").count() == 1  # the way back

    page.goto("/admin/programs/mentorship/")
    axe_check(page)
    assert page.locator(f"a[href='/admin/programs/mentorship/{mentorship.public_id}/change/']").count() == 1


def test_a_coordinator_resends_an_invitation_from_the_pair_page(live_server, new_page, coordinator, program, mentor):
    invited = User.objects.create_user("ny.mentee@example.org")
    pair = MentorshipFactory(program=program, mentor=mentor, mentee=invited, status="invited")
    page = new_page(None)
    login(page, coordinator.email, PASSWORD)

    page.goto(f"/program/{program.pk}/")
    axe_check(page)
    assert "Inte inbjuden" in page.content() and "Har valt lösenord" in page.content()

    # No axe check on the admin's change form: Django's own focus-area
    # widget and breadcrumbs fail it, whatever this page adds.
    page.goto(f"/admin/programs/mentorship/{pair.public_id}/change/")
    # Never invited (not "again"): the pair was made without mail.
    page.get_by_role("button", name="Skicka inbjudan", exact=True).click()
    page.wait_for_url(f"**/admin/programs/mentorship/{pair.public_id}/change/")
    assert "ny.mentee@example.org" in page.locator(".messagelist").inner_text()
    assert "Inbjuden, har inte tackat ja" in page.content()
    expect(page.get_by_role("button", name="Skicka inbjudan igen", exact=True)).to_be_visible()
    assert Invitation.objects.filter(user=invited).count() == 1
