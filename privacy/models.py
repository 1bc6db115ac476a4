from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Carried out")


class ErasureRequest(models.Model):
    """A person's request that their personal data be erased: asked in the
    app, carried out by a superuser (the admin's action or
    `manage.py erase_personal_data`). The row stays as the record that it was
    done; the person it points to is then anonymous."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="erasure_requests"
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=20, choices=ErasureStatus.choices, default=ErasureStatus.PENDING)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    carried_out_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the erasure changed: counts per kind of data, no personal data.
    report = models.JSONField(_("report"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at"]
        constraints = [
            # One open request per person: asking twice changes nothing.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="erasure_one_pending_per_user"
            )
        ]

    def __str__(self):
        # No name: the admin's history keeps this text after the erasure.
        return str(_("Erasure request %(id)s") % {"id": self.pk})
