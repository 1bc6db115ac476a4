"""The admin writes an empty value one way, the en dash ("–"), as our own
pages and ranges ("1–5") do: Django's default is a hyphen ("-"), which stood
beside our own dashes on the pair list."""

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from tests.factories import MeetingFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


def cells(html, field):
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(rf'class="field-{field}[^"]*">(.*?)</td>', html)
    ]


def test_the_pair_list_writes_every_empty_cell_alike(client_for, coordinator, program, mentorship):
    booked = MentorshipFactory(program=program)
    MeetingFactory(mentorship=booked, number=1, starts_at=timezone.now() + dt.timedelta(days=3))
    html = client_for(coordinator).get(reverse("admin:programs_mentorship_changelist")).content.decode()
    next_meetings = cells(html, "next_meeting")
    assert len(next_meetings) == 2
    assert "–" in next_meetings
    assert "-" not in next_meetings
    assert admin.site.empty_value_display == "–"  # set with the site's header, in mentorskap/urls.py
