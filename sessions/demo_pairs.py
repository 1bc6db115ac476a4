"""Many demo pairs at once (`seed_demo --pairs N`, and `make bench`): people,
pairs, invitations, agreements, meetings and check-ins written with
bulk_create, so 10,000 pairs take well under a minute instead of the hours
that services (one pair, its e-mail and its checks at a time) would take.
Nobody is told: no outbox rows. The people have no password (only the demo's
own logins do) unless one is given.

The rows tell one story, as of the moment they are seeded, so that the
coordinator's pages (the program page's figures and chart, the funder report)
add up:

- The coordinator imported the pairs a week before the program starts; both
  people accepted their invitations and logged in before it started. Each
  pair starts in the program's first two weeks and meets from its start, as
  often as its agreement says. The agreement is written at Tillfälle 1 and
  confirmed that evening by the mentee, in the days after by the mentor.
  Held meetings are in the past, with notes; booked ones are ahead.
- One pair in ten has ended (its end date, reason and who ended it, as
  `programs.services.mentorship_end` leaves them), one in ten has stalled (no
  meeting for longer than the program's `stalled_after_weeks`), one in ten
  has met lately but booked nothing since; the rest have their next meeting
  booked. The coordinator's check-ins keep to the program's cadence, but two
  pairs in ten are behind.
- One pair in twenty, the last, was added later: one or both of its people
  have not accepted the invitation (some links expired, some sent again), so
  it is still invited, with no agreement and no meeting.

A program too young for some of this gets what fits: no pair can have
stalled in a program that started last week.
"""

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from accounts.models import Invitation
from mentorskap.localtime import LOCAL_TZ, local_date
from programs.checkins import first_month_due_days
from programs.figures import program_figures_changed
from programs.models import CheckIn, CheckInChannel, CheckInWith, EndReason, Mentorship, MentorshipStatus
from sessions.demo_texts import (
    AREAS,
    ARRANGEMENTS,
    COMMUNICATION,
    COSTS,
    END_NOTES,
    GOALS,
    PLACES,
    REFLECTIONS,
    ROLES,
    SUMMARIES,
    email_local_part,
    person_name,
    pick,
)
from sessions.models import Agreement, AgreementVersion, Confidentiality, Meeting, MeetingStatus

BATCH = 2000  # rows refer to others by id (mentorship_id=...): no related object to check per row
# Rows dated afterwards by one UPDATE: few statements, each planned once (on
# PostgreSQL a statement on a table just filled is costed high enough to be
# JIT-compiled, about 0.2 s each); within SQLite's 32,766 parameters.
UPDATE_BATCH = 10_000
MEETING_LENGTH = dt.timedelta(hours=1, minutes=30)
EVENINGS = (dt.time(17, 0), dt.time(17, 30), dt.time(18, 0), dt.time(18, 30))
IMPORTED_BEFORE_START = dt.timedelta(days=7)  # the coordinator's import, before the program starts
ADDED_LATE_AGO = dt.timedelta(days=20)  # the pairs added later
CONFIRMED_AFTER_SAVE = dt.timedelta(minutes=3)  # the mentee saves the agreement, then confirms it
ENDED_AT = dt.time(20, 0)  # the evening a pair was ended
LATE_ONE_IN = 20

# What a pair's journal looks like now.
BOOKED = "booked"  # met lately, next meeting booked
QUIET = "quiet"  # met lately, nothing booked (not stalled yet)
STALLED = "stalled"  # no meeting for longer than the program's rule, nothing booked
ENDED = "ended"
WAITING = "waiting"  # both in, the pair has not started yet (a program about to start)
LATE = "late"  # added later: someone has not accepted the invitation
STATUS = {
    BOOKED: MentorshipStatus.ACTIVE,
    QUIET: MentorshipStatus.ACTIVE,
    STALLED: MentorshipStatus.ACTIVE,
    ENDED: MentorshipStatus.ENDED,
    WAITING: MentorshipStatus.INVITED,
    LATE: MentorshipStatus.INVITED,
}


@dataclass
class _Person:
    invited_at: dt.datetime
    accepted: bool = True
    first_login: dt.datetime | None = None  # the invitation used
    last_login: dt.datetime | None = None
    resent_at: dt.datetime | None = None  # a new link, still open


@dataclass
class _Plan:
    kind: str
    created_at: dt.datetime
    starts_on: dt.date
    mentee: _Person
    mentor: _Person
    text: int  # which demo texts
    # (starts, status, notes written), numbered in this order
    meetings: list[tuple[dt.datetime, str, dt.datetime | None]] = field(default_factory=list)
    checkins: list[dt.date] = field(default_factory=list)
    ends_on: dt.date | None = None
    end_reason: str = ""
    end_proposed_by: str = ""  # "mentee" or "mentor"
    end_proposed_at: dt.datetime | None = None
    ended_by: str = ""  # "mentee", "mentor" or "coordinator"
    agreed: tuple[dt.datetime, dt.datetime] | None = None  # the agreement saved, the mentor's confirmation
    focus_areas: list = field(default_factory=list)

    @property
    def held(self):
        return [starts for starts, status, _notes in self.meetings if status == MeetingStatus.HELD]

    @property
    def latest(self):
        """When someone of the pair last did something, or None."""
        ended = self.ends_on and dt.datetime.combine(self.ends_on, ENDED_AT, tzinfo=LOCAL_TZ)
        times = [notes for _starts, _status, notes in self.meetings if notes]
        return max([*times, *(self.agreed or ()), *([ended] if ended else [])], default=None)


def demo_pairs_add(*, program, count, meetings_per_pair=5, seed=None, password=None):
    """Add `count` pairs to `program` (see the module's docstring for what
    they are like). Every pair that has begun has a confirmed agreement and
    `meetings_per_pair` meetings: held ones with notes, then booked ones, or
    cancelled ones for the pairs that book nothing. With `password`, every
    person who has accepted the invitation logs in with it (the load test's
    people); without, nobody can. Returns the pairs."""
    rng = random.Random(seed)
    now = timezone.now()
    coordinator = program.coordinators.order_by("pk").first()
    world = _World(program, now, coordinator is not None)
    late = count // LATE_ONE_IN
    plans = [world.plan(i, late=i >= count - late, per_pair=meetings_per_pair, rng=rng) for i in range(count)]
    focus_areas = list(program.focus_areas.all())
    for plan in plans:
        plan.focus_areas = rng.sample(focus_areas, min(2, len(focus_areas)))
    people = _people(plans, rng, password)
    pairs = _pairs(program, plans, people, world, coordinator)
    _invitations(plans, pairs)
    _agreements(plans, pairs)
    _meetings(plans, pairs, rng)
    if coordinator is not None:
        _checkins(plans, pairs, coordinator, rng)
    # bulk_create sends no signals: the program's cached figures are renewed here.
    program_figures_changed([program.pk])
    return pairs


class _World:
    """The program's calendar as of `now`: where each pair's dates fall."""

    def __init__(self, program, now, has_coordinator):
        self.program = program
        self.now = now
        self.today = local_date(now)
        self.has_coordinator = has_coordinator
        imported = dt.datetime.combine(program.starts_on - IMPORTED_BEFORE_START, dt.time(10, 0), tzinfo=LOCAL_TZ)
        self.imported_at = min(imported, now - dt.timedelta(hours=1))
        self.late_at = min(max(self.imported_at + dt.timedelta(days=1), now - ADDED_LATE_AGO), now)
        self.stalled_days = 7 * program.stalled_after_weeks
        self.invitation_days = dt.timedelta(days=settings.MENTORSKAP_INVITATION_DAYS)

    def plan(self, i, *, late, per_pair, rng):
        text = rng.randrange(1000)
        if late:
            return self._late(i, text, rng)
        plan = _Plan(
            kind=WAITING,
            created_at=self.imported_at,
            starts_on=self.program.starts_on + dt.timedelta(days=rng.randrange(14)),
            mentee=_Person(self.imported_at),
            mentor=_Person(self.imported_at),
            text=text,
        )
        first = _weekday(plan.starts_on + dt.timedelta(days=rng.randrange(8)), plan.starts_on, self.yesterday)
        if first is not None and per_pair > 0:
            self._journal(plan, i, first, per_pair, rng)
        self._logins(plan, rng)
        return plan

    @property
    def yesterday(self):
        return self.today - dt.timedelta(days=1)

    def _journal(self, plan, i, first, per_pair, rng):
        """The pair's meetings from its first, by what kind of pair it is."""
        every = pick(ARRANGEMENTS, plan.text)[1]
        at = pick(EVENINGS, plan.text)
        kind = {9: ENDED, 4: STALLED, 6: QUIET}.get(i % 10, BOOKED)
        if kind == STALLED and first > self.today - dt.timedelta(days=self.stalled_days + 1):
            kind = QUIET  # too young to have stalled
        if kind == ENDED:
            plan.ends_on = min(
                max(self.today - dt.timedelta(days=rng.randint(1, 30)), first + dt.timedelta(days=3)), self.yesterday
            )
            last = plan.ends_on
        elif kind == STALLED:
            last = self.today - dt.timedelta(days=self.stalled_days + rng.randint(1, 10))
        else:
            last = self.yesterday
        last = max(last, first)
        most = {BOOKED: max(1, per_pair - 1), STALLED: min(2, per_pair)}.get(kind, per_pair)
        slots = 1 + (last - first).days // every
        if slots <= most:
            held = _cadence(first, last, every, slots)
        else:
            # More of the pair's rhythm has passed than it has meetings: they
            # are spread over its time, the latest lately.
            if kind in (BOOKED, QUIET):
                last = max(first, last - dt.timedelta(days=rng.randint(0, min(every, 21))))
            held = _spread(first, last, most)
        plan.kind = kind
        plan.meetings = [
            (_evening(day, at), MeetingStatus.HELD, self._notes_at(_evening(day, at), rng)) for day in held
        ]
        # The rest: booked ahead, or (a pair that books nothing) booked and called off.
        day = held[-1] + dt.timedelta(days=every)
        if kind == BOOKED:
            day = max(day, self.today + dt.timedelta(days=rng.randint(1, 7)))
        status = MeetingStatus.BOOKED if kind == BOOKED else MeetingStatus.CANCELLED
        for _ in range(per_pair - len(held)):
            plan.meetings.append((_evening(_weekday(day, day, day + dt.timedelta(days=3)) or day, at), status, None))
            day += dt.timedelta(days=every)
        # The agreement is written at Tillfälle 1, after the meeting.
        saved = plan.meetings[0][0] + MEETING_LENGTH + dt.timedelta(minutes=rng.randint(10, 60))
        by = self.now if plan.ends_on is None else dt.datetime.combine(plan.ends_on, ENDED_AT, tzinfo=LOCAL_TZ)
        plan.agreed = (
            saved,
            max(min(saved + dt.timedelta(hours=rng.randint(1, 72)), by), saved + CONFIRMED_AFTER_SAVE),
        )
        if kind == ENDED:
            self._ending(plan, rng)
        plan.checkins = self._checkins(plan, behind=i % 10 in (2, 5), rng=rng)

    def _ending(self, plan, rng):
        """As mentorship_end leaves a pair: a party proposed and the other
        confirmed, or the coordinator ended it ("avbrutet")."""
        reasons = [EndReason.GOALS_REACHED, EndReason.TIME_OVER, EndReason.NOT_WORKING, EndReason.OTHER]
        if self.has_coordinator:
            reasons.append(EndReason.DISCONTINUED)
        plan.end_reason = rng.choice(reasons)
        ended_at = dt.datetime.combine(plan.ends_on, ENDED_AT, tzinfo=LOCAL_TZ)
        if plan.end_reason == EndReason.DISCONTINUED:
            plan.ended_by = "coordinator"
            return
        plan.end_proposed_by, plan.ended_by = rng.choice([("mentee", "mentor"), ("mentor", "mentee")])
        last_met = plan.held[-1] + MEETING_LENGTH
        plan.end_proposed_at = max(ended_at - dt.timedelta(days=rng.randint(0, 3), hours=2), last_met)

    def _checkins(self, plan, *, behind, rng):
        """The coordinator's check-ins, on the program's cadence until today
        (or the pair's end); a pair that is behind misses the latest."""
        if not self.has_coordinator:
            return []
        program = self.program
        first_month = first_month_due_days(program.checkins_first_month)
        until = plan.ends_on or self.today
        held = []
        while True:
            due = (
                plan.starts_on + dt.timedelta(days=first_month[len(held)])
                if len(held) < len(first_month)
                else held[-1] + dt.timedelta(days=max(1, program.checkin_interval_days))
            )
            if due > until:
                break
            day = min(due - dt.timedelta(days=rng.randint(0, 4)), self.yesterday)
            held.append(max(day, held[-1] if held else plan.starts_on))
        if behind and plan.ends_on is None:
            held = held[:-1]
        return held

    def _late(self, i, text, rng):
        """A pair added later: one or both have not accepted the invitation;
        a link that ran out was sent again to some."""
        plan = _Plan(
            kind=LATE,
            created_at=self.late_at,
            starts_on=max(self.program.starts_on, local_date(self.late_at) + dt.timedelta(days=14)),
            mentee=_Person(self.late_at, accepted=i % 3 == 1),
            mentor=_Person(self.late_at, accepted=i % 3 == 2),
            text=text,
        )
        for person in (plan.mentee, plan.mentor):
            if person.accepted:
                person.first_login = min(self.late_at + dt.timedelta(hours=rng.randint(1, 96)), self.now)
                person.last_login = min(person.first_login + dt.timedelta(hours=rng.randint(0, 48)), self.now)
            elif rng.random() < 0.5 and self.late_at + self.invitation_days < self.now:
                person.resent_at = self.now - dt.timedelta(days=rng.randint(1, 5))
        plan.checkins = self._checkins(plan, behind=False, rng=rng)
        return plan

    def _notes_at(self, starts, rng):
        # Written that evening or the day after, never later than now.
        return min(starts + MEETING_LENGTH + dt.timedelta(minutes=rng.randint(10, 24 * 60)), self.now)

    def _logins(self, plan, rng):
        """Both accepted their invitations before the pair began, and last
        logged in at or after the pair's latest activity."""
        begun = min([*plan.held[:1], self.now])
        for person in (plan.mentee, plan.mentor):
            span = min(dt.timedelta(days=5), (begun - person.invited_at) * 0.9)
            person.first_login = person.invited_at + span * rng.uniform(0.05, 1)
            latest = plan.latest or person.first_login
            person.last_login = max(min(latest + dt.timedelta(hours=rng.randint(0, 48)), self.now), person.first_login)


def _weekday(day, lo, hi):
    """The weekday nearest `day` within [lo, hi] (volunteers meet after
    work), or None if the span is empty."""
    if lo > hi:
        return None
    for step in (0, 1, -1, 2, -2, 3, -3):
        candidate = day + dt.timedelta(days=step)
        if lo <= candidate <= hi and candidate.weekday() < 5:
            return candidate
    return min(max(day, lo), hi)


def _evening(day, at):
    # Combined in local time: 17:30 stays 17:30 across a change to or from summer time.
    return dt.datetime.combine(day, at, tzinfo=LOCAL_TZ)


def _cadence(first, last, every, count):
    """`count` meeting days `every` days apart from `first`, on weekdays,
    none after `last`."""
    days = [first]
    for k in range(1, count):
        target = first + dt.timedelta(days=every * k)
        days.append(_weekday(target, days[-1] + dt.timedelta(days=1), last) or target)
    return days


def _spread(first, last, count):
    """`count` meeting days from `first` to `last`, evenly, on weekdays
    (none after `last`), at least a week apart."""
    count = max(1, min(count, 1 + (last - first).days // 7))
    days = [first]
    for k in range(1, count):
        target = first + (last - first) * k // (count - 1)
        days.append(_weekday(target, days[-1] + dt.timedelta(days=1), last) or target)
    return days


def _chunks(items, size=UPDATE_BATCH):
    items = list(items)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _people(plans, rng, password=None):
    User = get_user_model()
    # One hash for all: hashing is slow on purpose, and the same password
    # hashed once is as valid for each of them. "!" is an unusable password:
    # set one by a reset or an invitation.
    hashed = make_password(password) if password else "!"
    tag = secrets.token_hex(3)  # addresses unique across runs
    offset = rng.randrange(10_000)
    users = []
    for i, person in enumerate(p for plan in plans for p in (plan.mentee, plan.mentor)):
        name = person_name(offset + i)
        users.append(
            User(
                email=f"{email_local_part(name)}.{tag}{i}@example.org",
                name=name,
                password=hashed if person.accepted else "!",
                date_joined=person.invited_at,
                last_login=person.last_login,
            )
        )
    return User.objects.bulk_create(users, batch_size=BATCH)


def _pairs(program, plans, people, world, coordinator):
    rows = []
    for i, plan in enumerate(plans):
        who = {"": None, "coordinator": coordinator, "mentee": people[2 * i], "mentor": people[2 * i + 1]}
        rows.append(
            Mentorship(
                program=program,
                mentee=who["mentee"],
                mentor=who["mentor"],
                status=STATUS[plan.kind],
                starts_on=plan.starts_on,
                ends_on=plan.ends_on,
                end_reason=plan.end_reason,
                end_note=END_NOTES.get(plan.end_reason, ""),
                end_proposed_by=who[plan.end_proposed_by],
                end_proposed_at=plan.end_proposed_at,
                ended_by=who[plan.ended_by],
            )
        )
    pairs = Mentorship.objects.bulk_create(rows, batch_size=BATCH)
    through = Mentorship.focus_areas.through
    through.objects.bulk_create(
        [
            through(mentorship_id=pair.pk, focusarea_id=area.pk)
            for pair, plan in zip(pairs, plans, strict=True)
            for area in plan.focus_areas
        ],
        batch_size=BATCH,
    )
    # created_at is set on insert (auto_now_add): dated afterwards, the import and the pairs added late.
    for chunk in _chunks(pair.pk for pair in pairs):
        Mentorship.objects.filter(pk__in=chunk).update(created_at=world.imported_at)
    for chunk in _chunks(pair.pk for pair, plan in zip(pairs, plans, strict=True) if plan.kind == LATE):
        Mentorship.objects.filter(pk__in=chunk).update(created_at=world.late_at)
    for pair, plan in zip(pairs, plans, strict=True):
        pair.created_at = plan.created_at
    return pairs


def _invitations(plans, pairs):
    """The links the pair's announcement sent: used at the first login (which
    is what accepting leaves behind, with last_login), still open, or expired."""
    days = dt.timedelta(days=settings.MENTORSKAP_INVITATION_DAYS)
    invitations = []
    for pair, plan in zip(pairs, plans, strict=True):
        for user, person in ((pair.mentee, plan.mentee), (pair.mentor, plan.mentor)):
            sent = [(person.invited_at, person.first_login)] + ([(person.resent_at, None)] if person.resent_at else [])
            invitations += [
                Invitation(user_id=user.pk, mentorship_id=pair.pk, created_at=at, expires_at=at + days, used_at=used)
                for at, used in sent
            ]
    Invitation.objects.bulk_create(invitations, batch_size=BATCH)


def _agreement_content(number):
    return {
        "purpose_and_goals": pick(GOALS, number),
        "roles": pick(ROLES, number),
        "communication": pick(COMMUNICATION, number),
        "areas": pick(AREAS, number),
        "confidentiality": pick(Confidentiality.values, number),
        "confidentiality_notes": "Det vi säger stannar mellan oss.",
        "meeting_arrangements": pick(ARRANGEMENTS, number)[0],
        "costs": pick(COSTS, number),
        "summary": pick(SUMMARIES, number),
    }


def _agreements(plans, pairs):
    """Written at Tillfälle 1, confirmed by the mentee on saving it and by
    the mentor in the days after: version 1, in force for both."""
    rows = []
    for pair, plan in zip(pairs, plans, strict=True):
        if not plan.agreed:
            continue
        saved, mentor_confirmed = plan.agreed
        content = _agreement_content(plan.text)
        rows.append(
            Agreement(
                mentorship_id=pair.pk,
                version=1,
                updated_by_id=pair.mentee_id,
                mentee_confirmed_at=saved + CONFIRMED_AFTER_SAVE,
                mentor_confirmed_at=mentor_confirmed,
                shared_confidentiality=content["confidentiality"],  # both confirmed it
                **content,
            )
        )
    agreements = Agreement.objects.bulk_create(rows, batch_size=BATCH)
    names = {pair.pk: sorted(area.name for area in plan.focus_areas) for pair, plan in zip(pairs, plans, strict=True)}
    AgreementVersion.objects.bulk_create(
        [
            AgreementVersion(
                agreement_id=agreement.pk,
                version=1,
                content={
                    **{field: getattr(agreement, field) for field in Agreement.TEXT_FIELDS},
                    "focus_areas": names[agreement.mentorship_id],
                },
                saved_by_id=agreement.updated_by_id,
            )
            for agreement in agreements
        ],
        batch_size=BATCH,
    )
    # updated_at and saved_at are set on insert (auto_now): dated afterwards
    # from the mentee's confirmation.
    saved_at = Agreement.objects.filter(pk=OuterRef("agreement_id")).values("updated_at")[:1]
    for chunk in _chunks(agreement.pk for agreement in agreements):
        Agreement.objects.filter(pk__in=chunk).update(updated_at=F("mentee_confirmed_at") - CONFIRMED_AFTER_SAVE)
        AgreementVersion.objects.filter(agreement_id__in=chunk).update(saved_at=Subquery(saved_at))


def _meetings(plans, pairs, rng):
    meetings = []
    for pair, plan in zip(pairs, plans, strict=True):
        for number, (starts_at, status, notes_at) in enumerate(plan.meetings, start=1):
            held = status == MeetingStatus.HELD
            meetings.append(
                Meeting(
                    mentorship_id=pair.pk,
                    number=number,
                    starts_at=starts_at,
                    ends_at=starts_at + MEETING_LENGTH,
                    location=pick(PLACES, number),
                    status=status,
                    reflection=pick(REFLECTIONS, rng.randrange(1000)) if held and number > 1 else "",
                    summary=pick(SUMMARIES, rng.randrange(1000)) if held else "",
                    version=1 if held else 0,
                    notes_updated_at=notes_at,
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)


def _checkins(plans, pairs, coordinator, rng):
    with_whom, channels = CheckInWith.values, CheckInChannel.values
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                mentorship_id=pair.pk,
                held_on=day,
                with_whom=rng.choice(with_whom),
                channel=rng.choice(channels),
                recorded_by_id=coordinator.pk,
            )
            for pair, plan in zip(pairs, plans, strict=True)
            for day in plan.checkins
        ],
        batch_size=BATCH,
    )
