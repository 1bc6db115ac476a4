"""Settings come from the environment, with defaults that need no configuration.

Each case imports the settings in a fresh interpreter with a clean
environment, as a newcomer's shell or a production service would.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from .helpers.settings import BASE_DIR, PRODUCTION, settings_of, settings_run


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
@pytest.mark.parametrize("how", ["unset", "empty"])
def test_production_without_secret_key_or_allowed_hosts_stops_with_a_clear_message(missing, how):
    env = dict(PRODUCTION)
    if how == "unset":
        del env[missing]
    else:
        env[missing] = ""
    completed = settings_run(env, "DEBUG")
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


CACHE_MESSAGE = "CACHE_URL must name a cache all web processes share when DJANGO_DEBUG is false"


@pytest.mark.parametrize("cache_url", [None, "", "locmemcache://", "dummycache://", "LocMemCache://x"])
def test_production_without_a_shared_cache_stops_and_says_what_to_set(cache_url):
    env = {key: value for key, value in PRODUCTION.items() if key != "CACHE_URL"}
    if cache_url is not None:
        env["CACHE_URL"] = cache_url
    completed = settings_run(env, "CACHES")
    assert completed.returncode != 0
    assert CACHE_MESSAGE in completed.stderr
    assert "Set e.g. CACHE_URL=redis://host:6379/1" in completed.stderr


@pytest.mark.parametrize(
    ("cache_url", "backend"),
    [
        ("redis://127.0.0.1:6379/1", "mentorskap.redis_cache.RedisCache"),
        ("rediss://cache.example.org:6380/1", "mentorskap.redis_cache.RedisCache"),
        ("filecache:///var/tmp/mentorskap-cache", "django.core.cache.backends.filebased.FileBasedCache"),
        ("dbcache://mentorskap_cache", "django.core.cache.backends.db.DatabaseCache"),
    ],
)
def test_production_takes_a_cache_the_processes_share(cache_url, backend):
    values = settings_of({**PRODUCTION, "CACHE_URL": cache_url}, "CACHES")
    assert f"'BACKEND': '{backend}'" in values["CACHES"]


def test_development_keeps_an_in_memory_cache_without_configuration():
    values = settings_of({}, "CACHES")
    assert "'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'" in values["CACHES"]


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


# --- strict reading: a value that is not what the setting means stops start-up -----

# The settings module, for its helpers; what they read comes from os.environ at the call.
config = sys.modules["mentorskap.settings"]
NAME = "MENTORSKAP_TEST_VALUE"


@pytest.fixture
def value(monkeypatch):
    def set_value(text):
        monkeypatch.setenv(NAME, text)

    return set_value


def refusal(helper, *args):
    with pytest.raises(ImproperlyConfigured) as raised:
        helper(NAME, *args)
    assert NAME in str(raised.value)
    return str(raised.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("True", True),
        ("YES", True),
        ("1", True),
        ("on", True),
        (" true ", True),
        ("false", False),
        ("FALSE", False),
        ("no", False),
        ("0", False),
        ("Off", False),
    ],
)
def test_env_bool_reads_the_allowed_words_in_any_case(value, text, expected):
    value(text)
    assert config.env_bool(NAME, default=not expected) is expected


@pytest.mark.parametrize("text", ["ture", "flase", "2", "-1", "y", "n", "enabled", "truee", "1.0", "sant"])
def test_env_bool_refuses_anything_else_and_names_the_allowed_words(value, text):
    value(text)
    message = refusal(config.env_bool, True)
    assert repr(text) in message
    assert "true/false, 1/0, yes/no or on/off" in message


@pytest.mark.parametrize("text", [None, "", "   "])
def test_unset_or_empty_means_the_default(monkeypatch, text):
    if text is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, text)
    assert config.env_bool(NAME, default=True) is True
    assert config.env_int(NAME, default=7, minimum=1) == 7
    assert config.env_float(NAME, default=2.5, minimum=1) == 2.5
    assert config.env_list(NAME, ["a"]) == ["a"]
    assert config.env_url(NAME, "redis://x", ("redis",)) == "redis://x"


@pytest.mark.parametrize(("text", "expected"), [("0", 0), ("14", 14), (" 300 ", 300), ("31536000", 31536000)])
def test_env_int_reads_whole_numbers(value, text, expected):
    value(text)
    assert config.env_int(NAME, default=5, minimum=0) == expected


@pytest.mark.parametrize("text", ["fourteen", "1.5", "14d", "0x10", "1e3", "nan"])
def test_env_int_refuses_what_is_not_a_whole_number(value, text):
    value(text)
    assert "is not a whole number: use a whole number of at least 0" in refusal(config.env_int, 5, 0)


@pytest.mark.parametrize(("text", "minimum"), [("-1", 0), ("-300", 0), ("0", 1)])
def test_env_int_refuses_a_number_below_the_minimum(value, text, minimum):
    value(text)
    assert f"is too small: use a whole number of at least {minimum}" in refusal(config.env_int, 5, minimum)


@pytest.mark.parametrize(("text", "expected"), [("60", 60.0), ("1.5", 1.5), ("3600.0", 3600.0), ("1", 1.0)])
def test_env_float_reads_numbers(value, text, expected):
    value(text)
    assert config.env_float(NAME, default=5.0, minimum=1) == expected


@pytest.mark.parametrize("text", ["sixty", "nan", "inf", "-inf", "1,5"])
def test_env_float_refuses_what_is_not_a_finite_number(value, text):
    value(text)
    assert "is not a number: use a number of at least 1" in refusal(config.env_float, 5.0, 1)


@pytest.mark.parametrize("text", ["0", "0.5", "-60"])
def test_env_float_refuses_a_number_below_the_minimum(value, text):
    value(text)
    assert "is too small: use a number of at least 1" in refusal(config.env_float, 5.0, 1)


def test_env_choice_reads_a_word_in_any_case_and_refuses_others(value):
    value("warning")
    assert config.env_choice(NAME, "INFO", config.LOG_LEVELS) == "WARNING"
    value("verbose")
    assert "use one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in refusal(config.env_choice, "INFO", config.LOG_LEVELS)


def test_env_list_drops_spaces_and_a_trailing_comma(value):
    value(" a.example.org , b.example.org,")
    assert config.env_list(NAME, []) == ["a.example.org", "b.example.org"]


@pytest.mark.parametrize("text", [",", " , ", ",,,"])
def test_env_list_refuses_a_list_of_nothing(value, text):
    value(text)
    assert "names nothing: give a comma-separated list" in refusal(config.env_list, ["x"])


def test_env_url_takes_a_known_scheme_in_any_case(value):
    value("Redis://cache.example.org:6379/1")
    assert config.env_url(NAME, "", config.CACHE_SCHEMES) == "Redis://cache.example.org:6379/1"


def test_env_url_names_an_unknown_scheme_and_the_allowed_ones_but_never_the_password(value):
    value("postgress://app:hemligt-losen@db.example.org/mentorskap")
    message = refusal(config.env_url, "", config.DATABASE_SCHEMES)
    assert "the scheme 'postgress'" in message
    assert "postgres://, postgresql://, pgsql://, sqlite://" in message
    assert "hemligt" not in message


@pytest.mark.parametrize("text", ["db.example.org", "/var/db.sqlite3"])
def test_env_url_refuses_a_url_without_a_scheme(value, text):
    value(text)
    assert "has no scheme" in refusal(config.env_url, "", config.DATABASE_SCHEMES)


def test_env_url_refuses_a_url_it_cannot_read_without_showing_it(value):
    value("postgres://app:hemligt@[db.example.org/x")
    message = refusal(config.env_url, "", config.DATABASE_SCHEMES)
    assert "is not a URL that can be read" in message and "hemligt" not in message
    value("postgres://app:hemligt@db.example.org:port/x")
    message = refusal(config.env_url, "", config.DATABASE_SCHEMES)
    assert "is not a URL that can be read" in message and "hemligt" not in message


@pytest.mark.parametrize("text", ["redis://127.0.0.1:6379/0", "amqp://guest@rabbit//", "sqla+postgresql://db/x"])
def test_env_broker_url_takes_the_transports_kombu_knows(value, text):
    value(text)
    assert config.env_broker_url(NAME, "filesystem://") == text


@pytest.mark.parametrize("text", ["reddis://127.0.0.1:6379/0", "127.0.0.1:6379", "rabbit://x"])
def test_env_broker_url_refuses_a_transport_celery_does_not_know(value, text):
    value(text)
    message = refusal(config.env_broker_url, "filesystem://")
    assert "redis://" in message and "amqp://" in message


@pytest.mark.parametrize("text", ["https://mentorskap.example.org", "http://127.0.0.1:8000"])
def test_env_web_url_takes_an_http_address_with_a_host(value, text):
    value(text)
    assert config.env_web_url(NAME, "") == text


@pytest.mark.parametrize("text", ["mentorskap.example.org", "https://", "ftp://mentorskap.example.org"])
def test_env_web_url_refuses_an_address_a_browser_would_not_open(value, text):
    value(text)
    assert "write it as https://host.example.org" in refusal(config.env_web_url, "")


def test_env_web_urls_checks_every_entry(value):
    value("https://a.example.org, b.example.org")
    assert "'b.example.org'" in refusal(config.env_web_urls, [])


@pytest.mark.parametrize("text", ["noreply@example.org", "Mentorskap <noreply@example.org>"])
def test_env_email_takes_an_address_with_or_without_a_name(value, text):
    value(text)
    assert config.env_email(NAME, "") == text


@pytest.mark.parametrize("text", ["noreply", "Mentorskap", "<>"])
def test_env_email_refuses_what_is_not_an_address(value, text):
    value(text)
    assert "is not an e-mail address" in refusal(config.env_email, "")


# A real start-up, as gunicorn or celery would do it, with each mistake.
START = "import django; django.setup()"
BAD_ENVIRONMENTS = [
    ({"MENTORSKAP_MFA_REQUIRED_FOR_STAFF": "ture"}, "MENTORSKAP_MFA_REQUIRED_FOR_STAFF='ture' is not a boolean"),
    ({"DJANGO_DEBUG": "flase"}, "DJANGO_DEBUG='flase' is not a boolean"),
    ({"DJANGO_SECURE_COOKIES": "ja"}, "DJANGO_SECURE_COOKIES='ja' is not a boolean"),
    ({"MENTORSKAP_INVITATION_DAYS": "-3"}, "MENTORSKAP_INVITATION_DAYS='-3' is too small"),
    ({"EMAIL_TIMEOUT": "thirty"}, "EMAIL_TIMEOUT='thirty' is not a whole number"),
    ({"DJANGO_SESSION_COOKIE_AGE": "2w"}, "DJANGO_SESSION_COOKIE_AGE='2w' is not a whole number"),
    ({"MENTORSKAP_DISPATCH_INTERVAL": "nan"}, "MENTORSKAP_DISPATCH_INTERVAL='nan' is not a number"),
    ({"DATABASE_URL": "postgress://app:pw@db/mentorskap"}, "DATABASE_URL has the scheme 'postgress'"),
    ({"CACHE_URL": "redsi://127.0.0.1:6379/1"}, "CACHE_URL has the scheme 'redsi'"),
    ({"EMAIL_URL": "smpt://127.0.0.1:1025"}, "EMAIL_URL has the scheme 'smpt'"),
    ({"CELERY_BROKER_URL": "reddis://127.0.0.1:6379/0"}, "CELERY_BROKER_URL has the transport 'reddis'"),
    ({"DJANGO_ALLOWED_HOSTS": " ,, "}, "DJANGO_ALLOWED_HOSTS=',,' names nothing"),
    ({**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ","}, "DJANGO_ALLOWED_HOSTS=',' names nothing"),
    ({"SITE_URL": "mentorskap.example.org"}, "SITE_URL has 'mentorskap.example.org'"),
    ({"DJANGO_LOG_LEVEL": "verbose"}, "DJANGO_LOG_LEVEL='verbose' is not allowed"),
    ({"DEFAULT_FROM_EMAIL": "Mentorskap"}, "DEFAULT_FROM_EMAIL='Mentorskap' is not an e-mail address"),
    (
        {"MENTORSKAP_MFA_REQUIRED_FOR_STAF": "true"},
        "MENTORSKAP_MFA_REQUIRED_FOR_STAF is not a setting Mentorskap knows. "
        "Did you mean MENTORSKAP_MFA_REQUIRED_FOR_STAFF?",
    ),
]


def _start(env, *args):
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    clean.update(env, DJANGO_SETTINGS_MODULE="mentorskap.settings", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, *args], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(("env", "message"), BAD_ENVIRONMENTS, ids=[message for _env, message in BAD_ENVIRONMENTS])
def test_start_up_stops_at_a_mistyped_value_with_a_message(env, message):
    completed = _start(env, "-c", START)
    assert completed.returncode != 0
    assert f"ImproperlyConfigured: {message}" in completed.stderr


def test_manage_py_check_stops_at_a_mistyped_boolean():
    completed = _start({"MENTORSKAP_MFA_REQUIRED_FOR_STAFF": "ture"}, "manage.py", "check")
    assert completed.returncode != 0
    assert "true/false, 1/0, yes/no or on/off" in completed.stderr


def test_the_words_for_true_turn_two_factor_on_at_start_up():
    for word in ("TRUE", "yes", "1", "On"):
        assert settings_of({"MENTORSKAP_MFA_REQUIRED_FOR_STAFF": word}, "MENTORSKAP_MFA_REQUIRED_FOR_STAFF") == {
            "MENTORSKAP_MFA_REQUIRED_FOR_STAFF": "True"
        }
