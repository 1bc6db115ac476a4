"""allauth's e-mail goes through the outbox like every other.

allauth renders and sends its e-mail inside the request; with the SMTP
server down the page would fail, and a slow one would hold it for the whole
timeout. Here its call becomes an outbox row instead, written at once and
sent by the dispatcher (kicked after commit: a login code is awaited). What
allauth's templates need is kept in the row as JSON; the code or link that
lets someone in is kept apart (the row's secrets) and cleared once the
e-mail is out. The recipient is the person the address belongs to, or
nobody (the "no account for this address" e-mail).
"""

from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import translation

from outbox.enqueue import dispatch_after_commit, mail_enqueue

from .mail_kinds import ALLAUTH_KINDS, SECRET_KEYS, AccountMail

# What allauth's context holds that the row does not keep: the request and
# the site are of this request; the person is the row's recipient and the
# address its to_address.
NOT_KEPT = frozenset({"request", "current_site", "user", "email"})
PLAIN = (str, int, float, bool, type(None))


def allauth_mail_enqueue(*, template_prefix: str, email: str, context: dict[str, Any]):
    """Write allauth's e-mail `template_prefix` to `email` as an outbox row."""
    kept, secrets, datetimes = {}, {}, []
    for key, value in context.items():
        if key in NOT_KEPT:
            continue
        if isinstance(value, datetime):
            kept[key] = value.isoformat()
            datetimes.append(key)
        elif key in SECRET_KEYS and isinstance(value, str):
            secrets[key] = value
        elif isinstance(value, PLAIN):
            kept[key] = value
    kept.update(
        template=template_prefix,
        datetimes=datetimes,
        has_secrets=bool(secrets),
        # The language of the page it was asked for on: the e-mail's, when
        # the address is nobody's.
        language=translation.get_language(),
    )
    row = mail_enqueue(
        recipient=_person(email, context.get("user")),
        to_address=email,
        kind=ALLAUTH_KINDS.get(template_prefix, AccountMail.OTHER),
        context=kept,
        secrets=secrets,
    )
    dispatch_after_commit()  # a login code is awaited: send now, not at the next tick
    return row


def _person(email: str, user: Any):
    """Whose e-mail this is: the person allauth names, else the one whose address it is."""
    User = get_user_model()
    if isinstance(user, User):
        return user
    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
        person = address.user if address else None
    return person
