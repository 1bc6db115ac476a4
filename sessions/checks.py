"""Start-up check of the note keys (`manage.py migrate`, `manage.py check
--database default`): a key that is a Fernet key but not the one the notes
were encrypted with would pass settings.py and fail on every page that shows
a note. Run with the database checks, so every deploy's `migrate` stops on it.

For each encrypted column, the oldest and the newest encrypted value must
open with MENTORSKAP_NOTE_KEYS: two small queries per column. Every model of
every app is covered, through the app registry (this app imports none)."""

import json
from typing import Any

from django.apps import apps
from django.core.checks import Error, Tags, register
from django.db import connections, models
from django.db.models.functions import Cast

from mentorskap import crypto
from mentorskap.encrypted_rows import models_with_encrypted_fields


@register(Tags.database)
def note_keys_open_the_notes(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    for alias in databases or []:
        tables = set(connections[alias].introspection.table_names())
        for model, names in models_with_encrypted_fields(apps.get_models()):
            if model._meta.db_table not in tables:
                continue  # not migrated yet
            for name in names:
                label = f"{model._meta.label}.{name}"
                if not _opens(model, name, alias):
                    errors.append(
                        Error(
                            f"The notes in {label} cannot be decrypted with the keys in MENTORSKAP_NOTE_KEYS: "
                            "the key is wrong, or the one they were encrypted with is missing.",
                            hint="Put the key they were written with back in MENTORSKAP_NOTE_KEYS (after the new "
                            "one, comma-separated) and run `manage.py rotate_note_keys` before removing it.",
                            id="mentoring_sessions.E001",
                        )
                    )
    return errors


def _opens(model: Any, name: str, alias: str) -> bool:
    json_field = isinstance(model._meta.get_field(name), models.JSONField)
    stored = (
        model._base_manager.using(alias)
        .annotate(_stored=Cast(name, models.TextField()))
        .filter(_stored__contains=crypto.PREFIX)
        .values_list("_stored", flat=True)
    )
    for order in ("pk", "-pk"):
        value = stored.order_by(order).first()
        if value is None:
            return True
        try:
            if json_field:
                crypto.decrypt_json(json.loads(value), where=name)
            else:
                crypto.decrypt(value, where=name)
        except crypto.NoteDecryptionError:
            return False
    return True
