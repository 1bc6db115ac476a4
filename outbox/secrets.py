"""Codes and links that let someone in do not stay in the database.

A row may carry secrets (a login code, a password-reset link) for its
templates; once the row is out of the dispatcher's hands (sent, failed,
cancelled, expired) they are cleared. One UPDATE over the few rows that
still have them (a partial index finds them).
"""

from .models import MailStatus, OutgoingMail

STILL_NEEDED = (MailStatus.PENDING, MailStatus.SENDING)


def mail_secrets_clear() -> int:
    """Clear the secrets of every row that no longer needs them; returns how many."""
    done = OutgoingMail.objects.filter(secrets__isnull=False).exclude(status__in=STILL_NEEDED)
    return done.update(secrets=None)
