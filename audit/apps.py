from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .middleware import actor_on_entry
        from .models import AuditEntry

        pre_save.connect(actor_on_entry, sender=AuditEntry, dispatch_uid="audit:actor_on_entry")
