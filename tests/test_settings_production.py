"""The production settings of issue 13, each read strictly: the secret key
from a file, the e-mail service, the proxy headers, the log format, the
readiness threshold. Each case imports the settings in a fresh interpreter
with exactly the environment given (tests/helpers/settings.py)."""

import pytest

from .helpers.settings import PRODUCTION, settings_of, settings_run

SECRET = "a-long-random-secret-from-a-file-0123456789-abcdefghijklmnopqrst"


def without(env, *names):
    return {key: value for key, value in env.items() if key not in names}


def refused(env, *names):
    completed = settings_run(env, *(names or ("DEBUG",)))
    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr
    return completed.stderr


def test_the_secret_key_is_read_from_a_file_without_its_final_newline(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text(SECRET + "\n")
    env = {**without(PRODUCTION, "DJANGO_SECRET_KEY"), "DJANGO_SECRET_KEY_FILE": str(path)}
    assert settings_of(env, "SECRET_KEY") == {"SECRET_KEY": SECRET}


def test_production_without_key_or_file_names_both():
    message = refused(without(PRODUCTION, "DJANGO_SECRET_KEY"))
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false (or DJANGO_SECRET_KEY_FILE)" in message


def test_a_secret_key_and_a_file_at_once_is_refused(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text(SECRET)
    message = refused({**PRODUCTION, "DJANGO_SECRET_KEY_FILE": str(path)})
    assert "DJANGO_SECRET_KEY and DJANGO_SECRET_KEY_FILE are both set" in message


@pytest.mark.parametrize("content", [None, "", "\n"])
def test_a_missing_or_empty_secret_key_file_is_refused_without_showing_it(tmp_path, content):
    path = tmp_path / "secret_key"
    if content is not None:
        path.write_text(content)
    message = refused({**without(PRODUCTION, "DJANGO_SECRET_KEY"), "DJANGO_SECRET_KEY_FILE": str(path)})
    assert "DJANGO_SECRET_KEY_FILE=" in message
    assert ("cannot be read" if content is None else "is an empty file") in message


def test_smtp_stays_the_default_and_no_service_is_set():
    values = settings_of(PRODUCTION, "EMAIL_BACKEND", "EMAIL_SERVICE")
    assert values == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend", "EMAIL_SERVICE": ""}


@pytest.mark.parametrize(
    ("service", "key_setting"),
    [("mailgun", "MAILGUN_API_KEY"), ("postmark", "POSTMARK_SERVER_TOKEN"), ("sendgrid", "SENDGRID_API_KEY")],
)
def test_an_email_service_chooses_its_anymail_backend_and_takes_its_key(service, key_setting):
    env = {**PRODUCTION, "EMAIL_SERVICE": service.upper(), "EMAIL_SERVICE_API_KEY": "key-123"}
    values = settings_of(env, "EMAIL_BACKEND", "ANYMAIL")
    assert values["EMAIL_BACKEND"] == f"anymail.backends.{service}.EmailBackend"
    assert f"'{key_setting}': 'key-123'" in values["ANYMAIL"]
    # the outbox's time budget holds for an HTTP API too
    assert "'REQUESTS_TIMEOUT': 15" in values["ANYMAIL"]


def test_mailgun_takes_the_eu_address_and_a_sender_domain(tmp_path):
    key = tmp_path / "mailgun"
    key.write_text("key-from-file\n")
    env = {
        **PRODUCTION,
        "EMAIL_SERVICE": "mailgun",
        "EMAIL_SERVICE_API_KEY_FILE": str(key),
        "EMAIL_SERVICE_API_URL": "https://api.eu.mailgun.net/v3",
        "EMAIL_SERVICE_SENDER_DOMAIN": "mg.example.org",
    }
    anymail = settings_of(env, "ANYMAIL")["ANYMAIL"]
    for part in (
        "'MAILGUN_API_KEY': 'key-from-file'",
        "api.eu.mailgun.net",
        "'MAILGUN_SENDER_DOMAIN': 'mg.example.org'",
    ):
        assert part in anymail


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_SERVICE": "mailchimp"}, "EMAIL_SERVICE='mailchimp' is not allowed: use one of mailgun, postmark"),
        ({"EMAIL_SERVICE": "postmark"}, "EMAIL_SERVICE=postmark needs EMAIL_SERVICE_API_KEY"),
        (
            {"EMAIL_SERVICE": "postmark", "EMAIL_SERVICE_API_KEY": "k", "EMAIL_URL": "smtp://relay:25"},
            "EMAIL_URL and EMAIL_SERVICE are both set",
        ),
        (
            {"EMAIL_SERVICE": "mailgun", "EMAIL_SERVICE_API_KEY": "k", "EMAIL_SERVICE_API_URL": "api.mailgun.net"},
            "EMAIL_SERVICE_API_URL has 'api.mailgun.net'",
        ),
        ({"EMAIL_SERVICE": "amazon_ses"}, "EMAIL_SERVICE=amazon_ses needs boto3"),
    ],
)
def test_an_email_service_misconfigured_stops_start_up(env, message):
    assert message in refused({**PRODUCTION, **env})


def test_proxy_settings_are_off_unless_asked_for():
    names = ("USE_X_FORWARDED_HOST", "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", "SECURE_PROXY_SSL_HEADER")
    values = settings_of(PRODUCTION, *names)
    assert values == {
        "USE_X_FORWARDED_HOST": "False",
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "None",
        "SECURE_PROXY_SSL_HEADER": "None",
    }


def test_proxy_settings_from_the_environment():
    env = {
        **PRODUCTION,
        "DJANGO_BEHIND_PROXY": "true",
        "DJANGO_USE_X_FORWARDED_HOST": "yes",
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
        "DJANGO_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
    }
    names = ("SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST", "ALLAUTH_TRUSTED_PROXY_COUNT")
    values = settings_of(env, *names, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER")
    assert values == {
        "SECURE_PROXY_SSL_HEADER": "('HTTP_X_FORWARDED_PROTO', 'https')",
        "USE_X_FORWARDED_HOST": "True",
        "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_USE_X_FORWARDED_HOST": "ja"}, "DJANGO_USE_X_FORWARDED_HOST='ja' is not a boolean"),
        ({"DJANGO_TRUSTED_PROXY_COUNT": "-1"}, "DJANGO_TRUSTED_PROXY_COUNT='-1' is too small"),
        ({"DJANGO_LOG_FORMAT": "xml"}, "DJANGO_LOG_FORMAT='xml' is not allowed: use one of json, plain"),
        ({"MENTORSKAP_READY_MAIL_LATE_SECONDS": "0"}, "MENTORSKAP_READY_MAIL_LATE_SECONDS='0' is too small"),
        ({"MENTORSKAP_READY_MAIL_LATE_SECONDS": "10m"}, "MENTORSKAP_READY_MAIL_LATE_SECONDS='10m' is not a whole"),
    ],
)
def test_a_mistyped_production_value_stops_start_up(env, message):
    assert message in refused({**PRODUCTION, **env})


def test_logs_are_json_in_production_and_plain_in_development():
    assert settings_of(PRODUCTION, "LOG_FORMAT") == {"LOG_FORMAT": "json"}
    assert settings_of({}, "LOG_FORMAT") == {"LOG_FORMAT": "plain"}
    assert settings_of({**PRODUCTION, "DJANGO_LOG_FORMAT": "PLAIN"}, "LOG_FORMAT") == {"LOG_FORMAT": "plain"}


def test_postgresql_gets_a_connect_timeout_unless_the_url_says_one():
    url = "postgres://app@db.example.org:5432/mentorskap"
    assert "'connect_timeout': 10" in settings_of({"DATABASE_URL": url}, "DATABASES")["DATABASES"]
    own = settings_of({"DATABASE_URL": url + "?connect_timeout=3"}, "DATABASES")["DATABASES"]
    assert "'connect_timeout': '3'" in own or "'connect_timeout': 3" in own


def test_the_outbox_lateness_for_readyz_defaults_to_ten_minutes():
    assert settings_of(PRODUCTION, "MENTORSKAP_READY_MAIL_LATE_SECONDS") == {
        "MENTORSKAP_READY_MAIL_LATE_SECONDS": "600"
    }
