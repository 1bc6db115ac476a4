"""The funder report ("Återrapport") at its edges: dates a form must refuse
(out of range, a period not begun), what counts as started, active and ended
when a pair's end date is missing or the program has ended, the CSV's numbers
in the person's language, and tables that scroll rather than widen the page.
Its everyday counts are in tests/test_program_page.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Mentorship, MentorshipStatus
from sessions.models import Meeting, MeetingStatus

from .factories import MentorshipFactory

pytestmark = pytest.mark.django_db


def report_url(program, **query):
    url = reverse("program_report", args=[program.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


@pytest.fixture
def report_program(program):
    """The program without the factory's pairs, begun a year ago."""
    Mentorship.objects.filter(program=program).delete()
    program.starts_on = timezone.localdate() - dt.timedelta(days=365)
    program.save()
    return program


def held(pair, day, *, hours=None, number=1):
    starts = dt.datetime.combine(day, dt.time(18), tzinfo=timezone.get_current_timezone())
    ends = starts + dt.timedelta(hours=hours) if hours else None
    return Meeting.objects.create(
        mentorship=pair, number=number, starts_at=starts, ends_at=ends, status=MeetingStatus.HELD
    )


@pytest.mark.parametrize(
    "starts,ends",
    [("9999-12-31", "9999-12-31"), ("0001-01-01", "0001-01-02"), ("1999-12-31", "2000-01-10")],
)
def test_a_date_out_of_range_is_refused_in_swedish_not_a_500(client_for, coordinator, program, starts, ends):
    response = client_for(coordinator).get(report_url(program, starts=starts, ends=ends))
    assert response.status_code == 200
    assert response.context["report"] is None
    last_year = timezone.localdate().year + 5
    assert f"Välj ett datum från 1 januari 2000 till 31 december {last_year}." in response.content.decode()
    assert "starts" in response.context["form"].errors


def test_a_date_far_ahead_is_refused_on_the_field_it_is_in(client_for, coordinator, program):
    today = timezone.localdate()
    response = client_for(coordinator).get(report_url(program, starts=today, ends=f"{today.year + 6}-01-01"))
    assert response.context["report"] is None
    assert list(response.context["form"].errors) == ["ends"]


def test_a_period_that_has_not_begun_is_refused(client_for, coordinator, report_program):
    MentorshipFactory(program=report_program, status=MentorshipStatus.ACTIVE)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(coordinator).get(
        report_url(report_program, starts=tomorrow, ends=tomorrow + dt.timedelta(days=365))
    )
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "Perioden har inte börjat än" in response.content.decode()
    assert list(response.context["form"].errors) == ["starts"]
