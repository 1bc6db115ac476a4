"""The audit trail's one table: django-auditlog's entry, with the program and
pair it is about, so that the trail can be kept as long as the program's
retention rule says and purged with it (see services.trail_purge)."""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import scope_of


class AuditEntryManager(LogEntryManager):
    """auditlog writes every entry through these two; each gets its scope here."""

    def log_create(self, instance, force_log=False, **kwargs):
        self._scope(instance, kwargs)
        return super().log_create(instance, force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        self._scope(instance, kwargs)
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)

    @staticmethod
    def _scope(instance, kwargs):
        program_id, mentorship_id = scope_of(instance)
        kwargs.setdefault("program_id", program_id)
        kwargs.setdefault("mentorship_id", mentorship_id)


class AuditEntry(AbstractLogEntry):
    """Who created, changed or deleted what, or read which note text, and when.

    Plain ids, not foreign keys: an entry outlives the pair or program it is
    about (a deleted pair's entries say who deleted it)."""

    program_id = models.BigIntegerField(_("program id"), null=True, blank=True, db_index=True)
    mentorship_id = models.BigIntegerField(_("pair id"), null=True, blank=True, db_index=True)

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    @property
    def note_reads(self) -> list[str]:
        """The kinds of note text an ACCESS entry records as read."""
        return list((self.additional_data or {}).get("read", []))
