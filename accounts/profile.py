"""Mina uppgifter: a person's name and language.

The language is the language of every e-mail they get; saving it here or
using the language switch in the menu also switches the site.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]
        help_texts = {"language": gettext_lazy("The language of the site and of the e-mail you get.")}


def remember_language(response, language):
    """The session-free way Django keeps the chosen language: its cookie,
    with the same flags as the one the language switch sets."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        # Only the form's own columns: the rest of request.user may be read
        # from the cache and must never be written back.
        user = form.save(commit=False)
        user.save(update_fields=list(form.Meta.fields))
        translation.activate(user.language)  # the message below is in the new language
        messages.success(request, _("Your details are saved."))
        return remember_language(redirect("profile"), user.language)
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice for the
    person's e-mail when they are logged in."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and request.user.language != language:
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response
