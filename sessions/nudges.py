"""Gentle nudges when a mentorship stalls, and the hourly scan.

The scan runs often (beat, hourly by default) and is idempotent: each nudge
has a deduplication key naming the situation and the period, so however many
times the scan runs, a nudge is written once. The dispatcher checks again at
sending time that the nudge still applies (notes written, meeting booked:
sessions.mail_kinds).
"""

from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from mentorskap.localtime import local_date
from outbox.enqueue import mail_enqueue, mail_enqueue_new
from programs.digest import coordinator_digests_enqueue
from programs.mail_kinds import ProgramMail
from programs.models import Mentorship, MentorshipStatus, Program
from programs.selectors import TOOK_PLACE, active_mentorships_with_meeting_dates
from programs.services import mentorships_end_when_due

from .mail_kinds import SessionMail
from .models import Meeting

# Meetings further back than this are not nudged about: the first scan after
# an upgrade should not mail people about last year's meetings.
NOTES_NUDGE_HORIZON = timedelta(days=28)


def nudges_scan(*, now: datetime | None = None) -> dict[str, int]:
    """End the pairs whose end date has passed, then write the nudges and
    digests that are due now; returns how many of each."""
    now = now or timezone.now()
    ended = mentorships_end_when_due(today=local_date(now))
    return {
        "ended": ended,
        "notes": notes_nudges_enqueue(now=now),
        "booking": booking_nudges_enqueue(now=now),
        "digest": coordinator_digests_enqueue(now=now),
        "inactive": inactivity_mails_enqueue(now=now),
    }


def inactivity_mails_enqueue(*, now: datetime) -> int:
    """Both parties, once in a pair's life, when it has had no meeting held
    or booked for the program's weeks (issue 11): shall we go on? The
    dedupe key names only the pair and the person, so any number of scans
    write it once; `inactivity_mail_at` records it for the coordinator."""
    today = local_date(now)
    candidates = []
    pairs = active_mentorships_with_meeting_dates(now=now).filter(
        next_at__isnull=True, inactivity_mail_at__isnull=True, program__inactive_after_weeks__gt=0
    )
    for pair in pairs.select_related("mentor"):
        last = local_date(pair.last_at) if pair.last_at else (pair.starts_on or local_date(pair.created_at))
        if last > today - timedelta(weeks=pair.program.inactive_after_weeks):
            continue
        candidates += [(f"inactive:{pair.pk}:{person.pk}", (pair, person)) for person in (pair.mentee, pair.mentor)]
    written = mail_enqueue_new(
        candidates,
        lambda key, item: mail_enqueue(
            recipient=item[1], kind=ProgramMail.INACTIVE, mentorship=item[0], due_at=now, dedupe_key=key
        ),
    )
    Mentorship.objects.filter(pk__in={item[0].pk for _key, item in candidates}, inactivity_mail_at=None).update(
        inactivity_mail_at=now
    )
    return written


def notes_nudges_enqueue(*, now: datetime) -> int:
    """The mentee, when a meeting took place some days ago and has no notes."""
    candidates = [(f"nudge_notes:{m.pk}", m) for m in _meetings_without_notes(now) if _notes_overdue(m, now)]
    return mail_enqueue_new(
        candidates,
        lambda key, meeting: mail_enqueue(
            recipient=meeting.mentorship.mentee,
            kind=SessionMail.NUDGE_NOTES,
            mentorship=meeting.mentorship,
            meeting=meeting,
            due_at=now,
            dedupe_key=key,
        ),
    )


def _meetings_without_notes(now):
    """Meetings without notes in the widest window any program asks for: two
    queries however many programs there are; each program's own period is
    applied by `_notes_overdue`."""
    longest = Program.objects.aggregate(days=Max("notes_nudge_after_days"))["days"]
    if longest is None:
        return []
    return Meeting.objects.filter(
        mentorship__status=MentorshipStatus.ACTIVE,
        number__gt=1,  # meeting 1's notes are the agreement's summary
        status__in=TOOK_PLACE,
        starts_at__lte=now,
        starts_at__gt=now - timedelta(days=longest) - NOTES_NUDGE_HORIZON,
        summary="",
        reflection="",
    ).select_related("mentorship__mentee", "mentorship__program")


def _notes_overdue(meeting, now):
    cutoff = now - timedelta(days=meeting.mentorship.program.notes_nudge_after_days)
    return cutoff - NOTES_NUDGE_HORIZON < meeting.starts_at <= cutoff


def booking_nudges_enqueue(*, now: datetime) -> int:
    """The mentee, when no next meeting is booked some days after the last one;
    then once a week, at most the program's number of times."""
    candidates = []
    pairs = active_mentorships_with_meeting_dates(now=now).filter(last_at__isnull=False, next_at__isnull=True)
    for mentorship in pairs:
        program = mentorship.program
        overdue = now - mentorship.last_at - timedelta(days=program.booking_nudge_after_days)
        if overdue < timedelta(0):
            continue
        week = overdue.days // 7  # 0 for the first nudge, 1 a week later, ...
        if week >= program.booking_nudge_max:
            continue
        last = mentorship.last_at.strftime("%Y%m%dT%H%M%S")
        candidates.append((f"nudge_booking:{mentorship.pk}:{last}:{week}", mentorship))
    return mail_enqueue_new(
        candidates,
        lambda key, mentorship: mail_enqueue(
            recipient=mentorship.mentee,
            kind=SessionMail.NUDGE_BOOKING,
            mentorship=mentorship,
            due_at=now,
            dedupe_key=key,
        ),
    )
