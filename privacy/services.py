"""Writing: the erasure request, the erasure itself and the retention rule."""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import trail_purge
from outbox.enqueue import dispatch_after_commit, mail_enqueue
from outbox.models import OutgoingMail
from programs.models import Mentorship, Program
from surveys.models import Answer

from .mail_kinds import PrivacyMail
from .models import ErasureRequest, ErasureStatus
from .sections import (
    AGREEMENT_TEXT,
    ERASED_DOMAIN,
    ERASED_TEXT,
    SECTIONS,
    Erasure,
    Section,
    _scrub_object,
    _scrub_version,
    answer_text_erase,
)

WARN_BEFORE = dt.timedelta(days=30)


def is_erased(user: Any) -> bool:
    return bool(user.email.endswith(f"@{ERASED_DOMAIN}"))


def erasure_request(*, user: Any, message: str = "") -> ErasureRequest:
    """A person asks to be erased: one open request, and the coordinators of
    their programs and the superusers are told (once, in this transaction)."""
    with transaction.atomic():
        existing = ErasureRequest.objects.select_for_update().filter(user=user, status=ErasureStatus.PENDING).first()
        if existing is not None:
            return existing
        request = ErasureRequest.objects.create(user=user, message=message)
        User = get_user_model()
        told = User.objects.filter(
            Q(is_superuser=True)
            | Q(coordinated_programs__mentorships__mentor=user)
            | Q(coordinated_programs__mentorships__mentee=user),
            is_active=True,
        ).distinct()
        for person in told:
            mail_enqueue(recipient=person, kind=PrivacyMail.ERASURE_REQUESTED, context={"request": request.pk})
        dispatch_after_commit()
    return request


def personal_data_erase(*, user: Any, by: Any = None, sections: list[Section] | None = None) -> dict[str, int]:
    """Erase `user`: their name, address and own free text become
    placeholders, their login is closed, their pending e-mail cancelled; the
    other party's notes stay, with this person's name taken out. All or
    nothing; a second run changes nothing. Returns what changed (counts)."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if is_erased(user):
            return {}
        erasure = Erasure(user=user, name=user.name.strip(), email=user.email)
        for section in SECTIONS if sections is None else sections:
            section.erase(erasure)
        ErasureRequest.objects.filter(user=user, status=ErasureStatus.PENDING).update(
            status=ErasureStatus.DONE, carried_out_at=timezone.now(), carried_out_by=by, report=erasure.report
        )
        return erasure.report


# --- retention -------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_date(program: Program) -> dt.date | None:
    return add_months(program.ends_on, program.retention_months) if program.ends_on else None


@dataclass
class RetentionPlan:
    program: Program
    on: dt.date
    pairs: list[Mentorship]
    people: list[Any] = field(default_factory=list)  # erased whole: nothing of theirs outside such programs
    mail: int = 0


def retention_plans(*, today: dt.date) -> list[RetentionPlan]:
    """The programs whose retention time is over, with what would go."""
    plans = []
    due = list(Program.objects.filter(ends_on__isnull=False, retention_applied_at__isnull=True))
    due = [p for p in due if (retention_date(p) or today) <= today]
    due_ids = {p.pk for p in due}
    for program in due:
        pairs = list(program.mentorships.select_related("mentor", "mentee"))
        people = {person.pk: person for pair in pairs for person in (pair.mentor, pair.mentee)}
        kept = set(
            Mentorship.objects.filter(Q(mentor__in=people) | Q(mentee__in=people))
            .exclude(program__in=due_ids)
            .values_list("mentor", "mentee")
            .iterator()
        )
        kept_ids = {pk for row in kept for pk in row}
        erased = [
            p
            for pk, p in people.items()
            if pk not in kept_ids and not p.is_staff and not p.is_superuser and not is_erased(p)
        ]
        mail = OutgoingMail.objects.filter(Q(mentorship__in=pairs) | Q(meeting__mentorship__in=pairs)).count()
        plans.append(
            RetentionPlan(program=program, on=retention_date(program) or today, pairs=pairs, people=erased, mail=mail)
        )
    return plans


def retention_warn(*, today: dt.date) -> int:
    """Tell the coordinators a month before a program's data goes (once each)."""
    written = 0
    for program in Program.objects.filter(ends_on__isnull=False, retention_applied_at__isnull=True):
        on = retention_date(program)
        if on is None or not (today < on <= today + WARN_BEFORE):
            continue
        pairs = program.mentorships.count()
        for coordinator in program.coordinators.filter(is_active=True):
            row = mail_enqueue(
                recipient=coordinator,
                kind=PrivacyMail.RETENTION_WARNING,
                context={"program": program.pk, "on": on.isoformat(), "pairs": pairs},
                dedupe_key=f"retention-warning:{program.pk}:{coordinator.pk}",
            )
            written += row is not None
    if written:
        dispatch_after_commit()
    return written


def _pair_anonymise(pair: Mentorship) -> None:
    """Every free text of the pair becomes the placeholder."""
    nobody = Erasure(user=pair.mentee, name="", email="")
    agreement = getattr(pair, "agreement", None)

    if agreement is not None:
        _scrub_object(nobody, agreement, AGREEMENT_TEXT, "agreements", replace=True)
        for version in agreement.versions.all():
            _scrub_version(nobody, version, replace=True)
    for meeting in pair.meetings.all():
        _scrub_object(nobody, meeting, ("reflection", "summary", "location"), "meetings", replace=True)
        for item in meeting.reminder_items.all():
            _scrub_object(nobody, item, ("text",), "items", replace=True)
        for comment in meeting.comments.all():
            _scrub_object(nobody, comment, ("text",), "comments", replace=True)
    for checkin in pair.checkins.all():
        _scrub_object(nobody, checkin, ("note",), "checkins", replace=True)
    for answer in Answer.objects.filter(invitation__mentorship=pair):  # named answers: anonymous ones name no pair
        answer_text_erase(nobody, answer)


def retention_apply(*, today: dt.date | None = None, dry_run: bool = False) -> list[RetentionPlan]:
    """Anonymise the pairs of every program past its retention time and
    delete their e-mail; warn the coordinators of those a month away. A dry
    run writes nothing and returns the same plans."""
    today = today or timezone.localdate()
    plans = retention_plans(today=today)
    if dry_run:
        return plans
    retention_warn(today=today)
    for plan in plans:
        with transaction.atomic():
            pairs = Mentorship.objects.filter(pk__in=[p.pk for p in plan.pairs]).prefetch_related(
                "agreement__versions", "meetings__reminder_items", "meetings__comments", "checkins"
            )
            for pair in pairs:
                _pair_anonymise(pair)
            OutgoingMail.objects.filter(Q(mentorship__in=pairs) | Q(meeting__mentorship__in=pairs)).delete()
            for person in plan.people:
                personal_data_erase(user=person)
            # The trail about these pairs is kept as long as they are, no longer.
            trail_purge(program_id=plan.program.pk, mentorship_ids=[p.pk for p in plan.pairs])
            Program.objects.filter(pk=plan.program.pk).update(retention_applied_at=timezone.now())
    return plans


__all__ = ["ERASED_TEXT"]
