from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .models import Invitation
from .security import security_log
from .services import invitation_accept, invitation_create, is_registered

RESEND_PAUSE_SECONDS = 300


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, public_id):
    invitation = get_object_or_404(Invitation.objects.select_related("user"), public_id=public_id)
    if not invitation.is_usable:
        return _invitation_unusable(request, invitation)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = invitation_accept(invitation=invitation, password=form.cleaned_data["new_password1"])
        if user is None:
            return _invitation_unusable(request, invitation)
        login(request, user, backend="accounts.auth_backends.ModelBackend")
        security_log.info("invitation accepted user=%s", user.pk)
        messages.success(request, _("Welcome! Your password is set and you are logged in."))
        return redirect("home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


def _invitation_unusable(request, invitation):
    """A used or expired link, or one for an account already in use: say so,
    and offer a way on (log in, or a new link for someone never registered)."""
    if request.method == "POST" and "resend" in request.POST:
        return _invitation_resend(request, invitation)
    if invitation.used_at is not None:
        reason = "used"
    elif invitation.user.last_login is not None:
        reason = "in_use"
    elif invitation.user.has_usable_password():
        reason = "password_set"  # a reset, the admin: they have a password but have not logged in yet
    else:
        reason = "expired"
    return render(
        request,
        "accounts/invitation_unusable.html",
        {"invitation": invitation, "reason": reason, "registered": is_registered(invitation.user)},
        status=410,
    )


def _invitation_resend(request, invitation):
    user = invitation.user
    latest = user.invitations.order_by("-created_at").first()
    too_soon = latest and (timezone.now() - latest.created_at).total_seconds() < RESEND_PAUSE_SECONDS
    if user.is_active and not is_registered(user) and not too_soon:
        invitation_create(user=user, mentorship=invitation.mentorship)
    # The same answer whatever happened: it reveals nothing about the account.
    messages.info(request, _("If the invitation can be renewed, a new link is on its way to your e-mail."))
    return redirect("account_login")
