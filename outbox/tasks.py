"""The dispatcher's Celery task: beat runs it at a fixed interval, and a
commit that wrote e-mail kicks it to run sooner.

Nothing here carries an e-mail or a due time: the outbox table is the queue.
If the broker is down the kick is lost and the next beat tick sends the
e-mail all the same.
"""

from celery import shared_task

from .dispatch import dispatch_due_mail
from .heartbeat import heartbeat_record
from .secrets import mail_secrets_clear


@shared_task(name="outbox.dispatch_due_mail")
def dispatch_due_mail_task() -> dict[str, int]:
    counts = dispatch_due_mail()
    # Right after the run: a code that went out is not kept a minute longer.
    counts["secrets_cleared"] = mail_secrets_clear()
    return {str(k): v for k, v in counts.items()}


@shared_task(name="outbox.beat_heartbeat")
def beat_heartbeat_task() -> None:
    """Beat sends this at the dispatch interval: /readyz checks it was seen lately."""
    heartbeat_record()
