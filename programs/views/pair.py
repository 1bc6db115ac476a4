"""A pair as its coordinator follows it: people, associations, invitation
state, the dates of the agreement and the meetings, and the coordinator's
own check-ins. The journal's text is on the journal's pages, as far as the
pair's confidentiality level allows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.selectors import invitation_states

from ..checkins import checkin_due_on, checkins_of
from ..forms import CheckInForm, EndForm
from ..services import EndRefused, checkin_record, mentorship_end
from .access import coordinated_pair_or_404


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def pair_follow_up(request, public_id):
    pair = coordinated_pair_or_404(request, public_id)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checkin_record(mentorship=pair, recorded_by=request.user, **form.cleaned_data)
        messages.success(request, _("The check-in is recorded."))
        return redirect("program_pair", public_id=pair.public_id)
    states = invitation_states([pair.mentee, pair.mentor])
    return render(
        request,
        "programs/pair.html",
        {
            "pair": pair,
            "program": pair.program,
            "form": form,
            "end_form": EndForm(coordinator=True) if not pair.is_closed else None,
            "checkins": checkins_of(pair),
            "checkin_due": checkin_due_on(pair),
            "mentee_state": states[pair.mentee_id],
            "mentor_state": states[pair.mentor_id],
            "meetings": list(pair.meetings.order_by("number").only("number", "starts_at", "status", "mentorship")),
        },
    )


@never_cache
@login_required
@require_http_methods(["POST"])
def pair_end(request, public_id):
    """The coordinator ends the pair today, with a reason ("avbrutet" too)."""
    pair = coordinated_pair_or_404(request, public_id)
    form = EndForm(request.POST, coordinator=True)
    if not form.is_valid():
        messages.error(request, _("Choose a reason for ending the pair."))
        return redirect("program_pair", public_id=pair.public_id)
    try:
        mentorship_end(mentorship=pair, by=request.user, **form.cleaned_data)
    except EndRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The pair has ended. Both have been told by e-mail."))
    return redirect("program_pair", public_id=pair.public_id)
