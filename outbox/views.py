"""Notification settings: turn reminders, nudges and comments off, booking changes stay.

Two ways in: logged in, or with the signed link from any e-mail (no login:
people read mail where they are not logged in). The signed page changes only
these switches, so the link is safe to have in a mailbox. Changing is a
POST, so a mail scanner that follows the link changes nothing; mail programs
that offer "unsubscribe" POST here too (RFC 8058 one-click).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import NotificationPreferences
from .preferences import preferences_for, preferences_update, preferences_user_id_from_token

ALL_OFF_MESSAGE = _lazy(
    "Reminders, nudges and comment e-mails are turned off. "
    "You still get e-mail when a meeting is booked, moved or cancelled."
)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreferences
        fields = ["reminders", "nudges", "comments"]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    return _preferences_page(request, request.user, token=None)


# The signature, not a cookie, says who this is: there is no session to forge
# a request against, so the CSRF check has nothing to protect here.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def notification_preferences_signed(request: HttpRequest, token: str) -> HttpResponse:
    user_id = preferences_user_id_from_token(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        raise Http404(_("This link is not valid. Log in to change your notification settings."))
    return _preferences_page(request, user, token=token)


def _preferences_page(request: HttpRequest, user: Any, *, token: str | None) -> HttpResponse:
    prefs = preferences_for(user)
    if request.method == "POST" and _wants_all_off(request):
        preferences_update(user=user, reminders=False, nudges=False, comments=False)
        messages.success(request, ALL_OFF_MESSAGE)
        return _back(token)
    form = PreferencesForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        preferences_update(user=user, **{field: form.cleaned_data[field] for field in PreferencesForm.Meta.fields})
        messages.success(request, _("Your notification settings are saved."))
        return _back(token)
    all_off = not (prefs.reminders or prefs.nudges or prefs.comments)
    return render(
        request, "outbox/preferences.html", {"form": form, "prefs": prefs, "person": user, "all_off": all_off}
    )


def _wants_all_off(request: HttpRequest) -> bool:
    # "List-Unsubscribe=One-Click" is what mail programs post (RFC 8058).
    return "all_off" in request.POST or request.POST.get("List-Unsubscribe") == "One-Click"


def _back(token: str | None) -> HttpResponseRedirect:
    if token:
        return redirect("notification_preferences_signed", token=token)
    return redirect("notification_preferences")
