import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mentorskap.encrypted_fields import EncryptedTextField
from programs.models import DEFAULT_MEETING_LENGTH, MeetingStatus


class Meeting(models.Model):
    """Tillfälle N. Number 1 is the first meeting, where the agreement is made."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentorship = models.ForeignKey(
        "programs.Mentorship", verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("place or video link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.BOOKED)
    reflection = EncryptedTextField(_("Reflection on the previous meeting"), blank=True, max_length=20000)
    summary = EncryptedTextField(_("Summary notes from this meeting"), blank=True, max_length=20000)
    # "Avslutande möte" (issue 11): the last meeting, booked like any other;
    # its notes form asks the closing questions.
    is_closing = models.BooleanField(_("closing meeting"), default=False, db_default=False)
    # Optimistic locking of the notes: a save must name the version it started from.
    version = models.PositiveIntegerField(_("version"), default=0)
    # iCalendar SEQUENCE: raised on every change of time, place or status.
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    notes_updated_at = models.DateTimeField(_("notes updated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["mentorship", "number"]
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "number"], name="meeting_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="meeting_number_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="meeting_status_starts"),
            models.Index(fields=["mentorship", "starts_at"], name="meeting_mentorship_starts"),
        ]

    def __str__(self):
        return str(_("Meeting %(number)s") % {"number": self.number})

    @property
    def is_first(self):
        return self.number == 1

    @property
    def ends_or_default(self) -> datetime | None:
        """When the meeting ends: its end time, or the default length after
        its start in real time."""
        if self.starts_at is None:
            return None
        return self.ends_at or self.starts_at.astimezone(UTC) + DEFAULT_MEETING_LENGTH

    @property
    def has_notes(self):
        return bool(self.summary or self.reflection)


class ReminderItem(models.Model):
    """A "kom ihåg" item written at one meeting, ticked off at the next."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="reminder_items"
    )
    text = EncryptedTextField(_("text"), max_length=300)
    done = models.BooleanField(_("done"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("remember item")
        verbose_name_plural = _("remember items")
        ordering = ["meeting", "position", "id"]

    def __str__(self):
        return self.text


class Comment(models.Model):
    """A comment on a meeting, typically from the mentor."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = EncryptedTextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["meeting", "created_at"]

    def __str__(self):
        return self.text[:50]
