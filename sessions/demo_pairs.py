"""Many demo pairs at once (`seed_demo --pairs N`, and `make bench`): people,
pairs, agreements and meetings written with bulk_create, so 10,000 pairs take
about a minute instead of the hours that services (one pair, its e-mail and
its checks at a time) would take. Nobody is told: no outbox rows, no
invitations; the people have no password (only the demo's own logins do).
"""

import datetime as dt
import random
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from programs.figures import program_figures_changed
from programs.models import Mentorship, MentorshipStatus
from sessions.demo_texts import (
    AREAS,
    ARRANGEMENTS,
    COMMUNICATION,
    COSTS,
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

BATCH = 2000
MEETING_INTERVAL = dt.timedelta(weeks=3)
MEETING_LENGTH = dt.timedelta(hours=1, minutes=30)


def demo_pairs_add(*, program, count, meetings_per_pair=5, seed=None, password=None):
    """Add `count` pairs to `program`, each with a confirmed agreement and
    `meetings_per_pair` meetings (held ones with notes, then booked ones).
    One pair in ten has ended; one in ten has stalled (its meetings all long
    past). With `password`, every person can log in with it (the load
    test's people); without, nobody can. Returns the pairs."""
    rng = random.Random(seed)
    people = _people(count, rng, password)
    pairs = _pairs(program, people, count, rng)
    _agreements(pairs, rng)
    _meetings(pairs, meetings_per_pair, rng)
    # bulk_create sends no signals: the program's cached figures are renewed here.
    program_figures_changed([program.pk])
    return pairs


def _people(count, rng, password=None):
    User = get_user_model()
    # One hash for all: hashing is slow on purpose, and the same password
    # hashed once is as valid for each of them. "!" is an unusable password:
    # set one by a reset or an invitation.
    hashed = make_password(password) if password else "!"
    tag = secrets.token_hex(3)  # addresses unique across runs
    offset = rng.randrange(10_000)
    users = []
    for i in range(2 * count):
        name = person_name(offset + i)
        users.append(User(email=f"{email_local_part(name)}.{tag}{i}@example.org", name=name, password=hashed))
    return User.objects.bulk_create(users, batch_size=BATCH)


def _pairs(program, people, count, rng):
    focus_areas = list(program.focus_areas.all())
    pairs = Mentorship.objects.bulk_create(
        [
            Mentorship(
                program=program,
                mentee=people[2 * i],
                mentor=people[2 * i + 1],
                status=MentorshipStatus.ENDED if i % 10 == 9 else MentorshipStatus.ACTIVE,
                starts_on=program.starts_on + dt.timedelta(days=rng.randrange(14)),
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    if focus_areas:
        through = Mentorship.focus_areas.through
        through.objects.bulk_create(
            [
                through(mentorship_id=pair.pk, focusarea_id=area.pk)
                for pair in pairs
                for area in rng.sample(focus_areas, min(2, len(focus_areas)))
            ],
            batch_size=BATCH,
        )
    return pairs


def _agreement_content(number):
    return {
        "purpose_and_goals": pick(GOALS, number),
        "roles": pick(ROLES, number),
        "communication": pick(COMMUNICATION, number),
        "areas": pick(AREAS, number),
        "confidentiality": pick(Confidentiality.values, number),
        "confidentiality_notes": "Det vi säger stannar mellan oss.",
        "meeting_arrangements": pick(ARRANGEMENTS, number),
        "costs": pick(COSTS, number),
        "summary": pick(SUMMARIES, number),
    }


def _agreements(pairs, rng):
    now = timezone.now()
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                mentorship=pair,
                version=1,
                updated_by=pair.mentee,
                mentee_confirmed_at=now - dt.timedelta(days=30),
                mentor_confirmed_at=now - dt.timedelta(days=29),
                **_agreement_content(rng.randrange(1000)),
            )
            for pair in pairs
        ],
        batch_size=BATCH,
    )
    AgreementVersion.objects.bulk_create(
        [
            AgreementVersion(
                agreement=agreement,
                version=1,
                content={field: getattr(agreement, field) for field in Agreement.TEXT_FIELDS},
                saved_by=agreement.updated_by,
            )
            for agreement in agreements
        ],
        batch_size=BATCH,
    )


def _meetings(pairs, per_pair, rng):
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    meetings = []
    for i, pair in enumerate(pairs):
        # Most pairs have a meeting or two ahead; a stalled one met last long ago.
        first = now - MEETING_INTERVAL * (per_pair - 1 - rng.randrange(2)) - dt.timedelta(days=rng.randrange(7))
        if i % 10 == 4:
            first -= dt.timedelta(weeks=8 + per_pair * 3)
        meetings += [
            _meeting(pair, number, first + MEETING_INTERVAL * (number - 1), now, rng)
            for number in range(1, per_pair + 1)
        ]
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)


def _meeting(pair, number, starts_at, now, rng):
    held = starts_at < now
    # An ended pair's meetings still ahead did not happen.
    upcoming = MeetingStatus.CANCELLED if pair.status == MentorshipStatus.ENDED else MeetingStatus.BOOKED
    summary = pick(SUMMARIES, rng.randrange(1000)) if held else ""
    return Meeting(
        mentorship=pair,
        number=number,
        starts_at=starts_at,
        ends_at=starts_at + MEETING_LENGTH,
        location=pick(PLACES, number),
        status=MeetingStatus.HELD if held else upcoming,
        reflection=pick(REFLECTIONS, rng.randrange(1000)) if held and number > 1 else "",
        summary=summary,
        version=1 if summary else 0,
        notes_updated_at=starts_at + dt.timedelta(hours=2) if summary else None,
    )
