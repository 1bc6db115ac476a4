"""Nudges and the coordinators' digest: each once, however often the scan runs."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from outbox.dispatch import dispatch_due_mail
from outbox.models import MailStatus, OutgoingMail
from outbox.preferences import preferences_update
from programs.mail_kinds import ProgramMail
from programs.models import CheckIn, MentorshipStatus
from sessions.mail_kinds import SessionMail
from sessions.models import MeetingStatus
from sessions.nudges import nudges_scan
from sessions.services.agreement import agreement_save
from sessions.services.booking import meeting_book
from tests.factories import AgreementFactory, MeetingFactory, MentorshipFactory

DAY = dt.timedelta(days=1)


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: the scan and the dispatcher read it."""
    state = {"now": timezone.now()}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])

    class Clock:
        @property
        def now(self):
            return state["now"]

        def advance(self, delta):
            state["now"] += delta

    return Clock()


def met(mentorship, days_ago, clock, **fields):
    starts = clock.now - days_ago * DAY
    return MeetingFactory(mentorship=mentorship, starts_at=starts, status=MeetingStatus.HELD, **fields)


def kinds(**filters):
    return sorted(OutgoingMail.objects.filter(**filters).values_list("kind", flat=True))


def test_notes_nudge_to_the_mentee_once(mentorship, mentee, clock):
    AgreementFactory(mentorship=mentorship)
    meeting = met(mentorship, 4, clock, number=2)
    MeetingFactory(mentorship=mentorship, number=3, starts_at=clock.now + 10 * DAY)  # booked: no booking nudge
    for _ in range(100):
        nudges_scan()
    rows = OutgoingMail.objects.filter(kind=SessionMail.NUDGE_NOTES)
    assert [(r.recipient, r.meeting) for r in rows] == [(mentee, meeting)]


def test_no_notes_nudge_before_the_program_days_or_with_notes(mentorship, clock):
    AgreementFactory(mentorship=mentorship)
    met(mentorship, 2, clock, number=2)
    met(mentorship, 5, clock, number=3, summary="Vi pratade om styrelsearbete.")
    nudges_scan()
    assert not OutgoingMail.objects.filter(kind=SessionMail.NUDGE_NOTES).exists()


def test_notes_written_after_the_nudge_was_queued_cancel_it(mentorship, clock):
    AgreementFactory(mentorship=mentorship)
    meeting = met(mentorship, 4, clock, number=2)
    nudges_scan()
    meeting.summary = "Skrivet nu."
    meeting.save()
    dispatch_due_mail()
    assert OutgoingMail.objects.get(kind=SessionMail.NUDGE_NOTES).status == MailStatus.CANCELLED
    assert not [m for m in mail.outbox if "notes" in m.subject.lower() or "anteckningar" in m.subject.lower()]


def test_booking_nudge_weekly_at_most_three_times(mentorship, mentee, clock):
    AgreementFactory(mentorship=mentorship)
    met(mentorship, 13, clock, number=2, summary="ok")
    for _ in range(100):
        nudges_scan()
    assert kinds(kind=SessionMail.NUDGE_BOOKING) == []
    sent_per_day = []
    for _day in range(40):
        clock.advance(DAY)
        for _ in range(3):
            nudges_scan()
        sent_per_day.append(OutgoingMail.objects.filter(kind=SessionMail.NUDGE_BOOKING).count())
    assert sent_per_day[0] == 1  # day 14
    assert sent_per_day[6] == 1 and sent_per_day[7] == 2  # day 21
    assert sent_per_day[14] == 3  # day 28
    assert sent_per_day[-1] == 3  # never a fourth
    assert {r.recipient for r in OutgoingMail.objects.filter(kind=SessionMail.NUDGE_BOOKING)} == {mentee}


def test_booking_a_meeting_stops_booking_nudges(mentorship, clock):
    AgreementFactory(mentorship=mentorship)
    met(mentorship, 15, clock, number=2, summary="ok")
    nudges_scan()
    MeetingFactory(mentorship=mentorship, number=3, starts_at=clock.now + 3 * DAY)
    dispatch_due_mail()
    assert OutgoingMail.objects.get(kind=SessionMail.NUDGE_BOOKING).status == MailStatus.CANCELLED
    clock.advance(7 * DAY)
    nudges_scan()
    assert OutgoingMail.objects.filter(kind=SessionMail.NUDGE_BOOKING).count() == 1


def test_program_settings_change_the_periods(mentorship, program, clock):
    program.booking_nudge_after_days = 5
    program.booking_nudge_max = 1
    program.save()
    AgreementFactory(mentorship=mentorship)
    met(mentorship, 6, clock, number=2, summary="ok")
    nudges_scan()
    clock.advance(14 * DAY)
    nudges_scan()
    assert OutgoingMail.objects.filter(kind=SessionMail.NUDGE_BOOKING).count() == 1


def test_coordinator_digest_weekly_lists_stalled_pairs(program, coordinator, mentorship, clock):
    stalled = mentorship  # started 20 days ago, no agreement: stalled after 3 weeks
    AgreementFactory(mentorship=MentorshipFactory(program=program))  # fine: agreement, started recently
    clock.advance(2 * DAY)
    nudges_scan()
    digests = OutgoingMail.objects.filter(kind=ProgramMail.COORDINATOR_DIGEST)
    assert [d.recipient for d in digests] == [coordinator]
    assert digests[0].context["pairs"] == [[stalled.pk, "no_agreement"]]
    for _ in range(100):
        nudges_scan()
    assert digests.all().count() == 1
    clock.advance(7 * DAY)
    nudges_scan()
    assert digests.all().count() == 2


def test_digest_no_meeting_for_six_weeks(program, coordinator, mentorship, clock):
    AgreementFactory(mentorship=mentorship)
    met(mentorship, 43, clock, number=1)
    nudges_scan()
    digest = OutgoingMail.objects.get(kind=ProgramMail.COORDINATOR_DIGEST)
    assert digest.context["pairs"] == [[mentorship.pk, "no_meeting"]]
    dispatch_due_mail()
    sent = [m for m in mail.outbox if coordinator.email in m.to[0]]
    assert len(sent) == 1 and mentorship.mentee.display_name in sent[0].body


def test_no_digest_when_nothing_has_stalled_and_not_for_other_programs(
    program, coordinator, other_coordinator, mentorship, clock
):
    AgreementFactory(mentorship=mentorship)
    met(mentorship, 3, clock, number=1)
    # The coordinator has checked in as often as the program asks: none is due.
    for _ in range(mentorship.program.checkins_first_month):
        CheckIn.objects.create(
            mentorship=mentorship, held_on=clock.now.date(), with_whom="both", channel="phone", recorded_by=coordinator
        )
    nudges_scan()
    assert not OutgoingMail.objects.filter(kind=ProgramMail.COORDINATOR_DIGEST).exists()


def test_digest_lists_pairs_due_for_a_check_in(program, coordinator, mentorship, clock):
    """Issue 10: no check-in in the first 15 days of a pair, and the digest says so."""
    mentorship.starts_on = (clock.now - 16 * DAY).date()
    mentorship.save()
    AgreementFactory(mentorship=mentorship)
    met(mentorship, 3, clock, number=1)
    nudges_scan()
    digest = OutgoingMail.objects.get(kind=ProgramMail.COORDINATOR_DIGEST, recipient=coordinator)
    assert digest.context == {"pairs": [], "checkins": [mentorship.pk]}
    dispatch_due_mail()
    sent = OutgoingMail.objects.get(pk=digest.pk)
    assert sent.status == "sent"


def test_ended_mentorships_are_not_nudged(mentorship, clock):
    met(mentorship, 4, clock, number=2)
    mentorship.status = MentorshipStatus.ENDED
    mentorship.save()
    nudges_scan()
    assert not OutgoingMail.objects.exists()


def test_nudges_turned_off_are_not_sent(mentorship, mentee, clock):
    preferences_update(user=mentee, reminders=True, nudges=False)
    AgreementFactory(mentorship=mentorship)
    met(mentorship, 4, clock, number=2)
    nudges_scan()
    dispatch_due_mail()
    assert not mail.outbox


def test_scan_that_finds_nothing_new_is_cheap(db, clock, django_assert_max_num_queries):
    """The same few queries for one program or many."""
    for days in (3, 4, 5, 6, 7):
        pair = MentorshipFactory(status=MentorshipStatus.ACTIVE, program__notes_nudge_after_days=days)
        AgreementFactory(mentorship=pair)
        met(pair, 8, clock, number=2)
    assert nudges_scan()["notes"] == 5
    # 7: the digest also reads the programs' check-in cadences (once, however many programs);
    # 8: the pairs quiet long enough to be asked whether to go on (once).
    with django_assert_max_num_queries(8):
        assert nudges_scan() == {"ended": 0, "notes": 0, "booking": 0, "digest": 0, "inactive": 0}


def test_notes_nudge_follows_each_program_days(db, clock):
    quick = MentorshipFactory(status=MentorshipStatus.ACTIVE, program__notes_nudge_after_days=3)
    patient = MentorshipFactory(status=MentorshipStatus.ACTIVE, program__notes_nudge_after_days=10)
    for pair in (quick, patient):
        AgreementFactory(mentorship=pair)
        met(pair, 4, clock, number=2)
        MeetingFactory(mentorship=pair, number=3, starts_at=clock.now + 10 * DAY)
    nudges_scan()
    assert set(OutgoingMail.objects.filter(kind=SessionMail.NUDGE_NOTES).values_list("mentorship", flat=True)) == {
        quick.pk
    }
    clock.advance(7 * DAY)
    nudges_scan()
    assert OutgoingMail.objects.filter(kind=SessionMail.NUDGE_NOTES, mentorship=patient).count() == 1


def test_booking_nudge_after_an_agreement_made_without_a_booked_meeting_one(mentorship, mentee, clock):
    """The most common stall: the agreement is written, meeting 2 never
    booked. Tillfälle 1 then has no time; it counts from when it was saved."""
    agreement_save(mentorship=mentorship, user=mentee, content={"purpose_and_goals": "Mål"}, base_version=0)
    assert mentorship.meetings.get().starts_at is None
    clock.advance(13 * DAY)
    assert nudges_scan()["booking"] == 0
    clock.advance(2 * DAY)
    assert nudges_scan()["booking"] == 1
    clock.advance(7 * DAY)
    assert nudges_scan()["booking"] == 1
    assert kinds(kind=SessionMail.NUDGE_BOOKING) == [SessionMail.NUDGE_BOOKING] * 2


def test_a_pair_past_its_end_date_is_ended_and_gets_no_more_mail(mentorship, mentee, clock):
    """Coordinators set end dates and expect them to hold, without also
    changing the status by hand."""
    AgreementFactory(mentorship=mentorship)
    met(mentorship, 20, clock, number=2)  # overdue for a booking nudge
    meeting = meeting_book(mentorship=mentorship, starts_at=clock.now + 30 * DAY, ends_at=None)
    other = MentorshipFactory(status=MentorshipStatus.ACTIVE, program=mentorship.program)
    mentorship.ends_on = timezone.localdate() - DAY
    mentorship.save()

    assert nudges_scan()["ended"] == 1
    mentorship.refresh_from_db()
    other.refresh_from_db()
    assert (mentorship.status, other.status) == (MentorshipStatus.ENDED, MentorshipStatus.ACTIVE)
    dispatch_due_mail()
    assert not mail.outbox
    assert not OutgoingMail.objects.filter(meeting=meeting, status=MailStatus.SENT).exists()


def test_pairs_of_a_program_past_its_end_date_are_ended(mentorship, clock):
    mentorship.program.ends_on = timezone.localdate() - DAY
    mentorship.program.save()
    nudges_scan()
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED
