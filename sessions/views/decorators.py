from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache


def journal_view(view):
    """Logged in, and never cached: these pages show private notes."""
    return never_cache(login_required(view))
