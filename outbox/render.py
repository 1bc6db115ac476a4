"""One outbox row → one e-mail, in the recipient's language and time zone.

Subject, text and HTML come from templates/emails/<kind>/. Everything the
e-mail says is read from the database now, at sending time, so it shows the
meeting as it is; the row's kind adds what its templates need. Headers never
carry raw user text: names and subjects are flattened to one line, so a CR/LF
in a name or place cannot add a header.

Every attempt of a row carries the same Message-ID: if a dispatcher stops
between the relay's "250" and marking the row sent, the row is sent again,
and mail systems drop the repeat by its Message-ID.
"""

from email.utils import formataddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from mentorskap.localtime import LOCAL_TZ
from mentorskap.text import one_line

from .kinds import ALWAYS, kind_of
from .models import OutgoingMail
from .preferences import preferences_token


def recipient_language(user: Any, fallback: str | None = None) -> str:
    """The person's language; for an address without a person, the language
    the e-mail was asked for in (`fallback`)."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = user.language if user is not None else fallback
    return language if language in codes else settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def page_url(name: str, *args: Any) -> str:
    """The absolute URL of a named page, for a link in an e-mail."""
    return absolute_url(reverse(name, args=args))


def preferences_url(user: Any) -> str:
    return page_url("notification_preferences_signed", preferences_token(user))


def mail_render(row: OutgoingMail) -> EmailMultiAlternatives:
    """The e-mail for an outbox row."""
    recipient = row.recipient
    kind = kind_of(row.kind)
    templates = kind.template_dir or f"emails/{row.kind}"
    name = one_line(recipient.display_name) if recipient is not None else ""
    with translation.override(recipient_language(recipient, row.context.get("language"))), timezone.override(LOCAL_TZ):
        context = mail_context(row)
        # A subject is plain text, like the text body: "&" stays "&", not "&amp;".
        subject = one_line(_render_text(f"{templates}/subject.txt", context)).strip()
        text = _render_text(f"{templates}/body.txt", context)
        html = render_to_string(f"{templates}/body.html", context)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[formataddr((name, row.address))],
            headers={**_headers(kind.group, context), "Message-ID": message_id(row)},
        )
        message.attach_alternative(html, "text/html")
        for part in kind.attachments(row, context) if kind.attachments else ():
            message.attach(part)
    return message


def mail_context(row: OutgoingMail) -> dict[str, Any]:
    """What every e-mail's templates are given, and what its kind adds."""
    recipient = row.recipient
    context: dict[str, Any] = {
        "recipient": recipient,
        "row": row,
        "kind": row.kind,
        "site_url": settings.SITE_URL,
        # Someone known only by an address has no settings to choose.
        "preferences_url": preferences_url(recipient) if recipient is not None else "",
        "object_url": page_url("home"),
        # No request, so no context processor: the HTML's lang comes from here.
        "LANGUAGE_CODE": translation.get_language(),
    }
    kind = kind_of(row.kind)
    if kind.context is not None:
        context.update(kind.context(row, context))
    return context


def message_id(row: OutgoingMail) -> str:
    """The row's own Message-ID, the same on every attempt. The creation time
    keeps ids apart when a database is started anew and row ids repeat."""
    host = urlsplit(settings.SITE_URL).hostname or "mentorskap.invalid"
    return f"<outbox.{row.pk}.{row.created_at:%Y%m%d%H%M%S}@{host}>"


def _render_text(name: str, context: dict[str, Any]) -> str:
    """Plain text is not HTML: no escaping of & or quotes."""
    # The Django backend's own template: its render() takes a Context, which can turn autoescape off.
    return get_template(name).template.render(Context(context, autoescape=False))  # type: ignore[attr-defined,no-any-return]


def _headers(group: str, context: dict[str, Any]) -> dict[str, str]:
    headers = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}
    if group != ALWAYS:
        # One click in the mail program turns these off (RFC 8058); the URL is
        # ours and signed, never user text.
        headers["List-Unsubscribe"] = f"<{context['preferences_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers
