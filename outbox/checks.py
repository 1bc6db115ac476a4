"""Start-up checks of the outbox's time limits (`manage.py check`).

settings.py refuses to start when the soft time limit leaves no budget; this
also checks the relations that settings overridden later could break."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def mail_time_limits(app_configs: Any, **kwargs: Any) -> list[Error]:
    send = settings.MENTORSKAP_MAIL_SEND_SECONDS
    errors = []
    if settings.MENTORSKAP_DISPATCH_BUDGET_SECONDS + send >= settings.CELERY_TASK_SOFT_TIME_LIMIT:
        errors.append(
            Error(
                "The outbox's time budget plus one e-mail reaches the task's soft time limit: "
                "an e-mail interrupted after the relay took it would be sent again.",
                hint="Lower MENTORSKAP_DISPATCH_BUDGET_SECONDS or EMAIL_TIMEOUT, or raise CELERY_TASK_SOFT_TIME_LIMIT.",
                id="outbox.E001",
            )
        )
    if send >= settings.MENTORSKAP_MAIL_LEASE_SECONDS / 2:
        errors.append(
            Error(
                "One e-mail (8 x EMAIL_TIMEOUT) may take half the outbox's lease or more: "
                "a row could be taken over and sent twice while it is still being sent.",
                hint="Raise MENTORSKAP_MAIL_LEASE_SECONDS or lower EMAIL_TIMEOUT.",
                id="outbox.E002",
            )
        )
    return errors
