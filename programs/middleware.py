"""Two-factor authentication required for staff and coordinators, when the
setting says so."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .permissions import is_coordinator

# The pages a staff user or coordinator without an authenticator may still
# reach: the account pages (to set up TOTP, log out, change language) and the
# invitation.
EXEMPT_URL_NAME_PREFIXES = ("account_", "mfa_", "usersessions_", "invitation_")
EXEMPT_URL_NAMES = {"set_language", "javascript-catalog"}


class MfaRequiredForStaffMiddleware:
    """With MENTORSKAP_MFA_REQUIRED_FOR_STAFF, a staff user, superuser or
    coordinator without an authenticator app is sent to the TOTP activation
    page from any other page, the admin included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MENTORSKAP_MFA_REQUIRED_FOR_STAFF:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _is_exempt(request):
            return None
        # A coordinator reads the pairs of a whole program, staff or not.
        # is_coordinator costs one query, cached on the user for the request.
        if not (user.is_staff or user.is_superuser or is_coordinator(user)):
            return None
        if is_mfa_enabled(user, types=["totp"]):
            return None
        messages.info(request, _("Set up two-factor authentication to continue."))
        return redirect("mfa_activate_totp")


def _is_exempt(request):
    match = request.resolver_match
    name = (match.url_name or "") if match else ""
    return name in EXEMPT_URL_NAMES or name.startswith(EXEMPT_URL_NAME_PREFIXES)
