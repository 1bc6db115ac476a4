"""Invitations: people are invited to a pair, not self-registered."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sessions.models import MailKind
from sessions.outbox import mail_enqueue

from .models import Invitation


def is_registered(user):
    """A person who has set a password or logged in needs no invitation."""
    return user.has_usable_password() or user.last_login is not None


def invitation_create(*, user, mentorship=None):
    """A fresh one-time link for the user, sent through the outbox."""
    invitation = Invitation.objects.create(
        user=user,
        mentorship=mentorship,
        expires_at=timezone.now() + timedelta(days=settings.MENTORSKAP_INVITATION_DAYS),
    )
    mail_enqueue(
        recipient=user,
        kind=MailKind.INVITATION,
        mentorship=mentorship,
        context={"invitation": str(invitation.public_id)},
    )
    return invitation


@transaction.atomic
def pair_invitations_send(*, mentorship):
    """Invite each new person of a pair; tell those already registered."""
    for user in (mentorship.mentee, mentorship.mentor):
        if is_registered(user):
            mail_enqueue(recipient=user, kind=MailKind.PAIR_NOTICE, mentorship=mentorship)
        else:
            invitation_create(user=user, mentorship=mentorship)


@transaction.atomic
def invitation_accept(*, invitation, password):
    """Use the link once: set the password and mark the invitation used."""
    claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now())
    if claimed != 1:
        return None
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
