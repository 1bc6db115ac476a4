"""The e-mail models moved from `mentoring_sessions` to `outbox` (issue 8):
a database of the release before the move, with e-mail pending, being sent
and sent, is migrated, and afterwards every pending e-mail goes out exactly
once and no sent one again. On PostgreSQL, like production."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from outbox.dispatch import dispatch_due_mail
from outbox.models import MailStatus, OutgoingMail

from .helpers.services import require

# The schema of the release before the move.
BEFORE_THE_MOVE = [
    ("accounts", "0002_invitation"),
    ("programs", "0002_seed_focus_areas"),
    ("mentoring_sessions", "0002_notification_preferences"),
]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def old_database_with_mail(old):
    """Rows as the old release wrote them, through its own models."""
    User = old.get_model("accounts", "User")
    Program = old.get_model("programs", "Program")
    Mentorship = old.get_model("programs", "Mentorship")
    Meeting = old.get_model("mentoring_sessions", "Meeting")
    Mail = old.get_model("mentoring_sessions", "OutgoingMail")
    Preferences = old.get_model("mentoring_sessions", "NotificationPreferences")
    mentee = User.objects.create(email="adept@example.org", name="Ada Adept", password="!")
    mentor = User.objects.create(email="mentor@example.org", name="Mats Mentor", password="!")
    program = Program.objects.create(name="Före flytten", kind="individuals", starts_on=dt.date(2026, 1, 1))
    pair = Mentorship.objects.create(program=program, mentor=mentor, mentee=mentee, status="active")
    starts = timezone.now() + dt.timedelta(days=5)
    meeting = Meeting.objects.create(
        mentorship=pair, number=2, starts_at=starts, ends_at=starts + dt.timedelta(hours=1), status="booked"
    )
    Preferences.objects.create(user=mentor, reminders=False, nudges=True)
    now = timezone.now()
    common = {"mentorship": pair, "meeting": meeting, "meeting_sequence": 0, "due_at": now - dt.timedelta(minutes=1)}
    pending = [
        Mail.objects.create(recipient=person, kind="meeting_booked", status="pending", **common)
        for person in (mentee, mentor)
    ]
    # A dispatcher died while sending this one: its lease has run out.
    stuck = Mail.objects.create(
        recipient=mentee,
        kind="agreement_changed",
        mentorship=pair,
        due_at=now - dt.timedelta(minutes=10),
        status="sending",
        attempts=1,
        lease_until=now - dt.timedelta(minutes=1),
        context={"changed_by": mentor.pk, "version": 1},
    )
    sent = Mail.objects.create(
        recipient=mentor, kind="meeting_booked", status="sent", sent_at=now, attempts=1, **common
    )
    return {"pending": [r.pk for r in pending], "stuck": stuck.pk, "sent": sent.pk, "mentor": mentor.pk}


def test_migrating_keeps_every_row_and_sends_each_pending_one_once(settings):
    require(connection.vendor == "postgresql", "the migration test runs on PostgreSQL: set DATABASE_URL")
    settings.MENTORSKAP_MAIL_RETRY_SECONDS = 0
    old = migrate(BEFORE_THE_MOVE)
    ids = old_database_with_mail(old)
    try:
        migrate(latest())
        rows = {row.pk: row for row in OutgoingMail.objects.all()}
        assert set(rows) == {*ids["pending"], ids["stuck"], ids["sent"]}
        assert rows[ids["sent"]].status == MailStatus.SENT
        assert OutgoingMail.objects.get(pk=ids["stuck"]).get_kind_display() == "Överenskommelse ändrad"
        # The person's choices came along too.
        assert OutgoingMail.objects.get(pk=ids["sent"]).recipient.notification_preferences.reminders is False

        mail.outbox.clear()
        dispatch_due_mail()
        dispatch_due_mail()  # recovered after its lease, then sent
        dispatch_due_mail()

        sent_to = sorted((m.to[0].split("<")[-1].rstrip(">"), m.subject) for m in mail.outbox)
        assert len(sent_to) == 3 == len(set(sent_to)), sent_to
        for pk in [*ids["pending"], ids["stuck"]]:
            assert OutgoingMail.objects.get(pk=pk).status == MailStatus.SENT
        assert OutgoingMail.objects.get(pk=ids["sent"]).attempts == 1  # never tried again
    finally:
        migrate(latest())
