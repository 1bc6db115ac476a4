"""The e-mail about meetings and the agreement: booked, moved, cancelled
(with the calendar invitation, naming who did it), reminders, the agreement
changed, a new comment, and the nudges when notes are missing or no next
meeting is booked."""

from datetime import datetime
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from outbox import kinds
from outbox.models import MailStatus, OutgoingMail
from outbox.render import page_url
from programs.mail_kinds import PAIR_RELATIONS, pair_context, pair_ended

from . import ics
from .models import Comment, Meeting, MeetingStatus

TOOK_PLACE = (MeetingStatus.BOOKED, MeetingStatus.HELD)


class SessionMail(models.TextChoices):
    MEETING_BOOKED = "meeting_booked", _("Meeting booked")
    MEETING_MOVED = "meeting_moved", _("Meeting moved")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    MEETING_REMINDER = "meeting_reminder", _("Meeting reminder")
    AGREEMENT_CHANGED = "agreement_changed", _("Agreement changed")
    NUDGE_NOTES = "nudge_notes", _("Reminder to write notes")
    NUDGE_BOOKING = "nudge_booking", _("Reminder to book a meeting")
    COMMENT_ADDED = "comment_added", _("New comment")


# The calendar method each booking change carries.
BOOKING_METHODS = {
    SessionMail.MEETING_BOOKED: ics.REQUEST,
    SessionMail.MEETING_MOVED: ics.REQUEST,
    SessionMail.MEETING_CANCELLED: ics.CANCEL,
}
MEETING_RELATIONS = PAIR_RELATIONS + (
    "meeting__mentorship__program",
    "meeting__mentorship__mentor",
    "meeting__mentorship__mentee",
)


# --- checks at sending time -------------------------------------------------


def meeting_changed(row: OutgoingMail, now: datetime) -> kinds.Skip:
    """Written for a version of the meeting that is no longer the current one."""
    if row.meeting_id is not None and row.meeting_sequence is not None and row.meeting.sequence != row.meeting_sequence:
        return MailStatus.CANCELLED, "The meeting has changed since this e-mail was written."
    return None


def reminder_too_late(row: OutgoingMail, now: datetime) -> kinds.Skip:
    meeting = row.meeting
    if meeting.status != MeetingStatus.BOOKED:
        return MailStatus.CANCELLED, "The meeting is no longer booked."
    if meeting.starts_at is None or meeting.starts_at <= now:
        return MailStatus.EXPIRED, "The meeting had started before the reminder could be sent."
    return None


def meeting_over(row: OutgoingMail, now: datetime) -> kinds.Skip:
    """An invitation to, or cancellation of, a meeting that is over is noise."""
    ends = row.meeting.ends_or_default
    if ends is not None and ends <= now:
        return MailStatus.EXPIRED, "The meeting was over before the e-mail could be sent."
    return None


def notes_written(row: OutgoingMail, now: datetime) -> kinds.Skip:
    meeting = row.meeting
    if meeting is None or meeting.status not in TOOK_PLACE or meeting.has_notes:
        return MailStatus.CANCELLED, "The reason for the nudge has gone away."
    return None


def meeting_booked_since(row: OutgoingMail, now: datetime) -> kinds.Skip:
    booked = Meeting.objects.filter(mentorship_id=row.mentorship_id, status=MeetingStatus.BOOKED, starts_at__gt=now)
    if booked.exists():
        return MailStatus.CANCELLED, "The reason for the nudge has gone away."
    return None


# --- what the templates are given -------------------------------------------


def meeting_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    extra = pair_context(row, context)
    meeting = row.meeting
    if meeting is not None:
        extra.update(
            object_url=page_url("meeting_detail", meeting.public_id), starts=meeting.starts_at, ends=meeting.ends_at
        )
    return extra


def _booking_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    """A booking change also says who made it and, moved or cancelled, the
    time the meeting had (sessions.notifications.change_context)."""
    previous = row.context.get("previous_starts_at")
    return {
        **meeting_context(row, context),
        "changed_by": _person(row.context.get("changed_by")),
        "previous_starts": datetime.fromisoformat(previous) if previous else None,
    }


def _person(pk: Any) -> User | None:
    return User.objects.filter(pk=pk).first() if pk else None


def _reminder_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    lead, _sep, amount = row.context.get("lead", "").partition(":")
    return {
        **meeting_context(row, context),
        "lead_days": int(amount) if lead == "days" else None,
        "lead_hours": int(amount) if lead == "hours" else None,
    }


def _agreement_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    return {**pair_context(row, context), "changed_by": _person(row.context.get("changed_by"))}


def _comments_of(row: OutgoingMail) -> list[Comment]:
    """The comments the e-mail tells of: the other party's on the pair's
    meetings since the first of the burst. Read once per row."""
    if not hasattr(row, "_comments"):
        since = datetime.fromisoformat(row.context["since"]) if row.context.get("since") else row.created_at
        row._comments = list(
            Comment.objects.filter(meeting__mentorship_id=row.mentorship_id, created_at__gte=since)
            .exclude(author_id=row.recipient_id)
            .select_related("meeting", "author")
            .order_by("created_at")
        )
    return row._comments


def _comment_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    # Who and where, never what: a mailbox is less private than the journal.
    comments = _comments_of(row)
    extra = pair_context(row, context)
    if comments:
        extra.update(
            author=comments[0].author,
            comment_meeting=comments[0].meeting,
            comment_count=len(comments),
            object_url=page_url("meeting_detail", comments[0].meeting.public_id),
        )
    return extra


def comments_gone(row: OutgoingMail, now: datetime) -> kinds.Skip:
    if not _comments_of(row):
        return MailStatus.CANCELLED, "The comments have been removed."
    return None


def _nudge_notes_context(row: OutgoingMail, context: dict[str, Any]) -> dict[str, Any]:
    extra = meeting_context(row, context)
    if row.meeting is not None:
        # "Write the notes" opens the notes form itself, one click less.
        extra["object_url"] = page_url("meeting_notes", row.meeting.public_id)
    return extra


def calendar_attachments(row: OutgoingMail, context: dict[str, Any]) -> list[MIMEBase]:
    """The .ics of a booking change, as calendar programs want it."""
    meeting = row.meeting
    if meeting is None or meeting.starts_at is None:
        return []
    method = BOOKING_METHODS[row.kind]
    mentorship = context["mentorship"]
    title = gettext("Mentorship meeting %(number)s: %(mentee)s and %(mentor)s") % {
        "number": meeting.number,
        "mentee": mentorship.mentee.display_name,
        "mentor": mentorship.mentor.display_name,
    }
    content = ics.meeting_calendar(meeting=meeting, method=method, title=title, description=context["object_url"])
    # text/calendar with a method parameter is what makes calendar programs
    # show it as an invitation rather than a file.
    part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return [part]


for _booking_kind in BOOKING_METHODS:
    kinds.register(
        _booking_kind,
        context=_booking_context,
        checks=(pair_ended, meeting_changed, meeting_over),
        attachments=calendar_attachments,
        relations=MEETING_RELATIONS,
    )
kinds.register(
    SessionMail.MEETING_REMINDER,
    group=kinds.REMINDERS,
    context=_reminder_context,
    checks=(pair_ended, meeting_changed, reminder_too_late),
    relations=MEETING_RELATIONS,
)
kinds.register(
    SessionMail.AGREEMENT_CHANGED, context=_agreement_context, checks=(pair_ended,), relations=PAIR_RELATIONS
)
kinds.register(
    SessionMail.NUDGE_NOTES,
    group=kinds.NUDGES,
    context=_nudge_notes_context,
    checks=(pair_ended, meeting_changed, notes_written),
    relations=MEETING_RELATIONS,
)
kinds.register(
    SessionMail.NUDGE_BOOKING,
    group=kinds.NUDGES,
    context=pair_context,
    checks=(pair_ended, meeting_booked_since),
    relations=PAIR_RELATIONS,
)
kinds.register(
    SessionMail.COMMENT_ADDED,
    group=kinds.COMMENTS,
    context=_comment_context,
    checks=(pair_ended, comments_gone),
    relations=PAIR_RELATIONS,
)
