"""When the coordinator's next check-in with a pair is due.

Good practice for mentoring programs: the coordinator contacts each new pair
a few times in its first month (the program's `checkins_first_month`,
default twice: on day 15 and day 30), then every `checkin_interval_days`
(default 30) after the last check-in. Pairs that are open (invited or
active) are followed up; ended ones are not.

The same rule twice, kept together on purpose: `next_checkin_due` for one
pair, `checkin_due_filter` as SQL for a whole program's list at any size.
tests/test_checkins.py holds them to each other.
"""

import math
from datetime import date, timedelta

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce, TruncDate

from mentorskap.localtime import LOCAL_TZ, local_date

from .models import CheckIn, Mentorship, MentorshipStatus, Program

FIRST_MONTH_DAYS = 30
OPEN = (MentorshipStatus.INVITED, MentorshipStatus.ACTIVE)


def first_month_due_days(count: int) -> list[int]:
    """The days after the start when the first month's `count` check-ins are due."""
    return [math.ceil(FIRST_MONTH_DAYS * (k + 1) / count) for k in range(count)]


def pair_start(mentorship: Mentorship) -> date:
    return mentorship.starts_on or local_date(mentorship.created_at)


def next_checkin_due(mentorship: Mentorship, *, count: int, last: date | None) -> date | None:
    """The day the next check-in is due, given how many there have been and
    the latest; None for a pair that is no longer followed up."""
    if mentorship.status not in OPEN:
        return None
    program = mentorship.program
    first_month = first_month_due_days(program.checkins_first_month)
    start = pair_start(mentorship)
    if count < len(first_month):
        slot = start + timedelta(days=first_month[count])
        # A check-in made late, on or after this slot, covers it: what is due
        # next counts from that check-in, not from a day already past.
        if last is None or last < slot:
            return slot
    base = last if last is not None else start
    return base + timedelta(days=program.checkin_interval_days)


def with_checkins(mentorships: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """Annotate `checkin_count`, `checkin_last` and `started_on` (subqueries,
    so they do not multiply the rows of other annotations)."""
    per_pair = CheckIn.objects.filter(mentorship=OuterRef("pk")).order_by().values("mentorship")
    return mentorships.annotate(
        checkin_count=Coalesce(Subquery(per_pair.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()),
        checkin_last=Subquery(per_pair.annotate(last=Max("held_on")).values("last"), output_field=DateField()),
        started_on=Coalesce("starts_on", TruncDate("created_at", tzinfo=LOCAL_TZ), output_field=DateField()),
    )


def checkin_due_filter(program: Program, *, today: date) -> Q:
    """The pairs of `program` whose check-in is due today or earlier, as a
    filter on a queryset annotated by `with_checkins`."""
    return cadence_due_filter(program.checkins_first_month, program.checkin_interval_days, today=today)


def checkins_due_in_any_program(*, today: date, programs: QuerySet[Program]) -> Q:
    """The same for the pairs of all of `programs` at once: one filter per
    cadence in use (usually one: the default), not one query per program."""
    cadences = programs.values_list("checkins_first_month", "checkin_interval_days").distinct()
    due = Q(pk__in=[])
    for first_month, interval_days in cadences:
        due |= Q(
            program__checkins_first_month=first_month, program__checkin_interval_days=interval_days
        ) & cadence_due_filter(first_month, interval_days, today=today)
    return due


def cadence_due_filter(first_month_count: int, interval_days: int, *, today: date) -> Q:
    first_month = first_month_due_days(first_month_count)
    interval = timedelta(days=interval_days)
    due = Q()
    for count, days in enumerate(first_month):
        slot = _days_after_start(days)
        before_slot = Q(checkin_last__isnull=True) | Q(checkin_last__lt=slot)
        due |= Q(checkin_count=count) & (
            (before_slot & Q(started_on__lte=today - timedelta(days=days)))
            | Q(checkin_last__gte=slot, checkin_last__lte=today - interval)
        )
    after_first_month = Q(checkin_count__gte=len(first_month)) & (
        Q(checkin_last__lte=today - interval) | Q(checkin_last__isnull=True, started_on__lte=today - interval)
    )
    return Q(status__in=OPEN) & (due | after_first_month)


def _days_after_start(days: int) -> Cast:
    """The pair's start plus `days`, as a date: the same on PostgreSQL and on
    SQLite, where date arithmetic gives a timestamp text."""
    return Cast(ExpressionWrapper(F("started_on") + timedelta(days=days), output_field=DateTimeField()), DateField())


def checkins_of(mentorship: Mentorship) -> list[CheckIn]:
    return list(mentorship.checkins.select_related("recorded_by"))


def checkin_due_on(mentorship: Mentorship) -> date | None:
    """The next due day of one pair, read now."""
    agg = mentorship.checkins.aggregate(n=Count("pk"), last=Max("held_on"))
    return next_checkin_due(mentorship, count=agg["n"], last=agg["last"])
