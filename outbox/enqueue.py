"""Writing e-mail: rows in the caller's transaction, cancelled while pending,
and a kick to the dispatcher once the transaction has committed.

A change that causes e-mail writes its rows here in its own transaction; the
dispatcher (outbox.dispatch) sends them. Nothing is lost when the broker is
down, and nothing is sent twice; the kick is published from a background
thread, so a broker that is down costs a request nothing.
"""

import atexit
import logging
import os
import threading
import time
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


class _Kicker:
    """Publishes the kicks of this process from one background thread.

    A web request only sets a flag and goes on: when the broker is down, the
    publish waits seconds for a connection, and no booking or note should
    wait with it. Kicks asked for while one is being published become one
    more, and after a failed publish the thread rests KICK_REST_SECONDS
    (the next beat tick sends the e-mail anyway, and kicks asked for then
    are sent after the rest). A forked process (gunicorn's workers) starts
    its own thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._wanted = threading.Event()
        self._idle = threading.Event()

    def kick(self) -> None:
        with self._lock:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._wanted, self._idle = threading.Event(), threading.Event()
                threading.Thread(
                    target=self._run, args=(self._wanted, self._idle), name="outbox-kick", daemon=True
                ).start()
            self._idle.clear()
            self._wanted.set()

    def forget_after_fork(self) -> None:
        """In a forked child: the parent's thread is not there, and its lock
        may have been held at the fork."""
        self._lock = threading.Lock()
        self._pid = None

    def wait_idle(self, timeout: float) -> bool:
        """True once every kick asked for has been published or given up."""
        with self._lock:
            idle = self._idle if self._pid == os.getpid() else None
        return idle is None or idle.wait(timeout)

    def _run(self, wanted: threading.Event, idle: threading.Event) -> None:
        while True:
            wanted.wait()
            wanted.clear()
            published = _dispatch_publish()
            with self._lock:
                if not wanted.is_set():
                    idle.set()
            if not published:
                time.sleep(KICK_REST_SECONDS)


KICK_REST_SECONDS = 10.0
# A short-lived process (a management command) waits this long at exit for
# its kick to go out, rather than dropping it with the daemon thread.
KICK_EXIT_WAIT_SECONDS = 2.0
_kicker = _Kicker()
atexit.register(_kicker.wait_idle, KICK_EXIT_WAIT_SECONDS)
os.register_at_fork(after_in_child=_kicker.forget_after_fork)


def _dispatch_kick() -> None:
    _kicker.kick()


def _dispatch_publish() -> bool:
    try:
        dispatch_due_mail_task.apply_async(retry=False)
    except Exception as exc:  # the broker is down: beat sends it later
        log.warning("outbox: could not kick the dispatcher (%r); the next scheduled run sends the e-mail", exc)
        return False
    return True
