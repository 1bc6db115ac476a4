"""The e-mail of privacy: a person asked for erasure (to the coordinators of
their programs and the superusers), and a program's data will soon be
anonymised (to its coordinators, once)."""

from datetime import datetime
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from outbox import kinds
from outbox.models import MailStatus, OutgoingMail
from outbox.render import absolute_url
from programs.models import Program

from .models import ErasureRequest, ErasureStatus


class PrivacyMail(models.TextChoices):
    ERASURE_REQUESTED = "erasure_requested", _("Erasure requested")
    RETENTION_WARNING = "retention_warning", _("Program data will be anonymised")


def _erasure_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    request = ErasureRequest.objects.select_related("user").filter(pk=row.context.get("request")).first()
    url = reverse("admin:privacy_erasurerequest_change", args=[request.pk]) if request else reverse("admin:index")
    return {"request": request, "person": request.user if request else None, "object_url": absolute_url(url)}


def _erasure_still_pending(row: OutgoingMail, now: datetime) -> kinds.Skip:
    # Once carried out, the e-mail would only name an anonymous person.
    if not ErasureRequest.objects.filter(pk=row.context.get("request"), status=ErasureStatus.PENDING).exists():
        return MailStatus.CANCELLED, "The erasure request has been carried out."
    return None


def _retention_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    program = Program.objects.filter(pk=row.context.get("program")).first()
    url = reverse("admin:programs_program_change", args=[program.pk]) if program else reverse("admin:index")
    return {
        "program": program,
        "anonymise_on": datetime.fromisoformat(row.context["on"]).date() if row.context.get("on") else None,
        "pairs": row.context.get("pairs", 0),
        "object_url": absolute_url(url),
    }


kinds.register(PrivacyMail.ERASURE_REQUESTED, context=_erasure_context, checks=(_erasure_still_pending,))
kinds.register(PrivacyMail.RETENTION_WARNING, context=_retention_context)
