"""The coordinator's own pages: their programs, a program's pairs, a pair,
the exports and the funder report. Metadata only, never note text."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ..overview import (
    CHART_STEP,
    PairFilterForm,
    meetings_per_month,
    pairs_page,
    program_counts,
    selection_words,
)
from ..overview_rows import table_rows
from ..permissions import is_coordinator
from ..selectors import programs_for_coordinator
from .access import program_or_404


@never_cache
@login_required
def program_dashboard(request):
    """The coordinator's read-only overview of their programs."""
    if not is_coordinator(request.user):
        raise Http404
    programs = programs_for_coordinator(request.user, now=timezone.now())
    return render(request, "programs/dashboard.html", {"programs": programs})


@never_cache
@login_required
def program_detail(request, pk):
    """One program: its figures, its meetings month by month, and its pairs
    filtered, searched, sorted and paginated (all in the URL)."""
    program = program_or_404(request, pk)
    now = timezone.now()
    form = PairFilterForm(request.GET or None, program=program, now=now)
    page = pairs_page(program, form, now=now, number=request.GET.get("page"))
    counts = program_counts(program, now=now)
    months = meetings_per_month(program, now=now)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "pairs": page.object_list,
            "rows": table_rows(page.object_list),
            "page_range": page.paginator.get_elided_page_range(page.number),
            "counts": counts,
            "stalled": counts["stalled"],
            "months": months,
            "chart_width": len(months) * CHART_STEP + 10,
            "query": query.urlencode(),
            "selection": selection_words(form, page),
            "filtered": any(value for key, value in request.GET.items() if key not in ("page", "sort")),
        },
    )
