"""Återrapport: the funder report of a program for a period; printable, and
as CSV and Excel."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..exports import csv_response, xlsx_response
from ..forms import ReportForm
from ..report import program_report, report_period_default
from .access import program_or_404


@never_cache
@login_required
def program_report_view(request, pk):
    program = program_or_404(request, pk)
    now = timezone.now()
    starts, ends = report_period_default(program, today=timezone.localdate())
    form = ReportForm(_with_default_period(request.GET, starts, ends), initial={"starts": starts, "ends": ends})
    if form.is_bound and form.is_valid():
        starts, ends = form.cleaned_data["starts"], form.cleaned_data["ends"]
    with_names = form.is_bound and form.is_valid() and form.cleaned_data["names"]
    report = None
    if not form.is_bound or form.is_valid():
        report = program_report(program, starts=starts, ends=ends, now=now, with_names=with_names)
    fmt = request.GET.get("format")
    if report is not None and fmt in ("csv", "xlsx"):
        return _report_file(report, fmt)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "programs/report.html",
        {"program": program, "form": form, "report": report, "query": query.urlencode()},
    )


def _with_default_period(query, starts, ends):
    """The query with the default period where it names no day at all (a
    link bookmarked as ?names=on): the report of that period, not two
    "required" errors. A day sent empty is still refused."""
    if not query:
        return None
    data = query.copy()
    data.setdefault("starts", starts.isoformat())
    data.setdefault("ends", ends.isoformat())
    return data


def _report_file(report, fmt):
    filename = f"{slugify(report.program.name) or 'program'}-{_('report')}-{report.starts}-{report.ends}"
    sheets = [(_("Summary"), summary_rows(report)), (_("Month by month"), month_rows(report))]
    if report.associations:
        sheets.append((_("Associations"), association_rows(report)))
    if report.pairs:
        sheets.append((_("Pairs"), pair_rows(report)))
    if fmt == "xlsx":
        return xlsx_response(filename, sheets)
    rows = []
    for title, sheet in sheets:
        rows += [[title], *sheet, []]
    return csv_response(filename, rows)


def summary_rows(report):
    return [
        [report.program.name],
        [_("Period"), f"{report.starts} – {report.ends}"],
        *([[_("Counted up to and including"), report.counted_until]] if report.cut_short_by else []),
        [_("Pairs started"), report.started],
        [_("Pairs active"), report.active],
        [_("Pairs ended"), report.ended],
        [_("Meetings held"), report.meetings],
        [_("Hours of meetings"), report.hours],
        [_("Mentees"), report.mentees],
        [_("Mentors"), report.mentors],
        *[[label, value] for label, value in report.extra],
    ]


def month_rows(report):
    header = [_("Month"), _("Pairs started"), _("Meetings held"), _("Hours of meetings")]
    return [header] + [[m["month"].strftime("%Y-%m"), m["started"], m["meetings"], m["hours"]] for m in report.months]


def association_rows(report):
    header = [_("Association"), _("Pairs as mentee side"), _("Pairs as mentor side"), _("Meetings held"), _("Hours")]
    return [header] + [[a["name"], a["mentee"], a["mentor"], a["meetings"], a["hours"]] for a in report.associations]


def pair_rows(report):
    header = [_("Mentee"), _("Mentee's association"), _("Mentor"), _("Mentor's association"), _("Status")]
    header.append(_("Meetings held"))
    return [header] + [
        [p["mentee"], p["mentee_organisation"], p["mentor"], p["mentor_organisation"], p["status"], p["meetings"]]
        for p in report.pairs
    ]
