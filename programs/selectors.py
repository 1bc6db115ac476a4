"""Reads for the coordinator's pages, and the program's rules about pairs:
which meetings count as held, the pair's meeting dates, when a pair has
stalled."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from mentorskap.localtime import LOCAL_TZ, local_date

from .figures import figures_cached
from .models import MeetingStatus, Mentorship, MentorshipStatus, Program
from .permissions import coordinated_program_ids

TOOK_PLACE = (MeetingStatus.BOOKED, MeetingStatus.HELD)


def held_meetings(*, now: datetime, prefix: str = "meetings__") -> Q:
    """The meetings that count as held, as a filter (with `prefix` from the
    model queried): marked held, or booked for a time that has passed and
    not cancelled. Nobody marks a meeting held by hand: the notes do, and a
    pair that met and wrote nothing has still met (the notes nudge is for
    exactly that). Tillfälle 1 made without a booked time (the agreement was
    simply written) is held. The coordinator's counts, the pair's last
    meeting and the stall rule all use this one rule."""
    return Q(**{f"{prefix}status__in": TOOK_PLACE}) & (
        Q(**{f"{prefix}starts_at__lte": now}) | Q(**{f"{prefix}starts_at__isnull": True})
    )


def with_meeting_dates(mentorships: QuerySet[Mentorship], *, now: datetime) -> QuerySet[Mentorship]:
    """Annotate `last_at` (the latest held meeting; an undated one counts
    from when it was recorded, so the booking nudge and the stall rule also
    see a pair that never booked meeting 2), `next_at` (the next booked one,
    None if none is booked ahead) and `meetings_held`: one query for any
    number of pairs."""
    held = held_meetings(now=now)
    ahead = Q(meetings__status=MeetingStatus.BOOKED, meetings__starts_at__gt=now)
    return mentorships.annotate(
        last_at=Max(Coalesce("meetings__starts_at", "meetings__created_at"), filter=held),
        next_at=Min("meetings__starts_at", filter=ahead),
        meetings_held=Count("meetings", filter=held),
        last_on=TruncDate(Max(Coalesce("meetings__starts_at", "meetings__created_at"), filter=held), tzinfo=LOCAL_TZ),
    )


def active_mentorships_with_meeting_dates(*, now: datetime) -> QuerySet[Mentorship]:
    return with_meeting_dates(
        Mentorship.objects.filter(status=MentorshipStatus.ACTIVE).select_related("program", "mentee"), now=now
    )


def stall_reason(mentorship: Mentorship, *, today: date) -> str | None:
    """Why a pair has stalled, or None: no agreement the program's weeks after
    it started, or no meeting for the program's weeks and none booked. Needs
    the `last_at` and `next_at` of `with_meeting_dates`."""
    if mentorship.status != MentorshipStatus.ACTIVE:
        return None
    program = mentorship.program
    started = mentorship.starts_on or local_date(mentorship.created_at)
    agreement = getattr(mentorship, "agreement", None)
    if agreement is None or agreement.version == 0:
        if started <= today - timedelta(weeks=program.agreement_due_weeks):
            return "no_agreement"
        return None
    # last_at and next_at are with_meeting_dates' annotations, which mypy cannot see.
    last = local_date(mentorship.last_at) if mentorship.last_at else started  # type: ignore[attr-defined]
    if mentorship.next_at is None and last <= today - timedelta(weeks=program.stalled_after_weeks):  # type: ignore[attr-defined]
        return "no_meeting"
    return None


def stalled_filter(program: Program, *, today: date) -> Q:
    """The SQL twin of `stall_reason` for the pairs of one program, as a
    filter on a queryset annotated by `with_meeting_dates` and `started_on`
    (programs.checkins.with_checkins): the program page filters and counts
    10,000 pairs with it. tests/test_program_page.py holds the two to each
    other."""
    no_agreement = (Q(agreement__isnull=True) | Q(agreement__version=0)) & Q(
        started_on__lte=today - timedelta(weeks=program.agreement_due_weeks)
    )
    quiet_since = today - timedelta(weeks=program.stalled_after_weeks)
    no_meeting = (
        Q(agreement__version__gt=0)
        & Q(next_at__isnull=True)
        & (Q(last_on__lte=quiet_since) | Q(last_at__isnull=True, started_on__lte=quiet_since))
    )
    return Q(status=MentorshipStatus.ACTIVE) & (no_agreement | no_meeting)


def stalled_mentorships(*, now: datetime) -> list[tuple[Mentorship, str]]:
    """Active pairs that have stalled, as (mentorship, reason)."""
    today = local_date(now)
    pairs = active_mentorships_with_meeting_dates(now=now).select_related("agreement")
    return [(m, reason) for m in pairs if (reason := stall_reason(m, today=today))]


def programs_for_coordinator(user: Any, *, now: datetime) -> list[Program]:
    """The user's programs with pair counts by status and meetings held.

    Grouped queries instead of one join of programs × pairs × meetings:
    that join grows with every meeting ever held.
    """
    qs = Program.objects.all()
    if not user.is_superuser:
        qs = qs.filter(id__in=coordinated_program_ids(user))
    programs = list(qs.order_by("-starts_on", "name"))
    figures = figures_cached([program.pk for program in programs], "dashboard", now, lambda ids: _dashboard(ids, now))
    for program in programs:
        count, held = figures[program.pk]
        # Counts for the template, set on the objects: attributes mypy cannot see.
        program.pairs_total = sum(count.values())  # type: ignore[attr-defined]
        program.pairs_active = count[MentorshipStatus.ACTIVE]  # type: ignore[attr-defined]
        program.pairs_invited = count[MentorshipStatus.INVITED]  # type: ignore[attr-defined]
        program.pairs_closed = count[MentorshipStatus.ENDED] + count[MentorshipStatus.CANCELLED]  # type: ignore[attr-defined]
        program.meetings_held = held.get("n", 0)  # type: ignore[attr-defined]
        program.last_meeting = held.get("last")  # type: ignore[attr-defined]
    return programs


def _dashboard(ids: list[int], now: datetime) -> dict[int, tuple[dict[str, int], dict[str, Any]]]:
    """Each program's pairs by status and its meetings held (count, latest)."""
    pairs = Mentorship.objects.filter(program_id__in=ids).values_list("program_id", "status").annotate(n=Count("id"))
    by_status = {(program_id, status): n for program_id, status, n in pairs}
    held_filter = held_meetings(now=now)
    meetings = (
        Mentorship.objects.filter(program_id__in=ids)
        .values("program_id")
        .annotate(n=Count("meetings", filter=held_filter), last=Max("meetings__starts_at", filter=held_filter))
    )
    held = {row["program_id"]: row for row in meetings}
    return {
        pk: (
            {status: by_status.get((pk, status), 0) for status in MentorshipStatus.values},
            {"n": held.get(pk, {}).get("n", 0), "last": held.get(pk, {}).get("last")},
        )
        for pk in ids
    }


def digest_pairs(pair_reasons: list[list[Any]]) -> list[dict[str, Any]]:
    """The digest's pairs, as (pair id, reason), read now: those still active,
    by program and mentee."""
    wanted = dict(pair_reasons)
    mentorships = Mentorship.objects.filter(pk__in=wanted, status=MentorshipStatus.ACTIVE).select_related(
        "program", "mentor", "mentee"
    )
    ordered = sorted(mentorships, key=lambda m: (m.program.name, m.mentee.display_name))
    return [{"mentorship": m, "reason": wanted[m.pk]} for m in ordered]


def checkin_pairs(ids: list[int]) -> list[Mentorship]:
    """The digest's pairs due for a check-in, read now: those still open."""
    pairs = Mentorship.objects.filter(
        pk__in=ids, status__in=[MentorshipStatus.INVITED, MentorshipStatus.ACTIVE]
    ).select_related("program", "mentor", "mentee")
    return sorted(pairs, key=lambda m: (m.program.name, m.mentee.display_name))


def journal_started_ids(mentorships: list[Mentorship]) -> set[int]:
    """The ids of those of `mentorships` whose journal has started: an
    agreement saved at least once, or any meeting (a booked one too)."""
    started = Q(agreement__version__gt=0) | Q(meetings__isnull=False)
    return set(
        Mentorship.objects.filter(pk__in=[m.pk for m in mentorships])
        .filter(started)
        .values_list("pk", flat=True)
        .distinct()
    )


def journal_started(mentorship: Mentorship) -> bool:
    return mentorship.pk is not None and mentorship.pk in journal_started_ids([mentorship])


def pair_filter_choices(program_ids: list[int], *, now: datetime) -> tuple[set[int], set[int]]:
    """Of these programs, those that have pairs, and the focus areas their
    pairs chose: what the admin's pair list offers as filters (as Django's
    RelatedOnlyFieldListFilter would, which reads every pair on each view:
    at 10,000 pairs, 10 ms), kept with the program's figures."""
    figures = figures_cached(sorted(program_ids), "pair-filters", now, _pair_filters)
    programs = {pk for pk, (has_pairs, _areas) in figures.items() if has_pairs}
    areas = {area for _has_pairs, chosen in figures.values() for area in chosen}
    return programs, areas


def _pair_filters(ids: list[int]) -> dict[int, tuple[bool, frozenset[int]]]:
    with_pairs = set(
        Mentorship.objects.filter(program_id__in=ids).order_by().values_list("program_id", flat=True).distinct()
    )
    chosen = (
        Mentorship.focus_areas.through.objects.filter(mentorship__program_id__in=ids)
        .order_by()
        .values_list("mentorship__program_id", "focusarea_id")
        .distinct()
    )
    areas: dict[int, set[int]] = {pk: set() for pk in ids}
    for program_id, area_id in chosen:
        areas[program_id].add(area_id)
    return {pk: (pk in with_pairs, frozenset(areas[pk])) for pk in ids}
