"""The coordinator's read-only view of agreements and meetings.

Coordinators see metadata (dates, counts, status). Note text is shown only
where the pair's confidentiality level in force shares it (a raised level
counts once both have confirmed it), for every admin user.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs import permissions
from programs.admin_public_ids import PublicIdAdminMixin
from programs.admin_scope import CoordinatorScopedAdmin

from .models import Agreement, Meeting
from .note_reads import record_note_reads
from .selectors import agreement_of

AGREEMENT_META = [
    "mentorship",
    "confidentiality",
    "shared_confidentiality",
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


class ConfidentialTextAdmin(CoordinatorScopedAdmin):
    """Read-only in the admin: metadata always, text only where the pair's
    confidentiality level shares it (programs.permissions decides)."""

    program_lookup = "mentorship__program_id"
    read_only_for_coordinators = True
    list_select_related = ["mentorship__program", "mentorship__mentor", "mentorship__mentee", "mentorship__agreement"]
    meta_fields: list = []
    text_fields: list = []

    def text_readable(self, request, obj):
        raise NotImplementedError

    def get_fields(self, request, obj=None):
        if obj is not None and self.text_readable(request, obj):
            return self.meta_fields + self.text_fields
        return self.meta_fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Once per page shown: the audit trail records that note text was read here.
        if obj is not None:
            self.record_reads(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def record_reads(self, request, obj):
        raise NotImplementedError

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(ConfidentialTextAdmin):
    # The level in force decides what a coordinator reads; the chosen one may wait for both to confirm it.
    list_display = ["mentorship", "shared_confidentiality", "confidentiality", "is_confirmed", "updated_at"]
    list_filter = ["shared_confidentiality"]
    meta_fields = AGREEMENT_META
    text_fields = AGREEMENT_TEXT

    def text_readable(self, request, obj):
        return permissions.can_read_agreement(request.user, obj.mentorship, obj)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # The summary is meeting 1's notes: shared only where notes are.
        if obj is not None and not permissions.can_read_notes(request.user, obj.mentorship, obj):
            fields = [f for f in fields if f != "summary"]
        return fields

    def record_reads(self, request, obj):
        if self.text_readable(request, obj) and obj.is_started:
            notes = permissions.can_read_notes(request.user, obj.mentorship, obj)
            record_note_reads(request, obj, agreement=True, notes=notes, page="admin")

    @admin.display(description=_("confirmed by both"), boolean=True)
    def is_confirmed(self, obj):
        return obj.is_confirmed


@admin.register(Meeting)
class MeetingAdmin(PublicIdAdminMixin, ConfidentialTextAdmin):
    list_display = ["mentorship", "number", "starts_at", "status"]
    list_filter = ["status"]
    meta_fields = MEETING_META
    text_fields = MEETING_TEXT

    def text_readable(self, request, obj):
        return permissions.can_read_notes(request.user, obj.mentorship, agreement_of(obj.mentorship))

    def record_reads(self, request, obj):
        record_note_reads(request, obj, notes=self.text_readable(request, obj), page="admin")
