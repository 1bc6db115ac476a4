"""Celery tasks: thin, they take ids (or nothing) and call the services."""

from celery import shared_task

from outbox.enqueue import dispatch_after_commit

from .nudges import nudges_scan


@shared_task(name="mentoring_sessions.scan_nudges")
def scan_nudges_task():
    written = nudges_scan()
    if any(written.values()):
        dispatch_after_commit()
    return written
