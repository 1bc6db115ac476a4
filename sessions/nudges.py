"""Gentle nudges when a mentorship stalls, and the coordinators' digest.

The scan runs often (beat, hourly by default) and is idempotent: each nudge
has a deduplication key naming the situation and the period, so however many
times the scan runs, a nudge is written once. The dispatcher checks again at
sending time that the nudge still applies (notes written, meeting booked).
"""

from datetime import timedelta

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from programs.models import Mentorship, MentorshipStatus, Program
from programs.services import mentorships_end_when_due

from .ics import LOCAL_TZ
from .models import MailKind, Meeting, MeetingStatus, OutgoingMail
from .outbox import mail_enqueue

TOOK_PLACE = (MeetingStatus.BOOKED, MeetingStatus.HELD)
# Meetings further back than this are not nudged about: the first scan after
# an upgrade should not mail people about last year's meetings.
NOTES_NUDGE_HORIZON = timedelta(days=28)


def nudges_scan(*, now=None):
    """End the pairs whose end date has passed, then write the nudges and
    digests that are due now; returns how many of each."""
    now = now or timezone.now()
    ended = mentorships_end_when_due(today=now.astimezone(LOCAL_TZ).date())
    return {
        "ended": ended,
        "notes": notes_nudges_enqueue(now=now),
        "booking": booking_nudges_enqueue(now=now),
        "digest": coordinator_digests_enqueue(now=now),
    }


def notes_nudges_enqueue(*, now):
    """The mentee, when a meeting took place some days ago and has no notes."""
    candidates = [(f"nudge_notes:{m.pk}", m) for m in _meetings_without_notes(now) if _notes_overdue(m, now)]
    return _enqueue_new(
        candidates,
        lambda key, meeting: mail_enqueue(
            recipient=meeting.mentorship.mentee,
            kind=MailKind.NUDGE_NOTES,
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


def booking_nudges_enqueue(*, now):
    """The mentee, when no next meeting is booked some days after the last one;
    then once a week, at most the program's number of times."""
    candidates = []
    for mentorship in _active_mentorships_with_meeting_dates(now).filter(last_at__isnull=False, upcoming=False):
        program = mentorship.program
        overdue = now - mentorship.last_at - timedelta(days=program.booking_nudge_after_days)
        if overdue < timedelta(0):
            continue
        week = overdue.days // 7  # 0 for the first nudge, 1 a week later, ...
        if week >= program.booking_nudge_max:
            continue
        last = mentorship.last_at.strftime("%Y%m%dT%H%M%S")
        candidates.append((f"nudge_booking:{mentorship.pk}:{last}:{week}", mentorship))
    return _enqueue_new(
        candidates,
        lambda key, mentorship: mail_enqueue(
            recipient=mentorship.mentee,
            kind=MailKind.NUDGE_BOOKING,
            mentorship=mentorship,
            due_at=now,
            dedupe_key=key,
        ),
    )


def coordinator_digests_enqueue(*, now):
    """Each coordinator, once a week, of the stalled pairs in their programs."""
    year, week, _day = now.astimezone(LOCAL_TZ).isocalendar()
    period = f"{year}-W{week:02d}"
    stalled = stalled_mentorships(now=now)
    if not stalled:
        return 0
    by_program = {}
    for mentorship, reason in stalled:
        by_program.setdefault(mentorship.program_id, []).append([mentorship.pk, reason])
    links = Program.coordinators.through.objects.filter(program_id__in=by_program, user__is_active=True).select_related(
        "user"
    )
    pairs_for = {}
    for link in links.order_by("user_id", "program_id"):
        pairs_for.setdefault(link.user, []).extend(by_program[link.program_id])
    candidates = [(f"digest:{user.pk}:{period}", (user, pairs)) for user, pairs in pairs_for.items()]
    return _enqueue_new(
        candidates,
        lambda key, item: mail_enqueue(
            recipient=item[0], kind=MailKind.COORDINATOR_DIGEST, due_at=now, context={"pairs": item[1]}, dedupe_key=key
        ),
    )


def stalled_mentorships(*, now):
    """Active pairs that have stalled, as (mentorship, reason)."""
    today = now.astimezone(LOCAL_TZ).date()
    pairs = _active_mentorships_with_meeting_dates(now).select_related("agreement")
    return [(m, reason) for m in pairs if (reason := stall_reason(m, today=today))]


def stall_reason(mentorship, *, today):
    """Why a pair has stalled, or None: no agreement the program's weeks after
    it started, or no meeting for the program's weeks and none booked. Needs
    the `last_at` and `upcoming` of `with_meeting_dates`."""
    if mentorship.status != MentorshipStatus.ACTIVE:
        return None
    program = mentorship.program
    started = mentorship.starts_on or mentorship.created_at.astimezone(LOCAL_TZ).date()
    agreement = getattr(mentorship, "agreement", None)
    if agreement is None or agreement.version == 0:
        if started <= today - timedelta(weeks=program.agreement_due_weeks):
            return "no_agreement"
        return None
    last = mentorship.last_at.astimezone(LOCAL_TZ).date() if mentorship.last_at else started
    if not mentorship.upcoming and last <= today - timedelta(weeks=program.stalled_after_weeks):
        return "no_meeting"
    return None


def nudge_still_applies(row, *, now):
    """At sending time: a nudge whose reason has gone away is not sent."""
    if row.kind == MailKind.NUDGE_NOTES:
        meeting = row.meeting
        return meeting is not None and meeting.status in TOOK_PLACE and not meeting.has_notes
    if row.kind == MailKind.NUDGE_BOOKING:
        return not Meeting.objects.filter(
            mentorship_id=row.mentorship_id, status=MeetingStatus.BOOKED, starts_at__gt=now
        ).exists()
    return True


def digest_pairs(row):
    """The digest's pairs as the e-mail shows them, read now."""
    from .mail_render import page_url

    wanted = dict(row.context.get("pairs", []))
    mentorships = Mentorship.objects.filter(pk__in=wanted, status=MentorshipStatus.ACTIVE).select_related(
        "program", "mentor", "mentee"
    )
    return [
        {"mentorship": m, "reason": wanted[m.pk], "url": page_url("mentorship_detail", m.public_id)}
        for m in sorted(mentorships, key=lambda m: (m.program.name, m.mentee.display_name))
    ]


def _active_mentorships_with_meeting_dates(now):
    return with_meeting_dates(
        Mentorship.objects.filter(status=MentorshipStatus.ACTIVE).select_related("program", "mentee"), now=now
    )


def with_meeting_dates(mentorships, *, now):
    """Annotate `last_at` (latest meeting that took place), `upcoming` (one is
    booked ahead), `next_at` and `meetings_held`: one query for any number.

    Tillfälle 1 made without a booked time (the agreement was simply written)
    counts from when it was recorded, so the booking nudge and the stall rule
    also see a pair that never booked meeting 2."""
    took_place = Q(meetings__status__in=TOOK_PLACE) & (
        Q(meetings__starts_at__lte=now) | Q(meetings__starts_at__isnull=True)
    )
    ahead = Q(meetings__status=MeetingStatus.BOOKED, meetings__starts_at__gt=now)
    upcoming = Meeting.objects.filter(mentorship=OuterRef("pk"), status=MeetingStatus.BOOKED, starts_at__gt=now)
    return mentorships.annotate(
        last_at=Max(Coalesce("meetings__starts_at", "meetings__created_at"), filter=took_place),
        next_at=Min("meetings__starts_at", filter=ahead),
        meetings_held=Count("meetings", filter=Q(meetings__status=MeetingStatus.HELD)),
        upcoming=Exists(upcoming),
    )


def _enqueue_new(candidates, enqueue):
    """Write the candidates whose key has no row yet. Looking the keys up first
    keeps a scan that finds nothing new at one query, however often it runs;
    the unique key still guards against two scans racing."""
    if not candidates:
        return 0
    existing = set(
        OutgoingMail.objects.filter(dedupe_key__in=[key for key, _item in candidates]).values_list(
            "dedupe_key", flat=True
        )
    )
    written = 0
    for key, item in candidates:
        if key not in existing and enqueue(key, item) is not None:
            written += 1
    return written
