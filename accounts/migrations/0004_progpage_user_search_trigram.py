"""Trigram indexes for the program page's search by name or e-mail, on
PostgreSQL: `UPPER(name) LIKE '%WORD%'` (Django's icontains) reads the index
instead of every person. Not in the model's state: SQLite has no such index,
and the search is the same query with or without it.

pg_trgm ships with PostgreSQL and is a trusted extension (13 and later): the
database's owner may create it. Where the migration's user may not, the
indexes are left out with a message, and the search still works, scanning."""

from django.db import migrations
from django.db.utils import ProgrammingError

INDEXES = {
    "user_name_trgm": "UPPER(name) gin_trgm_ops",
    "user_email_trgm": "UPPER(email) gin_trgm_ops",
}


def _extension_ready(cursor):
    try:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except ProgrammingError as error:
        print(f"\n  pg_trgm could not be created ({error}); the search by name scans instead.")
        return False
    return True


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if not _extension_ready(cursor):
            return
        for name, expression in INDEXES.items():
            # CONCURRENTLY: writes to the people go on while it builds.
            # fastupdate off: a new person is in the index at once, not in a
            # pending list that every search reads through until a vacuum
            # (after 10,000 pairs imported, the planner scanned every person
            # instead: 14 ms a word and side, against 1.5).
            cursor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON accounts_user "
                f"USING gin ({expression}) WITH (fastupdate = off)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run in a transaction.
    atomic = False

    dependencies = [
        ("accounts", "0003_progpage_user_name_index"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
