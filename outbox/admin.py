"""The outbox, for the operator: failed rows are found and retried here."""

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import MailStatus, OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "due_at", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "to_address"]
    list_select_related = ["recipient"]
    # A login code or reset link is not for the operator's eyes either.
    exclude = ["secrets"]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields if f.name != "secrets"]
    actions = ["retry_failed"]

    @admin.action(description=_("Try the selected failed e-mails again"))
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        # Only failed rows: a pending or sending row is already on its way.
        count = queryset.filter(status=MailStatus.FAILED).update(
            status=MailStatus.PENDING, attempts=0, first_attempt_at=None, due_at=timezone.now(), lease_until=None
        )
        self.message_user(request, _("%(count)s e-mails will be tried again.") % {"count": count})

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
