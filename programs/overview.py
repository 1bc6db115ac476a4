"""The coordinator's program page: its counts, its meetings month by month,
and its pairs filtered, searched, sorted and paginated in the database, so
the page costs the same at 10 pairs and at 10,000. No note text."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, DateTimeField, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.selectors import ever_invited, invitation_states, not_registered
from mentorskap.encrypted_fields import encrypted_field_names
from mentorskap.localtime import LOCAL_TZ, local_date

from .checkins import checkin_due_filter, next_checkin_due, with_checkins
from .figures import figure_cached
from .models import FocusArea, MeetingStatus, Mentorship, MentorshipStatus, Organisation, Program
from .selectors import held_meetings, stall_reason, stalled_filter, with_meeting_dates

PAGE_SIZE = 50
# The page shows no note text: the rows neither read nor decrypt it.
NOT_SHOWN = [
    "end_note",
    *encrypted_field_names(Mentorship),
    *encrypted_field_names(Mentorship._meta.get_field("agreement").related_model, "agreement__"),
]
# The chart's geometry in SVG units: one bar per month.
CHART_STEP, CHART_BASE, CHART_BAR_MAX = 40, 115, 95
# Where a pair has no such meeting is said, not left to the database
# (PostgreSQL and SQLite disagree): never met counts as longest ago, and
# pairs with nothing booked come after those with a next meeting.
SORTS: dict[str, tuple[Any, ...]] = {
    "mentee": ("mentee__name", "mentee__email", "pk"),
    "mentor": ("mentor__name", "mentor__email", "pk"),
    "last_meeting": (F("last_at").asc(nulls_first=True), "pk"),
    "-last_meeting": (F("last_at").desc(nulls_last=True), "pk"),
    "next_meeting": (F("next_at").asc(nulls_last=True), "pk"),
    "quiet": ("last_activity", "pk"),  # longest without any activity first
}


class _ListedChoices(ModelChoiceIterator):
    """The few choices in one plain query. Django reads a ModelChoiceField's
    choices through `.iterator()`, which on PostgreSQL outside a transaction
    is a server-side cursor: DECLARE ... WITH HOLD, FETCH and CLOSE, four
    round trips for the program's four focus areas."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class _ListedModelChoiceField(forms.ModelChoiceField):
    iterator = _ListedChoices


class PairFilterForm(forms.Form):
    """The program page's filters: all in the URL (GET), so a view can be
    bookmarked and shared."""

    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    attention = forms.ChoiceField(
        label=_("Needs attention"),
        required=False,
        choices=[
            ("", _("All pairs")),
            ("stalled", _("Stalled")),
            ("checkin", _("Check-in due")),
            ("not_accepted", _("Invited, has not accepted")),
            ("not_invited", _("Never invited")),
        ],
    )
    focus = _ListedModelChoiceField(
        label=_("Focus area"), required=False, queryset=FocusArea.objects.none(), empty_label=_("All focus areas")
    )
    association = _ListedModelChoiceField(
        label=_("Association"), required=False, queryset=Organisation.objects.none(), empty_label=_("All associations")
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("mentee", _("Mentee")),
            ("mentor", _("Mentor")),
            ("last_meeting", _("Latest meeting, oldest first")),
            ("-last_meeting", _("Latest meeting, newest first")),
            ("next_meeting", _("Next meeting")),
            ("quiet", _("Longest without activity")),
        ],
    )

    def __init__(self, *args: Any, program: Program, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *MentorshipStatus.choices]
        # Which focus areas and associations the program's pairs have: a scan of
        # every pair, kept with the program's figures (programs.figures).
        focus, associations = figure_cached(program.pk, "choices", now, lambda: _choices(program))
        self.fields["focus"].queryset = FocusArea.objects.filter(pk__in=focus)
        self.fields["association"].queryset = Organisation.objects.filter(pk__in=associations)
        # Only a program between associations offers the filter.
        self.has_associations = bool(associations)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


def _choices(program: Program) -> tuple[list[int], list[int]]:
    focus = FocusArea.objects.filter(pk__in=program.mentorships.values("focus_areas")).values_list("pk", flat=True)
    sides = program.mentorships.values_list("mentor_organisation", "mentee_organisation")
    associations = Organisation.objects.filter(
        Q(pk__in=sides.values("mentor_organisation")) | Q(pk__in=sides.values("mentee_organisation"))
    ).values_list("pk", flat=True)
    return list(focus), list(associations)


def selection_words(form: PairFilterForm, page: Page) -> list[tuple[str, str]]:
    """The filter, search, sort and page the list shows, as (label, value)
    in words (no label for "all pairs"): on paper the form is gone (print.css), and a printed list
    must say which pairs it is. As the page reads the form: an invalid
    one shows all pairs."""
    data = form.cleaned_data if form.is_valid() else {}
    chosen: list[tuple[str, str]] = []
    for name in ("status", "attention"):
        if data.get(name):
            choices = dict(form.fields[name].choices)
            chosen.append((str(form.fields[name].label), str(choices.get(data[name], data[name]))))
    for name in ("focus", "association"):
        if data.get(name):
            chosen.append((str(form.fields[name].label), str(data[name])))
    if data.get("q"):
        # Not a bare "Search": that msgid would be the admin's search button too.
        chosen.append((str(pgettext_lazy("printed selection", "Search")), str(_("“%(text)s”") % {"text": data["q"]})))
    if not chosen:
        chosen.append(("", str(_("all pairs"))))
    sorts = dict(form.fields["sort"].choices)
    chosen.append((str(_("Sorted by")), str(sorts[data.get("sort") or "mentee"])))
    if page.paginator.num_pages > 1:
        words = _("%(number)s of %(pages)s") % {"number": page.number, "pages": page.paginator.num_pages}
        chosen.append((str(_("Page")), str(words)))
    return chosen


def pairs_annotated(program: Program, *, now: datetime) -> QuerySet[Mentorship]:
    """The program's pairs with everything the page filters and sorts on."""
    pairs = with_checkins(with_meeting_dates(program.mentorships.all(), now=now))
    return pairs.annotate(
        last_activity=Greatest(
            Coalesce("last_at", "created_at"),
            Coalesce("agreement__updated_at", "created_at"),
            Coalesce(Max("meetings__notes_updated_at"), "created_at"),
            output_field=DateTimeField(),
        )
    )


def pairs_filtered(program: Program, form: PairFilterForm, *, now: datetime) -> QuerySet[Mentorship]:
    """The pairs the form asks for, sorted, as one query."""
    data = form.cleaned_data if form.is_valid() else {}
    pairs = _filtered_by_fields(pairs_annotated(program, now=now), data)
    pairs = _filtered_by_rules(pairs, program, data, today=local_date(now))
    return pairs.order_by(*_sort(data))


def _sort(data: dict[str, Any]) -> tuple[str, ...]:
    return SORTS.get(data.get("sort") or "mentee", SORTS["mentee"])


def _filtered_by_fields(pairs: QuerySet[Mentorship], data: dict[str, Any]) -> QuerySet[Mentorship]:
    """What the pair's own columns answer: search, status, focus area, association."""
    for word in (data.get("q") or "").split():
        # The people first (a trigram index answers it on PostgreSQL), then
        # their pairs: not four LIKEs over both people of every pair.
        people = get_user_model().objects.filter(Q(name__icontains=word) | Q(email__icontains=word)).values("pk")
        pairs = pairs.filter(Q(mentee__in=people) | Q(mentor__in=people))
    if data.get("status"):
        pairs = pairs.filter(status=data["status"])
    if data.get("focus"):
        pairs = pairs.filter(focus_areas=data["focus"])
    if data.get("association"):
        pairs = pairs.filter(Q(mentor_organisation=data["association"]) | Q(mentee_organisation=data["association"]))
    return pairs


def _filtered_by_rules(
    pairs: QuerySet[Mentorship], program: Program, data: dict[str, Any], *, today: date
) -> QuerySet[Mentorship]:
    """What needs the meetings and check-ins (stalled, check-in due) or the
    people (invited and not accepted, never invited)."""
    attention = data.get("attention")
    if attention == "stalled":
        pairs = pairs.filter(stalled_filter(program, today=today))
    elif attention == "checkin":
        pairs = pairs.filter(checkin_due_filter(program, today=today))
    elif attention in ("not_accepted", "not_invited"):
        pairs = pairs.filter(_waiting("mentee", attention) | _waiting("mentor", attention))
    return pairs


def _waiting(role: str, attention: str) -> Q:
    """The pairs whose `role` has not come in: invited (a link open or
    expired) or never invited, as the program page's two figures count them."""
    invited = Q(ever_invited(role))
    return not_registered(f"{role}__") & (invited if attention == "not_accepted" else ~invited)


def _needs_the_meetings(data: dict[str, Any]) -> bool:
    """Whether choosing the page's rows needs each pair's meetings and
    check-ins, or only the pair's own columns; then only the page's 50 rows
    are annotated (at 10,000 pairs: reading 250 meetings, not 50,000)."""
    return data.get("attention") in ("stalled", "checkin") or (data.get("sort") or "mentee") not in ("mentee", "mentor")


def pairs_page(program: Program, form: PairFilterForm, *, now: datetime, number: Any) -> Page:
    """One page of the filtered pairs, each with its people, its `stall`,
    `checkin_due` and the two people's invitation states."""
    data = form.cleaned_data if form.is_valid() else {}
    if _needs_the_meetings(data):
        chosen = pairs_filtered(program, form, now=now)
    else:
        plain = _filtered_by_fields(program.mentorships.all(), data)
        chosen = _filtered_by_rules(plain, program, data, today=local_date(now)).order_by(*_sort(data))
    paginator = Paginator(chosen.values_list("pk", flat=True), PAGE_SIZE)
    known = _count_known(program, data, now=now)
    if known is not None:
        paginator.count = known  # type: ignore[misc]  # a cached_property, set instead of a COUNT over 10,000 pairs
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows = (
        pairs_annotated(program, now=now)
        .filter(pk__in=ids)
        .select_related("mentor", "mentee", "agreement")
        .defer(*NOT_SHOWN)
    )
    found = {pair.pk: pair for pair in rows}
    page.object_list = [found[pk] for pk in ids]
    _attach_program_and_associations(page.object_list, program)
    _describe(page.object_list, now=now)
    return page


def _attach_program_and_associations(pairs: list[Mentorship], program: Program) -> None:
    """The page's own program and the few associations, set on the rows: two
    more joins in the rows' query took PostgreSQL longer to plan (4.5 ms
    against 1.7) than this one small query takes."""
    wanted = {pk for pair in pairs for pk in (pair.mentor_organisation_id, pair.mentee_organisation_id) if pk}
    associations = Organisation.objects.in_bulk(wanted) if wanted else {}
    for pair in pairs:
        pair.program = program
        pair.mentor_organisation = associations.get(pair.mentor_organisation_id)
        pair.mentee_organisation = associations.get(pair.mentee_organisation_id)


def _count_known(program: Program, data: dict[str, Any], *, now: datetime) -> int | None:
    """How many pairs the filter finds, from the program's cached figures when
    it filters by status at most; None when only a COUNT can tell."""
    if any(data.get(key) for key in ("q", "attention", "focus", "association")):
        return None
    counts = _counts_cached(program, now=now)
    if data.get("status"):
        return int(counts["by_status"].get(data["status"], 0))
    return int(counts["pairs"])


def pairs_all(program: Program, form: PairFilterForm, *, now: datetime) -> list[Mentorship]:
    """Every filtered pair, described like a page's: for the exports."""
    pairs = list(
        pairs_filtered(program, form, now=now)
        .select_related("program", "mentor", "mentee", "agreement", "mentor_organisation", "mentee_organisation")
        .prefetch_related("focus_areas")
    )
    _describe(pairs, now=now)
    return pairs


def _describe(pairs: Any, *, now: datetime) -> None:
    today = local_date(now)
    states = invitation_states([p.mentor for p in pairs] + [p.mentee for p in pairs], now=now)
    for pair in pairs:
        pair.stall = stall_reason(pair, today=today)
        pair.checkin_due = next_checkin_due(pair, count=pair.checkin_count, last=pair.checkin_last)
        pair.checkin_overdue = pair.checkin_due is not None and pair.checkin_due <= today
        pair.mentor_state, pair.mentee_state = states[pair.mentor_id], states[pair.mentee_id]


def program_counts(program: Program, *, now: datetime) -> dict[str, Any]:
    """The figures at the top of the program page, from aggregate queries,
    kept in the shared cache (programs.figures)."""
    counts = _counts_cached(program, now=now)
    by_status = counts.pop("by_status")
    return {
        "by_status": [(label, by_status.get(value, 0)) for value, label in MentorshipStatus.choices],
        **counts,
    }


def _counts_cached(program: Program, *, now: datetime) -> dict[str, Any]:
    return figure_cached(program.pk, "counts", now, lambda: _program_counts(program, now=now))


def _program_counts(program: Program, *, now: datetime) -> dict[str, Any]:
    today = local_date(now)
    pairs = program.mentorships.all()
    by_status = dict(pairs.order_by().values_list("status").annotate(n=Count("pk")))
    held = held_meetings(now=now)
    month_start = datetime.combine(today.replace(day=1), datetime.min.time(), tzinfo=LOCAL_TZ)
    meetings = pairs.aggregate(
        held=Count("meetings", filter=held),
        held_this_month=Count("meetings", filter=held & Q(meetings__starts_at__gte=month_start)),
        confirmed=Count(
            "pk",
            filter=Q(agreement__mentee_confirmed_at__isnull=False, agreement__mentor_confirmed_at__isnull=False),
            distinct=True,
        ),
    )
    annotated = pairs_annotated(program, now=now)
    people = program.mentorships.values_list("mentee", "mentor")
    # Who has not come in, told apart: an invited person has a link to answer
    # (or an expired one), one never invited has not heard from us at all.
    waiting = (
        get_user_model()
        .objects.filter(Q(pk__in=people.values("mentee")) | Q(pk__in=people.values("mentor")))
        .filter(not_registered())
        .aggregate(invited=Count("pk", filter=Q(ever_invited())), never=Count("pk", filter=~Q(ever_invited())))
    )
    return {
        "by_status": by_status,
        "pairs": sum(by_status.values()),
        "confirmed": meetings["confirmed"],
        "held": meetings["held"],
        "held_this_month": meetings["held_this_month"],
        "booked_ahead": pairs.filter(meetings__status=MeetingStatus.BOOKED, meetings__starts_at__gt=now)
        .values("pk")
        .distinct()
        .count(),
        "stalled": annotated.filter(stalled_filter(program, today=today)).count(),
        "checkin_due": annotated.filter(checkin_due_filter(program, today=today)).count(),
        "not_accepted": waiting["invited"],
        "not_invited": waiting["never"],
    }


def meetings_per_month(program: Program, *, now: datetime) -> list[dict[str, Any]]:
    """Held meetings by month over the program's life, every month shown
    (an empty month is a 0, not a gap), with each bar's share of the
    highest month for the chart. Kept in the shared cache (programs.figures)."""
    months = figure_cached(program.pk, "months", now, lambda: _meetings_per_month(program, now=now))
    return [_with_bar(index, month) for index, month in enumerate(months)]


def _with_bar(index: int, month: dict[str, Any]) -> dict[str, Any]:
    """The month's bar in the chart's SVG units: `x` of its slot, `height` by
    its share of the highest month, `y` of its top above the base line."""
    height = round(month["share"] * CHART_BAR_MAX)
    return {**month, "x": index * CHART_STEP, "height": height, "y": CHART_BASE - height}


def _meetings_per_month(program: Program, *, now: datetime) -> list[dict[str, Any]]:
    rows = (
        program.mentorships.filter(held_meetings(now=now), meetings__starts_at__isnull=False)
        .annotate(month=TruncMonth("meetings__starts_at", tzinfo=LOCAL_TZ))
        .values("month")
        .annotate(n=Count("meetings"))
        .order_by("month")
    )
    counts = {local_date(row["month"]).replace(day=1): row["n"] for row in rows}
    first = min([program.starts_on.replace(day=1), *counts])
    last = max([min(local_date(now), program.ends_on or local_date(now)).replace(day=1), *counts])
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    highest = max(counts.values(), default=0)
    return [
        {"month": m, "count": counts.get(m, 0), "share": (counts.get(m, 0) / highest) if highest else 0} for m in months
    ]
