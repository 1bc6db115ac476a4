"""Booking, moving and cancelling meetings. Each change writes its e-mails
to the outbox in the same transaction (see sessions.notifications)."""

from datetime import datetime

from django.db import transaction
from django.db.models import F

from accounts.models import User
from programs.figures import pairs_figures_changed
from programs.models import Mentorship
from programs.services import mentorship_activate, mentorship_lock

from .. import notifications
from ..models import Meeting, MeetingStatus


@transaction.atomic
def meeting_book(
    *,
    mentorship: Mentorship,
    starts_at: datetime,
    ends_at: datetime | None,
    location: str = "",
    changed_by: User | None = None,
    is_closing: bool = False,
) -> Meeting:
    """Book the pair's next meeting and invite both parties; booking the same
    start again returns the meeting already booked. `changed_by` is who
    booked it, named in the e-mail."""
    # Two bookings at once cannot take the same number.
    mentorship_lock(mentorship.pk)
    same = mentorship.meetings.filter(status=MeetingStatus.BOOKED, starts_at=starts_at).first()
    if same is not None:
        # A second submit of the same booking (double click, back and resend):
        # one meeting and one invitation, not two.
        return same
    last = mentorship.meetings.order_by("-number").first()
    if last is not None and last.status == MeetingStatus.CANCELLED:
        if last.is_closing != is_closing:
            Meeting.objects.filter(pk=last.pk).update(is_closing=is_closing)
            last.is_closing = is_closing
        return _meeting_book_again(last, starts_at=starts_at, ends_at=ends_at, location=location, changed_by=changed_by)
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        number=(last.number if last else 0) + 1,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        status=MeetingStatus.BOOKED,
        is_closing=is_closing,
    )
    mentorship_activate(mentorship)
    notifications.meeting_booked_notify(meeting=meeting, changed_by=changed_by)
    return meeting


def _meeting_book_again(
    meeting: Meeting, *, starts_at: datetime, ends_at: datetime | None, location: str, changed_by: User | None
) -> Meeting:
    """The pair's latest meeting was cancelled and a new time is booked: it is
    the same Tillfälle N, so it keeps its number (the journal does not jump
    to N+1, and Tillfälle 1 stays the agreement's meeting) and its calendar
    UID, with a higher SEQUENCE, so a calendar that had it cancelled shows it
    again."""
    _meeting_set_time(meeting, starts_at=starts_at, ends_at=ends_at, location=location)
    notifications.meeting_booked_notify(meeting=meeting, changed_by=changed_by)
    return meeting


def _meeting_set_time(meeting: Meeting, *, starts_at: datetime, ends_at: datetime | None, location: str) -> None:
    """Booked at this time and place; SEQUENCE up, as for every change."""
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        status=MeetingStatus.BOOKED,
        sequence=F("sequence") + 1,
    )
    meeting.refresh_from_db()
    pairs_figures_changed([meeting.mentorship_id])


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    starts_at: datetime,
    ends_at: datetime | None,
    location: str = "",
    changed_by: User | None = None,
) -> Meeting:
    """Re-book a meeting: one update to the calendar, reminders follow."""
    # The time as stored, not as the caller's copy remembers it.
    previous = Meeting.objects.filter(pk=meeting.pk).values_list("starts_at", flat=True).get()
    _meeting_set_time(meeting, starts_at=starts_at, ends_at=ends_at, location=location)
    notifications.meeting_moved_notify(meeting=meeting, changed_by=changed_by, previous_starts_at=previous)
    return meeting


@transaction.atomic
def meeting_change(
    *,
    meeting: Meeting,
    starts_at: datetime,
    ends_at: datetime | None,
    location: str = "",
    is_closing: bool,
    changed_by: User | None = None,
) -> set[str]:
    """A booked meeting's time, place and whether it is the closing meeting,
    as the pair now wants them. Only a new time or place is news to the
    calendars (meeting_move); the closing flag is the pair's own planning,
    and a form sent again unchanged sends nothing. Returns what changed:
    "time", "closing", both or neither."""
    stored = Meeting.objects.select_for_update().filter(pk=meeting.pk).values("starts_at", "ends_at", "location").get()
    changed = set()
    if (stored["starts_at"], stored["ends_at"], stored["location"]) != (starts_at, ends_at, location):
        meeting_move(meeting=meeting, starts_at=starts_at, ends_at=ends_at, location=location, changed_by=changed_by)
        changed.add("time")
    if meeting.is_closing != is_closing:
        meeting.is_closing = is_closing
        meeting.save(update_fields=["is_closing"])
        changed.add("closing")
    return changed


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, changed_by: User | None = None) -> Meeting:
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED, sequence=F("sequence") + 1)
    meeting.refresh_from_db()
    pairs_figures_changed([meeting.mentorship_id])
    notifications.meeting_cancelled_notify(meeting=meeting, changed_by=changed_by)
    return meeting
