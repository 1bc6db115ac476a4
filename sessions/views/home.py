from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from programs.permissions import is_coordinator

from ..selectors import home_mentorships


@login_required
def home(request):
    """Mina mentorskap: each of the person's pairs and the one thing to do now."""
    return render(
        request,
        "mentoring_sessions/home.html",
        {"mentorships": home_mentorships(request.user), "is_coordinator": is_coordinator(request.user)},
    )
