from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from programs.permissions import is_coordinator

from ..selectors import home_mentorships


@login_required
def home(request):
    """Mina mentorskap: each of the person's pairs and the one thing to do now.
    A coordinator who is in no pair starts on their programs instead."""
    mentorships = home_mentorships(request.user)
    coordinator = is_coordinator(request.user)
    if coordinator and not mentorships:
        return redirect("program_dashboard")
    return render(request, "mentoring_sessions/home.html", {"mentorships": mentorships, "is_coordinator": coordinator})
