"""Note text encrypted at rest (issue 12): a stolen database dump or backup
reveals no agreement, note, comment, "kom ihåg" item or check-in note.

Fernet (AES-128-CBC with an HMAC-SHA256, from the `cryptography` library) on
each value, with the keys of MENTORSKAP_NOTE_KEYS (settings.py reads and
checks them): the first key encrypts, every key decrypts (MultiFernet), so a
new key goes first and the old one stays behind it until
`manage.py rotate_note_keys` has re-encrypted every value with the new one.

A stored value is `fernet:` and the token. Two values are stored as they
are, on purpose:

- the empty string stays empty, so "has no notes" (`summary=""`, the notes
  nudge) is still a query; that a field is empty is not note text;
- text without the prefix is read as it is: rows an older version wrote
  while the data migration ran (or before it). `rotate_note_keys` encrypts
  whatever such text is left.

A value that has the prefix and does not decrypt (changed in the database,
or encrypted with a key no longer configured) raises NoteDecryptionError, a
clear message, never garbage on a page.
"""

import functools
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "fernet:"
KEYS_SETTING = "MENTORSKAP_NOTE_KEYS"


class NoteDecryptionError(Exception):
    """A stored note that none of the configured keys opens."""

    def __init__(self, where: str = "") -> None:
        place = f" ({where})" if where else ""
        super().__init__(
            f"Encrypted note text could not be decrypted{place}: the stored value was changed, or it was "
            f"encrypted with a key that is not in {KEYS_SETTING}. Put the old key back after the new one "
            "(comma-separated, the new one first) and run `manage.py rotate_note_keys`."
        )


@functools.lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    fernets = [Fernet(key) for key in keys]
    return MultiFernet(fernets), fernets[0]


def _keys() -> tuple[MultiFernet, Fernet]:
    # By the tuple of keys, so a test that overrides the setting gets its own.
    return _fernets(tuple(settings.MENTORSKAP_NOTE_KEYS))


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def encrypt(text: str) -> str:
    """The stored form of `text`: empty stays empty."""
    if text == "":
        return ""
    return PREFIX + _keys()[0].encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(stored: str, *, where: str = "") -> str:
    """The text of a stored value; text without the prefix is returned as
    it is (written before encryption, see the module's docstring)."""
    if not is_encrypted(stored):
        return stored
    try:
        return _keys()[0].decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise NoteDecryptionError(where) from None


def is_current(stored: str) -> bool:
    """Encrypted with the first key (the one new values get)."""
    if not is_encrypted(stored):
        return False
    try:
        _keys()[1].decrypt(stored[len(PREFIX) :].encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True


def rotated(stored: str, *, where: str = "") -> str | None:
    """The value re-encrypted with the first key, or None when it needs
    nothing: empty, or already under the first key. Plain text (see above)
    is encrypted."""
    if stored == "" or is_current(stored):
        return None
    if not is_encrypted(stored):
        return encrypt(stored)
    try:
        token = _keys()[0].rotate(stored[len(PREFIX) :].encode("ascii"))
    except (InvalidToken, UnicodeError):
        raise NoteDecryptionError(where) from None
    return PREFIX + token.decode("ascii")


# JSON values (an agreement version's content) are stored as one JSON string
# holding the encrypted JSON text of the whole value.


def encrypt_json(value: Any, *, encoder: type[json.JSONEncoder] | None = None) -> str:
    return encrypt(json.dumps(value, cls=encoder))


def decrypt_json(stored: Any, *, where: str = "") -> Any:
    """`stored` as the JSON column gives it: the encrypted string, or a value
    written before encryption, returned as it is."""
    if isinstance(stored, str) and is_encrypted(stored):
        return json.loads(decrypt(stored, where=where))
    return stored


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")
