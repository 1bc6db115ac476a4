"""Log lines that can be followed: the request id, and JSON in production.

Every request gets an id: the one the proxy in front sent in X-Request-ID
(when it looks like an id), or a new one. It is in every log line written
while the request is served, and in the answer's X-Request-ID header, so
a person's "it went wrong at 14:02" and the proxy's access log lead to the
same lines. A Celery task's lines carry its task id the same way.

DJANGO_LOG_FORMAT=json (the default when DJANGO_DEBUG is false) writes one
JSON object per line to standard output, for journald, Docker or a log
shipper; `plain` is for a person reading a terminal.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.core.signals import request_finished

HEADER = "X-Request-ID"
# What we take from outside: short, and nothing a log viewer could misread.
ACCEPTED = re.compile(r"[A-Za-z0-9._:@+=-]{1,128}")
NONE = "-"

# A path that is itself a secret: a survey's answer link works without
# logging in (surveys/urls.py, mounted at /uppfoljning/ by mentorskap.urls),
# so it never goes into a log line, an access log's request or referrer.
SECRET_PATHS = re.compile(r"(/uppfoljning/svar/)[^/\s?#\"']+")


def redact_secrets(text: str) -> str:
    """`text` with the secret part of such paths replaced by "…"."""
    return SECRET_PATHS.sub(r"\1…", text)


request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NONE)


def request_id_from(incoming: str | None) -> str:
    """The proxy's id if it is one we can log as it is, else a new one."""
    if incoming and ACCEPTED.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE: every later line of the request carries the id,
    Django's own "Not Found" and "Internal Server Error" lines too, which it
    writes after the middleware has answered: so the id is forgotten only
    when the request is finished (request_finished, below)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _forget_request_id(**kwargs):
    request_id_var.set(NONE)


request_finished.connect(_forget_request_id, dispatch_uid="mentorskap.logs.forget_request_id")


class RequestIdFilter(logging.Filter):
    """Puts the current request's (or task's) id on every record, and keeps
    secret paths out of it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        # Django's own lines name the path ("Not Found: /…"): no link's secret in them.
        message = record.getMessage()
        if SECRET_PATHS.search(message):
            record.msg, record.args = redact_secrets(message), ()
        return True


# The attributes every LogRecord has; anything else was passed in `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger,
    message, request_id, the `extra` fields, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NONE),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line:
                line[key] = value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False)
