"""Words on the journal pages that a real user reads, in Swedish (the default)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgreementFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_cancelling_a_meeting_is_stalla_in_not_avbryt(client_for, mentor, mentorship):
    """'Avbryt' is what a form's cancel button says; a meeting is 'inställt'."""
    AgreementFactory(mentorship=mentorship)
    meeting = MeetingFactory(mentorship=mentorship, number=2)
    html = client_for(mentor).get(reverse("mentorship_detail", args=[mentorship.public_id])).content.decode()
    cancel_url = reverse("meeting_cancel", args=[meeting.public_id])
    assert f'<a href="{cancel_url}">Ställ in tillfället</a>' in html


def test_write_notes_opens_the_notes_form_of_the_meeting_that_needs_them(client_for, mentee, mentorship):
    AgreementFactory(mentorship=mentorship, mentee_confirmed_at=timezone.now(), mentor_confirmed_at=timezone.now())
    past = timezone.now() - dt.timedelta(days=2)
    meeting = MeetingFactory(mentorship=mentorship, number=2, starts_at=past, ends_at=past + dt.timedelta(hours=1))
    notes_url = reverse("meeting_notes", args=[meeting.public_id])
    client = client_for(mentee)
    for page in (reverse("home"), reverse("mentorship_detail", args=[mentorship.public_id])):
        html = client.get(page).content.decode()
        assert f'class="btn btn-primary" href="{notes_url}"' in html, page


def test_the_notes_form_names_each_part_once_and_says_what_to_write(client_for, mentee, mentorship):
    AgreementFactory(mentorship=mentorship)
    MeetingFactory(mentorship=mentorship, number=1, status="held", starts_at=None, ends_at=None)
    second = MeetingFactory(mentorship=mentorship, number=2, starts_at=timezone.now() - dt.timedelta(days=1))
    html = client_for(mentee).get(reverse("meeting_notes", args=[second.public_id])).content.decode()
    assert html.count("Sammanfattande anteckningar från detta tillfälle") == 1
    assert html.count("Reflektion från föregående tillfälle") == 1
    assert "Din reflektion: hur har det gått sedan sist?" in html
    assert "Vad ni pratade om, och vad ni kom fram till" in html
