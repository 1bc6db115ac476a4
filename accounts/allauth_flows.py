"""allauth's private API, each use wrapped in one function here, with a test
(tests/test_private_apis.py) that fails when allauth changes it under us."""

from allauth.account.internal.flows.email_verification import send_verification_email_to_address


def verification_email_send(request, address):
    """Send the confirmation link for a new address (allauth has no public
    call for this; its own change-of-address flow would drop the login
    address, see accounts.forms.AddEmailForm)."""
    return send_verification_email_to_address(request, address)
