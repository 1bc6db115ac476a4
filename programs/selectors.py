"""Reads for the coordinator's pages."""

from django.db.models import Count, Exists, Max, OuterRef

from accounts.selectors import invitation_states
from sessions.models import Agreement, Meeting

from .models import Mentorship, MentorshipStatus, Program
from .permissions import coordinated_program_ids


def programs_for_coordinator(user):
    """The user's programs with pair counts by status and meetings held.

    Three grouped queries instead of one join of programs × pairs × meetings:
    that join grows with every meeting ever held.
    """
    from sessions.models import Meeting, MeetingStatus

    qs = Program.objects.all()
    if not user.is_superuser:
        qs = qs.filter(id__in=coordinated_program_ids(user))
    programs = list(qs.order_by("-starts_on", "name"))
    ids = [program.pk for program in programs]
    pairs = Mentorship.objects.filter(program_id__in=ids).values_list("program_id", "status").annotate(n=Count("id"))
    by_status = {(program_id, status): n for program_id, status, n in pairs}
    meetings = (
        Meeting.objects.filter(mentorship__program_id__in=ids, status=MeetingStatus.HELD)
        .values("mentorship__program_id")
        .annotate(n=Count("id"), last=Max("starts_at"))
    )
    held = {row["mentorship__program_id"]: row for row in meetings}
    for program in programs:
        count = {status: by_status.get((program.pk, status), 0) for status in MentorshipStatus.values}
        program.pairs_total = sum(count.values())
        program.pairs_active = count[MentorshipStatus.ACTIVE]
        program.pairs_invited = count[MentorshipStatus.INVITED]
        program.pairs_closed = count[MentorshipStatus.ENDED] + count[MentorshipStatus.CANCELLED]
        program.meetings_held = held.get(program.pk, {}).get("n", 0)
        program.last_meeting = held.get(program.pk, {}).get("last")
    return programs


def program_pairs(program, *, now):
    """The program's pairs for the coordinator's overview: people, status and
    meeting dates (no note text), each with `stall` and its two people's
    `mentor_state` / `mentee_state` (accounts.selectors.InvitationState) set,
    in a fixed number of queries whatever the number of pairs."""
    from sessions.ics import LOCAL_TZ
    from sessions.nudges import stall_reason, with_meeting_dates

    pairs = with_meeting_dates(
        program.mentorships.select_related(
            "program", "mentor", "mentee", "agreement", "mentor_organisation", "mentee_organisation"
        ).order_by("mentee__name", "mentee__email"),
        now=now,
    )
    today = now.astimezone(LOCAL_TZ).date()
    pairs = list(pairs)
    states = invitation_states([p.mentor for p in pairs] + [p.mentee for p in pairs], now=now)
    for pair in pairs:
        pair.stall = stall_reason(pair, today=today)
        pair.mentor_state, pair.mentee_state = states[pair.mentor_id], states[pair.mentee_id]
    return pairs


def journal_started_ids(mentorships):
    """The ids of those of `mentorships` whose journal has started: an
    agreement saved at least once, or any meeting (a booked one too)."""
    return set(
        Mentorship.objects.filter(pk__in=[m.pk for m in mentorships])
        .filter(
            Exists(Agreement.objects.filter(mentorship=OuterRef("pk"), version__gt=0))
            | Exists(Meeting.objects.filter(mentorship=OuterRef("pk")))
        )
        .values_list("pk", flat=True)
    )


def journal_started(mentorship):
    return mentorship.pk is not None and mentorship.pk in journal_started_ids([mentorship])
