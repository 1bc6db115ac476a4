"""Celery tasks: thin, they call the services."""

from celery import shared_task

from .services import retention_apply


@shared_task(name="privacy.apply_retention")
def apply_retention_task():
    return [{"program": plan.program.pk, "pairs": len(plan.pairs)} for plan in retention_apply()]
