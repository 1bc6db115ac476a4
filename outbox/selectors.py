"""Reading the outbox for other apps: which e-mail did not reach its person,
and whether the dispatcher keeps up."""

from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .models import MailStatus, OutgoingMail


def mail_bounced(*, mentorship: Any, recipient: Any) -> QuerySet[OutgoingMail]:
    """The failed e-mails about a pair to one person, newest first, that no
    later e-mail to them has reached since (then their address works again).
    The arguments may be OuterRef()s, for an annotation of a list."""
    reached_later = OutgoingMail.objects.filter(
        recipient=OuterRef("recipient"), status=MailStatus.SENT, created_at__gt=OuterRef("created_at")
    )
    return (
        OutgoingMail.objects.filter(mentorship=mentorship, recipient=recipient, status=MailStatus.FAILED)
        .exclude(Exists(reached_later))
        .order_by("-created_at", "-pk")
    )


def mail_bounce_answer(*, mentorship: Any, recipient: Any) -> Subquery:
    """The server's answer to the newest bounced e-mail (see mail_bounced), as
    a subquery for an annotation; None when nothing bounced."""
    return Subquery(mail_bounced(mentorship=mentorship, recipient=recipient).values("last_error")[:1])


def mail_late_exists(*, late_by: timedelta) -> bool:
    """Whether any e-mail is more than `late_by` past its due time and not
    out: pending, or claimed by a dispatcher whose lease ran out that long ago
    (its worker died and nobody recovered the row). A temporary failure moves
    the row's due time ahead, so an e-mail waiting for its retry is not late.
    Both conditions are served by the outbox's partial indexes."""
    cutoff = timezone.now() - late_by
    late = Q(status=MailStatus.PENDING, due_at__lt=cutoff) | Q(status=MailStatus.SENDING, lease_until__lt=cutoff)
    return OutgoingMail.objects.filter(late).exists()
