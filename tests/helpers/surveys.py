"""Surveys in the tests: a pair whose agreement both confirmed some days
ago, the scan that asks them, and the link in a person's e-mail."""

import datetime as dt
import re

from django.utils import timezone

from outbox.enqueue import mail_enqueue
from outbox.models import OutgoingMail
from outbox.render import mail_render
from surveys.models import Invitation, Survey, SurveyKind
from surveys.services import surveys_scan
from tests.factories import AgreementFactory

VALID = {"value": "4", "frequency": "monthly", "best": "Samtalen", "better": "Fler träffar", "recommend": "9"}


def confirmed_days_ago(mentorship, days):
    at = timezone.now() - dt.timedelta(days=days)
    return AgreementFactory(mentorship=mentorship, mentee_confirmed_at=at, mentor_confirmed_at=at)


def checkin_asked(mentorship, *, days=30):
    """The check-in scan has asked the pair; returns its rows of e-mail."""
    confirmed_days_ago(mentorship, days)
    surveys_scan()
    return list(OutgoingMail.objects.filter(kind="survey_invitation", mentorship=mentorship).order_by("pk"))


def link_in(row):
    """The answer link of an outbox row's e-mail, as the person gets it (a path)."""
    body = mail_render(row).body
    url = re.search(r"https?://\S+/uppfoljning/svar/\S+/", body).group(0)
    return "/" + url.split("/", 3)[3]


def survey_mail(mentorship, person, kind="survey_invitation"):
    """One survey e-mail (the invitation or the reminder) to one person of a
    pair, written as the scan writes it, without a kick."""
    survey, _created = Survey.objects.get_or_create(program=mentorship.program, kind=SurveyKind.CHECKIN)
    now = timezone.now()
    invitation, _created = Invitation.objects.get_or_create(
        survey=survey,
        mentorship=mentorship,
        person=person,
        defaults={"opens_at": now, "closes_at": now + dt.timedelta(days=30)},
    )
    return mail_enqueue(recipient=person, kind=kind, mentorship=mentorship, context={"invitation": invitation.pk})
