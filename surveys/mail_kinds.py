"""The e-mail of the surveys: the invitation to answer, and one reminder.

Each carries the person's own link, made when the e-mail is rendered for
sending (surveys.links): the secret in it is never stored, not in the
outbox row either."""

from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from outbox import kinds
from outbox.models import MailStatus, OutgoingMail
from outbox.render import page_url
from programs.mail_kinds import PAIR_RELATIONS

from .links import link_token
from .models import Invitation


class SurveyMail(models.TextChoices):
    SURVEY_INVITATION = "survey_invitation", _("Follow-up survey")
    SURVEY_REMINDER = "survey_reminder", _("Follow-up survey reminder")


def _invitation(row: OutgoingMail) -> Any:
    cached = getattr(row, "_survey_invitation", None)
    if cached is None:
        cached = Invitation.objects.select_related("survey").filter(pk=row.context.get("invitation")).first()
        row._survey_invitation = cached  # type: ignore[attr-defined]
    return cached


def survey_closed(row: OutgoingMail, now: datetime) -> kinds.Skip:
    invitation = _invitation(row)
    if invitation is None:
        return MailStatus.CANCELLED, "The survey no longer exists."
    if invitation.closes_at <= now:
        return MailStatus.EXPIRED, "The survey had closed before the e-mail could be sent."
    return None


def already_answered(row: OutgoingMail, now: datetime) -> kinds.Skip:
    if _invitation(row).answered:
        return MailStatus.CANCELLED, "The person has answered."
    return None


def checkin_pair_ended(row: OutgoingMail, now: datetime) -> kinds.Skip:
    """No check-in survey about a pair that has ended (the evaluation asks then)."""
    invitation = _invitation(row)
    if invitation.survey.kind == "checkin" and row.mentorship is not None and row.mentorship.is_closed:
        return MailStatus.CANCELLED, "The mentorship has ended."
    return None


def _context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    invitation = _invitation(row)
    mentorship = row.mentorship
    return {
        "mentorship": mentorship,
        "program": mentorship.program if mentorship else None,
        "other": mentorship.other_party(row.recipient) if mentorship else None,
        "survey": invitation.survey,
        "closes_at": invitation.closes_at,
        "object_url": page_url("survey_answer", link_token(invitation.pk)),
    }


CHECKS = (survey_closed, checkin_pair_ended)
kinds.register(SurveyMail.SURVEY_INVITATION, context=_context, checks=CHECKS, relations=PAIR_RELATIONS)
kinds.register(
    SurveyMail.SURVEY_REMINDER,
    group=kinds.NUDGES,
    context=_context,
    checks=(*CHECKS, already_answered),
    relations=PAIR_RELATIONS,
)
