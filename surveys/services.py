"""Writing surveys: asking the pairs (the scan, run by beat), the reminder,
and saving an answer."""

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, When
from django.db.models.functions import Greatest
from django.utils import timezone

from mentorskap.localtime import local_date
from outbox.enqueue import mail_enqueue, mail_enqueue_new
from programs.models import Mentorship, MentorshipStatus, Program

from .links import answer_key
from .mail_kinds import SurveyMail
from .models import OPEN_DAYS, REMINDER_AFTER_DAYS, Answer, Invitation, Survey, SurveyKind

# Pairs whose moment (agreement confirmed N days ago, ended) lies further
# back than this are not asked: turning surveys on, or the first scan after
# an upgrade, must not mail people about last year.
HORIZON = timedelta(days=14)


class SurveyClosed(Exception):
    """The survey has closed for this person: no answers any more."""


class AnsweredWithAnotherLink(Exception):
    """An anonymous person has answered through another of their e-mails'
    links; only that link finds (and changes) their answer."""


def surveys_scan(*, now: datetime | None = None) -> dict[str, int]:
    """Ask the pairs that are due and remind those who have not answered.
    Idempotent: an invitation is unique per survey, pair and person, and its
    e-mails have deduplication keys, so two scans at once write each once."""
    now = now or timezone.now()
    return {
        "checkin": _invitations_create(_checkin_pairs(now), SurveyKind.CHECKIN, now=now),
        "evaluation": _invitations_create(_evaluation_pairs(now), SurveyKind.EVALUATION, now=now),
        "reminders": reminders_enqueue(now=now),
    }


def _checkin_pairs(now: datetime) -> list[Mentorship]:
    """Active pairs whose agreement both confirmed their program's number of days ago."""
    longest = Program.objects.filter(survey_checkin=True).order_by("-survey_checkin_after_days").first()
    if longest is None:
        return []
    pairs = (
        Mentorship.objects.filter(
            status=MentorshipStatus.ACTIVE,
            program__survey_checkin=True,
            agreement__mentee_confirmed_at__isnull=False,
            agreement__mentor_confirmed_at__isnull=False,
        )
        .annotate(confirmed_at=Greatest("agreement__mentee_confirmed_at", "agreement__mentor_confirmed_at"))
        .filter(
            confirmed_at__gt=now - timedelta(days=longest.survey_checkin_after_days) - HORIZON,
            confirmed_at__lte=now - timedelta(days=1),
        )
        .exclude(survey_invitations__survey__kind=SurveyKind.CHECKIN)
        .select_related("program", "mentor", "mentee")
    )
    # "N days after" in local dates, like every other day count of the program.
    today = local_date(now)
    return [
        pair
        for pair in pairs
        if timedelta(0)
        <= today - local_date(pair.confirmed_at) - timedelta(days=pair.program.survey_checkin_after_days)
        <= HORIZON
    ]


def _evaluation_pairs(now: datetime) -> list[Mentorship]:
    """Pairs that have ended (not cancelled) within the horizon. A pair
    without an end date, its own or its program's, is not asked: nothing says
    it ended lately."""
    today = local_date(now)
    since = today - HORIZON
    ended = Q(ends_on__gte=since) | Q(ends_on__isnull=True, program__ends_on__gte=since)
    return list(
        Mentorship.objects.filter(ended, status=MentorshipStatus.ENDED, program__survey_evaluation=True)
        .exclude(survey_invitations__survey__kind=SurveyKind.EVALUATION)
        .select_related("program", "mentor", "mentee")
    )


def _survey_for(program: Program, kind: str) -> Survey:
    survey, _created = Survey.objects.get_or_create(
        program=program, kind=kind, defaults={"anonymous": program.survey_anonymous}
    )
    return survey


def _invitations_create(pairs: list[Mentorship], kind: str, *, now: datetime) -> int:
    written = 0
    surveys: dict[int, Survey] = {}
    for pair in pairs:
        if pair.program_id not in surveys:
            surveys[pair.program_id] = _survey_for(pair.program, kind)
        survey = surveys[pair.program_id]
        # Both or neither: the scan finds the pairs not yet asked, so a pair
        # left with one invitation would never have the other.
        with transaction.atomic():
            for person in (pair.mentee, pair.mentor):
                written += invitation_create(survey=survey, mentorship=pair, person=person, now=now)
    return written


def invitation_create(*, survey: Survey, mentorship: Mentorship, person: Any, now: datetime) -> int:
    """Ask one person; 0 if they were asked already (another scan got there first)."""
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                survey=survey,
                mentorship=mentorship,
                person=person,
                opens_at=now,
                closes_at=now + timedelta(days=OPEN_DAYS),
            )
            mail_enqueue(
                recipient=person,
                kind=SurveyMail.SURVEY_INVITATION,
                mentorship=mentorship,
                due_at=now,
                context={"invitation": invitation.pk},
                dedupe_key=f"survey_invitation:{invitation.pk}",
            )
    except IntegrityError:
        return 0
    return 1


def reminders_enqueue(*, now: datetime) -> int:
    """One reminder, a week after the first e-mail, to those who have not
    answered a survey that is still open; none for a check-in once the pair
    has ended (the dispatcher checks all of this again at sending time)."""
    due = (
        Invitation.objects.filter(
            answered=False,
            opens_at__lte=now - timedelta(days=REMINDER_AFTER_DAYS),
            closes_at__gt=now,
        )
        .exclude(
            survey__kind=SurveyKind.CHECKIN, mentorship__status__in=[MentorshipStatus.ENDED, MentorshipStatus.CANCELLED]
        )
        .select_related("person", "mentorship")
    )
    candidates = [(f"survey_reminder:{invitation.pk}", invitation) for invitation in due]
    return mail_enqueue_new(
        candidates,
        lambda key, invitation: mail_enqueue(
            recipient=invitation.person,
            kind=SurveyMail.SURVEY_REMINDER,
            mentorship=invitation.mentorship,
            due_at=now,
            context={"invitation": invitation.pk},
            dedupe_key=key,
        ),
    )


def answer_save(*, invitation_id: int, secret: str, data: dict[str, Any], now: datetime | None = None) -> Answer:
    """Save (or change) the answer of the person the link was made for.

    The survey's row is locked first, so answers to one survey are written
    one at a time (two tabs of one person included: the second finds the
    first's answer and changes it). In an anonymous survey every invitation
    and every answer of the survey is rewritten in the same statement as the
    answer, so the rows' transaction ids and order tell nothing of who
    answered what.
    """
    now = now or timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_related("survey").get(pk=invitation_id)
        survey = Survey.objects.select_for_update().get(pk=invitation.survey_id)
        invitation.refresh_from_db(fields=["answered", "closes_at"])
        if invitation.closes_at <= now:
            raise SurveyClosed
        if survey.anonymous:
            key = answer_key(secret)
            answer = Answer.objects.filter(survey=survey, key_hash=key).first()
            if answer is None and invitation.answered:
                raise AnsweredWithAnotherLink
            answer = answer or Answer(survey=survey, key_hash=key)
        else:
            answer = Answer.objects.filter(invitation=invitation).first() or Answer(
                survey=survey, invitation=invitation
            )
        for field in ("value", "frequency", "best", "better", "recommend", "extra"):
            setattr(answer, field, data[field])
        answer.full_clean(exclude=["survey", "invitation", "key_hash"])
        answer.save()
        if survey.anonymous:
            Invitation.objects.filter(survey=survey).update(
                answered=Case(When(pk=invitation.pk, then=True), default=F("answered"))
            )
            Answer.objects.filter(survey=survey).update(survey=F("survey"))
        elif not invitation.answered:
            Invitation.objects.filter(pk=invitation.pk).update(answered=True)
    return answer
