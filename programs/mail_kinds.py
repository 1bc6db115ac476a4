"""The e-mail about pairs and programs: the pair notice to people already
registered, and the coordinators' weekly digest of stalled pairs."""

from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from outbox import kinds
from outbox.models import MailStatus, OutgoingMail
from outbox.render import page_url

from .models import BackgroundCheck, Mentorship
from .selectors import checkin_pairs, digest_pairs


class ProgramMail(models.TextChoices):
    PAIR_NOTICE = "pair_notice", _("New mentorship notice")
    COORDINATOR_DIGEST = "coordinator_digest", _("Weekly digest for coordinators")
    BACKGROUND_CHECK_EXPIRING = "background_check_expiring", _("Extract from the police's register expires soon")
    END_PROPOSED = "end_proposed", _("Proposal to end the mentorship")
    END_WITHDRAWN = "end_withdrawn", _("Proposal to end withdrawn")
    ENDED = "mentorship_ended", _("Mentorship ended")
    INACTIVE = "mentorship_inactive", _("Asking whether to go on")


# What an e-mail about a pair loads with its row.
PAIR_RELATIONS = ("mentorship__program", "mentorship__mentor", "mentorship__mentee")


def pair_of(row: OutgoingMail) -> Any:
    """The pair an e-mail is about: its own, or its meeting's."""
    return row.mentorship or (row.meeting.mentorship if row.meeting_id else None)


def pair_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    """What every e-mail about a pair is given: the pair, its program, the
    other party, and a link to the pair's page."""
    mentorship = pair_of(row)
    if mentorship is None:
        return {"mentorship": None, "program": None, "other": None, "meeting": row.meeting}
    return {
        "mentorship": mentorship,
        "program": mentorship.program,
        "other": mentorship.other_party(row.recipient),
        "meeting": row.meeting,
        "object_url": page_url("mentorship_detail", mentorship.public_id),
    }


def pair_ended(row: OutgoingMail, now: datetime) -> kinds.Skip:
    """Nothing more goes out about a pair that has ended."""
    mentorship = pair_of(row)
    if mentorship is not None and mentorship.is_closed:
        return MailStatus.CANCELLED, "The mentorship has ended."
    return None


def _pair_notice_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    extra = pair_context(row, context)
    mentorship = extra["mentorship"]
    return {**extra, "role": mentorship.role_of(row.recipient) if mentorship else None}


def _digest_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    pairs = [
        {**pair, "url": page_url("mentorship_detail", pair["mentorship"].public_id)}
        for pair in digest_pairs(row.context.get("pairs", []))
    ]
    checkins = [
        {"mentorship": pair, "url": page_url("program_pair", pair.public_id)}
        for pair in checkin_pairs(row.context.get("checkins", []))
    ]
    return {"pairs": pairs, "checkins": checkins, "object_url": page_url("program_dashboard")}


def _background_check(row: OutgoingMail) -> Any:
    return BackgroundCheck.objects.select_related("person").filter(pk=row.context.get("check")).first()


def _background_check_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    check = _background_check(row)
    pair = Mentorship.objects.select_related("program").filter(pk=row.context.get("pair")).first()
    return {
        "check": check,
        "person": check.person if check else None,
        "program": pair.program if pair else None,
        "object_url": page_url("program_pair", pair.public_id) if pair else page_url("program_dashboard"),
    }


def background_check_renewed(row: OutgoingMail, now: datetime) -> kinds.Skip:
    """A record renewed (or removed) since the notice was written needs no notice."""
    check = _background_check(row)
    if check is None or check.extract_date.isoformat() != row.context.get("extract_date"):
        return MailStatus.CANCELLED, "The extract has been renewed."
    return None


kinds.register(
    ProgramMail.BACKGROUND_CHECK_EXPIRING,
    context=_background_check_context,
    checks=(background_check_renewed,),
)


def _person(pk: Any) -> User | None:
    return User.objects.filter(pk=pk).first() if pk else None


def end_proposal_gone(row: OutgoingMail, now: datetime) -> kinds.Skip:
    """A proposal answered or withdrawn before its e-mail went: nothing to ask."""
    mentorship = row.mentorship
    if mentorship is not None and mentorship.end_proposed_by_id != row.context.get("by"):
        return MailStatus.CANCELLED, "The proposal to end has been answered or withdrawn."
    return None


def _end_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    extra = pair_context(row, context)
    mentorship = extra["mentorship"]
    extra.update(
        by=_person(row.context.get("by")),
        declined=row.context.get("declined", False),
        reason=mentorship.get_end_reason_display() if mentorship and mentorship.end_reason else "",
        note=mentorship.end_note if mentorship else "",
    )
    if mentorship is not None:
        extra["object_url"] = page_url("mentorship_end", mentorship.public_id)
    return extra


def _ended_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    extra = _end_context(row, context)
    mentorship = extra["mentorship"]
    if mentorship is not None:
        extra["object_url"] = page_url("mentorship_certificate", mentorship.public_id)
    return extra


for _kind, _checks in (
    (ProgramMail.END_PROPOSED, (pair_ended, end_proposal_gone)),
    (ProgramMail.END_WITHDRAWN, (pair_ended,)),
    (ProgramMail.INACTIVE, (pair_ended,)),
):
    kinds.register(_kind, context=_end_context, checks=_checks, relations=PAIR_RELATIONS)
# Written as the pair ends, so no pair_ended check: it is the news itself.
kinds.register(ProgramMail.ENDED, context=_ended_context, relations=PAIR_RELATIONS)

kinds.register(
    ProgramMail.PAIR_NOTICE,
    context=_pair_notice_context,
    checks=(pair_ended,),
    relations=PAIR_RELATIONS,
)
kinds.register(ProgramMail.COORDINATOR_DIGEST, group=kinds.NUDGES, context=_digest_context)
