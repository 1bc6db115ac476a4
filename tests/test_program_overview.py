"""The coordinator's read-only overview of a program's pairs."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions.models import MeetingStatus
from tests.factories import AgreementFactory, MeetingFactory, MentorshipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overview_url(program):
    return reverse("program_detail", args=[program.pk])


@pytest.mark.parametrize(
    "role,status",
    [
        ("coordinator", 200),
        ("superuser", 200),
        ("other_coordinator", 404),
        ("outsider", 404),
        ("mentee", 404),
        ("mentor", 404),
    ],
)
def test_only_the_programs_coordinators_see_it(request, client_for, mentorship, overview_url, role, status):
    user = request.getfixturevalue(role)
    assert client_for(user).get(overview_url).status_code == status


def test_anonymous_is_sent_to_log_in(client, overview_url):
    assert client.get(overview_url).status_code == 302


def test_shows_metadata_and_stalled_pairs_but_no_notes(client_for, coordinator, program, mentorship):
    long_ago = timezone.now() - dt.timedelta(weeks=10)
    AgreementFactory(mentorship=mentorship, summary="Hemligt från träff 1")
    MeetingFactory(
        mentorship=mentorship,
        number=2,
        starts_at=long_ago,
        ends_at=long_ago + dt.timedelta(hours=1),
        status=MeetingStatus.HELD,
        summary="Hemlig anteckning",
    )
    fresh = MentorshipFactory(program=program, starts_on=timezone.localdate())
    response = client_for(coordinator).get(reverse("program_detail", args=[program.pk]))
    html = response.content.decode()
    assert mentorship.mentee.display_name in html and fresh.mentee.display_name in html
    assert "Hemlig" not in html
    stalls = {pair.pk: pair.stall for pair in response.context["pairs"]}
    assert stalls == {mentorship.pk: "no_meeting", fresh.pk: None}
    assert response.context["stalled"] == 1
    assert "no-store" in response["Cache-Control"]


def test_query_count_does_not_grow_with_pairs(client_for, coordinator, program):
    client = client_for(coordinator)
    url = reverse("program_detail", args=[program.pk])
    MentorshipFactory(program=program)
    client.get(url)

    def count():
        """A view that computes the figures, and the next, from the cache."""
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(url).status_code == 200
        return len(cold), len(warm)

    few = count()
    assert few[1] < few[0]
    for _ in range(25):
        pair = MentorshipFactory(program=program)
        AgreementFactory(mentorship=pair)
        MeetingFactory(mentorship=pair, number=2)
    assert count() == few


def test_dashboard_links_to_the_overview(client_for, coordinator, program):
    html = client_for(coordinator).get(reverse("program_dashboard")).content.decode()
    assert reverse("program_detail", args=[program.pk]) in html


def test_dashboard_counts_pairs_by_status_and_meetings_held(client_for, coordinator, program, other_program):
    held_at = timezone.now() - dt.timedelta(days=3)
    active = MentorshipFactory(program=program)
    MentorshipFactory(program=program, status="invited")
    MentorshipFactory(program=program, status="ended")
    MentorshipFactory(program=program, status="cancelled")
    MentorshipFactory(program=other_program)  # not theirs: not counted, not listed
    for number in (2, 3):
        MeetingFactory(mentorship=active, number=number, status=MeetingStatus.HELD, starts_at=held_at)
    MeetingFactory(mentorship=active, number=4)  # booked, not held
    response = client_for(coordinator).get(reverse("program_dashboard"))
    (shown,) = response.context["programs"]
    assert (shown.pairs_total, shown.pairs_active, shown.pairs_invited, shown.pairs_closed) == (4, 1, 1, 2)
    assert shown.meetings_held == 2
    assert shown.last_meeting == held_at


def test_a_coordinator_in_no_pair_starts_on_their_programs(client_for, coordinator, program):
    response = client_for(coordinator).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("program_dashboard")


def test_a_coordinator_who_is_also_a_mentor_starts_on_their_mentorships(client_for, coordinator, program):
    MentorshipFactory(program=program, mentor=coordinator)
    response = client_for(coordinator).get(reverse("home"))
    assert response.status_code == 200
    assert reverse("program_dashboard") in response.content.decode()


def test_the_pair_page_leads_a_coordinator_back_to_the_program(client_for, coordinator, mentee, mentorship):
    url = reverse("mentorship_detail", args=[mentorship.public_id])
    as_coordinator = client_for(coordinator).get(url).content.decode()
    assert reverse("program_detail", args=[mentorship.program_id]) in as_coordinator
    as_mentee = client_for(mentee).get(url).content.decode()
    assert reverse("program_detail", args=[mentorship.program_id]) not in as_mentee
    assert f'href="{reverse("home")}"' in as_mentee


def test_staff_in_no_pair_get_a_way_to_the_admin(client_for, superuser, db):
    html = client_for(superuser).get(reverse("home"), follow=True).content.decode()
    assert reverse("admin:index") in html
    staff_only = UserFactory(is_staff=True)
    html = client_for(staff_only).get(reverse("home")).content.decode()
    assert reverse("admin:index") in html


def test_every_pair_page_leads_the_pair_home_not_to_the_program(client_for, mentee, mentor, mentorship):
    """The two people cannot open the program pages: they must not be offered them."""
    AgreementFactory(mentorship=mentorship)
    meeting = MeetingFactory(mentorship=mentorship, number=2)
    pages = [
        reverse("mentorship_detail", args=[mentorship.public_id]),
        reverse("meeting_book", args=[mentorship.public_id]),
        reverse("meeting_move", args=[meeting.public_id]),
        reverse("meeting_cancel", args=[meeting.public_id]),
        reverse("agreement_versions", args=[mentorship.public_id]),
    ]
    for person in (mentee, mentor):
        client = client_for(person)
        for url in pages:
            html = client.get(url).content.decode()
            assert reverse("program_dashboard") not in html, (person, url)
            assert f'href="{reverse("home")}"' in html, (person, url)
