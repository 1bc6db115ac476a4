from django.shortcuts import render
from django.utils import timezone

from mentorskap.links import url_for_each

from ..note_reads import journal_shown, record_note_reads
from ..selectors import (
    agreement_of,
    current_reminder_items,
    current_reminder_items_fetched,
    journal_meetings,
    meeting_needing_notes,
    next_booked_meeting,
    next_step,
    timeline_meetings,
    with_next_meetings,
)
from .access import abilities, mentorship_or_404
from .decorators import journal_view


def _journal_context(request, mentorship, meetings, remember):
    now = timezone.now()
    items_meeting, items = remember
    return {
        "mentorship": mentorship,
        "agreement": agreement_of(mentorship),
        "meetings": meetings,
        "next_meeting": next_booked_meeting(meetings, now),
        "remember_meeting": items_meeting,
        "remember_items": items,
        "todo": next_step(mentorship, request.user, meetings, now) if mentorship.role_of(request.user) else None,
        "notes_meeting": meeting_needing_notes(meetings, now),
        "now": now,
        **abilities(request.user, mentorship),
    }


@journal_view
def mentorship_detail(request, public_id):
    mentorship = mentorship_or_404(request, public_id)
    meetings = _with_links(timeline_meetings(mentorship))
    context = _journal_context(request, mentorship, meetings, current_reminder_items_fetched(meetings))
    record_note_reads(request, mentorship, **journal_shown(context), page="mentorship")
    return render(request, "mentoring_sessions/mentorship_detail.html", context)


def _with_links(meetings):
    """Each meeting's `detail_url` and `notes_url`, from one reversal of each
    for the page rather than a {% url %} for every row of the timeline."""
    detail, notes = url_for_each("meeting_detail"), url_for_each("meeting_notes")
    for meeting in meetings:
        meeting.detail_url = detail(meeting.public_id)
        meeting.notes_url = notes(meeting.public_id)
    return meetings


@journal_view
def journal_print(request, public_id):
    """The whole journal laid out like the paper template."""
    mentorship = mentorship_or_404(request, public_id)
    meetings = journal_meetings(mentorship)
    context = _journal_context(request, mentorship, meetings, current_reminder_items(meetings))
    context["meetings"] = with_next_meetings(list(reversed(context["meetings"])))
    context["first_meeting"] = _first(context["meetings"])
    record_note_reads(request, mentorship, **journal_shown(context), page="journal_print")
    return render(request, "mentoring_sessions/journal_print.html", context)


def _first(meetings):
    return meetings[0] if meetings and meetings[0].is_first else None


@journal_view
def agreement_print(request, public_id):
    """The agreement alone: the print view without the meetings (none are read)."""
    mentorship = mentorship_or_404(request, public_id)
    # Only the dates, for Tillfälle 1's and the "book the next meeting" line.
    dates = with_next_meetings(list(mentorship.meetings.order_by("number")))
    context = {
        "mentorship": mentorship,
        "agreement": agreement_of(mentorship),
        "meetings": [],
        "first_meeting": _first(dates),
        **abilities(request.user, mentorship),
    }
    agreement = context["agreement"]
    if agreement is not None and agreement.is_started:
        # The print view of the agreement shows meeting 1's summary where notes are readable.
        read = {"agreement": context["can_read_agreement"], "notes": context["can_read_notes"]}
        record_note_reads(request, agreement, **read, page="agreement_print")
    return render(request, "mentoring_sessions/journal_print.html", context)
