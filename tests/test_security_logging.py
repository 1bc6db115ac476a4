"""Logins, failed logins and refused access are logged on "mentorskap.security":
who, when (the record's time), what; never a password, never note text."""

import logging

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from accounts.security import log_refused_access

from .factories import PASSWORD

LOGGER = "mentorskap.security"


def security_records(caplog):
    return [r for r in caplog.records if r.name == LOGGER]


def test_login_is_logged_with_who_and_from_where(client, mentee, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    client.post(reverse("account_login"), {"login": mentee.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.10")
    [record] = [r for r in security_records(caplog) if r.getMessage().startswith("login ")]
    assert record.levelno == logging.INFO
    assert f"user={mentee.pk}" in record.getMessage()
    assert "ip=192.0.2.10" in record.getMessage()
    assert record.created  # when


def test_failed_login_is_logged_without_the_password(client, mentee, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    client.post(
        reverse("account_login"), {"login": mentee.email, "password": "Hemligt-fel-1"}, REMOTE_ADDR="192.0.2.11"
    )
    [record] = [r for r in security_records(caplog) if "login failed" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert mentee.email in record.getMessage() and "ip=192.0.2.11" in record.getMessage()
    assert "Hemligt-fel-1" not in caplog.text


def test_a_password_typed_into_the_address_field_is_not_logged(client, db, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    client.post(reverse("account_login"), {"login": "MittLösen99", "password": "x"})
    assert "MittLösen99" not in caplog.text


def test_logout_is_logged(client, mentee, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    client.force_login(mentee)
    client.post(reverse("account_logout"))
    messages = [r.getMessage() for r in security_records(caplog)]
    assert any(m.startswith("logout ") and f"user={mentee.pk}" in m for m in messages)


def test_refused_access_is_logged(mentee, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    request = RequestFactory().get("/mentorskap/6f1c/", REMOTE_ADDR="192.0.2.12")
    request.user = mentee
    log_refused_access(request, "mentorship 6f1c")
    [record] = security_records(caplog)
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert f"user={mentee.pk}" in message and "ip=192.0.2.12" in message
    assert "path=/mentorskap/6f1c/" in message and "what=mentorship 6f1c" in message


def test_refused_access_of_anonymous_is_logged(db, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()
    log_refused_access(request, "meeting 1")
    assert "user=anonymous" in security_records(caplog)[0].getMessage()


def test_a_short_forwarded_for_header_does_not_break_logging(db, settings, caplog):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/x/", HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR="10.0.0.2")

    request.user = AnonymousUser()
    log_refused_access(request, "meeting 1")
    assert "ip=10.0.0.2" in caplog.text


def test_nobody_can_write_a_line_of_their_own_into_the_security_log(mentee, caplog):
    """A URL with a line break stays on its one line, escaped."""
    caplog.set_level(logging.INFO, logger=LOGGER)
    fake = "\n2026-11-28 12:00:00 INFO mentorskap.security login user=1 ip=10.0.0.1"
    request = RequestFactory().get("/mentorskap/x" + fake.replace(" ", "%20").replace("\n", "%0A") + "/")
    request.user = mentee
    log_refused_access(request, "mentorship" + fake)

    [message] = [r.getMessage() for r in security_records(caplog)]
    assert "\n" not in message and "\\n2026-11-28" in message
