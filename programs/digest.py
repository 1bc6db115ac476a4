"""The coordinators' weekly digest of the stalled pairs in their programs."""

from datetime import datetime

from mentorskap.localtime import LOCAL_TZ
from outbox.enqueue import mail_enqueue, mail_enqueue_new

from .mail_kinds import ProgramMail
from .models import Program
from .selectors import stalled_mentorships


def coordinator_digests_enqueue(*, now: datetime) -> int:
    """Each coordinator, once a week, of the stalled pairs in their programs."""
    year, week, _day = now.astimezone(LOCAL_TZ).isocalendar()
    period = f"{year}-W{week:02d}"
    stalled = stalled_mentorships(now=now)
    if not stalled:
        return 0
    by_program: dict[int, list[list]] = {}
    for mentorship, reason in stalled:
        by_program.setdefault(mentorship.program_id, []).append([mentorship.pk, reason])
    links = Program.coordinators.through.objects.filter(program_id__in=by_program, user__is_active=True).select_related(
        "user"
    )
    pairs_for: dict = {}
    for link in links.order_by("user_id", "program_id"):
        pairs_for.setdefault(link.user, []).extend(by_program[link.program_id])
    candidates = [(f"digest:{user.pk}:{period}", (user, pairs)) for user, pairs in pairs_for.items()]
    return mail_enqueue_new(
        candidates,
        lambda key, item: mail_enqueue(
            recipient=item[0],
            kind=ProgramMail.COORDINATOR_DIGEST,
            due_at=now,
            context={"pairs": item[1]},
            dedupe_key=key,
        ),
    )
