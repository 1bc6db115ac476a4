"""The pages changed for the level of confidentiality, the incomplete
agreement and the print view pass the axe check and show what they should."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import MeetingStatus
from tests.factories import PASSWORD, AgreementFactory, MeetingFactory
from tests.helpers.browser import axe_check, login

pytestmark = pytest.mark.browser


def test_an_incomplete_agreement_says_what_it_lacks(live_server, page, mentorship):
    AgreementFactory(mentorship=mentorship, purpose_and_goals="")
    login(page, mentorship.mentor.email, PASSWORD)
    page.goto(f"/mentorskap/{mentorship.public_id}/")
    expect(page.locator("#agreement-incomplete")).to_be_visible()
    assert page.locator("form[action$='/overenskommelse/bekrafta/']").count() == 0
    axe_check(page)


def test_a_pending_level_on_the_mentorship_agreement_and_print_pages(live_server, page, mentorship):
    AgreementFactory(mentorship=mentorship, confidentiality="open", shared_confidentiality="agreement")
    now = timezone.now()
    MeetingFactory(mentorship=mentorship, number=1, starts_at=now - dt.timedelta(days=30), status=MeetingStatus.HELD)
    MeetingFactory(
        mentorship=mentorship, number=2, starts_at=now - dt.timedelta(days=9), status=MeetingStatus.CANCELLED
    )
    MeetingFactory(mentorship=mentorship, number=3, starts_at=now + dt.timedelta(days=9))
    login(page, mentorship.mentee.email, PASSWORD)
    for path in ("", "overenskommelse/", "utskrift/"):
        page.goto(f"/mentorskap/{mentorship.public_id}/{path}")
        expect(page.locator(".confidentiality-pending").first).to_be_visible()
        axe_check(page)
    page.emulate_media(media="print")
    axe_check(page)
