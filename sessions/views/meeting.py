from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import permissions

from ..forms import CommentForm, NotesForm, OptionalBookingForm, reminder_item_formset
from ..forms.notes import formset_items
from ..models import MeetingStatus
from ..note_reads import record_note_reads
from ..selectors import agreement_of, journal_meetings, previous_meeting
from ..services import NotesConflict, comment_add, meeting_notes_save
from .access import abilities, meeting_or_404, require
from .decorators import journal_view


@journal_view
def meeting_detail(request, public_id):
    return _detail_response(request, meeting_or_404(request, public_id), CommentForm())


def _detail_response(request, meeting, comment_form, status=200):
    mentorship = meeting.mentorship
    meetings = journal_meetings(mentorship)
    this = next(m for m in meetings if m.pk == meeting.pk)
    allowed = abilities(request.user, mentorship)
    # The page shows this meeting's notes, items and comments, and the previous meeting's notes.
    record_note_reads(request, this, notes=allowed["can_read_notes"], page="meeting")
    return render(
        request,
        "mentoring_sessions/meeting_detail.html",
        {
            "mentorship": mentorship,
            "meeting": this,
            "previous": previous_meeting(this, meetings),
            "agreement": agreement_of(mentorship),
            "comment_form": comment_form,
            **allowed,
        },
        status=status,
    )


@journal_view
def meeting_notes(request, public_id):
    """Tillfälle 2 and after: reflection, notes, "kom ihåg", next booking."""
    meeting = meeting_or_404(request, public_id)
    mentorship = meeting.mentorship
    require(permissions.can_write_journal(request.user, mentorship), request, "write notes")
    if meeting.is_first:
        return redirect("agreement_edit", mentorship.public_id)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Http404
    meetings = journal_meetings(mentorship, comments=False)
    meeting = next(m for m in meetings if m.pk == meeting.pk)
    previous = previous_meeting(meeting, meetings)
    previous_items = list(previous.reminder_items.all()) if previous else []
    data = request.POST or None
    adding = request.method == "POST" and "add_item" in request.POST
    form = NotesForm(
        data,
        previous_items=previous_items,
        closing=meeting.is_closing,
        initial={"version": meeting.version, **_notes_initial(meeting)},
    )
    items = reminder_item_formset(data, meeting=meeting, extra_rows=1 if adding else 0)
    # The next meeting is booked here only from the latest meeting; once it
    # exists (also after a double submit) the form no longer offers it.
    offers_booking = not any(m.number > meeting.number and m.status != MeetingStatus.CANCELLED for m in meetings)
    booking = OptionalBookingForm(data, prefix="next") if offers_booking else None
    conflict = None
    if request.method == "POST" and not adding:
        if form.is_valid() and items.is_valid() and (booking is None or booking.is_valid()):
            try:
                meeting_notes_save(
                    meeting=meeting,
                    reflection=form.cleaned_data["reflection"],
                    summary=form.cleaned_data["summary"],
                    base_version=form.cleaned_data["version"],
                    ticked_item_ids=form.cleaned_data["done_items"],
                    items=formset_items(items, {i.pk for i in meeting.reminder_items.all()}),
                    next_meeting=booking.booking() if booking else None,
                    user=request.user,
                )
            except NotesConflict as error:
                conflict = _conflict(form, error.current)
            else:
                messages.success(request, _("The notes are saved."), extra_tags=f"notes-{meeting.public_id}")
                _tell_if_booking_was_dropped(request, meeting, meetings, booking)
                return redirect("mentorship_detail", mentorship.public_id)
        else:
            messages.error(request, _("The notes were not saved. Check the fields marked below; your text is kept."))
    return render(
        request,
        "mentoring_sessions/notes_form.html",
        {
            "mentorship": mentorship,
            "meeting": meeting,
            "previous": previous,
            "agreement": agreement_of(mentorship),
            "form": form,
            "items": items,
            "booking": booking,
            "conflict": conflict,
            **abilities(request.user, mentorship),
        },
    )


def _tell_if_booking_was_dropped(request, meeting, meetings, booking):
    """The other party booked the next meeting while this person wrote the
    notes and filled in a time too: say so rather than drop it unseen."""
    typed = any(request.POST.get(f"next-{name}") for name in ("date", "start_time", "location"))
    if booking is not None or not typed:
        return
    later = next((m for m in meetings if m.number > meeting.number and m.status == MeetingStatus.BOOKED), None)
    if later is None:
        return
    when = date_format(timezone.localtime(later.starts_at), "DATETIME_FORMAT") if later.starts_at else ""
    messages.warning(
        request,
        _(
            "Meeting %(number)s was already booked (%(when)s), so the time you entered was not booked. "
            "Move the meeting from the mentorship page if your time is better."
        )
        % {"number": later.number, "when": when},
    )


def _notes_initial(meeting):
    return {"reflection": meeting.reflection, "summary": meeting.summary}


def _conflict(form, current):
    form.data = form.data.copy()
    form.data["version"] = current.version
    return {
        "at": current.notes_updated_at,
        "fields": [
            (form[name].label, getattr(current, name))
            for name in ("reflection", "summary")
            if getattr(current, name) != form.cleaned_data.get(name)
        ],
    }


@require_POST
@journal_view
def comment_add_view(request, public_id):
    meeting = meeting_or_404(request, public_id)
    require(permissions.can_comment(request.user, meeting.mentorship), request, "comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        comment_add(meeting=meeting, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment is saved."))
        return redirect("meeting_detail", meeting.public_id)
    return _detail_response(request, meeting, form, status=400)
