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
EMAIL_TIMEOUT, far below half the lease).

Before sending, everything is checked again against the database as it is
now: the meeting's sequence and status, the mentorship, the recipient, their
preferences. An e-mail that no longer applies is cancelled, a reminder whose
meeting has started is expired. A failing send is retried with a growing
delay, and after the set number of attempts the row is failed and stays for
the admin to see.
"""

import logging
import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .mail_render import invitation_of, mail_render
from .models import MailKind, MailStatus, MeetingStatus, NotificationPreferences, OutgoingMail
from .nudges import nudge_still_applies
from .preferences import mail_kind_allowed

log = logging.getLogger(__name__)

BATCH_SIZE = 50
# Stop claiming new batches after this long: the task's soft time limit is longer.
TIME_BUDGET_SECONDS = 120
MAX_BACKOFF = timedelta(hours=6)
MEETING_KINDS_ENDING_WITH_MEETING = (MailKind.MEETING_BOOKED, MailKind.MEETING_MOVED, MailKind.MEETING_CANCELLED)
DEFAULT_MEETING_LENGTH = timedelta(hours=1)

ROW_RELATIONS = (
    "recipient",
    "mentorship__program",
    "mentorship__mentor",
    "mentorship__mentee",
    "meeting__mentorship__program",
    "meeting__mentorship__mentor",
    "meeting__mentorship__mentee",
)


def lease_length():
    return timedelta(seconds=settings.MENTORSKAP_MAIL_LEASE_SECONDS)


def dispatch_due_mail(*, batch_size=BATCH_SIZE, time_budget=TIME_BUDGET_SECONDS):
    """One run: recover expired leases, then claim and send due rows in
    batches until none are due or the time budget is spent. Returns counts."""
    counts = Counter(recovered=leases_recover())
    deadline = time.monotonic() + time_budget
    while time.monotonic() < deadline:
        rows = mail_claim_due(limit=batch_size)
        if not rows:
            break
        counts.update(rows_deliver(rows))
    return counts


def leases_recover():
    """Rows whose dispatcher died: back to pending after a delay, or failed
    when they have used their attempts."""
    now = timezone.now()
    stuck = OutgoingMail.objects.filter(status=MailStatus.SENDING, lease_until__lt=now)
    recovered = 0
    for pk, attempts, lease_until in stuck.values_list("pk", "attempts", "lease_until")[:1000]:
        claim = OutgoingMail.objects.filter(pk=pk, status=MailStatus.SENDING, lease_until=lease_until)
        outcome = _after_failure(attempts, now, "The dispatcher stopped before sending.")
        recovered += claim.update(lease_until=None, **outcome)
    if recovered:
        log.warning("outbox: %s e-mail(s) recovered from an expired lease", recovered)
    return recovered


def mail_claim_due(*, limit):
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


def mail_deliver_one(*, mail_id):
    """Send one row now if it is pending and due: for a task that names a row.
    Running it twice, or beside the dispatcher, still sends once."""
    now = timezone.now()
    lease_until = now + lease_length()
    claimed = OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.PENDING, due_at__lte=now)
    if claimed.update(**_claim_fields(lease_until)) != 1:
        return None
    return rows_deliver(_rows_load([mail_id]))


def rows_deliver(rows):
    """Send claimed rows over one SMTP connection; returns counts by outcome."""
    counts = Counter()
    prefs = {p.user_id: p for p in NotificationPreferences.objects.filter(user_id__in={r.recipient_id for r in rows})}
    smtp = mail.get_connection()
    try:
        for index, row in enumerate(rows):
            if timezone.now() > row.lease_until - lease_length() / 2:
                counts["released"] += _release(rows[index:])
                break
            counts[_deliver(row, smtp=smtp, prefs=prefs)] += 1
    finally:
        smtp.close()
    return counts


def _deliver(row, *, smtp, prefs):
    now = timezone.now()
    person_prefs = prefs.get(row.recipient_id) or NotificationPreferences(user_id=row.recipient_id)
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
    except Exception as exc:  # any failure: retry later, then give up
        log.warning("outbox: e-mail %s failed (attempt %s): %r", row.pk, row.attempts, exc)
        smtp.close()  # a broken SMTP session must not fail the rows after this one
        _finish(row, **_after_failure(row.attempts, now, repr(exc)))
        return "retried" if row.attempts < settings.MENTORSKAP_MAIL_MAX_ATTEMPTS else MailStatus.FAILED
    _finish(row, status=MailStatus.SENT, sent_at=timezone.now(), last_error="")
    return MailStatus.SENT


def skip_reason(row, *, now, prefs):
    """Why the row must not be sent now, as (status, reason); None to send."""
    if not row.recipient.is_active or not row.recipient.email:
        return MailStatus.CANCELLED, "The recipient is deactivated."
    mentorship = row.mentorship or (row.meeting.mentorship if row.meeting_id else None)
    if mentorship is not None and mentorship.is_closed:
        return MailStatus.CANCELLED, "The mentorship has ended."
    if row.meeting_id is not None:
        reason = _meeting_skip_reason(row, now=now)
        if reason is not None:
            return reason
    if not mail_kind_allowed(kind=row.kind, prefs=prefs):
        return MailStatus.CANCELLED, "The recipient has turned this kind of e-mail off."
    if row.kind == MailKind.INVITATION and not _invitation_usable(row):
        return MailStatus.CANCELLED, "The invitation has been used or has expired."
    if not nudge_still_applies(row, now=now):
        return MailStatus.CANCELLED, "The reason for the nudge has gone away."
    return None


def _meeting_skip_reason(row, *, now):
    meeting = row.meeting
    if row.meeting_sequence is not None and meeting.sequence != row.meeting_sequence:
        return MailStatus.CANCELLED, "The meeting has changed since this e-mail was written."
    if row.kind == MailKind.MEETING_REMINDER:
        if meeting.status != MeetingStatus.BOOKED:
            return MailStatus.CANCELLED, "The meeting is no longer booked."
        if meeting.starts_at is None or meeting.starts_at <= now:
            return MailStatus.EXPIRED, "The meeting had started before the reminder could be sent."
    if row.kind in MEETING_KINDS_ENDING_WITH_MEETING and meeting.starts_at is not None:
        ends_at = meeting.ends_at or meeting.starts_at + DEFAULT_MEETING_LENGTH
        if ends_at <= now:
            return MailStatus.EXPIRED, "The meeting was over before the e-mail could be sent."
    return None


def _invitation_usable(row):
    invitation = invitation_of(row)
    return invitation is not None and invitation.is_usable


def _claim_fields(lease_until):
    return {"status": MailStatus.SENDING, "lease_until": lease_until, "attempts": F("attempts") + 1}


def _rows_load(ids):
    if not ids:
        return []
    return list(OutgoingMail.objects.filter(pk__in=ids).select_related(*ROW_RELATIONS).order_by("due_at", "pk"))


def _finish(row, **fields):
    """Record the outcome, only if the row is still ours (same claim)."""
    mine = OutgoingMail.objects.filter(
        pk=row.pk, status=MailStatus.SENDING, attempts=row.attempts, lease_until=row.lease_until
    )
    return mine.update(lease_until=None, **fields)


def _after_failure(attempts, now, error):
    if attempts >= settings.MENTORSKAP_MAIL_MAX_ATTEMPTS:
        return {"status": MailStatus.FAILED, "last_error": error[:2000]}
    delay = min(timedelta(seconds=settings.MENTORSKAP_MAIL_RETRY_SECONDS) * 2 ** max(attempts - 1, 0), MAX_BACKOFF)
    return {"status": MailStatus.PENDING, "due_at": now + delay, "last_error": error[:2000]}


def _release(rows):
    """Give back rows this dispatcher will not get to, without using an attempt."""
    released = 0
    for row in rows:
        released += _finish(row, status=MailStatus.PENDING, attempts=F("attempts") - 1)
    return released
