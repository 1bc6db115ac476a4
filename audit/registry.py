"""Which models the audit trail follows, and which of their fields it never
stores.

The trail sits below every domain app, so it names none of their models:
each app says in its AppConfig.ready() what of its own is followed (the way
outbox/kinds.py lets each app declare its kinds of e-mail). The fields an app
names as note text are never written to the trail, not even as "changed from
... to ...": the trail says who changed a meeting, never what its notes say.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from auditlog.registry import auditlog
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model

# What an entry is about, for keeping and purging it with its program and
# pair: (program id, pair id), either None where it has none.
Scope = tuple[int | None, int | None]


@dataclass(frozen=True)
class Tracked:
    note_fields: frozenset[str]
    never_stored: frozenset[str]
    scope: Callable[[Model], Scope]


_tracked: dict[type[Model], Tracked] = {}


def _no_scope(instance: Model) -> Scope:
    return None, None


def track(
    model: type[Model],
    *,
    note_fields: Iterable[str] = (),
    never_stored: Iterable[str] = (),
    m2m_fields: Iterable[str] = (),
    scope: Callable[[Model], Scope] = _no_scope,
) -> None:
    """Follow creating, changing and deleting `model`'s rows. `note_fields`
    (what people write in the journal) and `never_stored` (a password hash,
    a login time) are left out of every entry; `scope` gives the program and
    pair a row belongs to, from what the row has at hand."""
    note_fields, never_stored = frozenset(note_fields), frozenset(never_stored)
    _tracked[model] = Tracked(note_fields=note_fields, never_stored=never_stored, scope=scope)
    left_out = note_fields | never_stored
    # The row's own columns, named: left to itself auditlog also reads every
    # reverse relation of a row it creates or deletes (a query each, and a
    # missing one-to-one cached as missing on the caller's object).
    columns = [field.name for field in model._meta.concrete_fields if field.name not in left_out]
    auditlog.register(model, include_fields=columns, exclude_fields=sorted(left_out), m2m_fields=set(m2m_fields))


def tracked_models() -> dict[type[Model], Tracked]:
    return dict(_tracked)


def scope_of(instance: Model) -> Scope:
    tracked = _tracked.get(type(instance))
    if tracked is None:
        return None, None
    try:
        return tracked.scope(instance)
    except ObjectDoesNotExist:  # a row whose parent went first in a cascade
        return None, None
