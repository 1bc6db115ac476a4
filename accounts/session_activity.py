"""Sessions are written only when something changed or every few minutes.

Saving the session on every request (to count its two weeks from the last
request) and allauth's "last seen" update on every request cost two writes
per page view. Instead the session carries the time it was last renewed:
once that is more than MENTORSKAP_SESSION_RENEW_SECONDS old, the session is
saved (which moves its expiry two weeks ahead) and allauth's row is touched.
A session therefore ends between two weeks minus those minutes and two weeks
after the last request, and "Mina inloggningar" is right to those minutes.
"""

import time

from django.conf import settings

from .allauth_flows import usersession_touch

RENEWED_AT = "_mentorskap_renewed_at"


def session_is_stale(session, now):
    renewed = session.get(RENEWED_AT)
    if not isinstance(renewed, int | float):
        return True
    # A clock that went backwards also renews, or the session would wait for it.
    return not 0 <= now - renewed < settings.MENTORSKAP_SESSION_RENEW_SECONDS


class SessionActivityMiddleware:
    """Stands after SessionMiddleware and AuthenticationMiddleware, in the
    place of allauth's UserSessionsMiddleware (which writes on every request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A session nobody looked at is left unloaded; an empty one (never
        # used, or just flushed at logout) must stay empty.
        if session is None or not session.accessed or session.is_empty():
            return response
        now = time.time()
        stale = session_is_stale(session, now)
        if stale or session.modified:  # a session being saved anyway costs nothing more
            session[RENEWED_AT] = int(now)
        user = getattr(request, "user", None)
        if stale and user is not None and user.is_authenticated and session.session_key:
            usersession_touch(request, user=user, session=session)
        return response
