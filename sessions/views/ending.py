"""Ending a mentorship (issue 11): a party proposes with a reason, the other
confirms or declines, the proposer may withdraw; and the certificate of
participation once the pair has ended. The rules are in
programs.services.mentorship_end_*; these views only ask and answer."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentorskap.localtime import local_date
from programs import permissions
from programs.forms import EndForm
from programs.models import MentorshipStatus
from programs.services import EndRefused, mentorship_end_confirm, mentorship_end_propose, mentorship_end_withdraw

from ..selectors import certificate_for
from .access import mentorship_or_404, refuse
from .decorators import journal_view


@journal_view
@require_http_methods(["GET", "POST"])
def mentorship_end_view(request, public_id):
    """The parties' page for ending: propose, confirm, decline or withdraw.
    Only the two parties reach it; anyone else gets a 404."""
    mentorship = mentorship_or_404(request, public_id)
    if not permissions.is_party(request.user, mentorship):
        refuse(request, f"ending {public_id}")
    form = EndForm(request.POST if request.POST.get("action") == "propose" else None)
    if request.method == "POST":
        answer = _act(request, mentorship, form)
        if answer is not None:
            return answer
    return render(
        request,
        "mentoring_sessions/mentorship_end.html",
        {
            "mentorship": mentorship,
            "form": form,
            "proposed_by_me": mentorship.end_proposed_by_id == request.user.pk,
            "proposed_by_other": mentorship.end_proposed_by_id not in (None, request.user.pk),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _act(request, mentorship, form):
    """Do what the button asked; a redirect, or None to show the form again."""
    action = request.POST.get("action")
    try:
        if action == "propose":
            if not form.is_valid():
                return None
            pair = mentorship_end_propose(mentorship=mentorship, by=request.user, **form.cleaned_data)
            if pair.is_closed:
                messages.success(request, _("You both wanted to end: the mentorship has ended."))
            else:
                messages.success(
                    request, _("Your proposal is sent. The mentorship ends when the other party confirms.")
                )
        elif action == "confirm":
            mentorship_end_confirm(mentorship=mentorship, by=request.user)
            messages.success(request, _("The mentorship has ended. Thank you for your time together!"))
        elif action == "withdraw":
            mentorship_end_withdraw(mentorship=mentorship, by=request.user)
            messages.success(request, _("The mentorship goes on."))
        else:
            messages.error(request, _("Choose one of the buttons."))
            return redirect("mentorship_end", public_id=mentorship.public_id)
    except EndRefused as refused:
        messages.error(request, str(refused))
        return redirect("mentorship_end", public_id=mentorship.public_id)
    return redirect("mentorship_detail", public_id=mentorship.public_id)


@journal_view
def mentorship_certificate(request, public_id):
    """The certificate of participation ("intyg"), for a pair that has
    ended: the two parties and the program's coordinators; anyone else, and
    a pair still going, gets a 404."""
    pair = certificate_for(public_id)
    if pair is None or pair.status != MentorshipStatus.ENDED or not permissions.can_view_mentorship(request.user, pair):
        refuse(request, f"certificate {public_id}")
    coordinators = [person.display_name for person in pair.program.coordinators.all()]
    return render(
        request,
        "mentoring_sessions/certificate.html",
        {"mentorship": pair, "coordinators": coordinators, "starts_on": pair.starts_on or local_date(pair.created_at)},
    )
