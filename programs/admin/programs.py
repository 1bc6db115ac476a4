"""Programs: their own settings, and the way to their pairs.

The pairs are not inline: a program of 10,000 pairs would send a field set
per pair on every save (past DATA_UPLOAD_MAX_NUMBER_FIELDS at about 200
pairs) and render them all. The page says how many pairs there are and
links to the pair list filtered to the program, where each pair is edited
on its own form, through the same checks and services as everywhere."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ..admin_scope import CoordinatorScopedAdmin
from ..models import Mentorship, Program
from .focus_area_widget import FocusAreaCheckboxesMixin

# Inlines that apps above this one add to the program's page (the surveys
# app adds the program's own questions), filled in their AppConfig.ready().
PROGRAM_INLINES: list[type] = []


@admin.register(Program)
class ProgramAdmin(FocusAreaCheckboxesMixin, CoordinatorScopedAdmin):
    program_lookup = "id"
    list_display = ["name", "kind", "starts_on", "ends_on", "pair_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    change_form_template = "admin/programs/program/change_form.html"
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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["program_pairs"] = self._pairs_summary(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def _pairs_summary(self, request, program):
        """How many pairs, and links to them, without reading a pair: the same at 10 or 10,000."""
        # get_object() read the program through get_queryset(): the count came with it.
        count = getattr(program, "_pair_count", None)
        list_url = reverse("admin:programs_mentorship_changelist", current_app=self.admin_site.name)
        return {
            "count": program.mentorships.count() if count is None else count,
            "list_url": f"{list_url}?{urlencode({'program__id__exact': program.pk})}",
            "add_url": self._pair_add_url(request, program),
        }

    def _pair_add_url(self, request, program):
        # A program that has ended takes no new pairs: the pair form refuses
        # an open pair in it, and an ended one would invite people to nothing.
        ended = program.ends_on is not None and program.ends_on < timezone.localdate()
        if ended or not self.admin_site.get_model_admin(Mentorship).has_add_permission(request):
            return None
        add_url = reverse("admin:programs_mentorship_add", current_app=self.admin_site.name)
        return f"{add_url}?{urlencode({'program': program.pk})}"

    def save_related(self, request, form, formset, change):
        super().save_related(request, form, formset, change)
        if not request.user.is_superuser:
            # The coordinator who creates a program coordinates it.
            form.instance.coordinators.add(request.user)
            request.user._coordinated_program_ids = None
