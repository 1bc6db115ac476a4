"""What runs after the caller's transaction commits."""

from collections.abc import Callable

from django.db import transaction


def on_commit_once(func: Callable[[], None]) -> None:
    """Run `func` after the current transaction commits, once however often
    it is asked for in that transaction (an import of 2,000 pairs kicks the
    dispatcher once, not 4,000 times). Outside a transaction it runs now.

    The one place that reads Django's private list of pending callbacks
    (`connection.run_on_commit`, entries of (savepoint ids, func, robust));
    tests/test_private_apis.py fails if Django changes its shape. A callback
    registered in a savepoint that is rolled back is dropped by Django, and
    the next call registers it again."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is func for entry in connection.run_on_commit):
        return
    transaction.on_commit(func)
