from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import kinds


class MailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    FAILED = "failed", _("Failed")


class OutgoingMail(models.Model):
    """The outbox: every e-mail is a row first, written in the same
    transaction as the change that causes it, and sent by the dispatcher."""

    # A person, or only an address (allauth's mail to an address nobody has:
    # "no account here"); to_address, when set, is where the e-mail goes,
    # e.g. the new address a person is confirming.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outgoing_mail",
    )
    to_address = models.EmailField(_("to address"), blank=True)
    # The kinds are declared by the apps (outbox.kinds); the choices are read
    # from there, so a new kind needs no migration here.
    kind = models.CharField(_("kind"), max_length=40, choices=kinds.choices)
    # What the e-mail is about, so that deleting a pair or a meeting takes its
    # e-mail along and a change can cancel what is pending about it. Named by
    # string: the outbox imports no domain app.
    mentorship = models.ForeignKey(
        "programs.Mentorship",
        verbose_name=_("mentorship"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "mentoring_sessions.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The meeting's calendar sequence when the row was written; a row whose
    # meeting has changed since is stale and is not sent.
    meeting_sequence = models.PositiveIntegerField(_("meeting sequence"), null=True, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    # What must not stay in the database once the e-mail is out (a login
    # code, a password-reset link): cleared when the row is sent or has
    # failed (outbox.secrets).
    secrets = models.JSONField(_("secrets"), null=True, blank=True)
    # A row with a key is written at most once: nudges and digests use it.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True, unique=True)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=MailStatus.choices, default=MailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the dispatcher first tried it: temporary failures are retried for
    # MENTORSKAP_MAIL_RETRY_FOR_SECONDS from here.
    first_attempt_at = models.DateTimeField(_("first attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        # The table of the release before the outbox became an app: moving
        # the model copied no row (migration 0001 is state only).
        db_table = "mentoring_sessions_outgoingmail"
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        ordering = ["due_at", "id"]
        indexes = [
            # The dispatcher's scan: its cost follows the due rows, not the table.
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="outbox_pending_due"),
            models.Index(fields=["lease_until"], condition=Q(status="sending"), name="outbox_sending_lease"),
            models.Index(fields=["meeting", "status"], name="outbox_meeting_status"),
            # Few rows carry secrets, and only until they are out.
            models.Index(fields=["status"], condition=Q(secrets__isnull=False), name="outbox_with_secrets"),
        ]

    @property
    def address(self) -> str:
        """Where the e-mail goes."""
        if self.to_address:
            return self.to_address
        return self.recipient.email if self.recipient is not None else ""

    def __str__(self) -> str:
        # Cheap on purpose (no query for the recipient): a pair's delete page
        # names each of its e-mails; the admin's columns show who.
        due = timezone.localtime(self.due_at).strftime("%Y-%m-%d %H:%M") if self.due_at else "–"
        return f"{self.get_kind_display()}, {due} ({self.get_status_display()})"


class NotificationPreferences(models.Model):
    """What a person lets us send besides booking changes.

    Booking changes (booked, moved, cancelled) always go out: a missed one is
    a missed meeting. Reminders, nudges and comments can be turned off; each kind of
    e-mail names its group (outbox.kinds). A person without a row has
    everything on.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    reminders = models.BooleanField(
        _("Reminders before meetings"),
        default=True,
        help_text=_("An e-mail some time before each booked meeting."),
    )
    nudges = models.BooleanField(
        _("Nudges and digests"),
        default=True,
        help_text=_("A gentle e-mail when notes are missing or no next meeting is booked, and coordinators' digests."),
    )
    comments = models.BooleanField(
        _("Comments"),
        default=True,
        help_text=_("An e-mail when the other party comments on a meeting."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "mentoring_sessions_notificationpreferences"
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)

    def allows(self, group: str) -> bool:
        """Whether these choices let e-mail of the group go out."""
        if group == kinds.REMINDERS:
            return self.reminders
        if group == kinds.NUDGES:
            return self.nudges
        if group == kinds.COMMENTS:
            return self.comments
        return True


class Heartbeat(models.Model):
    """When a scheduler last showed it is alive: Celery beat's heartbeat task
    (or `send_due_mail` from cron) writes it, /readyz reads it. One row per
    name; written by an upsert, so two beats started by mistake do no harm."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    seen_at = models.DateTimeField(_("seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return self.name
