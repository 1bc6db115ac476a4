"""A program's pair list as CSV and Excel, with the filter shown above it."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..exports import csv_response, xlsx_response
from ..overview import PairFilterForm, pairs_all
from ..overview_rows import agreement_state, attention_labels
from .access import program_or_404


@never_cache
@login_required
def program_pairs_export(request, pk, fmt):
    program = program_or_404(request, pk)
    now = timezone.now()
    form = PairFilterForm(request.GET or None, program=program, now=now)
    rows = [
        [program.name],
        [_("Selection"), filter_description(form)],
        [_("Exported"), timezone.localtime(now).strftime("%Y-%m-%d %H:%M")],
        [],
        pair_header(),
        *[pair_row(pair) for pair in pairs_all(program, form, now=now)],
    ]
    filename = f"{slugify(program.name) or 'program'}-{_('pairs')}"
    if fmt == "xlsx":
        return xlsx_response(filename, [(_("Pairs"), rows)])
    return csv_response(filename, rows)


def filter_description(form):
    """The filter in words, as the page shows it: "Status: Aktiv; Sök: Maja"."""
    if not form.is_bound or not form.is_valid():
        return _("All pairs")
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if not value or name == "sort":
            continue
        shown = (
            dict(field.choices).get(value, value)
            if hasattr(field, "choices") and not hasattr(field, "queryset")
            else value
        )
        parts.append(f"{field.label}: {shown}")
    return "; ".join(parts) or _("All pairs")


def pair_header():
    return [
        _("Mentee"),
        _("Mentee's e-mail"),
        _("Mentee's association"),
        _("Mentor"),
        _("Mentor's e-mail"),
        _("Mentor's association"),
        _("Status"),
        _("Agreement"),
        _("Meetings held"),
        _("Latest meeting"),
        _("Next meeting"),
        _("Needs attention"),
        _("Next check-in"),
    ]


def pair_row(pair):
    return [
        pair.mentee.display_name,
        pair.mentee.email,
        pair.mentee_organisation.name if pair.mentee_organisation else "",
        pair.mentor.display_name,
        pair.mentor.email,
        pair.mentor_organisation.name if pair.mentor_organisation else "",
        pair.get_status_display(),
        agreement_state(pair),
        pair.meetings_held,
        timezone.localtime(pair.last_at).date() if pair.last_at else "",
        timezone.localtime(pair.next_at) if pair.next_at else "",
        "; ".join(attention_labels(pair)),
        pair.checkin_due or "",
    ]
