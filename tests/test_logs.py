"""Log lines: the request id in every line of a request and in the answer,
JSON lines in production (a real process, logging to standard output)."""

import datetime as dt
import json
import logging
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from mentorskap.gunicorn_logs import RedactingLogger
from mentorskap.logs import HEADER, JsonFormatter, RequestIdFilter, redact_secrets, request_id_from, request_id_var

from .helpers.settings import BASE_DIR, PRODUCTION


def test_an_answer_carries_the_request_id_the_proxy_sent(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-4f2a.17")
    assert response[HEADER] == "lb-4f2a.17"


def test_an_answer_carries_a_new_request_id_when_none_was_sent(client, db):
    first = client.get("/konto/login/")[HEADER]
    second = client.get("/konto/login/")[HEADER]
    assert len(first) == 32 and first != second


@pytest.mark.parametrize("incoming", ["", "x" * 129, "a b", "id\nforged line", "<script>", "ä"])
def test_a_request_id_that_is_no_id_is_replaced(incoming):
    assert request_id_from(incoming) != incoming
    assert len(request_id_from(incoming)) == 32


def test_the_security_log_of_a_request_carries_its_id(client, mentee, caplog):
    caplog.set_level(logging.INFO, logger="mentorskap.security")
    handler = caplog.handler
    handler.addFilter(RequestIdFilter())
    try:
        client.post(
            "/konto/login/", {"login": mentee.email, "password": "wrong-password-1"}, HTTP_X_REQUEST_ID="req-42"
        )
    finally:
        handler.removeFilter(handler.filters[-1])
    records = [r for r in caplog.records if r.name == "mentorskap.security"]
    assert records and all(r.request_id == "req-42" for r in records)
    assert request_id_var.get() == "-"  # and it does not leak into what comes after


def test_django_s_own_line_about_a_request_carries_its_id(client, db, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    try:
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    finally:
        caplog.handler.removeFilter(caplog.handler.filters[-1])
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Not Found: /no-such-page/" and record.request_id == "req-404"
    assert request_id_var.get() == "-"


def test_a_json_line_has_the_fields_and_the_extra_ones():
    record = logging.LogRecord("mentorskap.security", logging.WARNING, __file__, 1, "login failed %s", ("x",), None)
    record.request_id = "req-1"
    record.status_code = 403
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["logger"] == "mentorskap.security"
    assert line["message"] == "login failed x" and line["request_id"] == "req-1" and line["status_code"] == 403
    assert line["time"].endswith("+00:00")


PROBE = """
import django, logging
django.setup()
from django.test import Client
Client().get("/readyz", HTTP_X_REQUEST_ID="probe-7")  # readyz fails (no beat yet): its lines are logged
logging.getLogger("mentorskap.security").warning("outside a request")
"""


def test_production_logs_json_lines_to_standard_output_with_the_request_id(tmp_path):
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        PRODUCTION,
        DJANGO_SETTINGS_MODULE="mentorskap.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        CACHE_URL=f"filecache://{tmp_path / 'cache'}",
        CELERY_BROKER_URL="memory://",
        PYTHONDONTWRITEBYTECODE="1",
    )
    completed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    lines = [json.loads(line) for line in completed.stdout.splitlines()]  # every line is JSON
    in_request = [line for line in lines if line["request_id"] == "probe-7"]
    assert in_request and any(line["logger"] == "health_check" for line in in_request)
    assert lines[-1]["message"] == "outside a request" and lines[-1]["request_id"] == "-"


SECRET = "/uppfoljning/svar/AbC123-hemlig.XyZ/"


def test_a_survey_link_s_secret_never_reaches_a_log_line(caplog):
    """Django names the path of a refused request; the link's secret is cut out."""
    caplog.set_level(logging.WARNING, logger="django.request")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Gone: %s", (SECRET,), None)
    assert RequestIdFilter().filter(record)
    assert record.getMessage() == "Gone: /uppfoljning/svar/…/"
    assert redact_secrets(f"GET {SECRET}?x=1 HTTP/1.1") == "GET /uppfoljning/svar/…/?x=1 HTTP/1.1"
    assert redact_secrets("/program/1/") == "/program/1/"


def test_gunicorn_s_access_log_holds_no_survey_secret():
    """The request line, the path and the referrer of gunicorn's access log."""
    config = Config()
    config.set("accesslog", "-")
    logger = RedactingLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": SECRET,
        "PATH_INFO": SECRET,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://mentorskap.example.org{SECRET}",
        "REMOTE_ADDR": "192.0.2.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=5))
    assert "AbC123" not in repr(atoms)
    assert atoms["r"] == "GET /uppfoljning/svar/…/ HTTP/1.1"
