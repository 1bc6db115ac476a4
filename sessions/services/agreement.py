"""The agreement (Tillfälle 1): saved with optimistic locking, every version kept."""

from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from programs import permissions
from programs.figures import program_figures_changed
from programs.models import FocusArea, Mentorship
from programs.services import mentorship_activate, mentorship_lock

from .. import notifications
from ..models import Agreement, AgreementVersion, Meeting, MeetingStatus
from .booking import meeting_book


class AgreementConflict(Exception):
    """Someone saved the agreement after this person opened it."""

    def __init__(self, current: Agreement) -> None:
        super().__init__("agreement changed since it was opened")
        self.current = current


class AgreementIncomplete(Exception):
    """The agreement lacks what must be in it before it is confirmed, or
    before meeting 2 is booked from it."""

    def __init__(self, agreement: Agreement) -> None:
        super().__init__("agreement lacks " + ", ".join(agreement.missing_for_confirmation))
        self.agreement = agreement


def agreement_content(agreement: Agreement) -> dict[str, str]:
    return {field: getattr(agreement, field) for field in Agreement.TEXT_FIELDS}


@transaction.atomic
def agreement_save(
    *,
    mentorship: Mentorship,
    user: User,
    content: dict[str, str],
    base_version: int,
    focus_areas: Collection[FocusArea] | None = None,
    next_meeting: dict[str, Any] | None = None,
) -> Agreement:
    """Save the agreement the person started from `base_version`.

    A change after a confirmation clears both confirmations and tells the
    other party. `next_meeting` (starts_at, ends_at, location) books meeting 2.

    An incomplete agreement may be saved as a draft, but it does not make
    Tillfälle 1 held (the pair has not yet agreed on its frame, and the
    coordinator's counts would show a meeting that did not happen) and it
    cannot book meeting 2: the booking would become meeting 1
    (AgreementIncomplete, nothing saved).
    """
    agreement, _created = Agreement.objects.select_for_update().get_or_create(mentorship=mentorship)
    if agreement.version != base_version:
        raise AgreementConflict(agreement)
    if agreement.version == 0:
        # The journal starts with this save: hold the pair's row, as the admin
        # does before it changes the pair's people, so one waits for the other.
        # (Adding rows that refer to the pair does not: PostgreSQL checks
        # Django's foreign keys only at commit.)
        mentorship_lock(mentorship.pk)
    # The focus areas are part of what the pair agrees on: changing only
    # them is a change like any other (new version, confirmations cleared).
    focus_changed = focus_areas is not None and _focus_ids(mentorship) != {area.pk for area in focus_areas}
    if focus_changed:
        mentorship.focus_areas.set(focus_areas)  # type: ignore[arg-type]  # focus_changed: not None
    changed = agreement_content(agreement) != content or focus_changed or agreement.version == 0
    if changed:
        _apply_change(agreement, user, content, focus_names=_focus_names(mentorship))
    if next_meeting and not agreement.is_complete:
        raise AgreementIncomplete(agreement)
    if agreement.is_complete:
        _first_meeting_held(mentorship)
    mentorship_activate(mentorship)
    if next_meeting:
        meeting_book(mentorship=mentorship, changed_by=user, **next_meeting)
    return agreement


def _focus_ids(mentorship: Mentorship) -> set[int]:
    return set(mentorship.focus_areas.values_list("pk", flat=True))


def _focus_names(mentorship: Mentorship) -> list[str]:
    return sorted(mentorship.focus_areas.values_list("name", flat=True))


def _apply_change(agreement: Agreement, user: User, content: dict[str, str], *, focus_names: list[str]) -> None:
    was_confirmed = bool(agreement.mentee_confirmed_at or agreement.mentor_confirmed_at)
    for field, value in content.items():
        setattr(agreement, field, value)
    agreement.version += 1
    agreement.updated_by = user
    agreement.mentee_confirmed_at = agreement.mentor_confirmed_at = None
    # Nobody has confirmed this version yet: a stricter level holds now, a
    # more open one waits for both (programs.permissions has the rule).
    agreement.shared_confidentiality = permissions.confidentiality_in_force(
        in_force=agreement.shared_confidentiality, chosen=agreement.confidentiality, confirmed_by_both=False
    )
    agreement.save()
    AgreementVersion.objects.create(
        agreement=agreement,
        version=agreement.version,
        content={**content, "focus_areas": focus_names},
        saved_by=user,
    )
    if was_confirmed:
        notifications.agreement_changed_notify(agreement=agreement, changed_by=user)


def _first_meeting_held(mentorship: Mentorship) -> None:
    """Tillfälle 1 is where the agreement is made: it exists and is held."""
    first = Meeting.objects.filter(mentorship=mentorship, number=1).first()
    if first is None:
        Meeting.objects.create(mentorship=mentorship, number=1, status=MeetingStatus.HELD)
    elif first.status == MeetingStatus.BOOKED and (first.starts_at is None or first.starts_at <= timezone.now()):
        Meeting.objects.filter(pk=first.pk).update(status=MeetingStatus.HELD)
        program_figures_changed([mentorship.program_id])
    elif first.status == MeetingStatus.CANCELLED:
        # The booked time was cancelled, yet the pair met and made the
        # agreement: Tillfälle 1 took place, at a time nobody booked here.
        # It counts from now, as a meeting 1 created by this save would (the
        # booking nudge and the stall rule date an undated meeting by it).
        Meeting.objects.filter(pk=first.pk).update(
            status=MeetingStatus.HELD, starts_at=None, ends_at=None, created_at=timezone.now()
        )
        program_figures_changed([mentorship.program_id])


@transaction.atomic
def agreement_confirm(*, agreement: Agreement, user: User, version: int) -> Agreement:
    """ "Vi är överens": confirm the version the person has read.

    The row is held while it is checked and changed, so the second of two
    confirmations at once sees the first and puts the agreed level in force.
    """
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.version != version:
        raise AgreementConflict(locked)
    if not locked.is_complete:
        raise AgreementIncomplete(locked)
    field = "mentee_confirmed_at" if user.pk == agreement.mentorship.mentee_id else "mentor_confirmed_at"
    setattr(locked, field, timezone.now())
    locked.shared_confidentiality = permissions.confidentiality_in_force(
        in_force=locked.shared_confidentiality, chosen=locked.confidentiality, confirmed_by_both=locked.is_confirmed
    )
    # Not updated_at: a confirmation does not change the text.
    locked.save(update_fields=[field, "shared_confidentiality"])
    agreement.refresh_from_db()
    return agreement
