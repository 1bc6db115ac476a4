from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorskap.encrypted_fields import EncryptedJSONField, EncryptedTextField


class Confidentiality(models.TextChoices):
    """Nivå av konfidens: decides what a coordinator may read."""

    PRIVATE = "private", _("Only the two of us")
    AGREEMENT = "agreement", _("The coordinator may read the agreement, not the meeting notes")
    OPEN = "open", _("The coordinator may read the agreement and the meeting notes")


class Agreement(models.Model):
    """Tillfälle 1: the frame the pair agrees on at the first meeting."""

    mentorship = models.OneToOneField(
        "programs.Mentorship", verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="agreement"
    )
    purpose_and_goals = EncryptedTextField(_("Purpose & goals"), blank=True, max_length=10000)
    roles = EncryptedTextField(_("Roles"), blank=True, max_length=10000)
    communication = EncryptedTextField(_("How and when we communicate"), blank=True, max_length=5000)
    areas = EncryptedTextField(_("Areas the mentorship covers"), blank=True, max_length=5000)
    confidentiality = models.CharField(
        _("Level of confidentiality"), max_length=20, choices=Confidentiality.choices, default=Confidentiality.PRIVATE
    )
    # The level in force for coordinators: what the last level both parties
    # confirmed allows, or a stricter one chosen since (a level that shares
    # less takes effect at once, one that shares more only when both have
    # confirmed it). programs.permissions reads this, never `confidentiality`.
    shared_confidentiality = models.CharField(
        _("Level of confidentiality in force"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.PRIVATE,
    )
    confidentiality_notes = EncryptedTextField(_("About confidentiality"), blank=True, max_length=5000)
    meeting_arrangements = EncryptedTextField(_("How and how often we meet"), blank=True, max_length=5000)
    costs = EncryptedTextField(_("How costs are handled"), blank=True, max_length=5000)
    summary = EncryptedTextField(_("Summary notes from meeting 1"), blank=True, max_length=20000)
    mentee_confirmed_at = models.DateTimeField(_("confirmed by the mentee"), null=True, blank=True)
    mentor_confirmed_at = models.DateTimeField(_("confirmed by the mentor"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    TEXT_FIELDS = (
        "purpose_and_goals",
        "roles",
        "communication",
        "areas",
        "confidentiality",
        "confidentiality_notes",
        "meeting_arrangements",
        "costs",
        "summary",
    )

    # What the template asks the pair to agree on before "Vi är överens": a
    # draft may lack them, a confirmation may not.
    REQUIRED_FOR_CONFIRMATION = ("purpose_and_goals", "confidentiality")

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return str(_("Agreement for %(mentorship)s") % {"mentorship": self.mentorship})

    @property
    def is_confirmed(self):
        return bool(self.mentee_confirmed_at and self.mentor_confirmed_at)

    @property
    def is_started(self):
        return self.version > 0

    @property
    def missing_for_confirmation(self):
        """The names of the required fields this version leaves empty."""
        missing = []
        for name in self.REQUIRED_FOR_CONFIRMATION:
            value = getattr(self, name)
            if name == "confidentiality":
                if value not in Confidentiality.values:
                    missing.append(name)
            elif not value.strip():
                missing.append(name)
        return missing

    @property
    def missing_labels(self):
        return [self._meta.get_field(name).verbose_name for name in self.missing_for_confirmation]

    @property
    def is_complete(self):
        return not self.missing_for_confirmation

    @property
    def confidentiality_pending(self):
        """The level the pair chose, while it waits for both to confirm it."""
        return self.confidentiality != self.shared_confidentiality


class AgreementVersion(models.Model):
    """Every saved version of an agreement, so none is ever lost."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    content = EncryptedJSONField(_("content"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["agreement", "version"], name="agreement_version_unique")]

    def __str__(self):
        return f"{self.agreement_id} v{self.version}"
