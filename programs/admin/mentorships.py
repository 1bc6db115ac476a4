"""Pairs: set up by e-mail, people invited, listed with their progress."""

from django.contrib import admin, messages
from django.db.models import Count, Min, OuterRef, Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.services import invitation_resend, pair_invitations_withdraw
from outbox.selectors import mail_bounce_answer

from ..admin_public_ids import PublicIdAdminMixin
from ..admin_scope import CoordinatorScopedAdmin
from ..models import EndReason, Mentorship, MentorshipStatus, Program
from ..permissions import coordinated_program_ids
from ..selectors import held_meetings
from ..services import mentorship_announce, mentorship_end, person_get_or_create
from .focus_area_widget import FocusAreaCheckboxesMixin
from .pair_delete import PairDeleteAdminMixin
from .pair_form import MentorshipAdminForm
from .pair_import import PairImportAdminMixin
from .pair_invitations import PairInvitationsAdminMixin


@admin.register(Mentorship)
class MentorshipAdmin(
    PublicIdAdminMixin,
    PairInvitationsAdminMixin,
    FocusAreaCheckboxesMixin,
    PairImportAdminMixin,
    PairDeleteAdminMixin,
    CoordinatorScopedAdmin,
):
    form = MentorshipAdminForm
    # The mentee's name opens the pair; "Mentee ↔ Mentor (Program)" as a first
    # column repeated the next three and pushed the progress columns off screen.
    list_display = [
        "mentee",
        "mentor",
        "program",
        "status",
        "agreement_confirmed",
        "meetings_held",
        "next_meeting",
        "mail_bounced",
    ]
    list_filter = [
        ("program", admin.RelatedOnlyFieldListFilter),
        "status",
        ("focus_areas", admin.RelatedOnlyFieldListFilter),
    ]
    list_display_links = ["mentee"]
    search_fields = ["mentor__name", "mentor__email", "mentee__name", "mentee__email"]
    list_select_related = ["program", "mentor", "mentee", "agreement"]
    readonly_fields = ["public_id", "created_at"]
    change_list_template = "admin/programs/mentorship/change_list.html"
    change_form_template = "admin/programs/mentorship/change_form.html"
    actions = ["resend_invitations"]
    fieldsets = [
        (_("Mentor"), {"fields": ["mentor_email", "mentor_name", "mentor_organisation"]}),
        (_("Mentee"), {"fields": ["mentee_email", "mentee_name", "mentee_organisation"]}),
        (None, {"fields": ["program", "focus_areas", "status", ("starts_on", "ends_on"), ("end_reason", "end_note")]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _meetings_held=Count("meetings", filter=held_meetings(now=timezone.now())),
                _next_meeting=Min(
                    "meetings__starts_at",
                    filter=Q(meetings__status="booked", meetings__starts_at__gte=timezone.now()),
                ),
                # The coordinator sees whose e-mail bounced, on the pairs they see.
                _mentee_bounce=mail_bounce_answer(mentorship=OuterRef("pk"), recipient=OuterRef("mentee_id")),
                _mentor_bounce=mail_bounce_answer(mentorship=OuterRef("pk"), recipient=OuterRef("mentor_id")),
            )
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pair = self.get_object(request, object_id) if request.method == "GET" else None
        for address, answer in self._bounces(pair) if pair is not None else ():
            messages.warning(request, _("E-mail to %(address)s bounced: %(answer)s") % bounce_words(address, answer))
        return super().change_view(request, object_id, form_url, extra_context)

    def _bounces(self, pair):
        """(address, server's answer) of each of the pair's people whose e-mail bounced."""
        found = [(pair.mentee, pair._mentee_bounce), (pair.mentor, pair._mentor_bounce)]
        return [(person.email, answer) for person, answer in found if answer]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program" and not request.user.is_superuser:
            kwargs["queryset"] = Program.objects.filter(id__in=coordinated_program_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("agreement confirmed"), boolean=True)
    def agreement_confirmed(self, obj):
        agreement = getattr(obj, "agreement", None)
        return bool(agreement and agreement.is_confirmed)

    @admin.display(description=_("meetings held"), ordering="_meetings_held")
    def meetings_held(self, obj):
        return obj._meetings_held

    @admin.display(description=_("next meeting"), ordering="_next_meeting")
    def next_meeting(self, obj):
        return obj._next_meeting

    @admin.display(description=_("e-mail bounced"))
    def mail_bounced(self, obj):
        bounced = self._bounces(obj)
        return "; ".join(_("%(address)s: %(answer)s") % bounce_words(a, b) for a, b in bounced) or "–"

    def save_model(self, request, obj, form, change):
        joined, left = [], []  # a new pair's two people, or one put in place of another
        for role in ("mentor", "mentee"):
            person, _created = person_get_or_create(
                email=form.cleaned_data[f"{role}_email"], name=form.cleaned_data.get(f"{role}_name", "")
            )
            if person.pk != getattr(obj, f"{role}_id"):
                joined.append(person)
                if getattr(obj, f"{role}_id") is not None:
                    left.append(getattr(obj, role))
            setattr(obj, role, person)
        obj.full_clean(exclude=["focus_areas"])
        # Ended here too through the one service (today, with the reason, both told).
        ending = change and "status" in form.changed_data and obj.status == MentorshipStatus.ENDED
        if ending:
            obj.status = form.initial.get("status")
        super().save_model(request, obj, form, change)
        if ending:
            mentorship_end(
                mentorship=obj, by=request.user, reason=obj.end_reason or EndReason.DISCONTINUED, note=obj.end_note
            )
            obj.refresh_from_db()
        obj._joined, obj._left = joined, [p for p in left if p not in joined]

    def save_related(self, request, form, formset, change):
        super().save_related(request, form, formset, change)
        pair = form.instance
        if getattr(pair, "_left", None):
            pair_invitations_withdraw(mentorship=pair, people=pair._left)
        if getattr(pair, "_joined", None):
            mentorship_announce(mentorship=pair, people=pair._joined)
            self.say_who_was_told(request, pair._joined)

    @admin.action(description=_("Resend invitation"), permissions=["change"])
    def resend_invitations(self, request, queryset):
        """A new invitation link for each party who has not yet set a password."""
        invited = []
        for mentorship in queryset.select_related("mentor", "mentee"):
            invited += invitation_resend(mentorship=mentorship)
        if invited:
            messages.success(
                request,
                _("A new invitation was sent to %(people)s.") % {"people": ", ".join(str(u) for u in invited)},
            )
        else:
            messages.info(request, _("Everyone in the selected pairs has already set a password; nothing was sent."))


def bounce_words(address, answer):
    """The server's answer is its own text: one line, and not the whole essay."""
    return {"address": address, "answer": Truncator(" ".join(answer.split())).chars(120)}
