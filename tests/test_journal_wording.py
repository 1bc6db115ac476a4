"""Words on the journal pages that a real user reads, in Swedish (the default)."""

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_cancelling_a_meeting_is_stalla_in_not_avbryt(client_for, mentor, mentorship):
    """'Avbryt' is what a form's cancel button says; a meeting is 'inställt'."""
    AgreementFactory(mentorship=mentorship)
    meeting = MeetingFactory(mentorship=mentorship, number=2)
    html = client_for(mentor).get(reverse("mentorship_detail", args=[mentorship.public_id])).content.decode()
    cancel_url = reverse("meeting_cancel", args=[meeting.public_id])
    assert f'<a href="{cancel_url}">Ställ in tillfället</a>' in html
