"""Pairs: set up by e-mail, people invited, listed with their progress."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import BooleanField, Count, ExpressionWrapper, F, IntegerField, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.services import invitation_resend, pair_invitations_withdraw
from outbox.selectors import mail_bounce_answer

from ..admin_public_ids import PublicIdAdminMixin
from ..admin_scope import CoordinatorScopedAdmin
from ..background_checks import background_check_missing
from ..models import EndReason, Mentorship, MentorshipStatus, Program
from ..permissions import coordinated_program_ids
from ..selectors import held_meetings
from ..services import mentorship_announce, mentorship_end, person_get_or_create
from .focus_area_widget import FocusAreaCheckboxesMixin
from .pair_actions import PairActionsAdminMixin
from .pair_delete import PairDeleteAdminMixin
from .pair_filters import PairFocusAreaFilter, PairProgramFilter
from .pair_form import MentorshipAdminForm
from .pair_import import PairImportAdminMixin
from .pair_invitations import PairInvitationsAdminMixin
from .pair_rows import LIST_DISPLAY

# Django's own words for the row's checkbox, translated by Django's catalogue
# (a name, not a literal, so that makemessages leaves them to Django).
DJANGO_CHECKBOX_LABEL = "Select this object for an action - {}"


@admin.register(Mentorship)
class MentorshipAdmin(
    PublicIdAdminMixin,
    PairInvitationsAdminMixin,
    FocusAreaCheckboxesMixin,
    PairImportAdminMixin,
    PairDeleteAdminMixin,
    PairActionsAdminMixin,
    CoordinatorScopedAdmin,
):
    form = MentorshipAdminForm
    # The mentee's name opens the pair; "Mentee ↔ Mentor (Program)" as a first
    # column repeated the next three and pushed the progress columns off screen.
    list_display = list(LIST_DISPLAY)
    list_filter = [
        ("program", PairProgramFilter),
        "status",
        ("focus_areas", PairFocusAreaFilter),
    ]
    list_display_links = ["mentee_person"]
    # As the program page (programs.overview.PAGE_SIZE): Django's 100 rows
    # of ten cells were half the list's time at 10,000 pairs.
    list_per_page = 50
    # A filtered list says how many it found and links "Visa alla", not also
    # "(N totalt)": that second count of every pair cost as much as the
    # filtered one (2.5 ms at 10,000 pairs), and the program page has the totals.
    show_full_result_count = False
    search_fields = ["mentor__name", "mentor__email", "mentee__name", "mentee__email"]
    # Not the agreement: its texts are read for no column (agreement_confirmed
    # is an annotation below).
    list_select_related = ["program", "mentor", "mentee"]
    readonly_fields = ["public_id", "created_at"]
    change_list_template = "admin/programs/mentorship/change_list.html"
    change_form_template = "admin/programs/mentorship/change_form.html"
    actions = ["resend_invitations", "end_selected_pairs", "set_end_date_of_selected_pairs"]

    class Media:
        # All columns within a 1280 px window (see the file).
        css = {"all": ["css/admin_pairs.css"]}

    fieldsets = [
        # The mentee first, as on every other page: the mentee drives the mentorship.
        (_("Mentee"), {"fields": ["mentee_email", "mentee_name", "mentee_organisation"]}),
        (_("Mentor"), {"fields": ["mentor_email", "mentor_name", "mentor_organisation"]}),
        (None, {"fields": ["program", "focus_areas", "status", ("starts_on", "ends_on"), ("end_reason", "end_note")]}),
    ]

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        """Django's checkbox, written out: rendering the widget through the
        template engine for each of 100 rows was a third of the list's time.
        tests/test_admin_scoping.py holds the two to the same HTML."""
        label = format_html(gettext(DJANGO_CHECKBOX_LABEL), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def get_ordering(self, request):
        # Filtered by one program, the model's order (program, newest first)
        # is newest first: said without the program, the database walks the
        # index mentorship_program_newest instead of joining and sorting
        # every pair of the program for the page's 100.
        if "program__id__exact" in request.GET:
            return ["-created_at", "-id"]
        return super().get_ordering(request)

    def get_queryset(self, request):
        # Each count is a subquery on the pair's own meetings, not a join
        # grouped over every pair: the database then reads the meetings of
        # the page's 100 rows only (at 10,000 pairs: not all 50,000).
        now = timezone.now()
        meetings = Mentorship.meetings.rel.related_model.objects.filter(mentorship=OuterRef("pk")).order_by()
        held = meetings.filter(held_meetings(now=now, prefix="")).values("mentorship")
        agreements = Mentorship.agreement.related.related_model.objects.filter(mentorship=OuterRef("pk")).annotate(
            confirmed=ExpressionWrapper(
                Q(mentee_confirmed_at__isnull=False, mentor_confirmed_at__isnull=False), output_field=BooleanField()
            )
        )
        ahead = meetings.filter(status="booked", starts_at__gte=now).values("mentorship")
        return (
            super()
            .get_queryset(request)
            .annotate(
                _meetings_held=Coalesce(
                    Subquery(held.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
                ),
                _next_meeting=Subquery(ahead.annotate(first=Min("starts_at")).values("first")),
                # A subquery, not a join: joined, the agreement stayed in both
                # of the list's counts (of the filtered and of all pairs). A
                # value, not EXISTS: PostgreSQL answered EXISTS by hashing
                # every confirmed agreement (13 ms at 10,000 pairs), a value
                # it looks up by the page's pairs (null: no agreement yet).
                _agreement_confirmed=Subquery(agreements.values("confirmed")),
                # The coordinator sees whose e-mail bounced, on the pairs they see.
                _mentee_bounce=mail_bounce_answer(mentorship=OuterRef("pk"), recipient=OuterRef("mentee_id")),
                _mentor_bounce=mail_bounce_answer(mentorship=OuterRef("pk"), recipient=OuterRef("mentor_id")),
            )
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pair = self.get_object(request, object_id) if request.method == "GET" else None
        for address, answer in self._bounces(pair) if pair is not None else ():
            messages.warning(request, _("E-mail to %(address)s bounced: %(answer)s") % bounce_words(address, answer))
        held_back = pair is not None and pair.status == MentorshipStatus.INVITED and background_check_missing(pair)
        if held_back:
            messages.warning(request, held_back)
        return super().change_view(request, object_id, form_url, extra_context)

    def _bounces(self, pair):
        """(address, server's answer) of each of the pair's people whose e-mail bounced."""
        found = [(pair.mentee, pair._mentee_bounce), (pair.mentor, pair._mentor_bounce)]
        return [(person.email, answer) for person, answer in found if answer]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program" and not request.user.is_superuser:
            kwargs["queryset"] = Program.objects.filter(id__in=coordinated_program_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # One short word for the header: "agreement confirmed" took two long
    # ones, the widest of the list's headers.
    @admin.display(description=_("agreed"), boolean=True)
    def agreement_confirmed(self, obj):
        return bool(obj._agreement_confirmed)

    @admin.display(description=_("meetings held"), ordering="_meetings_held")
    def meetings_held(self, obj):
        return obj._meetings_held

    # Pairs with nothing booked after those with a next meeting, on any database.
    @admin.display(description=_("next meeting"), ordering=F("_next_meeting").asc(nulls_last=True))
    def next_meeting(self, obj):
        return obj._next_meeting

    # Each person with, under their name, whether e-mail to them bounced: in
    # a column of its own the bounce was the list's ninth, and kept the list
    # only just inside a 1280 px window. The server's answer is on the
    # pair's page (change_view), where there is room for it.
    @admin.display(description=_("mentee"), ordering="mentee")
    def mentee_person(self, obj):
        return person_cell(obj.mentee, obj._mentee_bounce)

    @admin.display(description=_("mentor"), ordering="mentor")
    def mentor_person(self, obj):
        return person_cell(obj.mentor, obj._mentor_bounce)

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


def person_cell(person, bounce):
    """A person's name, and in words (for the eye and a screen reader alike,
    not a colour or an icon alone) that e-mail to them bounced."""
    if not bounce:
        return str(person)
    return format_html(
        '{} <small class="pair-bounce">{}</small>',
        person,
        gettext("E-mail bounces: %(address)s") % {"address": person.email},
    )


def bounce_words(address, answer):
    """The server's answer is its own text: one line, and not the whole essay."""
    return {"address": address, "answer": Truncator(" ".join(answer.split())).chars(120)}
