from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ErasureRequest, ErasureStatus
from .services import personal_data_erase


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """Only superusers see and carry out erasure requests."""

    list_display = ("__str__", "status", "requested_at", "carried_out_at")
    list_filter = ("status",)
    readonly_fields = ("user", "message", "status", "requested_at", "carried_out_at", "carried_out_by", "report")
    actions = ["carry_out"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Carry out the erasure"))
    def carry_out(self, request, queryset):
        for erasure in queryset.filter(status=ErasureStatus.PENDING).select_related("user"):
            report = personal_data_erase(user=erasure.user, by=request.user)
            self.message_user(request, _("Erased: %(report)s") % {"report": report}, messages.SUCCESS)
