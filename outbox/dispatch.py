"""The dispatcher: sends the outbox's due e-mails, each exactly once.

A row is claimed under a lease (status "sending", lease_until) in a short
transaction: PostgreSQL's SELECT ... FOR UPDATE SKIP LOCKED lets any number
of dispatchers claim disjoint rows; elsewhere (SQLite) each row is claimed by
a conditional UPDATE that only one process can win. After sending, the row is
marked sent by a conditional UPDATE that names the claim, so a dispatcher
whose lease was taken over cannot overwrite the new owner's outcome.

A dispatcher that dies after claiming leaves its rows "sending"; once the
lease has run out they go back to pending and are sent by the next run. To
keep that from sending twice, a dispatcher never starts an e-mail when less
than half of its lease is left (an SMTP conversation is bounded by
MENTORSKAP_MAIL_SEND_SECONDS, below half the lease: outbox/checks.py), nor
after its run's time budget (MENTORSKAP_DISPATCH_BUDGET_SECONDS, derived from
the task's soft time limit so that the last e-mail ends before it). If the
limit strikes all the same, the e-mail under way is not counted as failed:
the relay may have taken it. Its row waits for its lease like a dead
dispatcher's, and every attempt of a row carries the same Message-ID
(outbox.render), so mail systems drop a repeat.

Before sending, everything is checked again against the database as it is
now: the recipient, their preferences, and whatever the row's kind checks
(outbox.kinds). An e-mail that no longer applies is cancelled or expired. A
failing send is retried with a growing delay for hours, or failed at once
when the server refused it for good (outbox.failures); a failed row stays for
the admin, and the coordinator of the pair, to see.
"""

import logging
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import failures
from .kinds import Skip, kind_of, relations
from .models import MailStatus, NotificationPreferences, OutgoingMail
from .render import mail_render

log = logging.getLogger(__name__)

BATCH_SIZE = 50


def lease_length() -> timedelta:
    return timedelta(seconds=settings.MENTORSKAP_MAIL_LEASE_SECONDS)


def dispatch_due_mail(*, batch_size: int = BATCH_SIZE, time_budget: float | None = None) -> Counter[str]:
    """One run: recover expired leases, then claim and send due rows in
    batches until none are due or the time budget is spent. Returns counts."""
    counts: Counter[str] = Counter(recovered=leases_recover())
    budget = settings.MENTORSKAP_DISPATCH_BUDGET_SECONDS if time_budget is None else time_budget
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        rows = mail_claim_due(limit=batch_size)
        if not rows:
            break
        counts.update(rows_deliver(rows, deadline=deadline))
    return counts


def leases_recover() -> int:
    """Rows whose dispatcher died: back to pending after a delay, or failed
    when they have used their attempts."""
    now = timezone.now()
    stuck = OutgoingMail.objects.filter(status=MailStatus.SENDING, lease_until__lt=now)
    recovered = 0
    fields = ("pk", "attempts", "lease_until", "first_attempt_at")
    for pk, attempts, lease_until, first_attempt_at in stuck.values_list(*fields)[:1000]:
        claim = OutgoingMail.objects.filter(pk=pk, status=MailStatus.SENDING, lease_until=lease_until)
        error = "The dispatcher stopped before sending."
        outcome = failures.after_failure(attempts=attempts, first_attempt_at=first_attempt_at, now=now, error=error)
        recovered += claim.update(lease_until=None, **outcome)
    if recovered:
        log.warning("outbox: %s e-mail(s) recovered from an expired lease", recovered)
    return recovered


def mail_claim_due(*, limit: int) -> list[OutgoingMail]:
    """Claim up to `limit` due rows for this dispatcher; returns them loaded."""
    now = timezone.now()
    lease_until = now + lease_length()
    due = OutgoingMail.objects.filter(status=MailStatus.PENDING, due_at__lte=now).order_by("due_at", "pk")
    claimed = OutgoingMail.objects.filter(status=MailStatus.PENDING)
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            # Rows another dispatcher has locked are skipped, not waited for.
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            claimed.filter(pk__in=ids).update(**_claim_fields(lease_until))
        else:
            ids = [
                pk
                for pk in due.values_list("pk", flat=True)[:limit]
                if claimed.filter(pk=pk).update(**_claim_fields(lease_until)) == 1
            ]
    return _rows_load(ids)


def rows_deliver(rows: list[OutgoingMail], *, deadline: float | None = None) -> Counter[str]:
    """Send claimed rows over one SMTP connection; returns counts by outcome.
    No e-mail is started past `deadline` (time.monotonic()) or half the lease."""
    counts: Counter[str] = Counter()
    prefs = {p.user_id: p for p in NotificationPreferences.objects.filter(user_id__in={r.recipient_id for r in rows})}
    smtp = mail.get_connection()
    index = 0
    try:
        for index, row in enumerate(rows):
            out_of_time = deadline is not None and time.monotonic() >= deadline
            # A claimed row always has a lease: the claim set it.
            if out_of_time or timezone.now() > row.lease_until - lease_length() / 2:  # type: ignore[operator]
                counts["released"] += _release(rows[index:])
                break
            counts[_deliver(row, smtp=smtp, prefs=prefs)] += 1
    except BaseException:
        # The soft time limit (or a shutdown) struck during rows[index]: the
        # rows after it were never started and go back now; that one keeps
        # its lease, since the relay may already have it.
        _release(rows[index + 1 :])
        raise
    finally:
        smtp.close()
    return counts


def _deliver(row: OutgoingMail, *, smtp: BaseEmailBackend, prefs: dict[int, NotificationPreferences]) -> str:
    now = timezone.now()
    # An e-mail to an address without an account (allauth's) has all on.
    person_prefs = (prefs.get(row.recipient_id) if row.recipient_id is not None else None) or NotificationPreferences(
        user_id=row.recipient_id or 0
    )
    skip = skip_reason(row, now=now, prefs=person_prefs)
    if skip is not None:
        status, reason = skip
        _finish(row, status=status, last_error=reason)
        return status
    try:
        message = mail_render(row)
        # Opened here, the session stays open for the batch: send() alone
        # would open and close one per e-mail. After a failure it reopens.
        smtp.open()
        message.connection = smtp
        message.send()
    except SoftTimeLimitExceeded:
        # Not a failure of the e-mail (see the module's docstring); and not
        # caught below, being an Exception. KeyboardInterrupt and SystemExit
        # pass through on their own.
        raise
    except Exception as exc:  # the relay refused it, or could not be reached
        log.warning("outbox: e-mail %s failed (attempt %s): %r", row.pk, row.attempts, exc)
        smtp.close()  # a broken SMTP session must not fail the rows after this one
        outcome = failures.after_failure(
            attempts=row.attempts,
            first_attempt_at=row.first_attempt_at,
            now=now,
            error=failures.describe(exc),
            permanent=failures.is_permanent(exc),
        )
        _finish(row, **outcome)
        return "retried" if outcome["status"] == MailStatus.PENDING else MailStatus.FAILED
    _finish(row, status=MailStatus.SENT, sent_at=timezone.now(), last_error="")
    return MailStatus.SENT


def skip_reason(row: OutgoingMail, *, now: datetime, prefs: NotificationPreferences) -> Skip:
    """Why the row must not be sent now, as (status, reason); None to send.
    The recipient first, then what the kind checks, then the person's choices."""
    if row.recipient is None and not row.to_address:
        return MailStatus.CANCELLED, "The e-mail has no recipient."
    if row.recipient is not None and (not row.recipient.is_active or not row.address):
        return MailStatus.CANCELLED, "The recipient is deactivated."
    kind = kind_of(row.kind)
    for check in kind.checks:
        skip = check(row, now)
        if skip is not None:
            return skip
    if not prefs.allows(kind.group):
        return MailStatus.CANCELLED, "The recipient has turned this kind of e-mail off."
    return None


def _claim_fields(lease_until: datetime) -> dict:
    first_attempt_at = Coalesce(F("first_attempt_at"), Value(timezone.now(), output_field=DateTimeField()))
    return {
        "status": MailStatus.SENDING,
        "lease_until": lease_until,
        "attempts": F("attempts") + 1,
        "first_attempt_at": first_attempt_at,
    }


def _rows_load(ids: list[int]) -> list[OutgoingMail]:
    if not ids:
        return []
    rows = OutgoingMail.objects.filter(pk__in=ids).select_related("recipient", *relations())
    return list(rows.order_by("due_at", "pk"))


def _finish(row: OutgoingMail, **fields: Any) -> int:
    """Record the outcome, only if the row is still ours (same claim)."""
    mine = OutgoingMail.objects.filter(
        pk=row.pk, status=MailStatus.SENDING, attempts=row.attempts, lease_until=row.lease_until
    )
    return mine.update(lease_until=None, **fields)


def _release(rows: list[OutgoingMail]) -> int:
    """Give back rows this dispatcher will not get to, without using an attempt."""
    released = 0
    for row in rows:
        released += _finish(row, status=MailStatus.PENDING, attempts=F("attempts") - 1)
    return released
