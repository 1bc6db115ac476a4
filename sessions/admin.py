"""The coordinator's read-only view of agreements and meetings.

Coordinators see metadata (dates, counts, status). Note text is shown only
where the pair's confidentiality level shares it, for every admin user.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs.admin_scope import CoordinatorScopedAdmin

from .models import Agreement, Confidentiality, Meeting, OutgoingMail

AGREEMENT_META = [
    "mentorship",
    "confidentiality",
    "version",
    "updated_at",
    "mentee_confirmed_at",
    "mentor_confirmed_at",
]
AGREEMENT_TEXT = [
    "purpose_and_goals",
    "roles",
    "communication",
    "areas",
    "confidentiality_notes",
    "meeting_arrangements",
    "costs",
    "summary",
]
MEETING_META = ["mentorship", "number", "starts_at", "ends_at", "location", "status", "notes_updated_at"]
MEETING_TEXT = ["reflection", "summary"]


def _confidentiality_of(obj):
    agreement = obj if isinstance(obj, Agreement) else getattr(obj.mentorship, "agreement", None)
    return agreement.confidentiality if agreement else Confidentiality.PRIVATE


@admin.register(Agreement)
class AgreementAdmin(CoordinatorScopedAdmin):
    program_lookup = "mentorship__program_id"
    read_only_for_coordinators = True
    list_display = ["mentorship", "confidentiality", "is_confirmed", "updated_at"]
    list_filter = ["confidentiality"]
    list_select_related = ["mentorship__program", "mentorship__mentor", "mentorship__mentee"]

    def get_fields(self, request, obj=None):
        if obj and _confidentiality_of(obj) in (Confidentiality.AGREEMENT, Confidentiality.OPEN):
            return AGREEMENT_META + AGREEMENT_TEXT
        return AGREEMENT_META

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("confirmed by both"), boolean=True)
    def is_confirmed(self, obj):
        return obj.is_confirmed


@admin.register(Meeting)
class MeetingAdmin(CoordinatorScopedAdmin):
    program_lookup = "mentorship__program_id"
    read_only_for_coordinators = True
    list_display = ["mentorship", "number", "starts_at", "status"]
    list_filter = ["status"]
    list_select_related = ["mentorship__program", "mentorship__mentor", "mentorship__mentee"]

    def get_fields(self, request, obj=None):
        if obj and _confidentiality_of(obj) == Confidentiality.OPEN:
            return MEETING_META + MEETING_TEXT
        return MEETING_META

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The outbox, for the operator: failed rows are found here."""

    list_display = ["kind", "recipient", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email"]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields if f.name != "status"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False
