"""Reads for the journal pages, each with a fixed number of queries."""

from django.db.models import Prefetch
from django.utils import timezone

from programs.permissions import own_mentorships

from .models import Meeting, MeetingStatus


def home_mentorships(user):
    """The person's own pairs, each with `meetings_list`, `next_meeting` and `todo`."""
    mentorships = list(
        own_mentorships(user)
        .select_related("program", "mentor", "mentee", "agreement")
        .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.order_by("number"), to_attr="meetings_list"))
        .order_by("status", "-created_at")
    )
    now = timezone.now()
    for mentorship in mentorships:
        mentorship.next_meeting = next_booked_meeting(mentorship.meetings_list, now)
        mentorship.todo = next_step(mentorship, user, mentorship.meetings_list, now)
        mentorship.other = mentorship.other_party(user)
    return mentorships


def next_booked_meeting(meetings, now):
    upcoming = [m for m in meetings if m.status == MeetingStatus.BOOKED and m.starts_at and m.starts_at >= now]
    return min(upcoming, key=lambda m: m.starts_at, default=None)


def meeting_needing_notes(meetings, now):
    """The latest meeting after the first that has taken place without notes."""
    past = [
        m
        for m in meetings
        if m.number > 1 and m.status != MeetingStatus.CANCELLED and m.starts_at and m.starts_at <= now
    ]
    latest = max(past, key=lambda m: m.number, default=None)
    if latest is not None and not latest.has_notes:
        return latest
    return None


def agreement_of(mentorship):
    try:
        return mentorship.agreement
    except Exception:  # RelatedObjectDoesNotExist: no agreement written yet
        return None


def next_step(mentorship, user, meetings, now):
    """The one thing to do now, as a code the template words: or None."""
    if mentorship.is_closed:
        return None
    role = mentorship.role_of(user)
    agreement = agreement_of(mentorship)
    if agreement is None or not agreement.is_started:
        return "write_agreement" if role == "mentee" else "await_agreement"
    confirmed_at = agreement.mentee_confirmed_at if role == "mentee" else agreement.mentor_confirmed_at
    if confirmed_at is None:
        return "confirm_agreement"
    needs_notes = meeting_needing_notes(meetings, now)
    if needs_notes is not None and role == "mentee":
        return "write_notes"
    if next_booked_meeting(meetings, now) is None:
        return "book_meeting"
    return None
