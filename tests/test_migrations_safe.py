"""Every migration can run while the old release still serves (issue 13).

A release runs `migrate` first and restarts the processes after, so for a
while the old code works on the new schema. Each operation of each of our
migrations is checked for what breaks that or locks a busy table:

- AddField of a NOT NULL column without `db_default`: Django drops the
  column's default once it is added, so the old code's INSERTs (which do not
  name the column) fail. Add it nullable, or with `db_default`.
- AlterField that changes the column's type (a table rewrite under an
  exclusive lock) or makes it NOT NULL (a scan of the table under lock).
- RemoveField, DeleteModel, RenameField, RenameModel, AlterModelTable: the
  old code still reads the old name. Stop using it in one release, remove
  it in the next.
- AddIndex, AddConstraint, AlterUniqueTogether on an existing table: CREATE
  INDEX without CONCURRENTLY blocks writes while it builds (use
  AddIndexConcurrently in a non-atomic migration for a big table).
- RunPython or RunSQL without a reverse: the release cannot be rolled back.

Operations on a table created in the same migration are fine. What was
released before this check, or is safe for a reason the check cannot see,
is in ALLOWED with that reason; a new entry needs one too.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.models import NOT_PROVIDED

# (app label, migration, operation index): why it is safe, or why it was accepted.
# Every entry below was released before this check existed (issue 13); none
# is a pattern to copy.
BEFORE_THIS_CHECK = "released before this check; "
ALLOWED = {
    ("accounts", "0002_invitation", 1): BEFORE_THIS_CHECK
    + "the invitation table came in accounts 0001 of the same first release: no old release wrote to it",
    ("accounts", "0002_invitation", 2): BEFORE_THIS_CHECK
    + "the case-insensitive unique e-mail came with the first release, when the user table was new",
    ("accounts", "0002_invitation", 3): BEFORE_THIS_CHECK
    + "the invitation table came in accounts 0001 of the same first release",
    ("mentoring_sessions", "0004_agreement_confidentiality_in_force", 0): BEFORE_THIS_CHECK
    + "one agreement per pair; during that deploy an old release could not save a new agreement",
    ("outbox", "0002_recipient_address_secrets_comments", 0): BEFORE_THIS_CHECK
    + "a person's notification settings are written rarely; an old release saving one failed during the deploy",
    ("outbox", "0002_recipient_address_secrets_comments", 2): BEFORE_THIS_CHECK
    + "to_address: an old release's new e-mail rows failed during that deploy (the outbox moved to its own app then)",
    ("outbox", "0002_recipient_address_secrets_comments", 4): BEFORE_THIS_CHECK
    + "a partial index over the few rows with secrets; its build still scanned the outbox under lock",
    ("programs", "0003_program_meeting_interval_unused", 0): BEFORE_THIS_CHECK
    + "the release before had already stopped reading meeting_interval_weeks (hence 'unused')",
    ("programs", "0004_checkins", 0): BEFORE_THIS_CHECK
    + "one row per program (tens): an old release creating a program failed during the deploy",
    ("programs", "0004_checkins", 1): BEFORE_THIS_CHECK + "as the one above",
    ("mentoring_sessions", "0005_crypto_note_columns", 12): "varchar(300) to text: PostgreSQL relabels the "
    + "column without rewriting the table or scanning it (binary-compatible types); the 300 characters stay the "
    + "form's limit of the plain text",
}

RENAMES_AND_REMOVALS = (
    migrations.RemoveField,
    migrations.DeleteModel,
    migrations.RenameField,
    migrations.RenameModel,
    migrations.AlterModelTable,
)
INDEX_BUILDS = (migrations.AddIndex, migrations.AddConstraint, migrations.AlterUniqueTogether)


def our_apps():
    # Ours are the packages at the top of the repository; the virtualenv may
    # live inside it too (.venv), with every library's migrations.
    base = settings.BASE_DIR
    return {config.label for config in apps.get_app_configs() if Path(config.path).parent == base}


def created_here(migration, model_name):
    return any(
        isinstance(op, migrations.CreateModel) and op.name_lower == model_name.lower() for op in migration.operations
    )


def problems_of(loader, key, migration):
    app_label = key[0]
    state = loader.project_state(key, at_end=False)
    for index, op in enumerate(migration.operations):
        model_name = getattr(op, "model_name", None) or getattr(op, "name", None)
        fresh = model_name is not None and created_here(migration, model_name)
        problem = None
        if isinstance(op, migrations.AddField) and not fresh:
            field = op.field
            if not field.null and field.db_default is NOT_PROVIDED and not field.many_to_many:
                problem = "AddField NOT NULL without db_default"
        elif isinstance(op, migrations.AlterField) and not fresh:
            after = state.clone()
            op.state_forwards(app_label, after)
            old = state.apps.get_model(app_label, op.model_name)._meta.get_field(op.name)
            new = after.apps.get_model(app_label, op.model_name)._meta.get_field(op.name)
            if old.column:  # not a many-to-many
                old_type = old.db_parameters(connection)["type"]
                new_type = new.db_parameters(connection)["type"]
                if old_type != new_type:
                    problem = f"AlterField type {old_type} -> {new_type}"
                elif old.null and not new.null:
                    problem = "AlterField makes the column NOT NULL"
        elif isinstance(op, RENAMES_AND_REMOVALS):
            problem = f"{type(op).__name__}: the old release still uses the old name"
        elif isinstance(op, AddIndexConcurrently):
            if migration.atomic:
                problem = "AddIndexConcurrently in an atomic migration (it cannot run in a transaction)"
        elif isinstance(op, INDEX_BUILDS) and not fresh:
            problem = f"{type(op).__name__} on an existing table builds an index under lock"
        elif isinstance(op, migrations.RunPython) and not op.reversible:
            problem = "RunPython without reverse_code"
        elif isinstance(op, migrations.RunSQL) and not op.reversible:
            problem = "RunSQL without reverse_sql"
        elif isinstance(op, migrations.SeparateDatabaseAndState) and any(
            isinstance(db_op, (*RENAMES_AND_REMOVALS, migrations.AlterField, migrations.RunSQL))
            for db_op in op.database_operations
        ):
            # What it does to the tables is not what the state says: a person reads it.
            problem = "SeparateDatabaseAndState that removes, renames or alters in the database"
        if problem:
            yield (app_label, key[1], index), problem
        state = state.clone()
        op.state_forwards(app_label, state)


def test_every_migration_can_run_while_the_old_release_serves():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = our_apps()
    found = {}
    for key, migration in sorted(loader.disk_migrations.items()):
        if key[0] in ours:
            found.update(problems_of(loader, key, migration))
    unexplained = {where: problem for where, problem in found.items() if where not in ALLOWED}
    assert not unexplained, "Unsafe while the old release serves (see this test's docstring):\n" + "\n".join(
        f"  {where}: {problem}" for where, problem in sorted(unexplained.items())
    )
    stale = set(ALLOWED) - set(found)
    assert not stale, f"ALLOWED names operations that are no longer a problem; remove them: {sorted(stale)}"


def test_the_check_finds_what_it_is_meant_to_find():
    """The checker itself, on migrations made up for the test."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    key = max(k for k in loader.disk_migrations if k[0] == "outbox")
    made_up = migrations.Migration("9999_made_up", "outbox")
    made_up.operations = [
        migrations.AddField("outgoingmail", "must", models.IntegerField(default=0)),
        migrations.AddField("outgoingmail", "may", models.IntegerField(null=True)),
        migrations.AddField("outgoingmail", "db_side", models.IntegerField(db_default=0)),
        migrations.AlterField("outgoingmail", "attempts", models.CharField(max_length=10)),
        migrations.RemoveField("outgoingmail", "last_error"),
        migrations.AddIndex("outgoingmail", models.Index(fields=["kind"], name="made_up_kind")),
        migrations.RunPython(lambda apps, schema_editor: None),
        migrations.RunPython(lambda apps, schema_editor: None, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(database_operations=[migrations.RunSQL("DROP TABLE x", "")]),
    ]
    loader.disk_migrations[("outbox", "9999_made_up")] = made_up
    loader.graph.add_node(("outbox", "9999_made_up"), made_up)
    loader.graph.add_dependency(made_up, ("outbox", "9999_made_up"), key)
    found = dict(problems_of(loader, ("outbox", "9999_made_up"), made_up))
    assert sorted(index for _app, _name, index in found) == [0, 3, 4, 5, 6, 8]
