"""The coordinators' weekly digest of the stalled pairs in their programs."""

from datetime import date, datetime

from mentorskap.localtime import LOCAL_TZ, local_date
from outbox.enqueue import mail_enqueue, mail_enqueue_new

from .checkins import checkins_due_in_any_program, with_checkins
from .mail_kinds import ProgramMail
from .models import Mentorship, Program
from .selectors import stalled_mentorships


def coordinator_digests_enqueue(*, now: datetime) -> int:
    """Each coordinator, once a week, of the stalled pairs in their programs
    and the pairs due for their check-in."""
    year, week, _day = now.astimezone(LOCAL_TZ).isocalendar()
    period = f"{year}-W{week:02d}"
    stalled: dict[int, list[list]] = {}
    for mentorship, reason in stalled_mentorships(now=now):
        stalled.setdefault(mentorship.program_id, []).append([mentorship.pk, reason])
    due = checkins_due_by_program(today=local_date(now))
    links = Program.coordinators.through.objects.filter(
        program_id__in={*stalled, *due}, user__is_active=True
    ).select_related("user")
    digest_for: dict = {}
    for link in links.order_by("user_id", "program_id"):
        digest = digest_for.setdefault(link.user, {"pairs": [], "checkins": []})
        digest["pairs"].extend(stalled.get(link.program_id, []))
        digest["checkins"].extend(due.get(link.program_id, []))
    candidates = [(f"digest:{user.pk}:{period}", (user, digest)) for user, digest in digest_for.items()]
    return mail_enqueue_new(
        candidates,
        lambda key, item: mail_enqueue(
            recipient=item[0], kind=ProgramMail.COORDINATOR_DIGEST, due_at=now, context=item[1], dedupe_key=key
        ),
    )


def checkins_due_by_program(*, today: date) -> dict[int, list[int]]:
    """The ids of the pairs due for a check-in, by program, for the programs
    that have coordinators: two queries however many programs there are."""
    programs = Program.objects.filter(coordinators__is_active=True)
    due = checkins_due_in_any_program(today=today, programs=programs)
    pairs = with_checkins(Mentorship.objects.filter(program__in=programs)).filter(due)
    by_program: dict[int, list[int]] = {}
    for program_id, pk in pairs.order_by("program_id", "pk").values_list("program_id", "pk").distinct():
        by_program.setdefault(program_id, []).append(pk)
    return by_program
