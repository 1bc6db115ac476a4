"""Invitations: people are invited to a pair, not self-registered."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from outbox.enqueue import dispatch_after_commit, mail_cancel_pending, mail_enqueue

from .mail_kinds import AccountMail
from .models import Invitation, User

# A pair (programs.models.Mentorship): accounts stands below programs and
# may not import it, not even for mypy (lint-imports counts that too).
Pair = Any


def is_registered(user: User) -> bool:
    """A person who has set a password or logged in needs no invitation."""
    return bool(user.is_registered)


def invitation_create(*, user: User, mentorship: Pair | None = None) -> Invitation:
    """A fresh one-time link for the user, sent through the outbox."""
    invitation = Invitation.objects.create(
        user=user,
        mentorship=mentorship,
        expires_at=timezone.now() + timedelta(days=settings.MENTORSKAP_INVITATION_DAYS),
    )
    mail_enqueue(
        recipient=user,
        kind=AccountMail.INVITATION,
        mentorship=mentorship,
        context={"invitation": str(invitation.public_id)},
    )
    dispatch_after_commit()  # people wait for this one: send now, not at the next tick
    return invitation


@transaction.atomic
def pair_invitations_withdraw(*, mentorship: Pair, people: Iterable[User]) -> None:
    """People taken off a pair (a mistyped address, someone else instead):
    their links to it stop working and their unsent mail about it is dropped,
    so nobody is told about a pair they are no longer part of."""
    Invitation.objects.filter(mentorship=mentorship, user__in=people, used_at__isnull=True).delete()
    mail_cancel_pending(mentorship=mentorship, recipients=people)


@transaction.atomic
def invitation_resend(*, mentorship: Pair) -> list[User]:
    """A new link for each party of the pair who has not yet set a password.

    Returns the people invited. Those already registered get nothing: they
    log in, or ask for a new password on the login page.
    """
    invited = []
    for user in (mentorship.mentee, mentorship.mentor):
        if user.is_active and not is_registered(user):
            invitation_create(user=user, mentorship=mentorship)
            invited.append(user)
    return invited


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User | None:
    """Use the link once: set the password and mark the invitation used.

    None if the link no longer works (see Invitation.is_usable)."""
    now = timezone.now()
    # The person's row is held until commit and read afresh: a password set
    # or a login that came first is seen here; one that comes later waits.
    user = User.objects.select_for_update().get(pk=invitation.user_id)
    if user.is_registered or not user.is_active:
        return None
    claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True, expires_at__gt=now).update(used_at=now)
    if claimed != 1:
        return None
    # The person's other open links (another pair, a resend) would otherwise
    # work as password-reset links for their remaining days.
    invitations_close(user=user, now=now)
    user.set_password(password)
    user.save(update_fields=["password"])
    _email_mark_verified(user)
    return user


def invitations_close(*, user: User, now: datetime | None = None) -> int:
    """Mark the person's open links used: they are in, by whichever way."""
    return Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=now or timezone.now())


def _email_mark_verified(user: User) -> None:
    """The link came by e-mail, so the address is proven: tell allauth."""
    EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "verified": True, "primary": True}
    )
