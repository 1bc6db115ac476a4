"""Model fields whose values are encrypted at rest (see mentorskap.crypto).

The application reads and writes plain text; the database holds tokens. So
the database cannot compare, search or measure the text: the only lookups
are `field=""` (empty stays empty, so "has notes" is a query) and
`field__isnull` (only the latter for JSON); anything else (`__icontains`, `="some text"`, `__in`) is a
FieldError that says so, rather than a query that quietly finds nothing.
Sorting by such a field or `Length(...)` of it would see the token; nothing
does, and nothing may.

`max_length` is the limit of the plain text (forms and `full_clean`); the
column is `text`, since the token is longer than the text.
"""

from typing import Any

from django.core import validators
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import crypto


def _refuse(field: models.Field, what: str) -> FieldError:
    return FieldError(
        f"{field.model.__name__}.{field.name} is encrypted at rest: the database cannot {what} it. "
        'Only field="" (empty) and field__isnull work; filter in Python on the decrypted text.'
    )


class EmptyOnlyExact(Exact):
    """`field=""`: the empty string is stored as it is."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            raise _refuse(self.lhs.output_field, "compare")
        return super().get_prep_lookup()


class _EncryptedLookups:
    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        raise _refuse(self, f"search ({lookup_name})")  # type: ignore[arg-type]

    def get_transform(self, lookup_name: str) -> Any:
        raise _refuse(self, f"look into ({lookup_name})")  # type: ignore[arg-type]


class EncryptedTextField(_EncryptedLookups, models.TextField):
    description = "Text (encrypted at rest)"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            # A TextField's max_length is only the form's; the model checks it too.
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt(value)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return crypto.decrypt(value, where=f"{self.model._meta.label}.{self.name}")


class EncryptedJSONField(_EncryptedLookups, models.JSONField):
    """A JSON value stored as one JSON string: the encrypted JSON text."""

    description = "A JSON object (encrypted at rest)"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        raise _refuse(self, f"search ({lookup_name})")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt_json(value, encoder=self.encoder)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        stored = super().from_db_value(value, expression, connection)
        return crypto.decrypt_json(stored, where=f"{self.model._meta.label}.{self.name}")


def encrypted_field_names(model: type[models.Model], prefix: str = "") -> list[str]:
    """The names (with `prefix`, e.g. "agreement__") of `model`'s encrypted
    fields: for `.defer()` on a page that shows no note text, so it neither
    reads nor decrypts it (50 agreements were 400 decryptions, ~10 ms)."""
    return [
        prefix + field.name
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField | EncryptedJSONField)
    ]
