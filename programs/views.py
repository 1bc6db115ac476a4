from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .permissions import is_coordinator
from .selectors import programs_for_coordinator


@login_required
def program_dashboard(request):
    """The coordinator's read-only overview of their programs."""
    if not is_coordinator(request.user):
        raise Http404
    return render(request, "programs/dashboard.html", {"programs": programs_for_coordinator(request.user)})
