"""The logged-in person read from the shared cache, not PostgreSQL.

Every page a logged-in person opens loads their row: as a query it was about
three quarters of the floor under every page (issue 10). The row is kept in
the cache for a few minutes. Saving, deleting or updating a person
(accounts.signals, UserQuerySet) forgets it: a marker takes the row's place
for a few seconds, at once and again when the transaction commits, and a row
is only ever added where nothing is cached, so a request that read the old
row before the commit cannot put it back after. The key carries Django's
version and the model's columns, so a release that changes either never
reads rows cached by the one before.
"""

import functools
import hashlib
from collections.abc import Iterable

import django
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

USER_CACHE_SECONDS = 300
FORGOTTEN = "forgotten"
# Longer than any request takes from reading the row to adding it (one
# function call); every second of it sends the person's pages to the database.
FORGOTTEN_SECONDS = 5


@functools.cache
def _version() -> str:
    columns = ",".join(field.attname for field in get_user_model()._meta.concrete_fields)
    return hashlib.sha256(f"{django.get_version()}:{columns}".encode()).hexdigest()[:12]


def _key(pk) -> str:
    return f"accounts:user:{_version()}:{pk}"


def cached_user(pk):
    """The person cached under `pk`, or None."""
    value = cache.get(_key(pk))
    return None if isinstance(value, str) else value


def remember_user(user) -> None:
    cache.add(_key(user.pk), user, USER_CACHE_SECONDS)


def forget_users(pks: Iterable) -> None:
    keys = [_key(pk) for pk in pks]
    if not keys:
        return

    def mark() -> None:
        cache.set_many(dict.fromkeys(keys, FORGOTTEN), FORGOTTEN_SECONDS)

    mark()
    transaction.on_commit(mark, robust=True)


def forget_user(pk) -> None:
    forget_users([pk])
