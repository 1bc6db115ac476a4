"""Settings come from the environment, with defaults that need no configuration.

Each case imports the settings in a fresh interpreter with a clean
environment, as a newcomer's shell or a production service would.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# Print the settings a case asks about as JSON; an error goes to stderr.
PROBE = """
import json, sys
from django.conf import settings
names = sys.argv[1:]
print(json.dumps({name: str(getattr(settings, name)) for name in names}))
"""
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "mentorskap.example.org",
}


def _settings(env, *names):
    """Import the settings with exactly this environment (plus PATH/HOME)."""
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    clean.update(env, DJANGO_SETTINGS_MODULE="mentorskap.settings", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PROBE, *names], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=60
    )


def settings_of(env, *names):
    completed = _settings(env, *names)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
@pytest.mark.parametrize("how", ["unset", "empty"])
def test_production_without_secret_key_or_allowed_hosts_stops_with_a_clear_message(missing, how):
    env = dict(PRODUCTION)
    if how == "unset":
        del env[missing]
    else:
        env[missing] = ""
    completed = _settings(env, "DEBUG")
    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr
    assert f"{missing} must be set when DJANGO_DEBUG is false" in completed.stderr


def test_production_with_both_starts():
    values = settings_of(PRODUCTION, "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE")
    assert values == {
        "DEBUG": "False",
        "SECRET_KEY": PRODUCTION["DJANGO_SECRET_KEY"],
        "ALLOWED_HOSTS": "['mentorskap.example.org']",
        "SESSION_COOKIE_SECURE": "True",
    }


def test_allowed_hosts_is_a_comma_separated_list():
    values = settings_of({**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "a.example.org, b.example.org,"}, "ALLOWED_HOSTS")
    assert values["ALLOWED_HOSTS"] == "['a.example.org', 'b.example.org']"


def test_development_needs_no_configuration():
    values = settings_of({}, "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")
    assert values["DEBUG"] == "True"
    assert values["SECRET_KEY"]
    assert "127.0.0.1" in values["ALLOWED_HOSTS"]


def test_sqlite_file_when_database_url_is_unset():
    values = settings_of({}, "DATABASES")
    assert "'ENGINE': 'django.db.backends.sqlite3'" in values["DATABASES"]
    assert str(BASE_DIR / "db.sqlite3") in values["DATABASES"]
    # web, worker and beat share the file: locks are taken at BEGIN and waited for
    assert "'transaction_mode': 'IMMEDIATE'" in values["DATABASES"]
    assert "'timeout': 20" in values["DATABASES"]


def test_postgresql_from_database_url():
    values = settings_of({"DATABASE_URL": "postgres://app:geheim@db.example.org:5433/mentorskap"}, "DATABASES")
    for part in (
        "'ENGINE': 'django.db.backends.postgresql'",
        "'NAME': 'mentorskap'",
        "'HOST': 'db.example.org'",
        "'PORT': 5433",
        "'USER': 'app'",
    ):
        assert part in values["DATABASES"]


def test_filesystem_broker_in_a_project_folder_when_celery_broker_url_is_unset():
    values = settings_of({}, "CELERY_BROKER_URL", "CELERY_FILESYSTEM_DIR")
    assert values["CELERY_BROKER_URL"] == "filesystem://"
    assert Path(values["CELERY_FILESYSTEM_DIR"]).is_relative_to(BASE_DIR)


def test_broker_from_celery_broker_url():
    values = settings_of({"CELERY_BROKER_URL": "redis://127.0.0.1:6379/3"}, "CELERY_BROKER_URL")
    assert values["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/3"


def test_console_email_by_default():
    values = settings_of({}, "EMAIL_BACKEND")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_smtp_email_url_is_parsed():
    values = settings_of(
        {"EMAIL_URL": "smtp+tls://utskick%40example.org:hemligt@smtp.example.org:587"},
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
    )
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "utskick@example.org",
        "EMAIL_HOST_PASSWORD": "hemligt",
        "EMAIL_USE_TLS": "True",
    }


def test_plain_smtp_email_url_is_parsed():
    values = settings_of({"EMAIL_URL": "smtp://127.0.0.1:1025"}, "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT")
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "1025",
    }


def test_filemail_email_url_with_an_absolute_path(tmp_path):
    values = settings_of({"EMAIL_URL": f"filemail://{tmp_path}"}, "EMAIL_BACKEND", "EMAIL_FILE_PATH")
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }


def test_filemail_email_url_with_a_relative_path_is_in_the_project():
    values = settings_of({"EMAIL_URL": "filemail://var/mail"}, "EMAIL_FILE_PATH")
    assert values["EMAIL_FILE_PATH"] == str(BASE_DIR / "var" / "mail")


def test_language_and_time(settings):
    assert settings.LANGUAGE_CODE == "sv"
    assert [code for code, _name in settings.LANGUAGES] == ["sv", "en"]
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.USE_TZ is True
    assert settings.USE_I18N is True
