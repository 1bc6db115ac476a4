"""A pair as its coordinator follows it: people, associations, invitation
state, the dates of the agreement and the meetings, and the coordinator's
own check-ins. The journal's text is on the journal's pages, as far as the
pair's confidentiality level allows."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import invitation_states

from ..background_checks import background_check_missing, background_check_of
from ..checkins import checkin_due_on, checkins_of
from ..forms import BackgroundCheckForm, CheckInForm, EndForm
from ..services import EndRefused, background_check_record, checkin_record, mentorship_end
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
        # Back to the check-ins, where the new one is listed (the form's own
        # fragment would otherwise stay in the address and land below them).
        return redirect(reverse("program_pair", args=[pair.public_id]) + "#avstamningar")
    return _page(request, pair, form=form, check_form=_check_form_if_asked(request, pair))


def _check_form_if_asked(request, pair):
    return _check_form(request, pair) if _asks_for_check(pair) else None


def _end_form(data=None):
    # The check-in form on the same page has a "note" too: ids of their own,
    # so that each label leads to its own field (the names stay the same).
    return EndForm(data, coordinator=True, auto_id="id_end_%s")


def _page(request, pair, *, form, check_form, end_form=None):
    states = invitation_states([pair.mentee, pair.mentor])
    due = checkin_due_on(pair)
    context = {
        "pair": pair,
        "program": pair.program,
        "form": form,
        "end_form": end_form or (_end_form() if not pair.is_closed else None),
        "checkins": checkins_of(pair),
        "checkin_due": due,
        "checkin_overdue": due is not None and due < timezone.localdate(),
        "mentee_state": states[pair.mentee_id],
        "mentor_state": states[pair.mentor_id],
        "meetings": list(pair.meetings.order_by("number").only("number", "starts_at", "status", "mentorship")),
    }
    if _asks_for_check(pair):
        context.update(
            check_form=check_form,
            background_check=background_check_of(pair.mentor_id),
            background_check_missing=background_check_missing(pair),
            today=timezone.localdate(),
        )
    return render(request, "programs/pair.html", context)


def _asks_for_check(pair):
    return pair.program.requires_background_check


def _check_form(request, pair, data=None):
    """Who may be named as having checked the extract: the program's
    coordinators, and the person recording it (a superuser may be none)."""
    checkers = (
        get_user_model()
        .objects.filter(Q(coordinated_programs=pair.program, is_active=True) | Q(pk=request.user.pk))
        .distinct()
    )
    return BackgroundCheckForm(data, checkers=checkers, checked_by=request.user)


@never_cache
@login_required
@require_POST
def pair_background_check(request, public_id):
    """The coordinator records the mentor's extract from the police's register."""
    pair = coordinated_pair_or_404(request, public_id)
    if not _asks_for_check(pair):
        raise Http404  # the program asks for no extract: there is no such form
    check_form = _check_form(request, pair, request.POST)
    if not check_form.is_valid():
        messages.error(request, _("The extract was not recorded. Check the fields marked below."))
        return _page(request, pair, form=CheckInForm(), check_form=check_form)
    background_check_record(person=pair.mentor, **check_form.cleaned_data)
    messages.success(request, _("The extract from the police's register is recorded."))
    return redirect("program_pair", public_id=pair.public_id)


@never_cache
@login_required
@require_http_methods(["POST"])
def pair_end(request, public_id):
    """The coordinator ends the pair today, with a reason ("avbrutet" too)."""
    pair = coordinated_pair_or_404(request, public_id)
    form = _end_form(request.POST)
    if not form.is_valid():
        messages.error(request, _("The pair has not ended. Check the fields marked below."))
        return _page(request, pair, form=CheckInForm(), check_form=_check_form_if_asked(request, pair), end_form=form)
    try:
        mentorship_end(
            mentorship=pair, by=request.user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
        )
    except EndRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The pair has ended. Both have been told by e-mail."))
    return redirect("program_pair", public_id=pair.public_id)
