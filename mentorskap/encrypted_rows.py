"""Rewriting the stored values of encrypted fields in batches: the data
migrations that encrypt (and, reversed, decrypt) the existing notes, and
`manage.py rotate_note_keys`.

Each batch is its own transaction over at most `batch_size` rows, read in
primary-key order with their rows locked (PostgreSQL), so a large table
never sits in one long transaction, a page that saves a note waits at most
for one batch, and a save between reading and writing a batch cannot be
overwritten. What a batch writes is the stored form (the token), read and
written past the field's own encryption: a value that needs nothing is not
written at all, so a second run changes nothing.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Case, Value, When
from django.db.models.functions import Cast

from . import crypto
from .encrypted_fields import EncryptedJSONField, EncryptedTextField

BATCH_SIZE = 500

# A change takes the stored value (a string for text; for JSON the value the
# column holds, a token string or a value written before encryption) and
# returns the new stored value, or None to leave it.
Change = Callable[[Any, str], Any]


@dataclass
class ColumnReport:
    label: str
    rows: int = 0
    changed: int = 0
    plain: int = 0
    unreadable: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.label}: {self.rows} rows, {self.changed} rewritten"
        if self.plain:
            text += f" ({self.plain} were not encrypted yet)"
        if self.unreadable:
            text += f", {len(self.unreadable)} NOT READABLE with the keys given (ids {self.unreadable[:20]})"
        return text


def encrypted_field_names(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField | EncryptedJSONField)]


def models_with_encrypted_fields(models_: Iterable[type[models.Model]]) -> list[tuple[type[models.Model], list[str]]]:
    return [(model, names) for model in models_ if (names := encrypted_field_names(model))]


def _stored(model_field: Any, raw: str | None) -> Any:
    if raw is None or not isinstance(model_field, models.JSONField):
        return raw
    return json.loads(raw)


def rewrite(
    model: type[models.Model], names: list[str], change: Change, *, batch_size: int = BATCH_SIZE
) -> list[ColumnReport]:
    """Apply `change` to every stored value of the fields `names` of `model`."""
    fields = [model._meta.get_field(name) for name in names]
    reports = {name: ColumnReport(f"{model._meta.label}.{name}") for name in names}
    raw = {f"_stored_{name}": Cast(name, models.TextField()) for name in names}
    rows = model._base_manager.annotate(**raw).order_by("pk")
    last = None
    while True:
        with transaction.atomic():
            batch = rows.filter(pk__gt=last) if last is not None else rows
            batch_rows = list(batch.select_for_update().values_list("pk", *raw)[:batch_size])
            if not batch_rows:
                return list(reports.values())
            for position, (name, model_field) in enumerate(zip(names, fields, strict=True), start=1):
                report = reports[name]
                new_values = {}
                for row in batch_rows:
                    report.rows += 1
                    stored = _stored(model_field, row[position])
                    if stored is None:
                        continue
                    try:
                        new = change(stored, f"{report.label} id={row[0]}")
                    except crypto.NoteDecryptionError:
                        report.unreadable.append(row[0])
                        continue
                    if new is not None:
                        new_values[row[0]] = new
                        report.plain += not (isinstance(stored, str) and crypto.is_encrypted(stored))
                if new_values:
                    _write(model, name, model_field, new_values)
                    report.changed += len(new_values)
            last = batch_rows[-1][0]


def _write(model: type[models.Model], name: str, model_field: Any, values: dict[int, Any]) -> None:
    """One UPDATE for the batch, of the stored form as it is (a plain
    TextField or JSONField as output, so the field does not encrypt it again)."""
    output: models.Field = models.JSONField() if isinstance(model_field, models.JSONField) else models.TextField()
    whens = [When(pk=pk, then=Value(value, output_field=output)) for pk, value in values.items()]
    model._base_manager.filter(pk__in=list(values)).update(**{name: Case(*whens, output_field=output)})


# The changes.


def encrypt_stored(stored: Any, where: str) -> Any:
    """For the data migration: encrypt what is not encrypted yet."""
    if isinstance(stored, str):
        if stored == "" or crypto.is_encrypted(stored):
            return None
        return crypto.encrypt(stored)
    return crypto.encrypt_json(stored)


def decrypt_stored(stored: Any, where: str) -> Any:
    """For the reverse of the data migration: back to plain text."""
    if isinstance(stored, str) and crypto.is_encrypted(stored):
        return crypto.decrypt(stored, where=where)
    return None


def decrypt_stored_json(stored: Any, where: str) -> Any:
    if isinstance(stored, str) and crypto.is_encrypted(stored):
        return crypto.decrypt_json(stored, where=where)
    return None


def rotate_stored(stored: Any, where: str) -> Any:
    """For rotate_note_keys: everything under the first key."""
    if isinstance(stored, str):
        return crypto.rotated(stored, where=where)
    return crypto.encrypt_json(stored)


def migrate_encrypt(app_label: str, model_fields: dict[str, list[str]]) -> Callable[[Any, Any], None]:
    """A RunPython function that encrypts the fields of these models."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for model_name, names in model_fields.items():
            rewrite(apps.get_model(app_label, model_name), names, encrypt_stored)

    return forward


def migrate_decrypt(app_label: str, model_fields: dict[str, list[str]]) -> Callable[[Any, Any], None]:
    def backward(apps: Any, schema_editor: Any) -> None:
        for model_name, names in model_fields.items():
            model = apps.get_model(app_label, model_name)
            for name in names:
                json_field = isinstance(model._meta.get_field(name), models.JSONField)
                for report in rewrite(model, [name], decrypt_stored_json if json_field else decrypt_stored):
                    if report.unreadable:
                        raise crypto.NoteDecryptionError(f"{report.label}, ids {report.unreadable[:20]}")

    return backward
