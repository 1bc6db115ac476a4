from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import permissions

from .. import template_texts
from ..forms import AgreementForm, OptionalBookingForm
from ..models import Agreement, Confidentiality
from ..note_reads import record_note_reads
from ..selectors import agreement_of
from ..services import AgreementConflict, AgreementIncomplete, agreement_confirm, agreement_save
from ..services.agreement import agreement_content
from .access import abilities, mentorship_or_404, refuse, require
from .decorators import journal_view


@journal_view
def agreement_edit(request, public_id):
    """Tillfälle 1: the mentee writes the agreement and books meeting 2."""
    mentorship = mentorship_or_404(request, public_id)
    require(permissions.can_write_journal(request.user, mentorship), request, "write agreement")
    agreement = agreement_of(mentorship) or Agreement(mentorship=mentorship)
    # Read before the form is bound: binding copies the typed level onto the instance.
    pending_level = agreement.get_confidentiality_display() if agreement.confidentiality_pending else None
    form = AgreementForm(request.POST or None, instance=agreement, mentorship=mentorship)
    # Meeting 2 is booked here only once; later bookings have their own page.
    offers_booking = not mentorship.meetings.filter(number__gte=2).exists()
    booking = OptionalBookingForm(request.POST if offers_booking else None, prefix="next")
    conflict = None
    if request.method == "POST" and form.is_valid() and (not offers_booking or booking.is_valid()):
        try:
            saved = agreement_save(
                mentorship=mentorship,
                user=request.user,
                content=form.content(),
                base_version=form.cleaned_data["version"],
                focus_areas=form.cleaned_data["focus_areas"],
                next_meeting=booking.booking() if offers_booking else None,
            )
        except AgreementConflict as error:
            conflict = _conflict(form, error.current)
        except AgreementIncomplete as error:
            booking.add_error(None, _booking_needs(error.agreement))
            messages.error(request, _("The agreement was not saved. Check the fields marked below; your text is kept."))
        else:
            # The draft kept in the browser has served its purpose.
            messages.success(request, _saved_message(saved), extra_tags=f"agreement-{mentorship.public_id}")
            return redirect("mentorship_detail", mentorship.public_id)
    elif request.method == "POST":
        messages.error(request, _("The agreement was not saved. Check the fields marked below; your text is kept."))
    return render(
        request,
        "mentoring_sessions/agreement_form.html",
        {
            "mentorship": mentorship,
            "agreement": agreement,
            "form": form,
            "booking": booking if offers_booking else None,
            "conflict": conflict,
            "pending_level": pending_level,
            "first_meeting_intro": template_texts.FIRST_MEETING_INTRO,
            **abilities(request.user, mentorship),
        },
    )


def missing_text(agreement):
    """The labels of what the agreement lacks, for a message."""
    return ", ".join(str(label) for label in agreement.missing_labels)


def _saved_message(agreement):
    if agreement.is_complete:
        return _("The agreement is saved.")
    return _("The agreement is saved as a draft. Before you can confirm it, fill in: %(missing)s.") % {
        "missing": missing_text(agreement)
    }


def _booking_needs(agreement):
    return _("Meeting 2 can be booked here once the agreement has: %(missing)s. Fill it in, or book later.") % {
        "missing": missing_text(agreement)
    }


def _conflict(form, current):
    """Keep this person's text; show what the other saved; let a resave merge."""
    form.data = form.data.copy()
    form.data["version"] = current.version
    saved = agreement_content(current)
    fields = [
        (form[name].label, saved[name]) for name in Agreement.TEXT_FIELDS if saved[name] != form.cleaned_data.get(name)
    ]
    # The focus areas are part of the agreement: a resave would replace theirs too.
    saved_areas = list(current.mentorship.focus_areas.all())
    if set(saved_areas) != set(form.cleaned_data.get("focus_areas") or ()):
        fields.insert(1, (form["focus_areas"].label, ", ".join(gettext(area.name) for area in saved_areas) or "–"))
    return {"by": current.updated_by, "at": current.updated_at, "fields": fields}


@require_POST
@journal_view
def agreement_confirm_view(request, public_id):
    mentorship = mentorship_or_404(request, public_id)
    require(permissions.can_confirm_agreement(request.user, mentorship), request, "confirm agreement")
    agreement = agreement_of(mentorship)
    if agreement is None or not agreement.is_started:
        raise Http404
    try:
        version = int(request.POST.get("version", ""))
        agreement_confirm(agreement=agreement, user=request.user, version=version)
    except (ValueError, AgreementConflict):
        messages.error(request, _("The agreement changed while you read it. Read it again and confirm."))
    except AgreementIncomplete as error:
        messages.error(
            request,
            _("The agreement cannot be confirmed yet. It lacks: %(missing)s.")
            % {"missing": missing_text(error.agreement)},
        )
    else:
        messages.success(request, _("You have confirmed the agreement."))
    return redirect("mentorship_detail", mentorship.public_id)


@journal_view
def agreement_versions(request, public_id):
    mentorship = mentorship_or_404(request, public_id)
    agreement = agreement_of(mentorship)
    if agreement is None:
        raise Http404
    if not permissions.can_read_agreement(request.user, mentorship, agreement):
        refuse(request, f"agreement versions of mentorship {public_id}")
    versions = [
        saved
        for saved in agreement.versions.select_related("saved_by").order_by("-version")
        if permissions.can_read_agreement_version(request.user, mentorship, agreement, saved.content)
    ]
    return render(
        request,
        "mentoring_sessions/agreement_versions.html",
        {"mentorship": mentorship, "agreement": agreement, "versions": versions},
    )


@journal_view
def agreement_version_detail(request, public_id, version):
    mentorship = mentorship_or_404(request, public_id)
    agreement = agreement_of(mentorship)
    if agreement is None:
        raise Http404
    if not permissions.can_read_agreement(request.user, mentorship, agreement):
        refuse(request, f"agreement version {version} of mentorship {public_id}")
    saved = agreement.versions.select_related("saved_by").filter(version=version).first()
    if saved is None:
        raise Http404
    if not permissions.can_read_agreement_version(request.user, mentorship, agreement, saved.content):
        refuse(request, f"agreement version {version} of mentorship {public_id}")
    text = {name: saved.content[name] for name in Agreement.TEXT_FIELDS if name in saved.content}
    form = AgreementForm(instance=Agreement(mentorship=mentorship, **text), mentorship=mentorship)
    shown = [
        name
        for name in Agreement.TEXT_FIELDS
        if name != "summary" or permissions.can_read_version_notes(request.user, mentorship, agreement, saved.content)
    ]
    fields = [(form[name].label, _display(name, saved.content.get(name, ""))) for name in shown]
    record_note_reads(request, saved, version=True, notes="summary" in shown, page="agreement_version")
    if "focus_areas" in saved.content:  # versions saved before focus areas were kept have none
        names = ", ".join(gettext(name) for name in saved.content["focus_areas"])
        fields.insert(1, (form["focus_areas"].label, names))
    return render(
        request,
        "mentoring_sessions/agreement_version_detail.html",
        {"mentorship": mentorship, "saved": saved, "fields": fields},
    )


def _display(name, value):
    if name == "confidentiality" and value in Confidentiality.values:
        return Confidentiality(value).label
    return value
