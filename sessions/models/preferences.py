from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationPreferences(models.Model):
    """What a person lets us send besides booking changes.

    Booking changes (booked, moved, cancelled) always go out: a missed one is
    a missed meeting. Reminders and nudges can be turned off. A person without
    a row has everything on.
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
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)
