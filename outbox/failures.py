"""What a failed send means: try again later, or give up now.

A relay that refuses for good (5xx: no such recipient, message refused,
sender refused) will answer the same tomorrow, so the row is failed at once
with the server's answer. Anything else (4xx, no connection, a timeout, a
reset) is an outage: the row is tried again with a growing delay for hours
(MENTORSKAP_MAIL_RETRY_FOR_SECONDS), not given up after a few minutes.
"""

import smtplib
from datetime import datetime, timedelta

from anymail.exceptions import AnymailRecipientsRefused
from django.conf import settings

from .models import MailStatus


def is_permanent(exc: BaseException) -> bool:
    """A 5xx answer about this message: its recipient, its sender or its data."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _answer in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    # An e-mail service (EMAIL_SERVICE) that refused every recipient, like a 5xx.
    return isinstance(exc, AnymailRecipientsRefused)


def describe(exc: BaseException) -> str:
    """The server's answer as it said it ("550 5.1.1 No such user"), for the
    admin and the coordinator; other errors as Python names them."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(_answer(code, answer) for code, answer in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return _answer(exc.smtp_code, exc.smtp_error)
    return repr(exc)


def after_failure(
    *, attempts: int, first_attempt_at: datetime | None, now: datetime, error: str, permanent: bool = False
) -> dict:
    """The row's fields after a failed attempt: pending again later, or failed."""
    tried_for = now - (first_attempt_at or now)
    if (
        permanent
        or attempts >= settings.MENTORSKAP_MAIL_MAX_ATTEMPTS
        or tried_for >= timedelta(seconds=settings.MENTORSKAP_MAIL_RETRY_FOR_SECONDS)
    ):
        return {"status": MailStatus.FAILED, "last_error": error[:2000]}
    return {"status": MailStatus.PENDING, "due_at": now + retry_delay(attempts), "last_error": error[:2000]}


def retry_delay(attempts: int) -> timedelta:
    """RETRY_SECONDS after the first attempt, doubling, at most MAX_BACKOFF_SECONDS."""
    seconds = settings.MENTORSKAP_MAIL_RETRY_SECONDS * 2 ** min(max(attempts - 1, 0), 32)
    return timedelta(seconds=min(seconds, settings.MENTORSKAP_MAIL_MAX_BACKOFF_SECONDS))


def _answer(code: int, answer: bytes | str) -> str:
    text = answer.decode("utf-8", errors="replace") if isinstance(answer, bytes) else str(answer)
    return f"{code} {' '.join(text.split())}"
