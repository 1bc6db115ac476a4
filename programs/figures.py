"""The program's figures (the program page's counts and chart, "Mina
program"'s counts, the funder report) kept in the shared cache: at 10,000
pairs each is an aggregate over every pair and meeting, the dearest part of
those pages, and the figures change only when someone writes.

Each program has a version in the cache; every cached figure of the program
is stored under it. A write that can change a figure (a pair, its agreement,
a meeting, a check-in, a person coming in, the program's rules) gives the
program a new version when its transaction commits, so the next view
computes afresh. The model signals below and `figures_watch` (which the apps
above call for their models, as sessions does for meetings and agreements)
catch saves and deletes; a service that writes with `QuerySet.update()` calls
`program_figures_changed` itself. Some figures also change as time passes (a
booked meeting whose time has passed counts as held; a quiet pair becomes
stalled): a figure is used for at most FIGURES_SECONDS after the time it was
computed for, so it is never more than that behind the clock."""

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model, Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import Invitation

from .models import CheckIn, Mentorship, Program

# How long a figure is kept at most: how far behind the clock it may be.
FIGURES_SECONDS = 60
_PREFIX = "program-figures"


def _version_key(program_id: int) -> str:
    return f"{_PREFIX}:version:{program_id}"


def program_figures_changed(program_ids: Iterable[int | None]) -> None:
    """The figures of these programs are to be computed afresh: at once, and
    again when the current transaction commits (a view that read the old
    rows meanwhile may have kept its figures under the new version)."""
    keys = [_version_key(pk) for pk in set(program_ids) if pk is not None]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def figures_reset() -> int:
    """Every program's figures computed afresh (`manage.py
    program_figures_reset`, after a write the signals cannot see, such as
    SQL by hand). Returns how many programs."""
    ids = list(Program.objects.values_list("pk", flat=True))
    cache.delete_many([_version_key(pk) for pk in ids])
    return len(ids)


def pairs_figures_changed(pair_ids: Iterable[int | None]) -> None:
    """As `program_figures_changed`, for the programs of these pairs."""
    ids = {pk for pk in pair_ids if pk is not None}
    if ids:
        program_figures_changed(Mentorship.objects.filter(pk__in=ids).values_list("program_id", flat=True))


def figures_cached(
    program_ids: list[int], name: str, now: datetime, compute: Callable[[list[int]], dict[int, Any]]
) -> dict[int, Any]:
    """The figure `name` of each program, from the cache where it is kept
    and current; `compute(ids)` gives those missing, by program id.

    A figure is kept with the program's version it was computed under, so
    the version and the figure are read in one round trip to the cache."""
    keys = {pk: f"{_PREFIX}:{pk}:{name}" for pk in program_ids}
    found = cache.get_many([_version_key(pk) for pk in program_ids] + list(keys.values()))
    versions = {pk: found.get(_version_key(pk)) for pk in program_ids}
    fresh = {pk: uuid.uuid4().hex for pk, version in versions.items() if version is None}
    if fresh:
        cache.set_many({_version_key(pk): version for pk, version in fresh.items()}, None)
        versions.update(fresh)
    # Each figure is kept with the time it was computed for: one asked for
    # FIGURES_SECONDS later (or earlier) by the caller's clock is computed afresh.
    at = now.timestamp()
    figures = {}
    for pk, key in keys.items():
        kept = found.get(key)
        if kept is not None and kept[0] == versions[pk] and 0 <= at - kept[1] < FIGURES_SECONDS:
            figures[pk] = kept[2]
    missing = [pk for pk in program_ids if pk not in figures]
    if missing:
        computed = compute(missing)
        cache.set_many({keys[pk]: (versions[pk], at, computed[pk]) for pk in missing}, FIGURES_SECONDS)
        figures.update(computed)
    return figures


def figure_cached(program_id: int, name: str, now: datetime, compute: Callable[[], Any]) -> Any:
    """One program's figure `name`, as `figures_cached`."""
    return figures_cached([program_id], name, now, lambda _ids: {program_id: compute()})[program_id]


def figures_watch(model: type[Model], pair_field: str) -> None:
    """Saves and deletes of `model` change the figures of the program of the
    pair its `pair_field` (e.g. "mentorship_id") names."""

    relation = pair_field.removesuffix("_id")

    def changed(sender: Any, instance: Any, **kwargs: Any) -> None:
        origin = kwargs.get("origin")
        if origin is not None and origin is not instance and getattr(origin, "model", None) is not sender:
            # Deleted with its pair (or the pair's person): the pair's own
            # signal renews the program, without a query for each meeting.
            return
        # The pair is often loaded already (meeting.mentorship): no query then.
        pair = instance._state.fields_cache.get(relation)
        if pair is not None:
            program_figures_changed([pair.program_id])
        else:
            pairs_figures_changed([getattr(instance, pair_field)])

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"figures:{model._meta.label}")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"figures-delete:{model._meta.label}")


def _pair_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    # m2m_changed may come from the other side: a focus area's pairs changed.
    if isinstance(instance, Mentorship):
        program_figures_changed([instance.program_id])
    elif kwargs.get("pk_set"):
        pairs_figures_changed(kwargs["pk_set"])


def _program_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    program_figures_changed([instance.pk])


def _person_changed(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A person who logs in or sets a password has accepted their invitation."""
    if created:
        return
    _persons_programs_changed(instance.pk)


def _invitation_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A first invitation moves a person from "never invited" to "invited".
    One invitation stands for all of the person's pairs, not only its own."""
    _persons_programs_changed(instance.user_id)


def _persons_programs_changed(person_id: Any) -> None:
    pairs = Mentorship.objects.filter(Q(mentee_id=person_id) | Q(mentor_id=person_id))
    program_figures_changed(pairs.values_list("program_id", flat=True).distinct())


def figures_connect() -> None:
    """This app's models and the people (see ProgramsConfig.ready)."""
    post_save.connect(_pair_changed, sender=Mentorship, dispatch_uid="figures:pair")
    post_delete.connect(_pair_changed, sender=Mentorship, dispatch_uid="figures-delete:pair")
    m2m_changed.connect(_pair_changed, sender=Mentorship.focus_areas.through, dispatch_uid="figures:focus")
    post_save.connect(_program_changed, sender=Program, dispatch_uid="figures:program")
    post_save.connect(_person_changed, sender=get_user_model(), dispatch_uid="figures:person")
    post_save.connect(_invitation_changed, sender=Invitation, dispatch_uid="figures:invitation")
    post_delete.connect(_invitation_changed, sender=Invitation, dispatch_uid="figures-delete:invitation")
    figures_watch(CheckIn, "mentorship_id")
