"""The invitation e-mail: a one-time link to choose a password."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from outbox import kinds
from outbox.models import MailStatus, OutgoingMail
from outbox.render import page_url

from .models import Invitation


class AccountMail(models.TextChoices):
    INVITATION = "invitation", _("Invitation")


def invitation_of(row: OutgoingMail) -> Invitation | None:
    """The invitation an invitation e-mail is about, or None; read once per
    row and kept on it, as the dispatcher's check and the rendering both
    need it."""
    if not hasattr(row, "_invitation"):
        row._invitation = (
            Invitation.objects.select_related("user", "mentorship__program", "mentorship__mentor", "mentorship__mentee")
            .filter(public_id=row.context.get("invitation"))
            .first()
        )
    return row._invitation


def _invitation_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    invitation = invitation_of(row)
    mentorship = invitation.mentorship if invitation else row.mentorship
    extra = {
        "invitation": invitation,
        "accept_url": page_url("invitation_accept", row.context.get("invitation")),
        "expires_days": settings.MENTORSKAP_INVITATION_DAYS,
        "expires_at": invitation.expires_at if invitation else None,
        "mentorship": mentorship,
        "program": mentorship.program if mentorship else None,
        "other": mentorship.other_party(row.recipient) if mentorship else None,
        "role": mentorship.role_of(row.recipient) if mentorship else None,
    }
    if mentorship is not None:
        extra["object_url"] = page_url("mentorship_detail", mentorship.public_id)
    return extra


def _pair_ended(row: OutgoingMail, now: datetime) -> kinds.Skip:
    # The pair's own rule (programs.mail_kinds.pair_ended) sits above this app.
    if row.mentorship is not None and row.mentorship.is_closed:
        return MailStatus.CANCELLED, "The mentorship has ended."
    return None


def _invitation_usable(row: OutgoingMail, now: datetime) -> kinds.Skip:
    invitation = invitation_of(row)
    if invitation is None or not invitation.is_usable:
        return MailStatus.CANCELLED, "The invitation has been used or has expired."
    return None


kinds.register(
    AccountMail.INVITATION,
    context=_invitation_context,
    checks=(_pair_ended, _invitation_usable),
    relations=("mentorship__program", "mentorship__mentor", "mentorship__mentee"),
)
