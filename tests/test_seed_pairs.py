"""seed_demo --pairs N: N more pairs in the demo's program between
individuals, each with a confirmed agreement and meetings, in Swedish."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.selectors import InvitationState, invitation_states, not_registered
from mentorskap.localtime import local_date
from outbox.models import OutgoingMail
from programs.models import EndReason, Mentorship, MentorshipStatus, Program
from programs.overview import meetings_per_month, pairs_annotated, program_counts
from programs.report import program_report
from programs.selectors import stalled_filter
from sessions.demo_pairs import demo_pairs_add
from sessions.demo_texts import email_local_part
from sessions.models import Agreement, Meeting, MeetingStatus

pytestmark = pytest.mark.django_db

INDIVIDUALS = "Ledarskap i föreningslivet 2026"
DEMO_LOGINS = ["mentee@example.org", "mentor@example.org"]  # seed_demo's own pair there


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


# --- One coherent story -------------------------------------------------------
#
# The coordinator's pages are read from these rows: the program page's figures
# and chart and the funder report must tell the same story, as of the moment
# the pairs were seeded.


@pytest.fixture
def seeded():
    """seed_demo with 40 pairs more (two of them added late) in the demo's
    program, which started 60 days ago; and the moment just after."""
    seed(40)
    program = Program.objects.get(name=INDIVIDUALS)
    return program, timezone.now()


def test_every_meeting_is_on_or_after_its_pairs_start_and_the_programs(seeded):
    program, _now = seeded
    assert not program.mentorships.filter(starts_on__lt=program.starts_on).exists()
    meetings = Meeting.objects.filter(mentorship__program=program).select_related("mentorship")
    early = [m for m in meetings if local_date(m.starts_at) < m.mentorship.starts_on]
    assert meetings and not early, early[:3]


def test_held_meetings_are_past_and_booked_ones_ahead(seeded):
    program, now = seeded
    meetings = Meeting.objects.filter(mentorship__program=program)
    assert meetings.filter(status=MeetingStatus.HELD).exists() and meetings.filter(status=MeetingStatus.BOOKED).exists()
    assert not meetings.filter(status=MeetingStatus.HELD, ends_at__gt=now).exists()
    assert not meetings.filter(status=MeetingStatus.HELD, notes_updated_at__gt=now).exists()
    assert not meetings.filter(status=MeetingStatus.BOOKED, starts_at__lte=now).exists()


def test_nobody_has_written_or_met_without_accepting_the_invitation(seeded):
    program, now = seeded
    pairs = program.mentorships.all()
    journals = pairs.filter(Q(agreement__isnull=False) | Q(meetings__isnull=False)).distinct()
    people = User.objects.filter(Q(pk__in=journals.values("mentee")) | Q(pk__in=journals.values("mentor")))
    assert people.count() == 2 * journals.count() > 0
    assert not people.filter(not_registered()).exists()
    assert set(invitation_states(people, now=now).values()) == {InvitationState.LOGGED_IN}
    # Those who have not accepted are in pairs that are still invited, with nothing written.
    waiting = User.objects.filter(Q(pk__in=pairs.values("mentee")) | Q(pk__in=pairs.values("mentor")), not_registered())
    assert waiting.exists()
    assert not journals.filter(Q(mentee__in=waiting) | Q(mentor__in=waiting)).exists()
    assert set(pairs.filter(Q(mentee__in=waiting) | Q(mentor__in=waiting)).values_list("status", flat=True)) == {
        MentorshipStatus.INVITED
    }
    # ... and were invited: a link still open or one that ran out, none never sent.
    assert set(invitation_states(waiting, now=now).values()) <= {InvitationState.INVITED, InvitationState.EXPIRED}
    # They logged in to do it: after they came in, and last at or after it.
    for agreement in Agreement.objects.filter(mentorship__in=journals).select_related(
        "mentorship__mentee", "mentorship__mentor"
    ):
        pair = agreement.mentorship
        assert pair.mentee.last_login >= agreement.mentee_confirmed_at > pair.mentee.date_joined
        assert pair.mentor.last_login >= agreement.mentor_confirmed_at > pair.mentor.date_joined
    # Everyone generated who accepted came in by the invitation the pair sent.
    generated = people.exclude(email__in=DEMO_LOGINS)
    assert generated and not generated.exclude(invitations__used_at__isnull=False).exists()


def test_every_ended_pair_has_its_end_date_reason_and_who_ended_it(seeded):
    program, now = seeded
    ended = list(program.mentorships.filter(status=MentorshipStatus.ENDED).prefetch_related("meetings"))
    assert ended
    for pair in ended:
        assert pair.starts_on <= pair.ends_on < local_date(now), pair
        assert pair.end_reason in EndReason.values
        assert pair.ended_by is not None
        if pair.ended_by_id not in (pair.mentee_id, pair.mentor_id):
            assert pair.end_reason == EndReason.DISCONTINUED
            assert pair.ended_by in program.coordinators.all()
        held = [m for m in pair.meetings.all() if m.status == MeetingStatus.HELD]
        assert held and all(local_date(m.starts_at) <= pair.ends_on for m in held)
        assert not [m for m in pair.meetings.all() if m.status == MeetingStatus.BOOKED]


def test_agreements_are_dated_at_the_first_meeting_not_now(seeded):
    program, now = seeded
    agreements = list(Agreement.objects.filter(mentorship__program=program).select_related("mentorship"))
    assert agreements
    first = {m.mentorship_id: m.starts_at for m in Meeting.objects.filter(mentorship__program=program, number=1)}
    for agreement in agreements:
        made = first[agreement.mentorship_id]
        assert made < agreement.updated_at < made + dt.timedelta(days=1)
        assert agreement.updated_at <= agreement.mentee_confirmed_at <= now
        assert agreement.updated_at <= agreement.mentor_confirmed_at <= now
        assert agreement.versions.get().saved_at == agreement.updated_at
    assert len({agreement.updated_at.date() for agreement in agreements}) > 5


def test_longest_without_activity_lists_the_stalled_pairs_first(seeded):
    program, now = seeded
    today = local_date(now)
    active = pairs_annotated(program, now=now).filter(status=MentorshipStatus.ACTIVE)
    stalled = set(active.filter(stalled_filter(program, today=today)).values_list("pk", flat=True))
    quietest = list(active.order_by("last_activity", "pk").values_list("pk", flat=True)[: len(stalled)])
    assert stalled and set(quietest) == stalled


def test_the_pairs_are_a_realistic_mix(seeded):
    program, now = seeded
    counts = program_counts(program, now=now)
    by_status = dict(program.mentorships.values_list("status").annotate(n=Count("pk")))
    active = by_status[MentorshipStatus.ACTIVE]
    assert by_status[MentorshipStatus.ENDED] and by_status[MentorshipStatus.INVITED]
    assert 0 < counts["stalled"] < active / 4
    assert 0 < counts["checkin_due"] < active / 2
    assert active / 2 < counts["booked_ahead"] < active
    assert 0 < counts["not_accepted"] < counts["pairs"] / 4


def test_the_program_page_and_the_funder_report_agree(seeded):
    program, now = seeded
    today = local_date(now)
    counts = program_counts(program, now=now)
    months = meetings_per_month(program, now=now)
    report = program_report(program, starts=program.starts_on, ends=today, now=now, with_names=False)
    pairs = program.mentorships.all()
    # Every held meeting lies in the program's months, so the chart, the
    # figures and the report count the same meetings.
    assert months[0]["month"] == program.starts_on.replace(day=1)
    assert sum(month["count"] for month in months) == counts["held"] == report.meetings
    assert sum(month["meetings"] for month in report.months) == report.meetings
    assert counts["confirmed"] == pairs.filter(agreement__isnull=False).count() == report.active
    assert report.ended == pairs.filter(status=MentorshipStatus.ENDED).count()
    # Invited pairs have not begun, whatever their start date: not reported.
    invited = pairs.filter(status=MentorshipStatus.INVITED).count()
    assert invited > 0 and report.started == counts["pairs"] - invited


def test_a_program_that_began_last_week_has_nothing_before_it():
    program = Program.objects.create(
        name="Ny", kind="individuals", starts_on=timezone.localdate() - dt.timedelta(days=7)
    )
    pairs = demo_pairs_add(program=program, count=20, seed=3)
    now = timezone.now()
    meetings = Meeting.objects.filter(mentorship__in=pairs).select_related("mentorship")
    assert all(local_date(m.starts_at) >= m.mentorship.starts_on >= program.starts_on for m in meetings)
    assert not meetings.filter(status=MeetingStatus.HELD, ends_at__gt=now).exists()
    assert not meetings.filter(status=MeetingStatus.BOOKED, starts_at__lte=now).exists()
    # Too young for a pair to have stalled.
    assert program_counts(program, now=now)["stalled"] == 0


def test_a_program_that_has_not_begun_has_no_journals():
    program = Program.objects.create(
        name="Snart", kind="individuals", starts_on=timezone.localdate() + dt.timedelta(days=30)
    )
    pairs = demo_pairs_add(program=program, count=5, seed=4)
    assert {pair.status for pair in pairs} == {MentorshipStatus.INVITED}
    assert not Meeting.objects.filter(mentorship__in=pairs).exists()
    assert not Agreement.objects.filter(mentorship__in=pairs).exists()


def test_with_a_password_only_those_who_accepted_can_log_in(seeded):
    program, _now = seeded
    pairs = demo_pairs_add(program=program, count=40, seed=5, password="ett-lösenord-för-alla")
    people = [person for pair in pairs for person in (pair.mentee, pair.mentor)]
    accepted = [person for person in people if person.last_login is not None]
    assert accepted and len(accepted) < len(people)
    assert all(person.check_password("ett-lösenord-för-alla") for person in accepted)
    assert not any(person.has_usable_password() for person in people if person.last_login is None)
