from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.cache import never_cache

from programs.models import Mentorship


def journal_view(view):
    """Logged in, and never cached: these pages show private notes."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Mentorship.DoesNotExist as gone:
            # The pair was deleted while this request waited for it: from now
            # on it is "not found", like any pair the person cannot see.
            raise Http404 from gone

    return never_cache(login_required(answer))
