"""Mentorskap settings: one file, driven by the environment.

Every value has a default that works on a fresh machine (SQLite, kombu's
filesystem broker, e-mail to the console). Production sets DJANGO_DEBUG=false
and must then say what the secret key and allowed hosts are.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)


def _required_in_production(name, dev_default):
    """Read a setting that production must give; development gets a default."""
    value = env(name, default=None)
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} must be set when DJANGO_DEBUG is false. Set it in the environment (see README, 'Production')."
    )


SECRET_KEY = _required_in_production("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789")
ALLOWED_HOSTS = [
    h.strip()
    for h in _required_in_production("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

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
    "outbox",
    "accounts",
    "programs",
    "sessions.apps.SessionsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
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
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Production keeps each process's connection for a minute instead of a new
# connection (and its authentication) per request; health checks drop a dead one.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0 if DEBUG else 60))
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
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
MENTORSKAP_OPEN_SIGNUP = env.bool("MENTORSKAP_OPEN_SIGNUP", default=False)
MENTORSKAP_INVITATION_DAYS = env.int("MENTORSKAP_INVITATION_DAYS", default=14)
MENTORSKAP_MFA_REQUIRED_FOR_STAFF = env.bool("MENTORSKAP_MFA_REQUIRED_FOR_STAFF", default=False)
# Whom the password-reset pages name where they say "contact us" (unset: the coordinator).
MENTORSKAP_CONTACT_NAME = env("MENTORSKAP_CONTACT_NAME", default="")
MENTORSKAP_CONTACT_EMAIL = env("MENTORSKAP_CONTACT_EMAIL", default="")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mentorskap"
USERSESSIONS_TRACK_ACTIVITY = True  # "last seen", updated by accounts.session_activity
# Behind a proxy, the client address is the rightmost one the proxy added;
# a client cannot spoof that by sending its own X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=int(timedelta(weeks=2).total_seconds()))
# The age counts from the last request (inactivity expiry), renewed at most
# every few minutes by accounts.session_activity rather than on every request.
SESSION_SAVE_EVERY_REQUEST = False
MENTORSKAP_SESSION_RENEW_SECONDS = env.int("MENTORSKAP_SESSION_RENEW_SECONDS", default=300)
SESSION_COOKIE_HTTPONLY = True

# --- Cache ----------------------------------------------------------------
# allauth keeps its rate limits (and the TOTP codes already used) in the cache.
# With more than one web process, production points CACHE_URL at a shared
# cache (e.g. redis://host:6379/1); otherwise each process counts on its own.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

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
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
if env("EMAIL_URL", default="").startswith("filemail://"):
    # django-environ drops the first part of the path (filemail:///tmp/mail
    # would become "tmp/mail"); take PATH in filemail://PATH as written.
    EMAIL_FILE_PATH = str(BASE_DIR / env("EMAIL_URL").removeprefix("filemail://").split("?")[0])
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Mentorskap <noreply@mentorskap.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_FILESYSTEM_DIR = VAR_DIR / "broker"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
MENTORSKAP_DISPATCH_INTERVAL = env.float("MENTORSKAP_DISPATCH_INTERVAL", default=60.0)
# The outbox: a claimed e-mail not sent within the lease goes back to the queue
# (its worker died); each failure waits longer; after the attempts it is failed.
MENTORSKAP_MAIL_LEASE_SECONDS = env.int("MENTORSKAP_MAIL_LEASE_SECONDS", default=300)
MENTORSKAP_MAIL_RETRY_SECONDS = env.int("MENTORSKAP_MAIL_RETRY_SECONDS", default=60)
MENTORSKAP_MAIL_MAX_ATTEMPTS = env.int("MENTORSKAP_MAIL_MAX_ATTEMPTS", default=5)
CELERY_BEAT_SCHEDULE = {
    "dispatch-due-mail": {
        "task": "outbox.dispatch_due_mail",
        "schedule": MENTORSKAP_DISPATCH_INTERVAL,
    },
    "scan-nudges": {
        "task": "mentoring_sessions.scan_nudges",
        "schedule": env.float("MENTORSKAP_NUDGE_INTERVAL", default=3600.0),
    },
}

# --- Security -------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.bool("DJANGO_BEHIND_PROXY", default=False):
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "mentorskap.security": {"level": "INFO"},
    },
}
