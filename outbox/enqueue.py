"""Writing e-mail: rows in the caller's transaction, cancelled while pending,
and a kick to the dispatcher once the transaction has committed.

A change that causes e-mail writes its rows here in its own transaction; the
dispatcher (outbox.dispatch) sends them. Nothing is lost when the broker is
down, and nothing is sent twice.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from mentorskap.transactions import on_commit_once

from .models import MailStatus, OutgoingMail
from .tasks import dispatch_due_mail_task

log = logging.getLogger(__name__)

T = TypeVar("T")


def mail_enqueue(
    *,
    recipient: Any,
    kind: str,
    to_address: str = "",
    due_at: datetime | None = None,
    mentorship: Any = None,
    meeting: Any = None,
    context: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    secrets: dict[str, Any] | None = None,
) -> OutgoingMail | None:
    """Write one outgoing e-mail. With a dedupe_key, at most one row ever exists
    for that key: the second call returns None instead of a new row.
    `recipient` may be None when `to_address` names where it goes."""
    row = OutgoingMail(
        recipient=recipient,
        to_address=to_address,
        kind=str(kind),
        due_at=due_at or timezone.now(),
        mentorship=mentorship,
        meeting=meeting,
        meeting_sequence=meeting.sequence if meeting is not None else None,
        context=context or {},
        dedupe_key=dedupe_key,
        secrets=secrets or None,
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


def mail_enqueue_new(candidates: list[tuple[str, T]], enqueue: Callable[[str, T], OutgoingMail | None]) -> int:
    """Write those of the (dedupe key, item) candidates whose key has no row
    yet; returns how many were written. Looking the keys up first keeps a scan
    that finds nothing new at one query, however often it runs; the unique key
    still guards against two scans racing."""
    if not candidates:
        return 0
    existing = set(
        OutgoingMail.objects.filter(dedupe_key__in=[key for key, _item in candidates]).values_list(
            "dedupe_key", flat=True
        )
    )
    written = 0
    for key, item in candidates:
        if key not in existing and enqueue(key, item) is not None:
            written += 1
    return written


def pending_mail(
    *,
    meeting: Any = None,
    mentorship: Any = None,
    recipients: Iterable[Any] | None = None,
    kinds: Iterable[str] | None = None,
) -> QuerySet[OutgoingMail]:
    """The rows not yet sent about a meeting or a pair, to some people, of some kinds."""
    rows = OutgoingMail.objects.filter(status=MailStatus.PENDING)
    if meeting is not None:
        rows = rows.filter(meeting=meeting)
    if mentorship is not None:
        rows = rows.filter(mentorship=mentorship)
    if recipients is not None:
        rows = rows.filter(recipient__in=recipients)
    if kinds is not None:
        rows = rows.filter(kind__in=[str(kind) for kind in kinds])
    return rows


def mail_cancel_pending(**filters: Any) -> int:
    """Cancel the e-mails that have not gone out yet (see `pending_mail`)."""
    return pending_mail(**filters).update(status=MailStatus.CANCELLED)


def dispatch_after_commit() -> None:
    """Ask a worker to run the dispatcher once the caller's transaction has
    committed: before that, the worker could not see the new rows. One kick
    per transaction: a run sends every due row."""
    on_commit_once(_dispatch_kick)


def _dispatch_kick() -> None:
    try:
        # No retries: a web request must not hang on a broker that is down.
        dispatch_due_mail_task.apply_async(retry=False)
    except Exception as exc:  # the broker is down: beat sends it later
        log.warning("outbox: could not kick the dispatcher (%r); the next scheduled run sends the e-mail", exc)
