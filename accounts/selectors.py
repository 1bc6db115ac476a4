"""Reads about people's accounts: how far each person has come in."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Invitation, User


class InvitationState(models.TextChoices):
    """Where a person stands, as a coordinator sees it on a pair."""

    INVITED = "invited", _("Invited, has not accepted")
    EXPIRED = "expired", _("Invitation link expired")
    NOT_INVITED = "not_invited", _("Not invited")
    REGISTERED = "registered", _("Has chosen a password, not logged in yet")
    LOGGED_IN = "logged_in", _("Has logged in")
    INACTIVE = "inactive", _("Account deactivated")

    @property
    def needs_invitation(self) -> bool:
        """A new link would help: the person is active and has no password."""
        return self in (type(self).INVITED, type(self).EXPIRED, type(self).NOT_INVITED)


def invitation_state(user: User, invitations: Sequence[Invitation], *, now: datetime | None = None) -> InvitationState:
    """The one rule for where `user` stands, given their `invitations` (all of
    them, any order). It agrees with Invitation.is_usable: "invited" means a
    link of theirs would work now."""
    if not user.is_active:
        return InvitationState.INACTIVE
    if user.last_login is not None:
        return InvitationState.LOGGED_IN
    if user.is_registered:
        return InvitationState.REGISTERED
    if any(invitation.is_open(now=now) for invitation in invitations):
        return InvitationState.INVITED
    return InvitationState.EXPIRED if invitations else InvitationState.NOT_INVITED


def invitation_states(people: Iterable[User], *, now: datetime | None = None) -> dict[int, InvitationState]:
    """{user id: InvitationState} for `people`, in one query however many."""
    users = {user.pk: user for user in people}
    if not users:
        return {}
    by_user: dict[int, list[Invitation]] = {pk: [] for pk in users}
    for invitation in Invitation.objects.filter(user_id__in=users).only("user_id", "used_at", "expires_at"):
        by_user[invitation.user_id].append(invitation)
    return {pk: invitation_state(user, by_user[pk], now=now) for pk, user in users.items()}


def not_registered(prefix: str = "") -> models.Q:
    """The people, as a filter (with `prefix` from the model queried), who
    have not come in yet: active, never logged in and without a password of
    their own (Django marks an unusable password with a leading "!"). The
    SQL twin of `invitation_state` being invited, expired or not invited."""
    return models.Q(
        **{f"{prefix}is_active": True, f"{prefix}last_login__isnull": True, f"{prefix}password__startswith": "!"}
    )


def ever_invited(person: str = "pk") -> models.Exists:
    """Whether the person in the queried row's column `person` ("pk" for
    people, "mentee" on pairs) was ever sent an invitation link, used or
    not: with `not_registered`, it tells invited or expired (who has a link
    to answer) from not invited (who needs a first one)."""
    return models.Exists(Invitation.objects.filter(user=models.OuterRef(person)))
