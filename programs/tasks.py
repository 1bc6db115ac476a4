"""Celery tasks: thin, they take ids (or nothing) and call the services."""

from celery import shared_task
from django.utils import timezone

from outbox.enqueue import dispatch_after_commit

from .background_checks import background_check_notices_enqueue


@shared_task(name="programs.background_check_notices")
def background_check_notices_task():
    """Coordinators told of extracts that expire within 30 days: idempotent,
    so two beats or a rerun write nothing twice."""
    written = background_check_notices_enqueue(now=timezone.now())
    if written:
        dispatch_after_commit()
    return written
