"""Återrapport: what happened in a program over a period, for the funder's
report back (RF-SISU, Allmänna arvsfonden and the like). Counts only: no
note text ever, and no names unless the coordinator asks for them."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, TruncDate, TruncMonth

from mentorskap.localtime import LOCAL_TZ, local_date

from .contributions import report_sections
from .figures import figure_cached
from .models import DEFAULT_MEETING_LENGTH, Mentorship, MentorshipStatus, Program, ProgramKind
from .selectors import held_meetings

CLOSED = (MentorshipStatus.ENDED, MentorshipStatus.CANCELLED)


@dataclass
class Report:
    program: Program
    starts: date
    ends: date
    # The last day counted: the period's, or today, or the program's end,
    # whichever comes first (nothing after those can have happened).
    counted_until: date | None = None
    started: int = 0
    active: int = 0
    ended: int = 0
    meetings: int = 0
    hours: float = 0.0
    mentees: int = 0
    mentors: int = 0
    months: list[dict[str, Any]] = field(default_factory=list)
    associations: list[dict[str, Any]] = field(default_factory=list)
    pairs: list[dict[str, Any]] = field(default_factory=list)
    # (label, value) rows that other apps add (the surveys' averages).
    extra: list[tuple[Any, Any]] = field(default_factory=list)

    @property
    def cut_short_by(self) -> str:
        """Why counting stopped before the period's end: "program_end",
        "today", or "" when it did not."""
        if self.counted_until is None or self.counted_until == self.ends:
            return ""
        return "program_end" if self.counted_until == self.program.ends_on else "today"


def report_period_default(program: Program, *, today: date) -> tuple[date, date]:
    # A program that has not begun yet has nothing to report: its default
    # period starts today rather than in the future.
    return min(program.starts_on, today), min(today, program.ends_on or today)


def report_counted_until(program: Program, ends: date, *, today: date) -> date:
    return min(ends, today, program.ends_on or ends)


def program_report(program: Program, *, starts: date, ends: date, now: datetime, with_names: bool) -> Report:
    """The report for the period [starts, ends], both days included. Without
    names it is counts only, kept in the shared cache (programs.figures);
    the names are never put there."""
    if with_names:
        return _program_report(program, starts=starts, ends=ends, now=now, with_names=True)
    name = f"report:{starts.isoformat()}:{ends.isoformat()}"
    report: Report = figure_cached(
        program.pk, name, now, lambda: _program_report(program, starts=starts, ends=ends, now=now, with_names=False)
    )
    report.program = program
    return report


def _program_report(program: Program, *, starts: date, ends: date, now: datetime, with_names: bool) -> Report:
    today = local_date(now)
    last = report_counted_until(program, ends, today=today)
    report = Report(
        program=program,
        starts=starts,
        ends=ends,
        counted_until=last,
    )
    pairs = _with_end(_with_start(_taking_part(program)), program=program, now=now)
    in_period = _live_between(pairs, starts=starts, last=last)
    report.started = _started_between(pairs, starts=starts, last=last).count()
    report.active = in_period.count()
    report.ended = pairs.filter(status__in=CLOSED, closed_on__gte=starts, closed_on__lte=last).count()
    people = in_period.aggregate(mentees=Count("mentee", distinct=True), mentors=Count("mentor", distinct=True))
    report.mentees, report.mentors = people["mentees"], people["mentors"]
    meetings = _meetings_in(program.mentorships.all(), starts=starts, ends=last, now=now)
    totals = meetings.aggregate(n=Count("meetings"), length=Sum(_length()))
    report.meetings, report.hours = totals["n"], _hours(totals["length"])
    report.months = _by_month(program, pairs, starts=starts, ends=ends, last=last, now=now)
    if program.kind == ProgramKind.ASSOCIATIONS:
        report.associations = _by_association(in_period, starts=starts, ends=last, now=now)
    if with_names:
        report.pairs = _pairs_named(in_period, starts=starts, ends=last, now=now)
    report.extra = report_sections(program, starts, ends)
    return report


def _taking_part(program: Program) -> QuerySet[Mentorship]:
    """The pairs that began: not one still invited, whose people have not said
    yes whatever its start date says. A funder is told of people who took
    part, not of invitations."""
    return program.mentorships.exclude(status=MentorshipStatus.INVITED)


def _with_start(pairs: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    return pairs.annotate(started_on=Coalesce("starts_on", TruncDate("created_at", tzinfo=LOCAL_TZ)))


def _with_end(pairs: QuerySet[Mentorship], *, program: Program, now: datetime) -> QuerySet[Mentorship]:
    """Annotate `closed_on`: the day an ended or cancelled pair ended (None
    for the others). Its end date when it has one. The ending service always
    sets it, but imported, old or admin-edited rows may not: then the day of
    its last held meeting, the last day anything is known to have happened
    in the pair, and without a meeting the day it started. (The pair has no
    time of its last change to use instead.) Its status says it has ended,
    so, as on the program page, it counts as ended and is not active for
    ever. No day after the program's end or today: nothing can have
    happened after those."""
    latest = min(local_date(now), program.ends_on or local_date(now))
    closed_on = Least(
        Coalesce("ends_on", Subquery(_last_meeting_on(now)), "started_on"),
        Value(latest, output_field=DateField()),
    )
    return pairs.annotate(closed_on=Case(When(status__in=CLOSED, then=closed_on), default=None))


def _last_meeting_on(now: datetime) -> QuerySet[Mentorship]:
    # A subquery on the pair itself: programs may not import sessions' Meeting.
    # An undated meeting counts from when it was recorded, as with_meeting_dates does.
    moment = Coalesce("meetings__starts_at", "meetings__created_at")
    return (
        Mentorship.objects.filter(pk=OuterRef("pk"))
        .order_by()
        .values("pk")
        .annotate(last_on=TruncDate(Max(moment, filter=held_meetings(now=now)), tzinfo=LOCAL_TZ))
        .values("last_on")
    )


def _started_between(pairs: QuerySet[Mentorship], *, starts: date, last: date) -> QuerySet[Mentorship]:
    return pairs.filter(started_on__gte=starts, started_on__lte=last)


def _live_between(pairs: QuerySet[Mentorship], *, starts: date, last: date) -> QuerySet[Mentorship]:
    """The pairs that were under way on some day of [starts, last]: started
    by its end and not closed before its start."""
    if last < starts:  # the program ended before the period began
        return pairs.none()
    return pairs.filter(started_on__lte=last).exclude(status__in=CLOSED, closed_on__lt=starts)


def _bounds(starts: date, ends: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(starts, time.min, tzinfo=LOCAL_TZ),
        datetime.combine(ends + timedelta(days=1), time.min, tzinfo=LOCAL_TZ),
    )


def _meetings_in(pairs: QuerySet[Mentorship], *, starts: date, ends: date, now: datetime) -> QuerySet[Mentorship]:
    """The pairs' held meetings with a time in the period (one row each)."""
    first, after = _bounds(starts, ends)
    return pairs.filter(held_meetings(now=now), meetings__starts_at__gte=first, meetings__starts_at__lt=after)


def _length() -> ExpressionWrapper:
    # A meeting without an end time lasted the default length.
    return ExpressionWrapper(
        Coalesce(F("meetings__ends_at"), F("meetings__starts_at") + DEFAULT_MEETING_LENGTH) - F("meetings__starts_at"),
        output_field=DurationField(),
    )


def _hours(length: timedelta | None) -> float:
    return round((length or timedelta(0)).total_seconds() / 3600, 1)


def _by_month(
    program: Program, pairs: QuerySet[Mentorship], *, starts: date, ends: date, last: date, now: datetime
) -> list[dict[str, Any]]:
    """Every month of the period, with what happened up to `last`."""
    meetings = (
        _meetings_in(program.mentorships.all(), starts=starts, ends=last, now=now)
        .annotate(month=TruncMonth("meetings__starts_at", tzinfo=LOCAL_TZ))
        .values("month")
        .annotate(n=Count("meetings"), length=Sum(_length()))
    )
    held = {local_date(row["month"]).replace(day=1): row for row in meetings}
    started = (
        _started_between(pairs, starts=starts, last=last)
        .annotate(month=TruncMonth("started_on"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    new = {_month_of(row["month"]): row["n"] for row in started}
    months = []
    month = starts.replace(day=1)
    while month <= ends:
        row = held.get(month, {})
        months.append(
            {
                "month": month,
                "started": new.get(month, 0),
                "meetings": row.get("n", 0),
                "hours": _hours(row.get("length")),
            }
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _month_of(value: date | datetime) -> date:
    return (local_date(value) if isinstance(value, datetime) else value).replace(day=1)


def _by_association(pairs: QuerySet[Mentorship], *, starts: date, ends: date, now: datetime) -> list[dict[str, Any]]:
    """Per association: its pairs on each side, and their meetings and hours."""
    rows: dict[int, dict[str, Any]] = {}
    for side in ("mentee", "mentor"):
        org = f"{side}_organisation"
        counted = pairs.filter(**{f"{org}__isnull": False}).values(f"{org}", f"{org}__name").annotate(n=Count("pk"))
        for row in counted:
            entry = rows.setdefault(
                row[org], {"name": row[f"{org}__name"], "mentee": 0, "mentor": 0, "meetings": 0, "hours": 0.0}
            )
            entry[side] = row["n"]
        held = (
            _meetings_in(pairs, starts=starts, ends=ends, now=now)
            .filter(**{f"{org}__isnull": False})
            .values(org)
            .annotate(n=Count("meetings"), length=Sum(_length()))
        )
        for row in held:
            entry = rows[row[org]]
            entry["meetings"] += row["n"]
            entry["hours"] = round(entry["hours"] + _hours(row["length"]), 1)
    return sorted(rows.values(), key=lambda entry: entry["name"])


def _pairs_named(pairs: QuerySet[Mentorship], *, starts: date, ends: date, now: datetime) -> list[dict[str, Any]]:
    held = dict(
        _meetings_in(pairs, starts=starts, ends=ends, now=now)
        .values("pk")
        .annotate(n=Count("meetings"))
        .values_list("pk", "n")
    )
    listed = pairs.select_related("mentee", "mentor", "mentee_organisation", "mentor_organisation").order_by(
        "mentee__name", "mentee__email"
    )
    return [
        {
            "mentee": pair.mentee.display_name,
            "mentor": pair.mentor.display_name,
            "mentee_organisation": pair.mentee_organisation.name if pair.mentee_organisation else "",
            "mentor_organisation": pair.mentor_organisation.name if pair.mentor_organisation else "",
            "status": pair.get_status_display(),
            "meetings": held.get(pair.pk, 0),
        }
        for pair in listed
    ]
