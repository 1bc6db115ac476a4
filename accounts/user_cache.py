"""The logged-in person read from the shared cache, not PostgreSQL.

Every page a logged-in person opens loads their row: as a query it was about
three quarters of the floor under every page (issue 10). The row is kept in
the cache for a few minutes and forgotten whenever a person is saved or
deleted (accounts.signals), at once and again when the transaction commits,
so a request that read the old row meanwhile cannot put it back. A write that
bypasses the signals (`QuerySet.update()`) calls forget_user itself; the
short lifetime bounds whatever is missed.
"""

from django.core.cache import cache
from django.db import transaction

USER_CACHE_SECONDS = 300


def _key(pk) -> str:
    return f"accounts:user:{pk}"


def cached_user(pk):
    """The person cached under `pk`, or None."""
    return cache.get(_key(pk))


def remember_user(user) -> None:
    cache.set(_key(user.pk), user, USER_CACHE_SECONDS)


def forget_user(pk) -> None:
    key = _key(pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
