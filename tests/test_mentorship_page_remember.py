"""The mentorship page's "kom ihåg" list: the items of the latest meeting
that has any and is not cancelled, in their order (the page loads the items
in a query of their own, not with each meeting)."""

import re

import pytest
from django.urls import reverse

from sessions.models import MeetingStatus, ReminderItem
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def remember_list(client, mentorship):
    html = client.get(reverse("mentorship_detail", args=[mentorship.public_id])).content.decode()
    found = re.search(r'<ul class="remember-list" id="remember-list">(.*?)</ul>', html, re.S)
    written = re.search(r"Skrivet vid tillfälle (\d+)|Written at meeting (\d+)", html)
    return (found.group(1) if found else ""), (written and next(g for g in written.groups() if g))


def test_the_list_is_the_latest_meetings_not_cancelled(client_for, mentee, mentorship, held_meeting):
    ReminderItem.objects.create(meeting=held_meeting, text="Andra", position=2)
    ReminderItem.objects.create(meeting=held_meeting, text="Första", position=1)
    cancelled = MeetingFactory(mentorship=mentorship, number=3, status=MeetingStatus.CANCELLED)
    ReminderItem.objects.create(meeting=cancelled, text="Inställt")
    MeetingFactory(mentorship=mentorship, number=4)  # no items: the list stays meeting 2's
    items, number = remember_list(client_for(mentee), mentorship)
    assert number == "2"
    assert "Inställt" not in items and "Läsa stadgarna" not in items
    assert items.index("Första") < items.index("Andra")


def test_without_later_items_the_first_meetings_list_shows(client_for, mentee, mentorship, held_meeting):
    items, number = remember_list(client_for(mentee), mentorship)
    assert number == "1"
    assert "Läsa stadgarna" in items and "Ringa kassören" in items
