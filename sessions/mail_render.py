"""One outbox row → one e-mail, in the recipient's language and time zone.

Subject, text and HTML come from templates/emails/<kind>/. Everything the
e-mail says is read from the database now, at sending time, so it shows the
meeting as it is. Headers never carry raw user text: names and subjects are
flattened to one line, so a CR/LF in a name or place cannot add a header.
"""

from email.mime.text import MIMEText
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import ics
from .models import MailKind
from .preferences import NUDGE_KINDS, REMINDER_KINDS, preferences_token

BOOKING_KINDS = {
    MailKind.MEETING_BOOKED: ics.REQUEST,
    MailKind.MEETING_MOVED: ics.REQUEST,
    MailKind.MEETING_CANCELLED: ics.CANCEL,
}


def recipient_language(user):
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in codes else settings.LANGUAGE_CODE


def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


def page_url(name, *args):
    """The absolute URL of a named page, for a link in an e-mail."""
    return absolute_url(reverse(name, args=args))


def preferences_url(user):
    return absolute_url(reverse("notification_preferences_signed", args=[preferences_token(user)]))


def mail_render(row):
    """The e-mail for an outbox row."""
    recipient = row.recipient
    with translation.override(recipient_language(recipient)), timezone.override(ics.LOCAL_TZ):
        context = mail_context(row)
        # A subject is plain text, like the text body: "&" stays "&", not "&amp;".
        subject = ics.one_line(_render_text(f"emails/{row.kind}/subject.txt", context)).strip()
        text = _render_text(f"emails/{row.kind}/body.txt", context)
        html = render_to_string(f"emails/{row.kind}/body.html", context)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[formataddr((ics.one_line(recipient.display_name), recipient.email))],
            headers=_headers(row, context),
        )
        message.attach_alternative(html, "text/html")
        if row.kind in BOOKING_KINDS and row.meeting is not None and row.meeting.starts_at is not None:
            message.attach(_calendar_part(row, context))
    return message


def mail_context(row):
    recipient = row.recipient
    mentorship = row.mentorship or (row.meeting.mentorship if row.meeting else None)
    context = {
        "recipient": recipient,
        "row": row,
        "kind": row.kind,
        "site_url": settings.SITE_URL,
        "preferences_url": preferences_url(recipient),
        "mentorship": mentorship,
        "program": mentorship.program if mentorship else None,
        "other": mentorship.other_party(recipient) if mentorship else None,
        "meeting": row.meeting,
        "object_url": page_url("home"),
        # No request, so no context processor: the HTML's lang comes from here.
        "LANGUAGE_CODE": translation.get_language(),
    }
    if mentorship is not None:
        context["object_url"] = page_url("mentorship_detail", mentorship.public_id)
    if row.meeting is not None:
        context["object_url"] = page_url("meeting_detail", row.meeting.public_id)
        context["starts"] = row.meeting.starts_at
        context["ends"] = row.meeting.ends_at
    builder = _KIND_CONTEXT.get(row.kind)
    if builder is not None:
        context.update(builder(row, context))
    return context


def _render_text(name, context):
    """Plain text is not HTML: no escaping of & or quotes."""
    return get_template(name).template.render(Context(context, autoescape=False))


def _headers(row, context):
    headers = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}
    if row.kind in REMINDER_KINDS or row.kind in NUDGE_KINDS:
        # One click in the mail program turns these off (RFC 8058); the URL is
        # ours and signed, never user text.
        headers["List-Unsubscribe"] = f"<{context['preferences_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def _calendar_part(row, context):
    meeting = row.meeting
    method = BOOKING_KINDS[row.kind]
    title = gettext("Mentorship meeting %(number)s: %(mentee)s and %(mentor)s") % {
        "number": meeting.number,
        "mentee": context["mentorship"].mentee.display_name,
        "mentor": context["mentorship"].mentor.display_name,
    }
    content = ics.meeting_calendar(meeting=meeting, method=method, title=title, description=context["object_url"])
    # text/calendar with a method parameter is what makes calendar programs
    # show it as an invitation rather than a file.
    part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def _reminder_context(row, context):
    kind, _sep, amount = row.context.get("lead", "").partition(":")
    return {
        "lead_days": int(amount) if kind == "days" else None,
        "lead_hours": int(amount) if kind == "hours" else None,
    }


def _agreement_context(row, context):
    from accounts.models import User

    changed_by = User.objects.filter(pk=row.context.get("changed_by")).first()
    return {"changed_by": changed_by}


def invitation_of(row):
    """The invitation an invitation e-mail is about, or None; read once per
    row and kept on it, as the dispatcher's check and the rendering both
    need it."""
    from accounts.models import Invitation

    if not hasattr(row, "_invitation"):
        row._invitation = (
            Invitation.objects.select_related("user", "mentorship__program", "mentorship__mentor", "mentorship__mentee")
            .filter(public_id=row.context.get("invitation"))
            .first()
        )
    return row._invitation


def _invitation_context(row, context):
    invitation = invitation_of(row)
    mentorship = invitation.mentorship if invitation else context["mentorship"]
    return {
        "invitation": invitation,
        "accept_url": absolute_url(reverse("invitation_accept", args=[row.context.get("invitation")])),
        "expires_days": settings.MENTORSKAP_INVITATION_DAYS,
        "expires_at": invitation.expires_at if invitation else None,
        "mentorship": mentorship,
        "program": mentorship.program if mentorship else None,
        "other": mentorship.other_party(row.recipient) if mentorship else None,
        "role": mentorship.role_of(row.recipient) if mentorship else None,
    }


def _pair_notice_context(row, context):
    mentorship = context["mentorship"]
    return {"role": mentorship.role_of(row.recipient) if mentorship else None}


def _nudge_notes_context(row, context):
    # "Write the notes" opens the notes form itself, one click less.
    return {"object_url": page_url("meeting_notes", row.meeting.public_id)} if row.meeting else {}


def _digest_context(row, context):
    from .nudges import digest_pairs

    return {"pairs": digest_pairs(row), "object_url": page_url("program_dashboard")}


_KIND_CONTEXT = {
    MailKind.MEETING_REMINDER: _reminder_context,
    MailKind.AGREEMENT_CHANGED: _agreement_context,
    MailKind.INVITATION: _invitation_context,
    MailKind.PAIR_NOTICE: _pair_notice_context,
    MailKind.COORDINATOR_DIGEST: _digest_context,
    MailKind.NUDGE_NOTES: _nudge_notes_context,
}
