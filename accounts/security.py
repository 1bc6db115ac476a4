"""Security log: logins, failed logins and refused access.

Everything goes to the logger "mentorskap.security" as one line of
key=value pairs: who (user id or the address tried), what, and from where;
the record's timestamp says when. Never note text, never a password.
"""

import logging

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from mentorskap.text import log_safe

security_log = logging.getLogger("mentorskap.security")


def client_ip(request):
    """The client's address as allauth's rate limits see it (proxy-aware)."""
    if request is None:
        return "-"
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # A missing or short X-Forwarded-For must not break a login or a 404.
        return request.META.get("REMOTE_ADDR") or "-"


def _who(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user={user.pk}"
    return "user=anonymous"


def log_refused_access(request, what):
    """Call before answering 404 for an object the user may not see.

    `what` names the object, e.g. "mentorship 6f1c…" or "meeting <uuid>";
    it must never carry note text.
    """
    security_log.warning(
        "access refused %s ip=%s path=%s what=%s",
        _who(request),
        log_safe(client_ip(request)),
        log_safe(request.path),
        log_safe(what),
    )
