"""Reads for the coordinator's pages."""

from django.db.models import Count, Max, Q

from .models import Program
from .permissions import coordinated_program_ids


def programs_for_coordinator(user):
    """The user's programs with pair counts by status and meetings held."""
    qs = Program.objects.all()
    if not user.is_superuser:
        qs = qs.filter(id__in=coordinated_program_ids(user))
    return qs.annotate(
        pairs_total=Count("mentorships", distinct=True),
        pairs_active=Count("mentorships", filter=Q(mentorships__status="active"), distinct=True),
        pairs_invited=Count("mentorships", filter=Q(mentorships__status="invited"), distinct=True),
        pairs_closed=Count("mentorships", filter=Q(mentorships__status__in=["ended", "cancelled"]), distinct=True),
        meetings_held=Count("mentorships__meetings", filter=Q(mentorships__meetings__status="held")),
        last_meeting=Max("mentorships__meetings__starts_at", filter=Q(mentorships__meetings__status="held")),
    ).order_by("-starts_on", "name")


def program_pairs(program, *, now):
    """The program's pairs for the coordinator's overview: people, status and
    meeting dates (no note text), each with `stall` set, in a fixed number of
    queries whatever the number of pairs."""
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
    for pair in pairs:
        pair.stall = stall_reason(pair, today=today)
    return pairs
