"""Reading the outbox for other apps: which e-mail did not reach its person."""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery

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
