"""Pages make a fixed number of queries, whatever the number of meetings."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions.models import AgreementVersion, Comment, Meeting, MeetingStatus, ReminderItem
from tests.factories import AgreementFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


def grow(mentorship, count):
    """Give the pair `count` meetings, each with items and a comment."""
    start = mentorship.meetings.count() + 2  # follow-up meetings: number 2 and after
    base = timezone.now() - dt.timedelta(days=400)
    for number in range(start, start + count):
        when = base + dt.timedelta(days=7 * number)
        meeting = Meeting.objects.create(
            mentorship=mentorship,
            number=number,
            starts_at=when,
            ends_at=when + dt.timedelta(hours=1),
            status=MeetingStatus.HELD,
            summary=f"Anteckning {number}",
        )
        ReminderItem.objects.create(meeting=meeting, text=f"Kom ihåg {number}")
        Comment.objects.create(meeting=meeting, author=mentorship.mentor, text=f"Kommentar {number}")
        AgreementVersion.objects.create(
            agreement=mentorship.agreement, version=number, content={"roles": str(number)}, saved_by=mentorship.mentee
        )


def pages(mentorship):
    booked = mentorship.meetings.filter(status=MeetingStatus.BOOKED).first()
    last = mentorship.meetings.exclude(pk=booked.pk).order_by("-number").first()
    return [
        reverse("home"),
        reverse("mentorship_detail", args=[mentorship.public_id]),
        reverse("journal_print", args=[mentorship.public_id]),
        reverse("agreement_edit", args=[mentorship.public_id]),
        reverse("meeting_detail", args=[last.public_id]),
        reverse("meeting_notes", args=[last.public_id]),
        reverse("meeting_book", args=[mentorship.public_id]),
        reverse("agreement_print", args=[mentorship.public_id]),
        reverse("agreement_versions", args=[mentorship.public_id]),
        reverse("meeting_move", args=[booked.public_id]),
        reverse("meeting_cancel", args=[booked.public_id]),
    ]


def count_queries(client, url):
    client.get(url)  # warm up: the first request of a session records it (usersessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", range(11))
def test_query_count_is_the_same_at_1_and_50_meetings(client_for, mentee, mentorship, page, django_assert_num_queries):
    AgreementFactory(mentorship=mentorship)
    ahead = timezone.now() + dt.timedelta(days=3)
    Meeting.objects.create(mentorship=mentorship, number=1000, starts_at=ahead, status=MeetingStatus.BOOKED)
    grow(mentorship, 1)
    client = client_for(mentee)
    url = pages(mentorship)[page]
    with_one = count_queries(client, url)
    assert with_one <= 15, url
    grow(mentorship, 49)
    url = pages(mentorship)[page]
    client.get(url)  # warm up, as count_queries does
    with django_assert_num_queries(with_one):
        assert client.get(url).status_code == 200


def test_coordinator_dashboard_query_count_is_fixed(client_for, coordinator, program):
    client = client_for(coordinator)
    MentorshipFactory(program=program)
    url = reverse("program_dashboard")
    client.get(url)  # the first request of a session records it (usersessions)

    def counts():
        """A view that computes the figures, and the next, from the cache."""
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            client.get(url)
        with CaptureQueriesContext(connection) as warm:
            client.get(url)
        return len(cold), len(warm)

    few = counts()
    assert few[1] < few[0]
    for _ in range(20):
        MentorshipFactory(program=program)
    assert counts() == few


@pytest.mark.parametrize("role", ["mentor", "coordinator"])
@pytest.mark.parametrize("page", [1, 2, 4, 8])
def test_other_readers_query_count_is_the_same_at_1_and_50_meetings(request, client_for, mentorship, role, page):
    AgreementFactory(mentorship=mentorship, confidentiality="open", shared_confidentiality="open")
    ahead = timezone.now() + dt.timedelta(days=3)
    Meeting.objects.create(mentorship=mentorship, number=1000, starts_at=ahead, status=MeetingStatus.BOOKED)
    grow(mentorship, 1)
    client = client_for(request.getfixturevalue(role))
    with_one = count_queries(client, pages(mentorship)[page])
    grow(mentorship, 49)
    url = pages(mentorship)[page]
    assert count_queries(client, url) == with_one, url
