"""The scheduler's heartbeat: proof for /readyz that beat (or cron) still runs.

Beat sends `outbox.beat_heartbeat` at the dispatch interval and a worker
records the time; `send_due_mail` records it too, for those who run cron
instead of beat. It lives in the outbox because the outbox is what the
scheduler is for: without it no e-mail goes out.
"""

from datetime import datetime

from django.utils import timezone

from .models import Heartbeat

BEAT = "beat"


def heartbeat_record(name: str = BEAT) -> None:
    """Note that `name` is alive now: one upsert, safe from any number of processes."""
    Heartbeat.objects.bulk_create(
        [Heartbeat(name=name, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["seen_at"],
    )


def heartbeat_seen_at(name: str = BEAT) -> datetime | None:
    """When `name` was last seen, or None if never."""
    return Heartbeat.objects.filter(name=name).values_list("seen_at", flat=True).first()
