"""Celery tasks: thin, they call the services."""

from celery import shared_task

from outbox.enqueue import dispatch_after_commit

from .services import surveys_scan


@shared_task(name="surveys.scan_surveys")
def scan_surveys_task():
    written = surveys_scan()
    if any(written.values()):
        dispatch_after_commit()
    return written
