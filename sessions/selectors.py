"""Reads for the journal pages, each with a fixed number of queries."""

from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from programs.models import Mentorship
from programs.permissions import own_mentorships
from programs.selectors import held_meetings

from .models import Agreement, Comment, Meeting, MeetingStatus, ReminderItem


def home_mentorships(user: User) -> list[Mentorship]:
    """The person's own pairs, each with `meetings_list`, `next_meeting`, `todo`
    and `notes_meeting` (the meeting whose notes "write notes" opens)."""
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
        mentorship.notes_meeting = meeting_needing_notes(mentorship.meetings_list, now)
        mentorship.other = mentorship.other_party(user)
    return mentorships


def next_booked_meeting(meetings: Sequence[Meeting], now: datetime) -> Meeting | None:
    upcoming = [m for m in meetings if m.status == MeetingStatus.BOOKED and m.starts_at and m.starts_at >= now]
    # Only meetings with a start time are left, which mypy cannot tell from the filter.
    return min(upcoming, key=lambda m: m.starts_at, default=None)  # type: ignore[arg-type,return-value]


def meeting_needing_notes(meetings: Sequence[Meeting], now: datetime) -> Meeting | None:
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


def agreement_of(mentorship: Mentorship) -> Agreement | None:
    try:
        return mentorship.agreement
    except ObjectDoesNotExist:  # no agreement written yet
        return None


def next_step(mentorship: Mentorship, user: User, meetings: Sequence[Meeting], now: datetime) -> str | None:
    """The one thing to do now, as a code the template words: or None."""
    if mentorship.is_closed:
        return None
    role = mentorship.role_of(user)
    agreement = agreement_of(mentorship)
    # A draft that lacks what must be agreed on is not yet to be confirmed.
    if agreement is None or not agreement.is_complete:
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


def mentorship_for_page(public_id: UUID | str) -> Mentorship | None:
    """One pair with everything its pages show about the pair itself. The
    proposer of an end is loaded by its key only where a page names them:
    each join more costs PostgreSQL more planning than the row costs to read."""
    pairs = Mentorship.objects.select_related("program", "mentor", "mentee", "agreement")
    # get() rather than first(): a unique lookup needs no ORDER BY through the program.
    try:
        return pairs.prefetch_related("focus_areas").get(public_id=public_id)
    except Mentorship.DoesNotExist:
        return None


def meeting_for_page(public_id: UUID | str) -> Meeting | None:
    """One meeting with its pair, the two parties and the agreement. Not the
    program: the meeting pages name it only to a coordinator, and a sixth
    table more than doubles PostgreSQL's planning of this query."""
    meetings = Meeting.objects.select_related("mentorship__mentor", "mentorship__mentee", "mentorship__agreement")
    try:
        return meetings.get(public_id=public_id)
    except Meeting.DoesNotExist:
        return None


def journal_meetings(mentorship: Mentorship, *, comments: bool = True) -> list[Meeting]:
    """Every meeting of the pair, newest first, with its items and comments
    (`comments=False` where the page shows none, as the notes form: one query
    fewer, no comment decrypted)."""
    meetings = _meetings_with_items(mentorship)
    if comments:
        meetings = meetings.prefetch_related(
            Prefetch("comments", queryset=Comment.objects.select_related("author").order_by("created_at"))
        )
    return list(meetings)


def timeline_meetings(mentorship: Mentorship) -> list[Meeting]:
    """The meetings as the mentorship page lists them: of their comments only
    `comment_count`, and without their items, since the page shows no comment
    and only the current "kom ihåg" list (current_reminder_items_fetched)."""
    return list(mentorship.meetings.order_by("-number").annotate(comment_count=Count("comments")))


def _meetings_with_items(mentorship: Mentorship) -> QuerySet[Meeting]:
    # The prefetch orders within a meeting only: the model's default ordering
    # starts with the meeting, which joins meeting, pair and program for nothing.
    items = Prefetch("reminder_items", queryset=ReminderItem.objects.order_by("position", "id"))
    return mentorship.meetings.order_by("-number").prefetch_related(items)


def current_reminder_items(
    meetings: Sequence[Meeting], items_of: Callable[[Meeting], list[ReminderItem]] | None = None
) -> tuple[Meeting | None, list[ReminderItem]]:
    """The "kom ihåg" list to work on now: from the latest meeting not
    cancelled that has one. `items_of(meeting)` gives a meeting's items; by
    default its prefetched ones."""
    items_of = items_of or (lambda meeting: list(meeting.reminder_items.all()))
    for meeting in meetings:  # newest first
        if meeting.status != MeetingStatus.CANCELLED and (items := items_of(meeting)):
            return meeting, items
    return None, []


def current_reminder_items_fetched(meetings: Sequence[Meeting]) -> tuple[Meeting | None, list[ReminderItem]]:
    """current_reminder_items for meetings loaded without their items: the
    items in one query, without a prefetch's manager for every meeting."""
    by_meeting: dict[int, list[ReminderItem]] = {}
    for item in ReminderItem.objects.filter(meeting_id__in=[m.pk for m in meetings]).order_by("position", "id"):
        by_meeting.setdefault(item.meeting_id, []).append(item)
    return current_reminder_items(meetings, lambda meeting: by_meeting.get(meeting.pk, []))


def with_next_meetings(meetings: list[Meeting]) -> list[Meeting]:
    """Set `next_meeting` on each of `meetings` (in number order): the next one
    not cancelled, what the paper's "Boka nästa tillfälle" line says."""
    following = None
    for meeting in reversed(meetings):
        meeting.next_meeting = following  # type: ignore[attr-defined]  # for the print view
        if meeting.status != MeetingStatus.CANCELLED:
            following = meeting
    return meetings


def previous_meeting(meeting: Meeting, meetings: Sequence[Meeting] | QuerySet[Meeting] | None = None) -> Meeting | None:
    """The meeting before this one: the latest earlier one not cancelled
    (its "kom ihåg" list is ticked off here, its notes are "last time").
    From `meetings` when the page has them loaded, else one query."""
    if meetings is None:
        meetings = meeting.mentorship.meetings.filter(number__lt=meeting.number).exclude(status=MeetingStatus.CANCELLED)
        return meetings.order_by("-number").first()
    earlier = [m for m in meetings if m.number < meeting.number and m.status != MeetingStatus.CANCELLED]
    return max(earlier, key=lambda m: m.number, default=None)


def certificate_for(public_id: UUID | str) -> Mentorship | None:
    """An ended pair as its certificate shows it: people, associations,
    program with its coordinators, and `meetings_held` (the program's rule
    of a held meeting, programs.selectors.held_meetings). Two queries."""
    return (
        Mentorship.objects.select_related("program", "mentor", "mentee", "mentor_organisation", "mentee_organisation")
        .prefetch_related("program__coordinators")
        .annotate(meetings_held=Count("meetings", filter=held_meetings(now=timezone.now())))
        .filter(public_id=public_id)
        .first()
    )
