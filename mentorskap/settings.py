"""Mentorskap settings: one file, driven by the environment.

Every value has a default that works on a fresh machine (SQLite, kombu's
filesystem broker, e-mail to the console). Production sets DJANGO_DEBUG=false
and must then say what the secret key, the allowed hosts and the shared cache are.

Every variable is read by one of the strict helpers below: a value that is
not what the setting means (`ture` for a boolean, `-5` for seconds, a URL
scheme nobody knows) stops start-up with a message naming the variable,
instead of being read as a default that quietly turns a protection off.
An unset or empty variable means its default.
"""

import difflib
import importlib.util
import math
import os
import warnings
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu.transport import TRANSPORT_ALIASES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# --- Reading the environment ------------------------------------------------
# Every name a helper read: a MENTORSKAP_ variable not among them is a typo.
_READ = set()
TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")


def _raw(name):
    """The variable's text, or None when it is unset or empty."""
    _READ.add(name)
    return os.environ.get(name, "").strip() or None


def env_str(name, default):
    value = _raw(name)
    return default if value is None else value


def env_bool(name, default):
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use true/false, 1/0, yes/no or on/off (in any case)."
    )


def env_int(name, default, minimum):
    return _env_number(name, default, minimum, int, "a whole number")


def env_float(name, default, minimum):
    return _env_number(name, default, minimum, float, "a number")


def _env_number(name, default, minimum, convert, what):
    value = _raw(name)
    if value is None:
        return default
    try:
        number = convert(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ImproperlyConfigured(f"{name}={value!r} is not {what}: use {what} of at least {minimum}.")
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} is too small: use {what} of at least {minimum}.")
    return number


def env_choice(name, default, choices):
    """One of a few words, in any case; returned as written in `choices`."""
    value = _raw(name)
    if value is None:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name}={value!r} is not allowed: use one of {', '.join(choices)}.")


def env_list(name, default):
    """A comma-separated list; a trailing comma is fine, a list of nothing is not."""
    value = _raw(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name}={value!r} names nothing: give a comma-separated list.")
    return items


def _split(name, url):
    """urlsplit, with a message naming the variable (never the URL: it may
    hold a password) for what it cannot read, like an unclosed [IPv6."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it is the check
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a URL that can be read: {error}.") from None
    return parts


def env_url(name, default, schemes):
    """A URL whose scheme is one of `schemes`. The message names the scheme,
    never the URL: it may hold a password."""
    value = env_str(name, default)
    scheme = _split(name, value).scheme.lower()
    if scheme not in schemes:
        found = f"the scheme {scheme!r}" if scheme else "no scheme"
        raise ImproperlyConfigured(f"{name} has {found}: use one of {', '.join(f'{s}://' for s in schemes)}.")
    return value


def env_broker_url(name, default):
    """A URL of any transport kombu knows (redis://, amqp://, ...);
    sqla+postgresql:// names its transport before the "+"."""
    value = env_str(name, default)
    transport = _split(name, value).scheme.lower().split("+")[0]
    if transport not in {alias.lower() for alias in TRANSPORT_ALIASES}:
        found = f"the transport {transport!r}" if transport else "no scheme"
        known = ", ".join(sorted({f"{alias.lower()}://" for alias in TRANSPORT_ALIASES}))
        raise ImproperlyConfigured(f"{name} has {found}, which Celery does not know: use one of {known}.")
    return value


def _check_web_url(name, value):
    """An http(s) address with a host, as a browser would open it."""
    parts = _split(name, value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"{name} has {value!r}: write it as https://host.example.org.")
    return value


def env_web_url(name, default):
    return _check_web_url(name, env_str(name, default))


def env_web_urls(name, default):
    return [_check_web_url(name, value) for value in env_list(name, default)]


def env_email(name, default):
    """An e-mail address, with or without a display name."""
    value = env_str(name, default)
    if "@" not in parseaddr(value)[1]:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not an e-mail address: write it as Name <address@example.org> or address@example.org."
        )
    return value


def _parsed(name, parse, url):
    """django-environ's reading of a URL we checked; a malformed port or the
    like still names the variable."""
    try:
        return parse(url)
    except (ValueError, ImproperlyConfigured) as error:
        raise ImproperlyConfigured(f"{name} cannot be read: {error}") from None


MAKE_NOTE_KEY = (
    "Make one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


def env_fernet_keys(name, file_name):
    """Fernet keys, comma-separated, from `name` or from the file `file_name`
    names (a container secret; commas or one key a line). The first key
    encrypts, every key decrypts (see mentorskap/crypto.py). None when
    neither is set. A message never shows a key."""
    value, path = _raw(name), _raw(file_name)
    if value and path:
        raise ImproperlyConfigured(f"Set {name} or {file_name}, not both.")
    source = name
    if path:
        source = f"{file_name} ({path})"
        try:
            value = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeError) as error:
            raise ImproperlyConfigured(f"{file_name} names a file that cannot be read: {error}.") from None
    if value is None:
        return None
    keys = [key.strip() for key in value.replace("\n", ",").split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured(
            f"{source} holds no key: give one or more Fernet keys, comma-separated. {MAKE_NOTE_KEY}"
        )
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"{source}: key {number} of {len(keys)} is not a Fernet key (32 bytes in url-safe base64, "
                f"44 characters). {MAKE_NOTE_KEY}"
            ) from None
    return keys


def development_note_key(path):
    """The note key of a development machine, made once and kept in `path`
    (var/), so notes written before a restart stay readable. Made atomically:
    several processes (web, worker, test workers) may start at once."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(Fernet.generate_key().decode("ascii") + "\n", encoding="utf-8")
        temporary.chmod(0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            temporary.unlink()
    return [path.read_text(encoding="utf-8").strip()]


def _production_needs(name, *alternatives):
    if not DEBUG and all(_raw(each) is None for each in (name, *alternatives)):
        also = "".join(f" (or {each})" for each in alternatives)
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is false{also}. "
            "Set it in the environment (see docs/deploy.md, 'Settings')."
        )


def env_secret(name, default):
    """A secret given in the variable itself or, for container secrets, in
    the file that NAME_FILE names (its one line; a final newline is dropped).
    Both at once is an error: which one would win is not obvious."""
    file_name = f"{name}_FILE"
    path = _raw(file_name)
    if path is None:
        return env_str(name, default)
    if _raw(name) is not None:
        raise ImproperlyConfigured(f"{name} and {file_name} are both set: set one of them.")
    try:
        value = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(f"{file_name}={path!r} cannot be read: {error.__class__.__name__}.") from None
    if not value:
        raise ImproperlyConfigured(f"{file_name}={path!r} is an empty file: put the secret in it.")
    return value


def _refuse_unknown_names(prefix):
    """A mistyped name (MENTORSKAP_MFA_REQUIRED_FOR_STAF) would be ignored
    as silently as a mistyped value."""
    for name in sorted(os.environ):
        if name.startswith(prefix) and name not in _READ:
            close = difflib.get_close_matches(name, sorted(_READ), n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            raise ImproperlyConfigured(
                f"{name} is not a setting Mentorskap knows.{hint} See docs/deploy.md, 'Settings'."
            )


DEBUG = env_bool("DJANGO_DEBUG", default=True)

_production_needs("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY_FILE")
SECRET_KEY = env_secret("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789")
_production_needs("DJANGO_ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_web_urls("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_web_url("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's usersessions pages load it
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "auditlog",
    "outbox",
    # After auditlog: its admin replaces auditlog's.
    "audit",
    "accounts",
    "programs",
    "sessions.apps.SessionsConfig",
    "surveys",
    "privacy",
]

MIDDLEWARE = [
    # Production (issue 13): the request id first, so every log line of the
    # request carries it (mentorskap.logs); /healthz and /readyz next, before
    # the HTTPS redirect, the host check, sessions and languages (mentorskap.health).
    "mentorskap.logs.RequestIdMiddleware",
    "mentorskap.health.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request's user is the actor of what the request changes (audit trail).
    "audit.middleware.AuditActorMiddleware",
    "mentorskap.middleware.NoStoreForPeopleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After the headers above (its 400 page gets them) and before anything
    # that reads a form or queries with what the request brought.
    "mentorskap.middleware.RequestTextMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "programs.middleware.MfaRequiredForStaffMiddleware",
    # In place of allauth's UserSessionsMiddleware: no write on every request.
    "accounts.session_activity.SessionActivityMiddleware",
]

ROOT_URLCONF = "mentorskap.urls"
WSGI_APPLICATION = "mentorskap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# psycopg 3 for PostgreSQL, or SQLite: no other database is installed. The
# URLs below are kept in lower-case names: Django's debug page shows every
# upper-case setting, and a URL may hold a password.
DATABASE_SCHEMES = ("postgres", "postgresql", "pgsql", "sqlite")
_database_url = env_url("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}", DATABASE_SCHEMES)
DATABASES = {"default": _parsed("DATABASE_URL", environ.Env.db_url_config, _database_url)}
# Production keeps each process's connection for a minute instead of a new
# connection (and its authentication) per request; health checks drop a dead one.
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("DJANGO_CONN_MAX_AGE", default=0 if DEBUG else 60, minimum=0))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", not DEBUG)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes (web, worker, beat) share the file: wait instead of
    # failing. A transaction that reads and then writes (the dispatcher's
    # claim, most form saves) must take the write lock at BEGIN: SQLite
    # cannot wait for a lock it asks for halfway through a transaction and
    # fails at once with "database is locked", whatever the timeout.
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options.setdefault("timeout", 20)
    sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.auth_backends.ModelBackend",
    "accounts.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False  # no state-changing GET: logging out is a POST
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# allauth names the site by its host ("[127.0.0.1:8000]"); its e-mail is
# rendered by the outbox (accounts.mail_kinds) with this prefix instead.
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Mentorskap: "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# The login address stays until a new one is confirmed (see accounts.forms).
ACCOUNT_FORMS = {"add_email": "accounts.forms.AddEmailForm"}
# Open sign-up is off: people are invited by a coordinator.
MENTORSKAP_OPEN_SIGNUP = env_bool("MENTORSKAP_OPEN_SIGNUP", default=False)
MENTORSKAP_INVITATION_DAYS = env_int("MENTORSKAP_INVITATION_DAYS", default=14, minimum=1)
MENTORSKAP_MFA_REQUIRED_FOR_STAFF = env_bool("MENTORSKAP_MFA_REQUIRED_FOR_STAFF", default=False)
# Whom the password-reset pages name where they say "contact us" (unset: the coordinator).
MENTORSKAP_CONTACT_NAME = env_str("MENTORSKAP_CONTACT_NAME", "")
MENTORSKAP_CONTACT_EMAIL = env_email("MENTORSKAP_CONTACT_EMAIL", "") if _raw("MENTORSKAP_CONTACT_EMAIL") else ""
# The association that runs the service: the privacy notice names it as the
# one responsible for the personal data (personuppgiftsansvarig) and whom to ask.
MENTORSKAP_ASSOCIATION_NAME = env_str("MENTORSKAP_ASSOCIATION_NAME", "Mentorskap (utvecklingsmiljö)")
MENTORSKAP_ASSOCIATION_EMAIL = env_email("MENTORSKAP_ASSOCIATION_EMAIL", "integritet@mentorskap.local")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mentorskap"
USERSESSIONS_TRACK_ACTIVITY = True  # "last seen", updated by accounts.session_activity
# Behind a proxy, the client address is the rightmost one the proxy added;
# a client cannot spoof that by sending its own X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", default=0, minimum=0)

SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", default=int(timedelta(weeks=2).total_seconds()), minimum=60)
# The age counts from the last request (inactivity expiry), renewed at most
# every few minutes by accounts.session_activity rather than on every request.
SESSION_SAVE_EVERY_REQUEST = False
MENTORSKAP_SESSION_RENEW_SECONDS = env_int("MENTORSKAP_SESSION_RENEW_SECONDS", default=300, minimum=1)
SESSION_COOKIE_HTTPONLY = True

# --- Encrypted notes ------------------------------------------------------
# Agreements, meeting notes, comments, "kom ihåg" items and check-in notes are
# encrypted at rest with these keys (mentorskap/crypto.py). The first key
# encrypts; keep an old key after the new one until `manage.py
# rotate_note_keys` has run. Production must set them; a development machine
# gets a key of its own in var/, with a warning (losing var/ loses the notes).
MENTORSKAP_NOTE_KEYS = env_fernet_keys("MENTORSKAP_NOTE_KEYS", "MENTORSKAP_NOTE_KEYS_FILE")
NOTE_KEY_DEVELOPMENT_FILE = VAR_DIR / "note-key"
if MENTORSKAP_NOTE_KEYS is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "MENTORSKAP_NOTE_KEYS (or MENTORSKAP_NOTE_KEYS_FILE) must be set when DJANGO_DEBUG is false: the key "
            f"that encrypts the notes at rest. {MAKE_NOTE_KEY}, and keep it safe: without it no note can be read "
            "(see README, 'Configuration')."
        )
    MENTORSKAP_NOTE_KEYS = development_note_key(NOTE_KEY_DEVELOPMENT_FILE)
    warnings.warn(
        f"Notes are encrypted with a development key kept in {NOTE_KEY_DEVELOPMENT_FILE}: fine on this machine, "
        "never for real notes. Set MENTORSKAP_NOTE_KEYS in production.",
        stacklevel=1,
    )

# --- Cache ----------------------------------------------------------------
# allauth keeps its rate limits (and the TOTP codes already used) in the cache.
# Production must point CACHE_URL at a cache every web process shares: with
# locmem each process counts on its own (five failed logins per process, not
# per person), with dummy nobody counts at all.
# redis:// is served by Django's own backend (the redis package is installed).
SHARED_CACHE_SCHEMES = ("redis", "rediss", "filecache", "dbcache")
CACHE_SCHEMES = (*SHARED_CACHE_SCHEMES, "locmemcache", "dummycache")
_cache_url = env_url("CACHE_URL", "locmemcache://", CACHE_SCHEMES)
if not DEBUG and _split("CACHE_URL", _cache_url).scheme.lower() not in SHARED_CACHE_SCHEMES:
    raise ImproperlyConfigured(
        "CACHE_URL must name a cache all web processes share when DJANGO_DEBUG is false: allauth keeps its "
        "rate limits there, and a per-process cache (locmemcache://, dummycache://, or none) multiplies them. "
        "Set e.g. CACHE_URL=redis://host:6379/1 (see docs/deploy.md, 'Settings')."
    )
CACHES = {"default": _parsed("CACHE_URL", environ.Env.cache_url_config, _cache_url)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same cache, without a new redis-py client on every call (mentorskap/redis_cache.py).
    CACHES["default"]["BACKEND"] = "mentorskap.redis_cache.RedisCache"

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------
EMAIL_SCHEMES = ("smtp", "smtps", "smtp+tls", "smtp+ssl", "consolemail", "filemail", "memorymail", "dummymail")
_email_url = env_url("EMAIL_URL", "consolemail://", EMAIL_SCHEMES)
vars().update(_parsed("EMAIL_URL", environ.Env.email_url_config, _email_url))
if _email_url.startswith("filemail://"):
    # django-environ drops the first part of the path (filemail:///tmp/mail
    # would become "tmp/mail"); take PATH in filemail://PATH as written.
    EMAIL_FILE_PATH = str(BASE_DIR / _email_url.removeprefix("filemail://").split("?")[0])
DEFAULT_FROM_EMAIL = env_email("DEFAULT_FROM_EMAIL", "Mentorskap <noreply@mentorskap.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds to wait for each answer of the SMTP server.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=15, minimum=1)

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = env_broker_url("CELERY_BROKER_URL", "filesystem://")
CELERY_FILESYSTEM_DIR = VAR_DIR / "broker"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", default=300, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", default=240, minimum=1)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
MENTORSKAP_DISPATCH_INTERVAL = env_float("MENTORSKAP_DISPATCH_INTERVAL", default=60.0, minimum=1)
# The outbox: a claimed e-mail not sent within the lease goes back to the queue
# (its worker died). A temporary failure (SMTP 4xx, no connection) is tried
# again after RETRY_SECONDS, doubling up to MAX_BACKOFF_SECONDS, for
# RETRY_FOR_SECONDS from the first attempt (or MAX_ATTEMPTS attempts); then
# it is failed. A permanent refusal (5xx) fails at once.
MENTORSKAP_MAIL_LEASE_SECONDS = env_int("MENTORSKAP_MAIL_LEASE_SECONDS", default=300, minimum=1)
MENTORSKAP_MAIL_RETRY_SECONDS = env_int("MENTORSKAP_MAIL_RETRY_SECONDS", default=60, minimum=0)
MENTORSKAP_MAIL_MAX_BACKOFF_SECONDS = env_int("MENTORSKAP_MAIL_MAX_BACKOFF_SECONDS", default=3600, minimum=1)
MENTORSKAP_MAIL_RETRY_FOR_SECONDS = env_int("MENTORSKAP_MAIL_RETRY_FOR_SECONDS", default=24 * 3600, minimum=0)
MENTORSKAP_MAIL_MAX_ATTEMPTS = env_int("MENTORSKAP_MAIL_MAX_ATTEMPTS", default=100, minimum=1)
# The longest one e-mail can take: up to 8 answers of the SMTP server (the
# greeting, EHLO, STARTTLS and AUTH when the session opens; MAIL, RCPT, DATA
# and the end of the data), each waited for at most EMAIL_TIMEOUT.
MENTORSKAP_MAIL_SEND_SECONDS = 8 * EMAIL_TIMEOUT
# The dispatcher starts no e-mail after this many seconds of its run, so the
# last one ends before the task's soft time limit interrupts it (an e-mail
# interrupted after the relay took it would be sent again). Derived, so that
# it follows the limits; outbox/checks.py also checks it against the lease.
MENTORSKAP_DISPATCH_BUDGET_SECONDS = CELERY_TASK_SOFT_TIME_LIMIT - MENTORSKAP_MAIL_SEND_SECONDS - 10
if MENTORSKAP_DISPATCH_BUDGET_SECONDS < 10:
    raise ImproperlyConfigured(
        f"CELERY_TASK_SOFT_TIME_LIMIT ({CELERY_TASK_SOFT_TIME_LIMIT} s) leaves the outbox no time to send: "
        f"one e-mail may take {MENTORSKAP_MAIL_SEND_SECONDS} s (8 x EMAIL_TIMEOUT). "
        "Raise the soft time limit or lower EMAIL_TIMEOUT."
    )
# --- Audit trail (django-auditlog, issue 12) -------------------------------
# Our entry, with the program and pair it is about (audit/models.py).
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# Who did what, not from where: no client address (audit/middleware.py).
AUDITLOG_DISABLE_REMOTE_ADDR = True
# auditlog's own migrations would create its entry table even though ours
# replaces it: an empty table no one reads, which also holds a foreign key to
# the users (the tests' flush cannot empty the users then). Ours only.
MIGRATION_MODULES = {"auditlog": None}

CELERY_BEAT_SCHEDULE = {
    "dispatch-due-mail": {
        "task": "outbox.dispatch_due_mail",
        "schedule": MENTORSKAP_DISPATCH_INTERVAL,
    },
    "scan-nudges": {
        "task": "mentoring_sessions.scan_nudges",
        "schedule": env_float("MENTORSKAP_NUDGE_INTERVAL", default=3600.0, minimum=1),
    },
    # Extracts from the police's register that expire within 30 days (once per record).
    "background-check-notices": {
        "task": "programs.background_check_notices",
        "schedule": env_float("MENTORSKAP_NUDGE_INTERVAL", default=3600.0, minimum=1),
    },
    # /readyz asks whether beat was seen lately (mentorskap.health). A
    # heartbeat that waited a whole interval in the queue is dropped: the
    # next one says the same.
    "beat-heartbeat": {
        "task": "outbox.beat_heartbeat",
        "schedule": MENTORSKAP_DISPATCH_INTERVAL,
        "options": {"expires": MENTORSKAP_DISPATCH_INTERVAL},
    },
    # The check-in surveys, evaluations and their reminders that are due.
    "scan-surveys": {
        "task": "surveys.scan_surveys",
        "schedule": env_float("MENTORSKAP_NUDGE_INTERVAL", default=3600.0, minimum=1),
    },
    # Pairs past their program's retention time are anonymised; coordinators
    # are told a month before (privacy.retention).
    "apply-retention": {
        "task": "privacy.apply_retention",
        "schedule": env_float("MENTORSKAP_RETENTION_INTERVAL", default=24 * 3600.0, minimum=60),
    },
}

# --- Security -------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
# The language cookie like the other two (no script of ours reads it).
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- Production: logs (issue 13) -------------------------------------------
# JSON lines on standard output in production, plain lines in development;
# both carry the request id (or the Celery task's id): mentorskap.logs.
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMAT = env_choice("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json", ("json", "plain"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mentorskap.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "mentorskap.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_choice("DJANGO_LOG_LEVEL", "INFO", LOG_LEVELS)},
    "loggers": {
        "mentorskap.security": {"level": "INFO"},
    },
}
# The worker and beat log through the same handler, not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Production: proxies, database, e-mail service (issue 13) ---------------
# Behind a proxy that sets X-Forwarded-Host (and is the only way in), let
# Django build links with the host the person asked for.
USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", default=False)
# A header the proxy sets to the client's address (X-Real-IP,
# CF-Connecting-IP) instead of counting X-Forwarded-For: allauth's rate
# limits and the security log (accounts.security.client_ip) read it.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("DJANGO_TRUSTED_CLIENT_IP_HEADER", "") or None
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database host that does not answer must not hold a request (or
    # /readyz) for the system's TCP timeout of minutes. The URL's own
    # ?connect_timeout= wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 10)
# An e-mail service's HTTP API through django-anymail instead of SMTP:
# EMAIL_SERVICE names it, its key comes from EMAIL_SERVICE_API_KEY (or a
# file: EMAIL_SERVICE_API_KEY_FILE). EMAIL_URL is then not used.
EMAIL_SERVICES = {
    "mailgun": "MAILGUN_API_KEY",
    "postmark": "POSTMARK_SERVER_TOKEN",
    "sendgrid": "SENDGRID_API_KEY",
    "brevo": "BREVO_API_KEY",
    "amazon_ses": None,  # boto3's own credentials (AWS_ACCESS_KEY_ID ... or an instance role)
}
EMAIL_SERVICE = env_choice("EMAIL_SERVICE", "", tuple(EMAIL_SERVICES))
if EMAIL_SERVICE:
    if _raw("EMAIL_URL") is not None:
        raise ImproperlyConfigured("EMAIL_URL and EMAIL_SERVICE are both set: set one of them.")
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_SERVICE}.EmailBackend"
    # The outbox's time budget assumes each answer comes within EMAIL_TIMEOUT.
    ANYMAIL = {"REQUESTS_TIMEOUT": EMAIL_TIMEOUT}
    if EMAIL_SERVICES[EMAIL_SERVICE]:
        _api_key = env_secret("EMAIL_SERVICE_API_KEY", "")
        if not _api_key:
            raise ImproperlyConfigured(
                f"EMAIL_SERVICE={EMAIL_SERVICE} needs EMAIL_SERVICE_API_KEY (or EMAIL_SERVICE_API_KEY_FILE)."
            )
        ANYMAIL[EMAIL_SERVICES[EMAIL_SERVICE]] = _api_key
    if EMAIL_SERVICE == "mailgun":
        # EU accounts: https://api.eu.mailgun.net/v3
        ANYMAIL["MAILGUN_API_URL"] = env_web_url("EMAIL_SERVICE_API_URL", "https://api.mailgun.net/v3")
        if _raw("EMAIL_SERVICE_SENDER_DOMAIN"):
            ANYMAIL["MAILGUN_SENDER_DOMAIN"] = env_str("EMAIL_SERVICE_SENDER_DOMAIN", "")
    if EMAIL_SERVICE == "amazon_ses":
        if importlib.util.find_spec("boto3") is None:
            raise ImproperlyConfigured(
                "EMAIL_SERVICE=amazon_ses needs boto3, which is not installed: "
                "pip install 'django-anymail[amazon-ses]'."
            )
        ANYMAIL["AMAZON_SES_CLIENT_PARAMS"] = {"region_name": env_str("EMAIL_SERVICE_REGION", "eu-north-1")}

# --- Production: health probes (issue 13) ---------------------------------
# /readyz fails when an e-mail is this many seconds past its due time.
MENTORSKAP_READY_MAIL_LATE_SECONDS = env_int("MENTORSKAP_READY_MAIL_LATE_SECONDS", default=600, minimum=1)

# --- speed (issue 10): sessions read from the shared cache -------------------
# In production each session is kept in the shared cache as well as in the
# database ("cached_db"): a logged-in page view reads it from the cache, not
# PostgreSQL. It is still written to the database (when it changes, or every
# few minutes: accounts/session_activity.py), so emptying the cache logs
# nobody out, and deleting a session (logout, "Mina inloggningar") deletes it
# from both. The cache is a shared one whenever DEBUG is off (see CACHE_URL).
if not DEBUG:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# --- end speed ----------------------------------------------------------------

_refuse_unknown_names("MENTORSKAP_")
