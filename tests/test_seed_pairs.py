"""seed_demo --pairs N: N more pairs in the demo's program between
individuals, each with a confirmed agreement and meetings, in Swedish."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outbox.models import OutgoingMail
from programs.models import Mentorship, MentorshipStatus, Program
from sessions.demo_pairs import demo_pairs_add
from sessions.demo_texts import email_local_part
from sessions.models import Agreement, Meeting, MeetingStatus

pytestmark = pytest.mark.django_db

INDIVIDUALS = "Ledarskap i föreningslivet 2026"


def seed(pairs):
    call_command("seed_demo", pairs=pairs, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_seed_demo_adds_the_pairs_with_agreements_and_meetings():
    seed(0)
    program = Program.objects.get(name=INDIVIDUALS)
    before = program.mentorships.count()
    seed(12)
    added = list(Mentorship.objects.filter(program=program).order_by("-pk")[:12])
    assert program.mentorships.count() == before + 12
    assert Agreement.objects.filter(mentorship__in=added, mentee_confirmed_at__isnull=False).count() == 12
    assert Meeting.objects.filter(mentorship__in=added).count() == 12 * 5
    assert Meeting.objects.filter(mentorship__in=added, status=MeetingStatus.HELD).exclude(summary="").exists()
    assert {p.status for p in added} == {MentorshipStatus.ACTIVE, MentorshipStatus.ENDED}
    # Nobody is told: generated pairs write no e-mail.
    assert not OutgoingMail.objects.filter(mentorship__in=added).exists()


def test_seeding_again_adds_more_pairs_with_new_people():
    seed(3)
    seed(3)
    program = Program.objects.get(name=INDIVIDUALS)
    assert program.mentorships.count() == 1 + 6


def test_the_people_have_swedish_names_and_no_password():
    program = Program.objects.create(name="Test", kind="individuals", starts_on=dt.date(2026, 1, 1))
    pairs = demo_pairs_add(program=program, count=4, seed=1)
    mentee = pairs[0].mentee
    assert " " in mentee.name and mentee.email.startswith(email_local_part(mentee.name) + ".")
    assert not mentee.has_usable_password()
    assert email_local_part("Örjan Åberg") == "orjan.aberg"


def test_meetings_are_numbered_and_held_ones_have_notes():
    program = Program.objects.create(name="Test", kind="individuals", starts_on=dt.date(2026, 1, 1))
    pair = demo_pairs_add(program=program, count=1, meetings_per_pair=4, seed=2)[0]
    meetings = list(pair.meetings.order_by("number"))
    assert [m.number for m in meetings] == [1, 2, 3, 4]
    assert all(m.ends_at > m.starts_at for m in meetings)
    assert all(m.summary for m in meetings if m.status == MeetingStatus.HELD)
    assert not any(m.summary for m in meetings if m.status != MeetingStatus.HELD)


def test_the_pairs_are_written_in_bulk():
    """A handful of queries, not some per pair (SQLite splits a large batch
    by its limit on parameters, hence the few more)."""
    program = Program.objects.create(name="Test", kind="individuals", starts_on=dt.date(2026, 1, 1))
    counts = []
    for n in (2, 40):
        with CaptureQueriesContext(connection) as queries:
            demo_pairs_add(program=program, count=n)
        counts.append(len(queries))
    assert counts[1] <= counts[0] + 4 < 40, counts
