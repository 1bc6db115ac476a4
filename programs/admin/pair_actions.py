"""Many pairs at once from the admin's pair list: end them, or give them an
end date. Each action asks on a page of its own first, as Django's "delete
selected" does, and then goes through the services (programs.services), so
every rule and every e-mail of changing one pair applies to each of them."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..forms import EndForm
from ..models import Mentorship
from ..services import CLOSED_STATUSES, EndDateRefused, EndRefused, mentorships_end, mentorships_set_end_date
from ..validators import end_date_too_far, open_pair_end_date_passed

# The most pairs one action changes. The page that asks lists them and posts
# each one's id back: 500 ids stay well under Django's 1,000 fields a form
# (DATA_UPLOAD_MAX_NUMBER_FIELDS), which would otherwise end in a 400. And
# each pair ends through mentorship_end, about a dozen queries and two
# e-mails a pair: 500 take a few seconds, well inside the web server's 30 s
# (WEB_TIMEOUT). A list page shows 50; more come only from "select all",
# which on a program of 10,000 pairs is more likely a slip than a plan.
MOST_PAIRS_AT_ONCE = 500
# Posted by the page that asks, with its form: the list's own post has no such field.
APPLY = "apply"
# The action's name in the list's menu, which the end date's page points to.
END_ACTION = _("End the selected pairs")


class PairsEndForm(EndForm):
    """The coordinator's end form (the same reasons), worded for many pairs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, coordinator=True, **kwargs)
        confirm = self.fields["confirm"]
        confirm.label = _(
            "I understand that the selected pairs end today and that both in each pair are told by e-mail."
        )
        confirm.error_messages["required"] = _("Tick the box to confirm that the selected pairs are to end today.")
        # Django's "This field is required." named neither the field nor what to do.
        self.fields["reason"].error_messages["required"] = _("Choose why the pairs end.")
        self.fields["note"].help_text = _("Each pair reads this in the e-mail that tells them.")


def open_count(pairs):
    """How many of the selected pairs the action changes: said on its button,
    so that pairs ended already, listed beside them, are not counted in."""
    return sum(pair.status not in CLOSED_STATUSES for pair in pairs)


class PairsEndDateForm(forms.Form):
    ends_on = forms.DateField(
        label=_("New end date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The pairs' last day: they end by themselves the day after, as with an end date set on the pair."),
        error_messages={"required": _("Choose the new end date.")},
    )

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        today = timezone.localdate()
        # The rule is the pair form's; its words ("keep the pair going, or
        # end the pair") are for one pair's page, not for a date chosen here.
        if open_pair_end_date_passed(ends_on, today=today):
            raise forms.ValidationError(
                _("%(date)s has passed. Choose today or a later date; to end the pairs today, use “%(action)s”.")
                % {"date": date_format(ends_on), "action": END_ACTION}
            )
        too_far = end_date_too_far(ends_on, today=today)
        if too_far:
            raise forms.ValidationError(too_far)
        return ends_on


class PairActionsAdminMixin:
    """The actions of MentorshipAdmin's list. The queryset Django hands an
    action is already the person's own (CoordinatorScopedAdmin.get_queryset,
    filtered by the posted ids), on the list's post and on the page's: ids
    of pairs outside it, posted by hand, select nothing."""

    @admin.action(description=END_ACTION, permissions=["change"])
    def end_selected_pairs(self, request, queryset):
        pairs = self._selected_pairs(request, queryset)
        if pairs is None:
            return None
        if all(pair.status in CLOSED_STATUSES for pair in pairs):
            messages.warning(request, _("The selected pairs have already ended; nothing was changed."))
            return None
        form = PairsEndForm(request.POST if APPLY in request.POST else None)
        if form.is_valid():
            try:
                done = mentorships_end(
                    pairs=pairs, by=request.user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
                )
            except EndRefused as refused:
                form.add_error("reason", str(refused))
            else:
                self._say_ended(request, done)
                return None
        return self._ask(
            request,
            pairs,
            form,
            action="end_selected_pairs",
            title=gettext("End the selected pairs"),
            intro=gettext(
                "The open pairs below end today with the reason you choose, each as when it is ended on its own: "
                "its mentee and mentor are told by e-mail and its journal becomes read-only. "
                "Pairs that have ended already are left as they are."
            ),
            submit=ngettext("End %(count)d pair", "End %(count)d pairs", open_count(pairs))
            % {"count": open_count(pairs)},
        )

    @admin.action(description=_("Change the end date of the selected pairs"), permissions=["change"])
    def set_end_date_of_selected_pairs(self, request, queryset):
        pairs = self._selected_pairs(request, queryset)
        if pairs is None:
            return None
        if all(pair.status in CLOSED_STATUSES for pair in pairs):
            messages.warning(
                request,
                _("The selected pairs have ended; an ended pair keeps the date it ended on. Nothing was changed."),
            )
            return None
        form = PairsEndDateForm(request.POST if APPLY in request.POST else None)
        if form.is_valid():
            ends_on = form.cleaned_data["ends_on"]
            try:
                done = mentorships_set_end_date(pairs=pairs, ends_on=ends_on)
            except EndDateRefused as refused:
                form.add_error("ends_on", str(refused))
            else:
                self._say_end_date_set(request, done, ends_on)
                return None
        return self._ask(
            request,
            pairs,
            form,
            action="set_end_date_of_selected_pairs",
            title=gettext("Change the end date of the selected pairs"),
            intro=gettext(
                "The open pairs below get the end date you choose as their last day; "
                "the day after, they end by themselves. Pairs that have ended keep the date they ended on."
            ),
            submit=ngettext(
                "Change the end date of %(count)d pair", "Change the end date of %(count)d pairs", open_count(pairs)
            )
            % {"count": open_count(pairs)},
        )

    def _selected_pairs(self, request, queryset):
        """The selected pairs with their people and program, or None (and a
        message) when there are none or too many. Read afresh, without the
        list's columns: the page shows none of them."""
        pairs = list(
            Mentorship.objects.filter(pk__in=queryset.values("pk"))
            .select_related("program", "mentor", "mentee")
            .order_by("program__name", "mentee__name", "pk")[: MOST_PAIRS_AT_ONCE + 1]
        )
        if not pairs:
            messages.warning(request, _("None of the selected pairs can be changed here; nothing was changed."))
            return None
        if len(pairs) > MOST_PAIRS_AT_ONCE:
            count = queryset.count()
            messages.error(
                request,
                ngettext(
                    "%(count)d pair is selected; at most %(most)d can be changed at once. "
                    "Narrow the list, by program or status for instance, and take them in turns.",
                    "%(count)d pairs are selected; at most %(most)d can be changed at once. "
                    "Narrow the list, by program or status for instance, and take them in turns.",
                    count,
                )
                % {"count": count, "most": MOST_PAIRS_AT_ONCE},
            )
            return None
        return pairs

    def _ask(self, request, pairs, form, *, action, title, intro, submit):
        """The page that asks, Django's way: posted back to the list with the
        action and the pairs' ids, and the form's answers."""
        fields = Mentorship._meta
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "submit": submit,
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
            "pairs": pairs,
            "closed_statuses": CLOSED_STATUSES,
            "headers": [capfirst(fields.verbose_name)]
            + [capfirst(fields.get_field(name).verbose_name) for name in ("status", "starts_on", "ends_on")],
            "action": action,
            "apply": APPLY,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/programs/mentorship/pair_action.html", context)

    @staticmethod
    def _say_ended(request, done):
        parts = [
            ngettext("%(count)d pair was ended", "%(count)d pairs were ended", done.ended) % {"count": done.ended}
            if done.ended
            else gettext("No pair was ended")
        ]
        if done.closed_already:
            parts.append(
                ngettext("%(count)d had already ended", "%(count)d had already ended", done.closed_already)
                % {"count": done.closed_already}
            )
        if done.deleted:
            parts.append(
                ngettext("%(count)d had been deleted", "%(count)d had been deleted", done.deleted)
                % {"count": done.deleted}
            )
        text = ", ".join(parts) + "."
        if done.ended:
            text += " " + gettext("The mentee and mentor of each have been told by e-mail.")
        messages.add_message(request, messages.SUCCESS if done.ended else messages.WARNING, text)

    @staticmethod
    def _say_end_date_set(request, done, ends_on):
        parts = [
            ngettext("%(count)d pair now ends on %(date)s", "%(count)d pairs now end on %(date)s", done.set)
            % {"count": done.set, "date": date_format(ends_on)}
            if done.set
            else gettext("No pair was changed")
        ]
        if done.closed:
            parts.append(
                ngettext(
                    "%(count)d had ended and was left as it was",
                    "%(count)d had ended and were left as they were",
                    done.closed,
                )
                % {"count": done.closed}
            )
        if done.deleted:
            parts.append(
                ngettext("%(count)d had been deleted", "%(count)d had been deleted", done.deleted)
                % {"count": done.deleted}
            )
        messages.add_message(request, messages.SUCCESS if done.set else messages.WARNING, ", ".join(parts) + ".")
