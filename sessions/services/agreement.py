"""The agreement (Tillfälle 1): saved with optimistic locking, every version kept."""

from django.db import transaction
from django.utils import timezone

from programs.services import mentorship_activate, mentorship_lock

from .. import notifications
from ..models import Agreement, AgreementVersion, Meeting, MeetingStatus
from .booking import meeting_book


class AgreementConflict(Exception):
    """Someone saved the agreement after this person opened it."""

    def __init__(self, current):
        super().__init__("agreement changed since it was opened")
        self.current = current


def agreement_content(agreement):
    return {field: getattr(agreement, field) for field in Agreement.TEXT_FIELDS}


@transaction.atomic
def agreement_save(*, mentorship, user, content, base_version, focus_areas=None, next_meeting=None):
    """Save the agreement the person started from `base_version`.

    A change after a confirmation clears both confirmations and tells the
    other party. `next_meeting` (starts_at, ends_at, location) books meeting 2.
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
        mentorship.focus_areas.set(focus_areas)
    changed = agreement_content(agreement) != content or focus_changed or agreement.version == 0
    if changed:
        _apply_change(agreement, user, content, focus_names=_focus_names(mentorship))
    _first_meeting_held(mentorship)
    mentorship_activate(mentorship)
    if next_meeting:
        meeting_book(mentorship=mentorship, changed_by=user, **next_meeting)
    return agreement


def _focus_ids(mentorship):
    return set(mentorship.focus_areas.values_list("pk", flat=True))


def _focus_names(mentorship):
    return sorted(mentorship.focus_areas.values_list("name", flat=True))


def _apply_change(agreement, user, content, *, focus_names):
    was_confirmed = bool(agreement.mentee_confirmed_at or agreement.mentor_confirmed_at)
    for field, value in content.items():
        setattr(agreement, field, value)
    agreement.version += 1
    agreement.updated_by = user
    agreement.mentee_confirmed_at = agreement.mentor_confirmed_at = None
    agreement.save()
    AgreementVersion.objects.create(
        agreement=agreement,
        version=agreement.version,
        content={**content, "focus_areas": focus_names},
        saved_by=user,
    )
    if was_confirmed:
        notifications.agreement_changed_notify(agreement=agreement, changed_by=user)


def _first_meeting_held(mentorship):
    """Tillfälle 1 is where the agreement is made: it exists and is held."""
    first = Meeting.objects.filter(mentorship=mentorship, number=1).first()
    if first is None:
        Meeting.objects.create(mentorship=mentorship, number=1, status=MeetingStatus.HELD)
    elif first.status == MeetingStatus.BOOKED and (first.starts_at is None or first.starts_at <= timezone.now()):
        Meeting.objects.filter(pk=first.pk).update(status=MeetingStatus.HELD)
    elif first.status == MeetingStatus.CANCELLED:
        # The booked time was cancelled, yet the pair met and made the
        # agreement: Tillfälle 1 took place, at a time nobody booked here.
        # It counts from now, as a meeting 1 created by this save would (the
        # booking nudge and the stall rule date an undated meeting by it).
        Meeting.objects.filter(pk=first.pk).update(
            status=MeetingStatus.HELD, starts_at=None, ends_at=None, created_at=timezone.now()
        )


@transaction.atomic
def agreement_confirm(*, agreement, user, version):
    """ "Vi är överens": confirm the version the person has read."""
    field = "mentee_confirmed_at" if user.pk == agreement.mentorship.mentee_id else "mentor_confirmed_at"
    updated = Agreement.objects.filter(pk=agreement.pk, version=version).update(**{field: timezone.now()})
    if updated != 1:
        raise AgreementConflict(Agreement.objects.get(pk=agreement.pk))
    agreement.refresh_from_db()
    return agreement
