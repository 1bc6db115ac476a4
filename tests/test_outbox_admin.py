"""The operator sees failed e-mail in the admin and can try it again."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from outbox.enqueue import mail_enqueue
from outbox.models import MailStatus, OutgoingMail
from programs.mail_kinds import ProgramMail
from sessions.mail_kinds import SessionMail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_failed_rows_are_listed_and_retried(client_for, superuser, mentee):
    failed = mail_enqueue(recipient=mentee, kind=ProgramMail.PAIR_NOTICE)
    sent = mail_enqueue(recipient=mentee, kind=ProgramMail.PAIR_NOTICE)
    OutgoingMail.objects.filter(pk=failed.pk).update(status=MailStatus.FAILED, attempts=5, last_error="550 no")
    OutgoingMail.objects.filter(pk=sent.pk).update(status=MailStatus.SENT)
    client = client_for(superuser)
    changelist = reverse("admin:outbox_outgoingmail_changelist")
    page = client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "550 no" in page
    client.post(changelist, {"action": "retry_failed", "_selected_action": [failed.pk, sent.pk]})
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == (MailStatus.PENDING, 0)
    assert sent.status == MailStatus.SENT


def test_coordinators_do_not_see_the_outbox(client_for, coordinator):
    assert client_for(coordinator).get(reverse("admin:outbox_outgoingmail_changelist")).status_code == 403


def test_an_outbox_row_is_named_by_kind_due_time_and_status(db):
    due = dt.datetime(2027, 1, 9, 11, 0, tzinfo=dt.UTC)
    row = OutgoingMail.objects.create(recipient=UserFactory(), kind=SessionMail.MEETING_BOOKED, due_at=due)
    local = due.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%d %H:%M")
    assert str(row) == f"{row.get_kind_display()}, {local} ({row.get_status_display()})"
