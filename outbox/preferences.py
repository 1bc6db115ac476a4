"""Notification preferences: read, change, and the signed one-click link.

The link in every e-mail carries a signature of the person's id, so the page
opens without logging in (people read mail on phones where they are not
logged in). It only ever lets someone turn reminders, nudges and comment e-mails on or off.
"""

from typing import Any

from django.core import signing

from .models import NotificationPreferences

TOKEN_SALT = "mentorskap.notification-preferences"
# A link in an old e-mail should still work; a year covers any mailbox habit.
TOKEN_MAX_AGE = 365 * 24 * 3600


def preferences_token(user: Any) -> str:
    return signing.dumps({"u": user.pk}, salt=TOKEN_SALT, compress=True)


def preferences_user_id_from_token(token: str) -> int | None:
    """The user id the token was made for, or None if it is forged or too old."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None


def preferences_for(user: Any) -> NotificationPreferences:
    """The person's preferences; unsaved defaults (all on) if they never chose."""
    try:
        return NotificationPreferences.objects.get(user=user)
    except NotificationPreferences.DoesNotExist:
        return NotificationPreferences(user=user)


def preferences_update(
    *, user: Any, reminders: bool, nudges: bool, comments: bool | None = None
) -> NotificationPreferences:
    """Save the person's choices; `comments` left None stays as it was."""
    choices = {"reminders": reminders, "nudges": nudges}
    if comments is not None:
        choices["comments"] = comments
    prefs, _created = NotificationPreferences.objects.update_or_create(user=user, defaults=choices)
    return prefs
