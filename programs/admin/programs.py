"""Programs, with their pairs inline."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..admin_scope import CoordinatorScopedAdmin, CoordinatorScopedInline
from ..background_checks import background_check_missing
from ..models import Mentorship, MentorshipStatus, Program
from .focus_area_widget import FocusAreaCheckboxesMixin


class MentorshipInlineForm(forms.ModelForm):
    def clean_status(self):
        # The same gate as everywhere a pair becomes active (programs.background_checks).
        status = self.cleaned_data["status"]
        pair = self.instance
        if status == MentorshipStatus.ACTIVE and pair.pk and pair.status != MentorshipStatus.ACTIVE:
            reason = background_check_missing(pair)
            if reason:
                raise forms.ValidationError(reason)
        return status


class MentorshipInline(CoordinatorScopedInline, admin.TabularInline):
    model = Mentorship
    form = MentorshipInlineForm
    fields = ["pair", "status", "starts_on", "ends_on"]
    readonly_fields = ["pair"]
    extra = 0

    @admin.display(description=_("pair"))
    def pair(self, obj):
        # Django's own change link would be built from the integer key, one
        # query per row to turn it into the public id; this link has it.
        url = reverse("admin:programs_mentorship_change", args=[obj.public_id], current_app=self.admin_site.name)
        return format_html('<a href="{}">{} ↔ {}</a>', url, obj.mentee, obj.mentor)

    def has_add_permission(self, request, obj=None):
        return False  # pairs are added on their own page, where people are invited

    def has_delete_permission(self, request, obj=None):
        # Deleting a pair here would take its agreement and notes with it,
        # unseen; the pair's own delete page lists what goes with it and lets
        # coordinators delete only a pair whose journal has not started.
        return False

    def get_queryset(self, request):
        # Each row shows both people and links by the pair's name: one query, not three per pair.
        return super().get_queryset(request).select_related("program", "mentor", "mentee")


# Inlines that apps above this one add to the program's page (the surveys
# app adds the program's own questions), filled in their AppConfig.ready().
PROGRAM_INLINES: list[type] = []


@admin.register(Program)
class ProgramAdmin(FocusAreaCheckboxesMixin, CoordinatorScopedAdmin):
    program_lookup = "id"
    list_display = ["name", "kind", "starts_on", "ends_on", "pair_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MentorshipInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "description", ("starts_on", "ends_on"), "focus_areas"]}),
        (_("Coordinators"), {"fields": ["coordinators"]}),
        (
            _("Meetings and reminders"),
            {
                "fields": [
                    ("reminder_days_before", "reminder_hours_before"),
                    ("notes_nudge_after_days", "booking_nudge_after_days", "booking_nudge_max"),
                    ("stalled_after_weeks", "agreement_due_weeks"),
                ]
            },
        ),
        (_("Extract from the police's register"), {"fields": ["requires_background_check"]}),
        (
            _("Follow-up surveys"),
            {
                "fields": [
                    ("survey_checkin", "survey_checkin_after_days"),
                    "survey_evaluation",
                    "survey_anonymous",
                ]
            },
        ),
    ]

    def get_inlines(self, request, obj):
        return [*PROGRAM_INLINES, *super().get_inlines(request, obj)]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_pair_count=Count("mentorships"))

    @admin.display(description=_("pairs"), ordering="_pair_count")
    def pair_count(self, obj):
        return obj._pair_count

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Coordinators do not pick among all users; they are added themselves.
        return [fs for fs in fieldsets if fs[1]["fields"] != ["coordinators"]]

    def has_add_permission(self, request):
        return request.user.is_superuser or (request.user.is_staff and request.user.is_active)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        # A new coordinator starts with no program: the (empty) list is theirs.
        if obj is None:
            return self.has_module_permission(request)
        return super().has_view_permission(request, obj)

    def save_related(self, request, form, formset, change):
        super().save_related(request, form, formset, change)
        if not request.user.is_superuser:
            # The coordinator who creates a program coordinates it.
            form.instance.coordinators.add(request.user)
            request.user._coordinated_program_ids = None
