"""End to end: a real Celery worker and beat (subprocesses) on Redis, the
database on PostgreSQL, delivering to an SMTP server this test runs.

One worker, beat and SMTP server serve the whole module (see
tests/helpers/live_celery.py; the fixtures are in conftest.py): each test
starts with them stopped and resumes them where it starts them, and sees only
its own rows and e-mails. The module sends its tasks to the real broker,
CELERY_BROKER_URL from the environment, on a queue of its own; every other
test uses the in-memory one. Under xdist the file runs in one process (--dist
loadfile); the other delivery module may run beside it, on its own queue.

Where a case needs time to pass (a reminder two days ahead), the test moves
the row's due time instead of waiting; the meeting itself is not touched, so
the e-mail shows the meeting as booked. The same cases on a frozen clock are
in test_outbox_dispatch.py.
"""

import datetime as dt

import pytest
import vobject
from django.utils import timezone

from mentorskap.celery import app as celery_app
from outbox.models import MailStatus, OutgoingMail
from sessions.mail_kinds import SessionMail
from sessions.models import Meeting, MeetingStatus
from sessions.services.booking import meeting_book, meeting_cancel, meeting_move
from tests.factories import AgreementFactory, MeetingFactory, MentorshipFactory

from .helpers.live_celery import STOCKHOLM, addresses, in_days, wait_settled, wait_until

pytestmark = [
    pytest.mark.celery,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def calendar_of(message):
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return vobject.readOne(parts[0].get_content())


def book(mentorship, starts_at, location="Föreningshuset"):
    return meeting_book(
        mentorship=mentorship, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=1), location=location
    )


def make_due(**filters):
    """Time passes: these rows are due now. The meeting is not touched."""
    return OutgoingMail.objects.filter(**filters).update(due_at=timezone.now() - dt.timedelta(seconds=1))


def test_booked_moved_cancelled_each_reach_both_parties_once(live, smtp, mentorship, mentee, mentor):
    live.worker()
    live.beat()
    meeting = book(mentorship, in_days(7))
    booked = smtp.handler.wait_for(2)
    assert addresses(booked) == sorted([mentee.email, mentor.email])
    uid = calendar_of(booked[0]).vevent.uid.value
    for message in booked:
        cal = calendar_of(message)
        assert cal.method.value == "REQUEST" and cal.vevent.sequence.value == "0" and cal.vevent.uid.value == uid

    meeting_move(meeting=meeting, starts_at=in_days(9), ends_at=in_days(9) + dt.timedelta(hours=1), location="Zoom")
    moved = smtp.handler.wait_for(4)[2:]
    for message in moved:
        cal = calendar_of(message)
        assert cal.method.value == "REQUEST" and cal.vevent.uid.value == uid
        assert int(cal.vevent.sequence.value) == 1 and cal.vevent.location.value == "Zoom"

    meeting_cancel(meeting=meeting)
    cancelled = smtp.handler.wait_for(6)[4:]
    for message in cancelled:
        cal = calendar_of(message)
        assert cal.method.value == "CANCEL" and cal.vevent.uid.value == uid and int(cal.vevent.sequence.value) == 2
    wait_settled()
    assert len(smtp.handler.messages) == 6


def test_two_dispatchers_and_the_same_task_twice_send_each_once(live, smtp, program):
    meetings = [book(MentorshipFactory(program=program), in_days(5 + i % 3)) for i in range(15)]
    rows = list(OutgoingMail.objects.filter(status=MailStatus.PENDING, due_at__lte=timezone.now()))
    assert len(rows) == 30
    for _ in range(12):  # the dispatcher task delivered many times over
        celery_app.send_task("outbox.dispatch_due_mail")
    live.worker()
    live.worker("worker-b")
    live.beat()
    smtp.handler.wait_for(30)
    wait_settled()
    received = [(m["To"].addresses[0].addr_spec, m["Subject"]) for m in smtp.handler.parsed()]
    assert len(received) == 30 and len(set(received)) == 30
    assert OutgoingMail.objects.filter(kind=SessionMail.MEETING_BOOKED, status=MailStatus.SENT).count() == 30
    assert len(meetings) == 15


def test_worker_killed_between_claim_and_send_sends_once_after_the_lease(live, smtp, mentorship):
    smtp.handler.released.clear()  # the SMTP server holds the sender before MAIL FROM
    worker = live.worker("doomed")
    live.beat()
    book(mentorship, in_days(4))
    wait_until(lambda: smtp.handler.held >= 1, "the worker to claim and start sending", log=worker.log)
    live.kill(worker)
    assert OutgoingMail.objects.filter(kind=SessionMail.MEETING_BOOKED, status=MailStatus.SENDING).count() == 2
    smtp.handler.released.set()
    assert smtp.handler.messages == []

    live.worker()  # the successor
    smtp.handler.wait_for(2)
    wait_settled()
    assert len(smtp.handler.messages) == 2
    rows = OutgoingMail.objects.filter(kind=SessionMail.MEETING_BOOKED)
    assert {(r.status, r.attempts) for r in rows} == {(MailStatus.SENT, 2)}


def test_rebooked_tuesday_to_thursday_reminds_only_of_thursday(live, smtp, mentorship):
    today = timezone.localdate()
    tuesday = today + dt.timedelta(days=(1 - today.weekday()) % 7 + 7)
    thursday = tuesday + dt.timedelta(days=2)
    at = dt.time(17, 0)
    tue = dt.datetime.combine(tuesday, at, tzinfo=STOCKHOLM)
    thu = dt.datetime.combine(thursday, at, tzinfo=STOCKHOLM)
    meeting = book(mentorship, tue)
    meeting_move(meeting=meeting, starts_at=thu, ends_at=thu + dt.timedelta(hours=1), location="Föreningshuset")
    live.worker()
    live.beat()
    smtp.handler.wait_for(2)  # the invitations (booked: cancelled before sending; moved)
    wait_settled()
    make_due(kind=SessionMail.MEETING_REMINDER)  # two days pass, for every reminder ever written
    smtp.handler.wait_for(6)
    wait_settled()
    messages = smtp.handler.parsed()
    reminders = [m for m in messages if m["List-Unsubscribe"]]
    assert len(messages) == 6 and len(reminders) == 4
    thursday_words = {"Thursday", "torsdag"}
    for message in reminders:
        assert any(w in message["Subject"] for w in thursday_words), message["Subject"]
        assert not any(w in message["Subject"] for w in {"Tuesday", "tisdag"})
    sent = OutgoingMail.objects.filter(status=MailStatus.SENT).values_list("kind", flat=True)
    assert SessionMail.MEETING_BOOKED not in sent  # superseded before it went out


def test_cancelled_meeting_gets_no_reminders(live, smtp, mentorship):
    meeting = book(mentorship, in_days(8))
    meeting_cancel(meeting=meeting)
    make_due(kind=SessionMail.MEETING_REMINDER)
    live.worker()
    live.beat()
    wait_settled()
    # Cancelled before its invitation went out: no reminder, and no
    # cancellation of a meeting nobody had heard of.
    assert not OutgoingMail.objects.filter(status=MailStatus.SENT).exists()
    assert smtp.handler.parsed() == []


def test_outage_past_the_meeting_start_expires_reminders(live, smtp, mentorship):
    """Booked two days ahead; the workers are down until the meeting has
    begun (the meeting is moved into that moment without a new sequence, as
    if the clock had jumped)."""
    meeting = book(mentorship, in_days(3))
    began = timezone.now() - dt.timedelta(minutes=10)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=began, ends_at=began + dt.timedelta(hours=1))
    make_due(kind=SessionMail.MEETING_REMINDER)
    live.worker()
    live.beat()
    smtp.handler.wait_for(2)
    wait_settled()
    statuses = set(OutgoingMail.objects.filter(kind=SessionMail.MEETING_REMINDER).values_list("status", flat=True))
    assert statuses == {MailStatus.EXPIRED}
    assert len(smtp.handler.messages) == 2  # the invitations only: the meeting is still on


def next_dst_change(month):
    """The next last Sunday of March (summer time starts) or October (it ends)
    at least a week ahead: the 2026 dates themselves, 29 March and 25 October,
    are in test_outbox_dispatch.py on a frozen clock, since a live worker
    cannot be sent back in time."""
    year = timezone.localdate().year
    while True:
        last_day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
        sunday = last_day - dt.timedelta(days=(last_day.weekday() + 1) % 7)
        if sunday > timezone.localdate() + dt.timedelta(days=7):
            return sunday
        year += 1


@pytest.mark.parametrize("month", [3, 10])
def test_dst_reminder_due_at_local_time_and_shows_local_time(live, smtp, mentorship, month):
    day = next_dst_change(month)
    starts = dt.datetime.combine(day, dt.time(10, 0), tzinfo=STOCKHOLM)
    reminder_local = starts - dt.timedelta(days=2)  # wall-clock arithmetic: 10:00 two days before
    book(mentorship, starts)
    reminder = OutgoingMail.objects.filter(kind=SessionMail.MEETING_REMINDER, context__lead="days:2").first()
    assert reminder.due_at.astimezone(STOCKHOLM) == reminder_local
    assert reminder.due_at.astimezone(STOCKHOLM).strftime("%H:%M") == "10:00"
    assert starts - reminder.due_at in (dt.timedelta(hours=47), dt.timedelta(hours=49))
    live.worker()
    live.beat()
    smtp.handler.wait_for(2)
    make_due(kind=SessionMail.MEETING_REMINDER, context__lead="days:2")
    messages = smtp.handler.wait_for(4)
    for message in messages:
        text = message.get_body(("plain",)).get_content()
        assert "10:00" in message["Subject"] and "10:00" in text


def test_nudge_scan_run_100_times_sends_the_nudge_once(live, smtp, mentorship, mentee):
    AgreementFactory(mentorship=mentorship)
    MeetingFactory(
        mentorship=mentorship,
        number=2,
        starts_at=timezone.now() - dt.timedelta(days=4),
        status=MeetingStatus.HELD,
    )
    MeetingFactory(mentorship=mentorship, number=3, starts_at=timezone.now() + dt.timedelta(days=9))
    for _ in range(100):
        celery_app.send_task("mentoring_sessions.scan_nudges")
    live.worker()
    live.worker("worker-b")
    live.beat()
    smtp.handler.wait_for(1)
    wait_until(lambda: live.queued() == 0, "the scans to run")
    wait_settled()
    assert addresses(smtp.handler.parsed()) == [mentee.email]
    assert OutgoingMail.objects.filter(kind=SessionMail.NUDGE_NOTES).count() == 1


def test_smtp_refusing_a_recipient_for_good_fails_at_once(live, smtp, mentorship, mentee, mentor):
    smtp.handler.refuse.add(mentee.email)
    live.worker()
    live.beat()
    book(mentorship, in_days(5))
    wait_until(
        lambda: OutgoingMail.objects.filter(recipient=mentee, status=MailStatus.FAILED).exists(),
        "the refused e-mail to fail",
    )
    wait_settled(extra_ticks=5)
    row = OutgoingMail.objects.get(recipient=mentee, kind=SessionMail.MEETING_BOOKED)
    assert (row.status, row.attempts, row.last_error) == (MailStatus.FAILED, 1, "550 5.1.1 No such user here")
    assert smtp.handler.refused == 1
    assert addresses(smtp.handler.parsed()) == [mentor.email]


def test_header_injection_cannot_alter_headers(live, smtp, mentorship, mentee):
    mentee.name = "Maja\r\nBcc: victim@example.net\r\nSubject: injected"
    mentee.save()
    live.worker()
    live.beat()
    book(mentorship, in_days(5), location="Rum 1\r\nBcc: victim@example.net\r\n\r\nbody")
    smtp.handler.wait_for(2)
    wait_settled()
    for rcpt_tos, raw, message in smtp.handler.messages:
        assert "victim@example.net" not in rcpt_tos
        assert message["Bcc"] is None and len(message.get_all("Subject")) == 1
        assert "injected" not in message["Subject"]
        headers = raw.split(b"\r\n\r\n", 1)[0]
        assert b"\nBcc:" not in headers
    assert len(smtp.handler.messages) == 2
