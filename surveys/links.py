"""The personal link in a survey e-mail: signed, naming one invitation and
carrying a random secret that exists nowhere but in the link.

The secret is made when the e-mail is rendered for sending (surveys.mail_kinds),
so it is never written to the outbox row or anywhere else. An anonymous
answer is stored under a hash of it: whoever holds the link can find and
change that answer, nobody else can, and the server cannot tell whose it is.

What a holder of the server's SECRET_KEY can and cannot do: they can make a
valid link for any invitation (so answer for someone who has not yet
answered, as they could by writing to the database directly); they cannot
find or tie an anonymous answer to its person, because its key is the hash
of a random secret the server never kept.
"""

import hashlib
import secrets
from typing import Any

from django.core import signing

SALT = "surveys.answer-link"


def link_token(invitation_id: int) -> str:
    return signing.dumps([invitation_id, secrets.token_urlsafe(24)], salt=SALT)


def link_read(token: str) -> tuple[int, str] | None:
    """(invitation id, secret) of a link we made, or None for any other text."""
    try:
        data: Any = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not (isinstance(data, list) and len(data) == 2):
        return None
    invitation_id, secret = data
    if not (isinstance(invitation_id, int) and isinstance(secret, str) and len(secret) >= 20):
        return None
    return invitation_id, secret


def answer_key(secret: str) -> str:
    return hashlib.sha256(f"surveys.answer:{secret}".encode()).hexdigest()
