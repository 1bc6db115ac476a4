"""Everything that writes the audit trail outside auditlog's own signals:
reads of note text, changes made with a queryset update, and the trail's
own retention and erasure (called by the apps above: see the README)."""

import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from django.db import transaction
from django.db.models import Model, Q, TextField
from django.db.models.functions import Cast

from .models import AuditEntry

# The kinds of note text a read can show (stored as these codes, worded in the admin).
NOTE_READS = ("agreement", "notes", "version")


def note_read_record(*, reader: Any, instance: Model, read: Iterable[str], page: str) -> AuditEntry:
    """A coordinator or superuser (never one of the pair) was shown note text
    of `instance` (a pair, a meeting, an agreement or one of its versions):
    `read` says which kinds (NOTE_READS), `page` where. Records that it was
    read, never what it says."""
    kinds = sorted(set(read))
    unknown = set(kinds) - set(NOTE_READS)
    if unknown:
        raise ValueError(f"unknown kinds of note text: {sorted(unknown)}")
    entry = AuditEntry.objects.log_create(
        instance,
        force_log=True,
        action=AuditEntry.Action.ACCESS,
        actor=reader,
        actor_email=reader.email,
        additional_data={"read": kinds, "page": page},
    )
    assert entry is not None  # force_log always writes
    return cast(AuditEntry, entry)


def change_record(*, instance: Model, changes: dict[str, list[str]]) -> AuditEntry | None:
    """A change made with a queryset update (which sends no signal), e.g. a
    pair becoming active: `changes` as auditlog writes them, field -> [old,
    new]. The actor is the request's user, as for every other entry."""
    entry = AuditEntry.objects.log_create(instance, action=AuditEntry.Action.UPDATE, changes=changes)
    return cast(AuditEntry | None, entry)


def trail_purge(
    *, program_id: int | None = None, mentorship_ids: Iterable[int] = (), before: datetime | None = None
) -> int:
    """Delete the entries about a program (the program itself, its pairs and
    everything of theirs, pairs since deleted included) and/or about the
    given pairs; with `before`, only those older than it. Returns how many
    entries went. For the retention rule (privacy): the trail is kept as
    long as the program's data and no longer."""
    pairs = set(mentorship_ids)
    about = Q(mentorship_id__in=pairs) if pairs else Q(pk__in=[])
    if program_id is not None:
        of_program = AuditEntry.objects.filter(program_id=program_id, mentorship_id__isnull=False)
        about |= Q(program_id=program_id) | Q(mentorship_id__in=of_program.values("mentorship_id"))
    entries = AuditEntry.objects.filter(about)
    if before is not None:
        entries = entries.filter(timestamp__lt=before)
    deleted, _by_model = entries.delete()
    return int(deleted)


def _variants(text: str) -> set[str]:
    # JSON may hold a name escaped ("\u00c5sa" where the database keeps JSON as text).
    return {text, json.dumps(text)[1:-1]}


def _scrubbed(value: Any, pattern: re.Pattern[str], placeholder: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(placeholder, value)
    if isinstance(value, list):
        return [_scrubbed(item, pattern, placeholder) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, pattern, placeholder) for key, item in value.items()}
    return value


TEXT_COLUMNS = ("object_repr", "changes_text", "actor_email")
JSON_COLUMNS = ("changes", "additional_data", "serialized_data")


@transaction.atomic
def trail_forget_person(*, name: str, email: str, placeholder: str) -> int:
    """Replace a person's name and e-mail address wherever the trail holds
    them (what an entry is about, its changes, who did it) with
    `placeholder`. Returns how many entries changed; a second run changes
    none. For the erasure (privacy): call it after the person's own row is
    anonymised, in the same transaction, so that the entry the
    anonymising itself wrote ("name: Anna → ...") is cleaned too."""
    words = [word for word in (email.strip(), name.strip()) if word]
    if not words:
        return 0
    # Longest first, so an address is replaced whole before a name inside it.
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    found = Q()
    for word in words:
        for variant in _variants(word):
            for column in TEXT_COLUMNS:
                found |= Q(**{f"{column}__icontains": variant})
            for column in JSON_COLUMNS:
                found |= Q(**{f"_{column}_text__icontains": variant})
    candidates = AuditEntry.objects.annotate(
        **{f"_{column}_text": Cast(column, TextField()) for column in JSON_COLUMNS}
    ).filter(found)
    changed = 0
    for entry in candidates.select_for_update(of=("self",)).iterator():
        before = [getattr(entry, column) for column in (*TEXT_COLUMNS, *JSON_COLUMNS)]
        for column in (*TEXT_COLUMNS, *JSON_COLUMNS):
            setattr(entry, column, _scrubbed(getattr(entry, column), pattern, placeholder))
        if [getattr(entry, column) for column in (*TEXT_COLUMNS, *JSON_COLUMNS)] != before:
            # A queryset update: saving an entry through the model would run auditlog's hooks again.
            AuditEntry.objects.filter(pk=entry.pk).update(
                **{column: getattr(entry, column) for column in (*TEXT_COLUMNS, *JSON_COLUMNS)}
            )
            changed += 1
    return changed
