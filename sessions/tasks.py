"""Celery tasks: thin, they take ids (or nothing) and call the services.

Nothing here carries an e-mail or a due time: the outbox table is the queue,
and beat runs the dispatcher at a fixed interval. A kick after a commit only
makes it run sooner; if the broker is down the kick is lost and the next beat
tick sends the e-mail all the same.
"""

import logging

from celery import shared_task
from django.db import transaction

from .dispatch import dispatch_due_mail, mail_deliver_one
from .nudges import nudges_scan

log = logging.getLogger(__name__)


@shared_task(name="mentoring_sessions.dispatch_due_mail")
def dispatch_due_mail_task():
    return {str(k): v for k, v in dispatch_due_mail().items()}


@shared_task(name="mentoring_sessions.scan_nudges")
def scan_nudges_task():
    written = nudges_scan()
    if any(written.values()):
        dispatch_after_commit()
    return written


@shared_task(name="mentoring_sessions.deliver_mail")
def deliver_mail_task(mail_id):
    counts = mail_deliver_one(mail_id=mail_id)
    return {str(k): v for k, v in (counts or {}).items()}


def dispatch_after_commit():
    """Ask a worker to run the dispatcher once the caller's transaction has
    committed: before that, the worker could not see the new rows.

    One kick per transaction: a run sends every due row, so an import of
    2,000 pairs needs one, not 4,000. A kick registered in a savepoint that
    is rolled back is dropped by Django, and the next call registers again."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is _dispatch_kick for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_dispatch_kick)


def _dispatch_kick():
    try:
        # No retries: a web request must not hang on a broker that is down.
        dispatch_due_mail_task.apply_async(retry=False)
    except Exception as exc:  # the broker is down: beat sends it later
        log.warning("outbox: could not kick the dispatcher (%r); the next scheduled run sends the e-mail", exc)
