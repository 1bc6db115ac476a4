"""A failed send: a refusal for good fails at once with the server's answer,
an outage is tried again for hours; every attempt of a row is the same
message (one Message-ID); the dispatcher keeps inside the task's time limit.

On a real SMTP server (aiosmtpd) in this process; the same with a live
Celery worker is in test_celery_delivery_faults.py."""

import datetime as dt
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from outbox.dispatch import dispatch_due_mail, mail_claim_due, rows_deliver
from outbox.enqueue import mail_enqueue
from outbox.models import MailStatus, OutgoingMail
from outbox.render import mail_render
from programs.mail_kinds import ProgramMail

from .helpers.smtp import SMTPServer, free_port


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        use_smtp(settings, server.port)
        yield server


def use_smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10


@pytest.fixture
def notice(mentorship, mentee):
    return mail_enqueue(recipient=mentee, kind=ProgramMail.PAIR_NOTICE, mentorship=mentorship)


def again(row):
    """Time passes: the row's retry is due now."""
    OutgoingMail.objects.filter(pk=row.pk).update(due_at=timezone.now() - dt.timedelta(seconds=1))


def test_a_row_has_one_message_id_on_every_attempt_and_rows_differ(notice, mentorship, mentee, smtp):
    other = mail_enqueue(recipient=mentee, kind=ProgramMail.PAIR_NOTICE, mentorship=mentorship)
    first = mail_render(notice).message()["Message-ID"]
    assert mail_render(notice).message()["Message-ID"] == first
    assert mail_render(other).message()["Message-ID"] != first
    assert first.endswith(f"@{urlsplit(django_settings.SITE_URL).hostname}>")
    smtp.handler.refuse.add(mentee.email)
    smtp.handler.refusal = "451 4.3.0 Try again later"
    dispatch_due_mail()  # the first attempt of both: refused for now
    smtp.handler.refuse.clear()
    again(notice)
    again(other)
    dispatch_due_mail()
    received = {m["Message-ID"] for m in smtp.handler.parsed()}
    assert received == {first, mail_render(other).message()["Message-ID"]}


def test_a_recipient_refused_for_good_fails_at_once_with_the_answer(notice, mentee, smtp):
    smtp.handler.refuse.add(mentee.email)
    assert dispatch_due_mail()[MailStatus.FAILED] == 1
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (MailStatus.FAILED, 1)
    assert notice.last_error == "550 5.1.1 No such user here"
    assert smtp.handler.refused == 1


@pytest.mark.parametrize(
    "part, answer",
    [("data_refusal", "554 5.6.0 Message refused"), ("sender_refusal", "553 5.7.1 Sender not allowed")],
)
def test_data_or_sender_refused_for_good_fails_at_once(notice, smtp, part, answer):
    setattr(smtp.handler, part, answer)
    dispatch_due_mail()
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == (MailStatus.FAILED, 1, answer)


def test_refused_for_now_is_tried_for_hours_with_a_capped_delay(notice, mentee, smtp, settings):
    """451 on every attempt: with the defaults (first retry after a minute,
    doubling, at most an hour apart, for 24 hours) the row is still pending
    after 20 attempts, never more than an hour apart, and failed once it has
    been tried for 24 hours."""
    smtp.handler.refuse.add(mentee.email)
    smtp.handler.refusal = "451 4.7.1 Greylisted, try again later"
    delays = []
    for _ in range(20):
        before = timezone.now()
        dispatch_due_mail()
        notice.refresh_from_db()
        assert notice.status == MailStatus.PENDING, notice.last_error
        delays.append(round((notice.due_at - before).total_seconds() / 60))
        again(notice)
    assert delays[:7] == [1, 2, 4, 8, 16, 32, 60] and set(delays[7:]) == {60}
    assert notice.last_error == "451 4.7.1 Greylisted, try again later"
    OutgoingMail.objects.filter(pk=notice.pk).update(first_attempt_at=timezone.now() - dt.timedelta(hours=24))
    dispatch_due_mail()
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (MailStatus.FAILED, 21)


def test_a_server_that_is_down_is_tried_again(notice, settings):
    use_smtp(settings, free_port())  # nothing listens there: connection refused
    for _ in range(8):
        dispatch_due_mail()
        again(notice)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (MailStatus.PENDING, 8)
    assert "ConnectionRefusedError" in notice.last_error


def test_no_e_mail_is_started_past_the_runs_time_budget(notice, mentorship, mentee):
    """Before, only half the lease stopped a batch: a batch claimed just
    before the budget ran out went on sending for up to half the lease, past
    the task's soft time limit."""
    rows = mail_claim_due(limit=10)
    counts = rows_deliver(rows, deadline=time.monotonic() - 1)
    assert counts["released"] == 1 and not mail.outbox
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (MailStatus.PENDING, 0)


def test_the_time_budget_and_one_e_mail_end_before_the_soft_time_limit():
    budget = django_settings.MENTORSKAP_DISPATCH_BUDGET_SECONDS
    one_mail = django_settings.MENTORSKAP_MAIL_SEND_SECONDS
    assert one_mail >= 8 * django_settings.EMAIL_TIMEOUT
    assert budget > 0 and budget + one_mail < django_settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert one_mail < django_settings.MENTORSKAP_MAIL_LEASE_SECONDS / 2
    call_command("check")


def test_settings_that_leave_no_time_to_send_do_not_start():
    env = {"EMAIL_TIMEOUT": "30", "CELERY_TASK_SOFT_TIME_LIMIT": "200", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "mentorskap.settings"},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "CELERY_TASK_SOFT_TIME_LIMIT" in done.stderr


def test_the_check_refuses_limits_overridden_into_a_duplicate(settings):
    settings.MENTORSKAP_MAIL_LEASE_SECONDS = 60  # one e-mail (8 x 15 s) is more than half of it
    settings.MENTORSKAP_DISPATCH_BUDGET_SECONDS = 200
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    assert "outbox.E001" in str(raised.value) and "outbox.E002" in str(raised.value)
