"""The outbox: the one way an e-mail leaves the application.

A change that causes e-mail writes rows here in its own transaction; the
dispatcher (sessions.dispatch) sends them. Nothing is lost when the broker
is down, and nothing is sent twice.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import MailStatus, OutgoingMail


def mail_enqueue(*, recipient, kind, due_at=None, mentorship=None, meeting=None, context=None, dedupe_key=None):
    """Write one outgoing e-mail. With a dedupe_key, at most one row ever exists
    for that key: the second call returns None instead of a new row."""
    row = OutgoingMail(
        recipient=recipient,
        kind=kind,
        due_at=due_at or timezone.now(),
        mentorship=mentorship,
        meeting=meeting,
        meeting_sequence=meeting.sequence if meeting is not None else None,
        context=context or {},
        dedupe_key=dedupe_key,
    )
    if dedupe_key is None:
        row.save()
        return row
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return None
    return row


def meeting_mail_cancel_pending(*, meeting, kinds=None):
    """Cancel the meeting's e-mails that have not gone out yet."""
    rows = OutgoingMail.objects.filter(meeting=meeting, status=MailStatus.PENDING)
    if kinds is not None:
        rows = rows.filter(kind__in=kinds)
    return rows.update(status=MailStatus.CANCELLED)
