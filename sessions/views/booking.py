from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from programs import permissions

from ..forms import BookingForm
from ..models import MeetingStatus
from ..services import meeting_book, meeting_cancel, meeting_change
from .access import meeting_or_404, mentorship_or_404, require
from .decorators import journal_view


@journal_view
def meeting_book_view(request, public_id):
    mentorship = mentorship_or_404(request, public_id)
    require(permissions.can_book(request.user, mentorship), request, "book")
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = meeting_book(
            mentorship=mentorship,
            changed_by=request.user,
            is_closing=form.cleaned_data.get("closing", False),
            **form.booking(),
        )
        messages.success(
            request, _("Meeting %(number)s is booked. You will both get an invitation.") % {"number": meeting.number}
        )
        return redirect("mentorship_detail", mentorship.public_id)
    return render(
        request, "mentoring_sessions/booking_form.html", {"mentorship": mentorship, "form": form, "meeting": None}
    )


def _bookable_meeting(request, public_id):
    meeting = meeting_or_404(request, public_id)
    require(permissions.can_book(request.user, meeting.mentorship), request, "rebook")
    if meeting.status != MeetingStatus.BOOKED:
        raise Http404
    return meeting


@journal_view
def meeting_move_view(request, public_id):
    meeting = _bookable_meeting(request, public_id)
    form = BookingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        changed = meeting_change(
            meeting=meeting, changed_by=request.user, is_closing=form.cleaned_data["closing"], **form.booking()
        )
        messages.success(request, _change_message(meeting, changed))
        return redirect("mentorship_detail", meeting.mentorship.public_id)
    return render(
        request,
        "mentoring_sessions/booking_form.html",
        {"mentorship": meeting.mentorship, "form": form, "meeting": meeting},
    )


def _change_message(meeting, changed):
    if "time" in changed:
        return _("The meeting is moved. You will both get an updated invitation.")
    if "closing" in changed and meeting.is_closing:
        return _("Meeting %(number)s is now your closing meeting.") % {"number": meeting.number}
    if "closing" in changed:
        return _("Meeting %(number)s is no longer your closing meeting.") % {"number": meeting.number}
    return _("Nothing was changed.")


@journal_view
def meeting_cancel_view(request, public_id):
    meeting = _bookable_meeting(request, public_id)
    if request.method == "POST":
        meeting_cancel(meeting=meeting, changed_by=request.user)
        messages.success(request, _("The meeting is cancelled. You will both be told."))
        return redirect("mentorship_detail", meeting.mentorship.public_id)
    return render(
        request, "mentoring_sessions/meeting_cancel.html", {"mentorship": meeting.mentorship, "meeting": meeting}
    )
