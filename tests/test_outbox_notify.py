"""Booking, moving and cancelling write the right outbox rows, in the
caller's transaction, with reminders at the program's lead times."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.enqueue import dispatch_after_commit
from outbox.models import MailStatus, OutgoingMail
from sessions.mail_kinds import SessionMail
from sessions.models import Meeting, MeetingStatus
from sessions.notifications import (
    agreement_changed_notify,
    meeting_booked_notify,
    meeting_cancelled_notify,
    meeting_moved_notify,
    reminder_due_times,
)
from sessions.services.booking import meeting_book, meeting_cancel, meeting_move
from tests.factories import AgreementFactory, MeetingFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC


def local(*args):
    return dt.datetime(*args, tzinfo=STOCKHOLM)


def rows(meeting, **filters):
    return OutgoingMail.objects.filter(meeting=meeting, **filters)


def change(meeting, **fields):
    """What the booking service does: save the change and raise the sequence."""
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1, **fields)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def meeting(mentorship):
    return MeetingFactory(mentorship=mentorship, starts_at=timezone.now() + dt.timedelta(days=7))


def test_booked_writes_invites_to_both_and_four_reminders(meeting, mentee, mentor):
    meeting_booked_notify(meeting=meeting)
    invites = rows(meeting, kind=SessionMail.MEETING_BOOKED)
    assert {r.recipient for r in invites} == {mentee, mentor}
    assert all(r.due_at <= timezone.now() and r.meeting_sequence == meeting.sequence for r in invites)
    reminders = rows(meeting, kind=SessionMail.MEETING_REMINDER)
    assert reminders.count() == 4
    assert {r.context["lead"] for r in reminders} == {"days:2", "hours:2"}
    assert {r.status for r in OutgoingMail.objects.all()} == {MailStatus.PENDING}


def test_booked_twice_for_the_same_change_writes_once(meeting):
    meeting_booked_notify(meeting=meeting)
    meeting_booked_notify(meeting=meeting)
    assert rows(meeting).count() == 6


def test_program_lead_times_and_zero_turns_a_reminder_off(meeting, program):
    program.reminder_days_before = 3
    program.reminder_hours_before = 0
    program.save()
    meeting_booked_notify(meeting=meeting)
    reminders = rows(meeting, kind=SessionMail.MEETING_REMINDER)
    assert {r.context["lead"] for r in reminders} == {"days:3"}


def test_reminders_already_due_at_booking_are_not_written(mentorship):
    soon = MeetingFactory(mentorship=mentorship, starts_at=timezone.now() + dt.timedelta(hours=5))
    meeting_booked_notify(meeting=soon)
    assert [r.context["lead"] for r in rows(soon, kind=SessionMail.MEETING_REMINDER)] == ["hours:2"] * 2


def test_rolled_back_booking_writes_nothing(meeting):
    with pytest.raises(RuntimeError), transaction.atomic():
        meeting_booked_notify(meeting=meeting)
        raise RuntimeError("the booking failed after the notify")
    assert not OutgoingMail.objects.exists()


def test_moved_cancels_old_rows_and_writes_an_update_with_the_new_sequence(meeting):
    meeting_booked_notify(meeting=meeting)
    old = set(rows(meeting).values_list("pk", flat=True))
    change(meeting, starts_at=meeting.starts_at + dt.timedelta(days=2), ends_at=meeting.ends_at + dt.timedelta(days=2))
    meeting_moved_notify(meeting=meeting)
    assert set(rows(meeting, status=MailStatus.CANCELLED).values_list("pk", flat=True)) == old
    pending = rows(meeting, status=MailStatus.PENDING)
    assert pending.filter(kind=SessionMail.MEETING_MOVED).count() == 2
    assert pending.filter(kind=SessionMail.MEETING_REMINDER).count() == 4
    assert {r.meeting_sequence for r in pending} == {1}


def test_rebooked_tuesday_to_thursday_leaves_no_reminder_for_tuesday(mentorship):
    tuesday = local(2026, 6, 16, 17, 0)  # a Tuesday
    thursday = local(2026, 6, 18, 17, 0)
    meeting = MeetingFactory(mentorship=mentorship, starts_at=tuesday)
    now = local(2026, 6, 1, 12, 0)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: now.astimezone(UTC))
        meeting_booked_notify(meeting=meeting)
        change(meeting, starts_at=thursday, ends_at=thursday + dt.timedelta(hours=1))
        meeting_moved_notify(meeting=meeting)
    pending = rows(meeting, status=MailStatus.PENDING, kind=SessionMail.MEETING_REMINDER)
    assert sorted({r.due_at.astimezone(STOCKHOLM) for r in pending}) == [
        local(2026, 6, 16, 17, 0),  # 2 days before Thursday
        local(2026, 6, 18, 15, 0),
    ]
    tuesday_reminders = rows(meeting, kind=SessionMail.MEETING_REMINDER, due_at__lt=local(2026, 6, 16, 0, 0))
    assert {r.status for r in tuesday_reminders} == {MailStatus.CANCELLED}


def mark_invitations_sent(meeting):
    OutgoingMail.objects.filter(
        meeting=meeting, kind__in=[SessionMail.MEETING_BOOKED, SessionMail.MEETING_MOVED]
    ).update(status=MailStatus.SENT)


def test_cancelled_cancels_everything_pending_and_writes_a_cancellation(meeting):
    meeting_booked_notify(meeting=meeting)
    mark_invitations_sent(meeting)
    change(meeting, status=MeetingStatus.CANCELLED)
    meeting_cancelled_notify(meeting=meeting)
    pending = rows(meeting, status=MailStatus.PENDING)
    assert sorted(pending.values_list("kind", flat=True)) == [SessionMail.MEETING_CANCELLED] * 2
    assert not rows(meeting, status=MailStatus.PENDING, kind=SessionMail.MEETING_REMINDER).exists()


def test_cancelled_before_the_invitation_went_out_sends_nothing(meeting):
    meeting_booked_notify(meeting=meeting)
    change(meeting, status=MeetingStatus.CANCELLED)
    meeting_cancelled_notify(meeting=meeting)
    assert not rows(meeting, status=MailStatus.PENDING).exists()
    assert not rows(meeting, kind=SessionMail.MEETING_CANCELLED).exists()


def test_notify_records_the_sequence_the_database_has(meeting):
    """A caller that raised the sequence with F() but did not refresh."""
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 5)
    meeting_moved_notify(meeting=meeting)
    assert {r.meeting_sequence for r in rows(meeting, status=MailStatus.PENDING)} == {5}


@pytest.mark.parametrize(
    ("meeting_at", "days_reminder", "hours_reminder"),
    [
        # Summer time starts 2026-03-29 02:00: 2 days before is 10:00 on the 27th,
        # which is 47 real hours before, not 48.
        (local(2026, 3, 29, 10, 0), local(2026, 3, 27, 10, 0), local(2026, 3, 29, 8, 0)),
        # Summer time ends 2026-10-25 03:00: 10:00 on the 23rd is 49 hours before.
        (local(2026, 10, 25, 10, 0), local(2026, 10, 23, 10, 0), local(2026, 10, 25, 8, 0)),
        # 01:00 on the 25th (still summer time): 2 hours before is 23:00 the day before.
        (local(2026, 10, 25, 1, 0), local(2026, 10, 23, 1, 0), local(2026, 10, 24, 23, 0)),
    ],
)
def test_days_before_is_the_same_local_clock_time_across_dst(meeting_at, days_reminder, hours_reminder):
    due = dict(reminder_due_times(starts_at=meeting_at.astimezone(UTC), days_before=2, hours_before=2))
    assert due["days:2"] == days_reminder
    assert due["days:2"].astimezone(STOCKHOLM).strftime("%H:%M") == meeting_at.strftime("%H:%M")
    assert due["hours:2"] == hours_reminder
    assert meeting_at - due["hours:2"] == dt.timedelta(hours=2)


def test_hours_before_is_absolute_across_the_autumn_change():
    # 04:00 CET on 25 Oct is 03:00 UTC; two real hours before is 01:00 UTC
    # (02:00 CET, the second time the clock shows 02:00 that night).
    meeting_at = local(2026, 10, 25, 4, 0)
    due = dict(reminder_due_times(starts_at=meeting_at, days_before=0, hours_before=2))
    assert due["hours:2"] == dt.datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    assert "days:0" not in due


def test_agreement_changed_tells_the_other_party_once_per_burst(mentorship, mentee, mentor):
    agreement = AgreementFactory(mentorship=mentorship)
    first = agreement_changed_notify(agreement=agreement, changed_by=mentee)
    again = agreement_changed_notify(agreement=agreement, changed_by=mentee)
    assert first.recipient == mentor and again is None
    assert first.due_at > timezone.now()
    agreement_changed_notify(agreement=agreement, changed_by=mentor)
    assert set(OutgoingMail.objects.values_list("recipient__email", flat=True)) == {mentor.email, mentee.email}


def test_the_booking_service_writes_the_rows(mentorship):
    start = timezone.now() + dt.timedelta(days=10)
    meeting = meeting_book(mentorship=mentorship, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    mark_invitations_sent(meeting)
    meeting_move(meeting=meeting, starts_at=start + dt.timedelta(days=1), ends_at=start + dt.timedelta(days=1, hours=1))
    meeting_cancel(meeting=meeting)
    pending = rows(meeting, status=MailStatus.PENDING)
    assert sorted(pending.values_list("kind", "meeting_sequence")) == [(SessionMail.MEETING_CANCELLED, 2)] * 2


def test_one_dispatcher_kick_per_transaction(db, django_capture_on_commit_callbacks):
    """A run sends every due row: many changes in one transaction (an import
    of many pairs) need one kick, not one per e-mail."""
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        dispatch_after_commit()
        dispatch_after_commit()
    assert len(callbacks) == 1


def test_a_kick_rolled_back_with_its_savepoint_is_asked_for_again(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            dispatch_after_commit()
            raise RuntimeError
        dispatch_after_commit()
    assert len(callbacks) == 1
