"""What a change to a meeting, an agreement or a comment tells people.

Each function writes outbox rows in the caller's transaction, so the e-mail
exists exactly when the change does: nothing is lost if the broker is down,
and a rolled-back change sends nothing. The dispatcher (outbox.dispatch)
sends the rows; a task is only kicked after commit to make that happen soon.

Callers save the change and raise `meeting.sequence` first; the rows record
that sequence, and a row whose meeting has changed since is never sent.
"""

from datetime import UTC, timedelta

from django.db.models import Max
from django.utils import timezone

from mentorskap.localtime import LOCAL_TZ
from outbox.enqueue import dispatch_after_commit, mail_cancel_pending, mail_enqueue, pending_mail
from outbox.models import MailStatus, OutgoingMail

from .mail_kinds import SessionMail
from .models import Meeting

# Several saves of the agreement in a row become one e-mail to the other party.
AGREEMENT_MAIL_DELAY = timedelta(minutes=10)
# So are several comments in a row (a conversation): one e-mail.
COMMENT_MAIL_DELAY = timedelta(minutes=10)


def meeting_booked_notify(*, meeting, changed_by=None):
    """Both parties get the invitation (.ics), and reminders are scheduled.
    A cancelled meeting booked again may still have its cancellation
    waiting: the new invitation replaces it."""
    _meeting_time_notify(meeting, SessionMail.MEETING_BOOKED, change_context(changed_by))


def meeting_moved_notify(*, meeting, changed_by=None, previous_starts_at=None):
    """The old invitation and reminders are void; both get the update,
    saying who moved it and from when."""
    _meeting_time_notify(meeting, SessionMail.MEETING_MOVED, change_context(changed_by, previous_starts_at))


def change_context(changed_by, previous_starts_at=None):
    """What a booking e-mail says about the change: who made it, and the
    time the meeting had before (the e-mail is rendered later, when the
    meeting only knows its new time)."""
    context = {}
    if changed_by is not None:
        context["changed_by"] = changed_by.pk
    if previous_starts_at is not None:
        context["previous_starts_at"] = previous_starts_at.isoformat()
    return context


def _meeting_time_notify(meeting, kind, context):
    _meeting_refresh_sequence(meeting)
    mail_cancel_pending(meeting=meeting)
    _booking_change_enqueue(meeting=meeting, kind=kind, context=context)
    _reminders_enqueue(meeting=meeting)
    dispatch_after_commit()


def meeting_cancelled_notify(*, meeting, changed_by=None):
    """Nothing pending for the meeting goes out; each party who was invited
    gets a METHOD:CANCEL. Someone whose invitation had not gone out yet gets
    nothing: a cancellation of a meeting they never heard of is only noise."""
    _meeting_refresh_sequence(meeting)
    # Only invitations since a cancellation people actually got count: one
    # booked again after that is a new booking for whoever heard of it.
    last_cancelled = OutgoingMail.objects.filter(
        meeting=meeting, kind=SessionMail.MEETING_CANCELLED, status__in=[MailStatus.SENT, MailStatus.SENDING]
    ).aggregate(sequence=Max("meeting_sequence"))["sequence"]
    invited = set(
        OutgoingMail.objects.filter(
            meeting=meeting,
            kind__in=[SessionMail.MEETING_BOOKED, SessionMail.MEETING_MOVED],
            status__in=[MailStatus.SENT, MailStatus.SENDING],
            meeting_sequence__gt=last_cancelled or -1,
        ).values_list("recipient_id", flat=True)
    )
    mail_cancel_pending(meeting=meeting)
    context = change_context(changed_by, meeting.starts_at)
    _booking_change_enqueue(meeting=meeting, kind=SessionMail.MEETING_CANCELLED, only=invited, context=context)
    dispatch_after_commit()


def agreement_changed_notify(*, agreement, changed_by):
    """Tell the other party the agreement changed, at most once per burst of edits."""
    mentorship = agreement.mentorship
    recipient = mentorship.other_party(changed_by)
    already_pending = pending_mail(
        mentorship=mentorship, recipients=[recipient], kinds=[SessionMail.AGREEMENT_CHANGED]
    ).exists()
    if already_pending:
        return None
    row = mail_enqueue(
        recipient=recipient,
        kind=SessionMail.AGREEMENT_CHANGED,
        mentorship=mentorship,
        due_at=timezone.now() + AGREEMENT_MAIL_DELAY,
        context={"changed_by": changed_by.pk, "version": agreement.version},
    )
    return row


def comment_added_notify(*, comment):
    """Tell the other party of the pair about a comment, at most once per
    burst: while an e-mail about the pair's comments waits to go out, a new
    comment needs no e-mail of its own."""
    meeting = comment.meeting
    mentorship = meeting.mentorship
    for person in (mentorship.mentee, mentorship.mentor):
        if person.pk == comment.author_id:
            continue
        if pending_mail(mentorship=mentorship, recipients=[person], kinds=[SessionMail.COMMENT_ADDED]).exists():
            continue
        # Not tied to the meeting's row: moving the meeting cancels what is
        # pending about it, and a comment is still a comment.
        mail_enqueue(
            recipient=person,
            kind=SessionMail.COMMENT_ADDED,
            mentorship=mentorship,
            due_at=timezone.now() + COMMENT_MAIL_DELAY,
            context={"author": comment.author_id, "since": comment.created_at.isoformat()},
        )


def reminder_due_times(*, starts_at, days_before, hours_before):
    """The reminders' due times in UTC, as (lead, due_at) pairs.

    "N days before" is the same local clock time (Europe/Stockholm) N days
    earlier, also across a change to or from summer time: a meeting at 10:00
    on Sunday 29 March 2026 is reminded at 10:00 on Friday 27 March, which is
    47 hours before, not 48. This is on purpose, people think in clock time.
    Aware datetime arithmetic in Python keeps the wall clock and recomputes the
    offset, which is exactly that. A local time that does not exist (the hour
    skipped in March) resolves to the offset before the change.
    "N hours before" is absolute: N hours of real time before the start.
    """
    due = []
    if days_before:
        local_start = starts_at.astimezone(LOCAL_TZ)
        due.append((f"days:{days_before}", (local_start - timedelta(days=days_before)).astimezone(UTC)))
    if hours_before:
        # In UTC: arithmetic on a local time would be wall-clock arithmetic.
        due.append((f"hours:{hours_before}", starts_at.astimezone(UTC) - timedelta(hours=hours_before)))
    return due


def _meeting_refresh_sequence(meeting):
    """Record the sequence the database has: a caller that raised it with an
    F() expression still has the old number in memory, and rows written with
    it would look stale and never be sent."""
    meeting.sequence = Meeting.objects.filter(pk=meeting.pk).values_list("sequence", flat=True).get()


def _parties(meeting):
    mentorship = meeting.mentorship
    return mentorship, (mentorship.mentee, mentorship.mentor)


def _booking_change_enqueue(*, meeting, kind, only=None, context=None):
    mentorship, parties = _parties(meeting)
    for person in parties:
        if only is not None and person.pk not in only:
            continue
        mail_enqueue(
            recipient=person,
            kind=kind,
            mentorship=mentorship,
            meeting=meeting,
            context=context,
            # Calling twice for the same change writes one e-mail.
            dedupe_key=f"{kind}:{meeting.pk}:{meeting.sequence}:{person.pk}",
        )


def _reminders_enqueue(*, meeting):
    if meeting.starts_at is None:
        return
    mentorship, parties = _parties(meeting)
    program = mentorship.program
    now = timezone.now()
    for lead, due_at in reminder_due_times(
        starts_at=meeting.starts_at,
        days_before=program.reminder_days_before,
        hours_before=program.reminder_hours_before,
    ):
        # A reminder already due when the meeting is booked would only repeat
        # the invitation that goes out now.
        if due_at <= now:
            continue
        for person in parties:
            mail_enqueue(
                recipient=person,
                kind=SessionMail.MEETING_REMINDER,
                mentorship=mentorship,
                meeting=meeting,
                due_at=due_at,
                context={"lead": lead},
                dedupe_key=f"reminder:{meeting.pk}:{meeting.sequence}:{lead}:{person.pk}",
            )
