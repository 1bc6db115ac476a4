from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.security import log_refused_access

from .models import Program
from .permissions import coordinates, is_coordinator
from .selectors import program_pairs, programs_for_coordinator


@login_required
def program_dashboard(request):
    """The coordinator's read-only overview of their programs."""
    if not is_coordinator(request.user):
        raise Http404
    return render(
        request, "programs/dashboard.html", {"programs": programs_for_coordinator(request.user, now=timezone.now())}
    )


@never_cache
@login_required
def program_detail(request, pk):
    """One program's pairs and how they are doing: metadata only, never notes."""
    program = Program.objects.filter(pk=pk).first()
    if program is None or not coordinates(request.user, program.pk):
        log_refused_access(request, f"program {pk}")
        raise Http404
    pairs = program_pairs(program, now=timezone.now())
    return render(
        request,
        "programs/program_detail.html",
        {"program": program, "pairs": pairs, "stalled": sum(1 for p in pairs if p.stall)},
    )
