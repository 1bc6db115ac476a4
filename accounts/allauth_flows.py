"""allauth's private API, each use wrapped in one function here, with a test
(tests/test_private_apis.py) that fails when allauth changes it under us."""

from allauth.account.internal.flows.email_verification import send_verification_email_to_address
from allauth.usersessions.internal import usersessionkit


def verification_email_send(request, address):
    """Send the confirmation link for a new address (allauth has no public
    call for this; its own change-of-address flow would drop the login
    address, see accounts.forms.AddEmailForm)."""
    return send_verification_email_to_address(request, address)


def usersession_touch(request, *, user, session):
    """Record the session's last use (and address, browser) on allauth's
    user-session row, what its own middleware does on every request; called
    by accounts.session_activity only every few minutes."""
    usersessionkit.track_activity(request, user=user, session=session)
