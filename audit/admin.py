"""The audit trail in the admin: superusers read it, filtered by what
happened, to what and when; no one changes it, coordinators do not see it."""

from auditlog.mixins import LogEntryAdminMixin
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mentorskap.admin_access import SuperuserReadOnlyAdmin, is_superuser

from .models import AuditEntry

READ_LABELS = {
    "agreement": _("the agreement"),
    "notes": _("the meeting notes"),
    "version": _("an earlier version of the agreement"),
}

# auditlog registers its own admin for the entry model; this one replaces it.
if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)


class ReadFilter(admin.SimpleListFilter):
    title = _("note text read")
    parameter_name = "note_read"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(action=AuditEntry.Action.ACCESS)
        if self.value() == "no":
            return queryset.exclude(action=AuditEntry.Action.ACCESS)
        return queryset


class KindFilter(admin.SimpleListFilter):
    """What an entry is about, by the model's own name in the person's
    language (auditlog's filter lists the code's names)."""

    title = _("what")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        ids = AuditEntry.objects.order_by().values_list("content_type_id", flat=True).distinct()
        kinds = [(ct.pk, ct.model_class()) for ct in ContentType.objects.filter(pk__in=list(ids))]
        return sorted(
            ((str(pk), model._meta.verbose_name_plural.capitalize()) for pk, model in kinds if model is not None),
            key=lambda choice: str(choice[1]),
        )

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(content_type_id=int(self.value()))
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(SuperuserReadOnlyAdmin, LogEntryAdminMixin, admin.ModelAdmin):
    date_hierarchy = "timestamp"
    list_display = ["timestamp", "action", "content_type", "object_repr", "actor_email", "summary"]
    list_filter = ["action", ReadFilter, KindFilter, "timestamp"]
    list_select_related = ["content_type"]
    search_fields = ["object_repr", "actor_email", "=program_id", "=mentorship_id"]
    fields = [
        "timestamp",
        "action",
        "content_type",
        "object_pk",
        "object_repr",
        "program_id",
        "mentorship_id",
        "actor",
        "actor_email",
        "summary",
        "msg",
    ]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("what"))
    def summary(self, obj):
        if obj.action == AuditEntry.Action.ACCESS:
            read = ", ".join(str(READ_LABELS.get(code, code)) for code in obj.note_reads)
            return _("read %(what)s") % {"what": read}
        return ", ".join(sorted((obj.changes_dict or {}).keys())) or self.get_empty_value_display()

    def changelist_view(self, request, extra_context=None):
        self._superusers_only(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._superusers_only(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._superusers_only(request)
        return super().history_view(request, object_id, extra_context)

    @staticmethod
    def _superusers_only(request):
        # As everywhere, what a person may not see is a 404, not a 403.
        if not is_superuser(request):
            raise Http404
