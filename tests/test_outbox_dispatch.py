"""The dispatcher sends each due e-mail once, re-checks everything at
sending time, and retries or gives up in a bounded way."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone

from accounts.services import invitation_create
from outbox.dispatch import dispatch_due_mail, leases_recover, mail_claim_due, rows_deliver
from outbox.enqueue import mail_enqueue
from outbox.models import MailStatus, OutgoingMail
from outbox.preferences import preferences_update
from programs.models import MentorshipStatus
from sessions.mail_kinds import SessionMail
from sessions.models import Meeting, MeetingStatus
from sessions.notifications import meeting_booked_notify, meeting_moved_notify
from tests.factories import MeetingFactory, MentorshipFactory

from .helpers.smtp import SMTPServer

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def meeting(mentorship):
    return MeetingFactory(mentorship=mentorship, starts_at=timezone.now() + dt.timedelta(days=7))


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 10
        yield server


def status_of(row):
    row.refresh_from_db()
    return row.status


def make_due(queryset):
    queryset.update(due_at=timezone.now() - dt.timedelta(seconds=1))


def test_due_rows_are_sent_once_and_future_ones_wait(meeting, mentee, mentor):
    meeting_booked_notify(meeting=meeting)
    counts = dispatch_due_mail()
    assert counts[MailStatus.SENT] == 2
    assert sorted(m.to[0].split("<")[-1].rstrip(">") for m in mail.outbox) == sorted([mentee.email, mentor.email])
    assert dispatch_due_mail()[MailStatus.SENT] == 0
    assert len(mail.outbox) == 2
    assert OutgoingMail.objects.filter(kind=SessionMail.MEETING_REMINDER, status=MailStatus.PENDING).count() == 4
    sent = OutgoingMail.objects.filter(status=MailStatus.SENT)
    assert all(r.sent_at and r.lease_until is None and r.attempts == 1 for r in sent)


def test_reminder_is_sent_when_due(meeting):
    meeting_booked_notify(meeting=meeting)
    dispatch_due_mail()
    make_due(OutgoingMail.objects.filter(kind=SessionMail.MEETING_REMINDER, context__lead="days:2"))
    mail.outbox.clear()
    assert dispatch_due_mail()[MailStatus.SENT] == 2
    assert all("Reminder" in m.subject or "Påminnelse" in m.subject or m.subject for m in mail.outbox)


def test_a_row_for_an_older_sequence_is_cancelled_not_sent(meeting):
    meeting_booked_notify(meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
    counts = dispatch_due_mail()
    assert counts[MailStatus.CANCELLED] == 2 and not mail.outbox
    row = OutgoingMail.objects.filter(kind=SessionMail.MEETING_BOOKED).first()
    assert "changed" in row.last_error


def test_reminder_whose_meeting_has_started_is_expired(meeting):
    """An outage that lasted past the meeting's start: no late reminders."""
    meeting_booked_notify(meeting=meeting)
    dispatch_due_mail()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5), ends_at=timezone.now() + dt.timedelta(minutes=55)
    )
    make_due(OutgoingMail.objects.filter(kind=SessionMail.MEETING_REMINDER))
    mail.outbox.clear()
    counts = dispatch_due_mail()
    assert counts[MailStatus.EXPIRED] == 4 and not mail.outbox
    assert set(OutgoingMail.objects.filter(kind=SessionMail.MEETING_REMINDER).values_list("status", flat=True)) == {
        MailStatus.EXPIRED
    }


def test_booking_mail_for_a_meeting_already_over_is_expired(meeting):
    meeting_booked_notify(meeting=meeting)
    past = timezone.now() - dt.timedelta(hours=3)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=past, ends_at=past + dt.timedelta(hours=1))
    assert dispatch_due_mail()[MailStatus.EXPIRED] == 2


def test_no_mail_after_the_mentorship_ends(meeting, mentorship):
    meeting_booked_notify(meeting=meeting)
    mentorship.status = MentorshipStatus.ENDED
    mentorship.save()
    assert dispatch_due_mail()[MailStatus.CANCELLED] == 2 and not mail.outbox


def test_no_mail_to_a_deactivated_person(meeting, mentee, mentor):
    meeting_booked_notify(meeting=meeting)
    mentee.is_active = False
    mentee.save()
    counts = dispatch_due_mail()
    assert counts[MailStatus.SENT] == 1 and counts[MailStatus.CANCELLED] == 1
    assert mentor.email in mail.outbox[0].to[0]


def test_turned_off_reminders_are_not_sent_but_booking_changes_are(meeting, mentee):
    preferences_update(user=mentee, reminders=False, nudges=False)
    meeting_booked_notify(meeting=meeting)
    make_due(OutgoingMail.objects.filter(kind=SessionMail.MEETING_REMINDER))
    counts = dispatch_due_mail()
    assert counts[MailStatus.SENT] == 2 + 2  # both invitations, the mentor's two reminders
    assert OutgoingMail.objects.filter(recipient=mentee, status=MailStatus.CANCELLED).count() == 2


def test_a_claimed_row_is_not_claimed_again(meeting):
    meeting_booked_notify(meeting=meeting)
    first = mail_claim_due(limit=10)
    assert len(first) == 2
    assert mail_claim_due(limit=10) == []
    assert all(r.status == MailStatus.SENDING and r.attempts == 1 for r in first)


def test_expired_lease_goes_back_to_pending_with_backoff_then_fails(meeting, settings):
    """A dispatcher died after claiming: the row is sent after its lease."""
    settings.MENTORSKAP_MAIL_MAX_ATTEMPTS = 2
    meeting_booked_notify(meeting=meeting)
    claimed = mail_claim_due(limit=1)  # ... and the dispatcher dies here
    OutgoingMail.objects.filter(pk=claimed[0].pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert leases_recover() == 1
    row = OutgoingMail.objects.get(pk=claimed[0].pk)
    assert row.status == MailStatus.PENDING and row.due_at > timezone.now() and row.attempts == 1
    make_due(OutgoingMail.objects.filter(pk=row.pk))
    mail_claim_due(limit=10)  # dies again: the second attempt
    OutgoingMail.objects.filter(status=MailStatus.SENDING).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    leases_recover()
    assert status_of(row) == MailStatus.FAILED


def test_lease_nearly_over_releases_rows_unsent(meeting, settings):
    meeting_booked_notify(meeting=meeting)
    rows = mail_claim_due(limit=10)

    for row in rows:
        row.lease_until = timezone.now() + dt.timedelta(seconds=1)
        OutgoingMail.objects.filter(pk=row.pk).update(lease_until=row.lease_until)
    counts = rows_deliver(rows)
    assert counts["released"] == 2 and not mail.outbox
    assert set(OutgoingMail.objects.filter(kind=SessionMail.MEETING_BOOKED).values_list("status", "attempts")) == {
        (MailStatus.PENDING, 0)
    }


def test_smtp_refusing_for_now_fails_after_the_set_attempts(meeting, mentee, smtp, settings):
    settings.MENTORSKAP_MAIL_MAX_ATTEMPTS = 3
    settings.MENTORSKAP_MAIL_RETRY_SECONDS = 0  # retry at once, so the test need not wait
    smtp.handler.refuse.add(mentee.email)
    smtp.handler.refusal = "451 4.3.0 Try again later"
    meeting_booked_notify(meeting=meeting)
    for _ in range(10):
        dispatch_due_mail()
    row = OutgoingMail.objects.get(kind=SessionMail.MEETING_BOOKED, recipient=mentee)
    assert row.status == MailStatus.FAILED and row.attempts == 3
    assert row.last_error == "451 4.3.0 Try again later"
    assert smtp.handler.refused == 3
    assert len(smtp.handler.messages) == 1  # the mentor's, once


def test_retry_waits_longer_each_time(meeting, mentee, smtp, settings):
    settings.MENTORSKAP_MAIL_RETRY_SECONDS = 60
    smtp.handler.refuse.add(mentee.email)
    smtp.handler.refusal = "451 4.3.0 Try again later"
    meeting_booked_notify(meeting=meeting)
    delays = []
    for _ in range(3):
        before = timezone.now()
        dispatch_due_mail()
        row = OutgoingMail.objects.get(kind=SessionMail.MEETING_BOOKED, recipient=mentee)
        delays.append(round((row.due_at - before).total_seconds() / 60))
        make_due(OutgoingMail.objects.filter(pk=row.pk))
    assert delays == [1, 2, 4]


def test_header_injection_in_names_and_place_cannot_add_headers(mentorship, mentee, mentor, smtp):
    mentee.name = "Maja\r\nBcc: victim@example.net"
    mentee.save()
    mentor.name = "Erik\nX-Injected: yes"
    mentor.save()
    meeting = MeetingFactory(
        mentorship=mentorship,
        starts_at=timezone.now() + dt.timedelta(days=7),
        location="Storgatan 1\r\nBcc: victim@example.net\r\n\r\nbody",
    )
    meeting_booked_notify(meeting=meeting)
    counts = dispatch_due_mail()
    assert counts[MailStatus.SENT] == 2
    for rcpt_tos, raw, message in smtp.handler.messages:
        assert "victim@example.net" not in rcpt_tos
        assert message["Bcc"] is None and message["X-Injected"] is None
        assert "\n" not in message["Subject"] and "\n" not in str(message["To"])
        header_block = raw.split(b"\r\n\r\n", 1)[0]
        assert b"\nBcc:" not in header_block and b"\nX-Injected:" not in header_block


def test_dispatch_queries_do_not_grow_with_the_rows(db, django_assert_max_num_queries):
    for _ in range(10):
        meeting = MeetingFactory(mentorship=MentorshipFactory(), starts_at=timezone.now() + dt.timedelta(days=7))
        meeting_booked_notify(meeting=meeting)
    # 20 e-mails: per e-mail one UPDATE to mark it sent (and on SQLite one to
    # claim it, where PostgreSQL claims the batch at once); the rest is per batch.
    per_row = 1 if connection.features.has_select_for_update_skip_locked else 2
    with django_assert_max_num_queries(20 * per_row + 10):
        assert dispatch_due_mail()[MailStatus.SENT] == 20


def test_send_due_mail_command(meeting, capsys):
    meeting_booked_notify(meeting=meeting)
    call_command("send_due_mail", "--nudges")
    out = capsys.readouterr().out
    assert "sent=2" in out and len(mail.outbox) == 2
    call_command("send_due_mail")
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("meeting_local", "reminder_local"),
    [
        (dt.datetime(2026, 3, 29, 10, 0), dt.datetime(2026, 3, 27, 10, 0)),
        (dt.datetime(2026, 10, 25, 10, 0), dt.datetime(2026, 10, 23, 10, 0)),
    ],
)
def test_dst_reminder_goes_out_at_the_local_time_and_shows_the_local_time(
    mentorship, monkeypatch, meeting_local, reminder_local
):
    starts = meeting_local.replace(tzinfo=STOCKHOLM)
    meeting = MeetingFactory(mentorship=mentorship, starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
    clock = {"now": (starts - dt.timedelta(days=10)).astimezone(dt.UTC)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    meeting_booked_notify(meeting=meeting)
    dispatch_due_mail()
    mail.outbox.clear()
    due = reminder_local.replace(tzinfo=STOCKHOLM).astimezone(dt.UTC)
    clock["now"] = due - dt.timedelta(seconds=1)
    assert dispatch_due_mail()[MailStatus.SENT] == 0
    clock["now"] = due
    assert dispatch_due_mail()[MailStatus.SENT] == 2
    for message in mail.outbox:
        assert "10:00" in message.subject and "10:00" in message.body
        assert "09:00" not in message.body and "08:00" not in message.body


def test_moved_meeting_sends_only_the_update(meeting):
    meeting_booked_notify(meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
    meeting.refresh_from_db()
    meeting_moved_notify(meeting=meeting)
    dispatch_due_mail()
    assert (
        sorted(OutgoingMail.objects.filter(status=MailStatus.SENT).values_list("kind", flat=True))
        == [SessionMail.MEETING_MOVED] * 2
    )


def test_cancelled_meeting_status_cancels_reminders(meeting):
    meeting_booked_notify(meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    make_due(OutgoingMail.objects.filter(kind=SessionMail.MEETING_REMINDER))
    dispatch_due_mail()
    assert not OutgoingMail.objects.filter(kind=SessionMail.MEETING_REMINDER, status=MailStatus.SENT).exists()


def test_used_invitation_is_not_sent(mentee):
    invitation = invitation_create(user=mentee)
    invitation.used_at = timezone.now()
    invitation.save()
    assert dispatch_due_mail()[MailStatus.CANCELLED] == 1


def test_enqueue_with_the_same_key_writes_once(mentee):
    assert mail_enqueue(recipient=mentee, kind=SessionMail.NUDGE_BOOKING, dedupe_key="k") is not None
    assert mail_enqueue(recipient=mentee, kind=SessionMail.NUDGE_BOOKING, dedupe_key="k") is None
