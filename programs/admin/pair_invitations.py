"""A pair's people on its admin page: how far each has come in (invited, link
expired, logged in), "Resend invitation" for the pair, and after a save who
was invited and who, already registered, was told."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.selectors import InvitationState, invitation_states
from accounts.services import invitation_resend

ROLES = ("mentor", "mentee")


def _names(people):
    return ", ".join(str(person) for person in people)


class PairInvitationsAdminMixin:
    """Goes after PublicIdAdminMixin in the bases, so that the resend URL,
    like the pair's other URLs, takes the pair's public id."""

    def get_urls(self):
        resend = self.admin_site.admin_view(require_POST(self.resend_invitation_view))
        return [
            path("<path:object_id>/resend-invitation/", resend, name="programs_mentorship_resend_invitation"),
            *super().get_urls(),
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # Each person's state goes under their own fields, on a pair that exists.
        return [(name, {**options, "fields": self._with_account(options["fields"])}) for name, options in fieldsets]

    @staticmethod
    def _with_account(fields):
        for role in ROLES:
            if f"{role}_email" in fields:
                return [*fields, f"{role}_account"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        extra = [f"{role}_account" for role in ROLES] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *extra]

    def _states(self, obj):
        if not hasattr(obj, "_invitation_states"):
            obj._invitation_states = invitation_states([obj.mentor, obj.mentee], now=timezone.now())
        return obj._invitation_states

    @admin.display(description=_("Account"))
    def mentor_account(self, obj):
        return self._states(obj)[obj.mentor_id].label

    @admin.display(description=_("Account"))
    def mentee_account(self, obj):
        return self._states(obj)[obj.mentee_id].label

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            waiting = [state for state in self._states(obj).values() if state.needs_invitation]
            context["can_resend_invitation"] = bool(waiting)
            # "Again" only when each of them was sent one before: people of
            # the demo pairs, or added by hand as users, never had one.
            context["invitation_sent_before"] = InvitationState.NOT_INVITED not in waiting
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def resend_invitation_view(self, request, object_id):
        """A new link for each of the pair's people who has no password yet."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # a 404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        never = {pk for pk, state in self._states(obj).items() if state == InvitationState.NOT_INVITED}
        invited = invitation_resend(mentorship=obj)
        if invited:
            self._say_who_was_invited(request, invited, never)
        else:
            messages.info(request, _("Both have already set a password or cannot log in; nothing was sent."))
        return redirect(reverse("admin:programs_mentorship_change", args=[obj.public_id]))

    @staticmethod
    def _say_who_was_invited(request, invited, never_invited_ids):
        first = [person for person in invited if person.pk in never_invited_ids]
        again = [person for person in invited if person.pk not in never_invited_ids]
        if first:
            messages.success(request, _("An invitation was sent to %(people)s.") % {"people": _names(first)})
        if again:
            messages.success(request, _("A new invitation was sent to %(people)s.") % {"people": _names(again)})

    def say_who_was_told(self, request, people):
        """After mentorship_announce, which invites those who have no password
        and tells the registered (User.is_registered)."""
        invited = [person for person in people if not person.is_registered]
        told = [person for person in people if person.is_registered]
        if invited:
            messages.info(request, _("An invitation was sent to %(people)s.") % {"people": _names(invited)})
        if told:
            messages.info(
                request,
                _("%(people)s already had an account and got an e-mail about the pair.") % {"people": _names(told)},
            )
