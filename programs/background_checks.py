"""Extracts from the police's register (registerutdrag): whether a pair may
become active, and telling coordinators a month before a record expires.

The rule, in one place: a pair of a program that requires an extract may
become active only while its mentor has a record whose extract is less than
a year old (valid from the extract's date up to the same date a year later,
see BackgroundCheck.expires_on). The coordinators of the programs where the
mentor has an open pair are told by e-mail once per record, 30 days before
it expires (a new extract date is a new record)."""

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mentorskap.localtime import local_date
from outbox.enqueue import mail_enqueue, mail_enqueue_new

from .mail_kinds import ProgramMail
from .models import BackgroundCheck, Mentorship, MentorshipStatus, Program

NOTICE_BEFORE = timedelta(days=30)


def background_check_of(person_id: int) -> BackgroundCheck | None:
    return BackgroundCheck.objects.filter(person_id=person_id).select_related("checked_by").first()


def background_check_missing(mentorship: Mentorship, *, today: date | None = None) -> str | None:
    """Why the pair cannot become active for want of its mentor's extract, or
    None if nothing stands in the way (no extract required, or a valid one)."""
    if not mentorship.program.requires_background_check:
        return None
    return _missing_reason(background_check_of(mentorship.mentor_id), today or timezone.localdate())


def background_check_missing_for(program: Program, mentor_id: int | None, *, today: date | None = None) -> str | None:
    """The same for a pair not saved yet (the admin's pair form)."""
    if not program.requires_background_check:
        return None
    check = background_check_of(mentor_id) if mentor_id else None
    return _missing_reason(check, today or timezone.localdate())


def _missing_reason(check: BackgroundCheck | None, today: date) -> str | None:
    if check is None:
        return str(
            _(
                "The program requires an extract from the police's register, and none is recorded for "
                "the mentor: the pair cannot become active until it is."
            )
        )
    if not check.is_valid_on(today):
        return str(
            _(
                "The mentor's extract from the police's register expired on %(date)s: "
                "the pair cannot become active until a new one is recorded."
            )
            % {"date": date_format(check.expires_on)}
        )
    return None


def background_check_notices_enqueue(*, now: datetime) -> int:
    """Tell each coordinator, once per record, of the mentors in their
    programs whose extract expires within 30 days. Idempotent: the e-mail's
    dedupe key names the record and its extract date, so a second scan, or
    two at once, write nothing more. Returns how many e-mails were written."""
    today = local_date(now)
    # A loose bound in SQL (a year is at most 366 days), the exact one below.
    candidates = BackgroundCheck.objects.filter(
        expiry_notice_sent_at__isnull=True, extract_date__lte=today + NOTICE_BEFORE - timedelta(days=365)
    )
    due = [check for check in candidates if today >= check.expires_on - NOTICE_BEFORE]
    if not due:
        return 0
    by_person = {check.person_id: check for check in due}
    pairs = (
        Mentorship.objects.filter(
            mentor_id__in=by_person,
            status__in=[MentorshipStatus.INVITED, MentorshipStatus.ACTIVE],
            program__requires_background_check=True,
        )
        .order_by("program_id", "pk")
        .values_list("mentor_id", "program_id", "pk")
    )
    pair_of: dict[tuple[int, int], int] = {}
    for mentor_id, program_id, pk in pairs:
        pair_of.setdefault((mentor_id, program_id), pk)
    links = Program.coordinators.through.objects.filter(
        program_id__in={program_id for _mentor, program_id in pair_of}, user__is_active=True
    ).select_related("user")
    coordinators_of: dict[int, list] = {}
    for link in links.order_by("program_id", "user_id"):
        coordinators_of.setdefault(link.program_id, []).append(link.user)
    candidates_mail: dict[str, tuple[Any, BackgroundCheck, int]] = {}
    for (mentor_id, program_id), pair_id in pair_of.items():
        check = by_person[mentor_id]
        for user in coordinators_of.get(program_id, []):
            key = f"background_check:{check.pk}:{check.extract_date:%Y%m%d}:{user.pk}"
            candidates_mail.setdefault(key, (user, check, pair_id))
    written = mail_enqueue_new(
        list(candidates_mail.items()),
        lambda key, item: mail_enqueue(
            recipient=item[0],
            kind=ProgramMail.BACKGROUND_CHECK_EXPIRING,
            due_at=now,
            # Ids only: the name is read when the e-mail is sent.
            context={"check": item[1].pk, "extract_date": item[1].extract_date.isoformat(), "pair": item[2]},
            dedupe_key=key,
        ),
    )
    BackgroundCheck.objects.filter(pk__in=[check.pk for check in due], expiry_notice_sent_at__isnull=True).update(
        expiry_notice_sent_at=now
    )
    return written
