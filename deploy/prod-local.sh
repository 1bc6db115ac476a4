#!/bin/sh
# `make prod-local`: the production setup (Procfile: gunicorn, a Celery
# worker, beat) on this machine, against PostgreSQL and Redis, with
# production settings. Plain HTTP on loopback, so no redirect to https and
# cookies not marked Secure; everything else as shipped. Every variable can
# be set beforehand (docs/deploy.md, "Settings" and "make prod-local").
set -eu
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p var

: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/mentorskap}"
: "${CELERY_BROKER_URL:=redis://127.0.0.1:6379/0}"
: "${CACHE_URL:=redis://127.0.0.1:6379/1}"
: "${PORT:=8000}"
: "${DJANGO_ALLOWED_HOSTS:=127.0.0.1,localhost}"
: "${SITE_URL:=http://127.0.0.1:$PORT}"
: "${DJANGO_SECURE_SSL_REDIRECT:=false}"
: "${DJANGO_SECURE_COOKIES:=false}"
: "${WEB_HOST:=127.0.0.1}"
: "${MENTORSKAP_DISPATCH_INTERVAL:=15}"
DJANGO_DEBUG=false
export DATABASE_URL CELERY_BROKER_URL CACHE_URL PORT DJANGO_ALLOWED_HOSTS SITE_URL DJANGO_SECURE_SSL_REDIRECT \
  DJANGO_SECURE_COOKIES WEB_HOST MENTORSKAP_DISPATCH_INTERVAL DJANGO_DEBUG

# A secret key of this machine's own, kept in var/ (git-ignored), unless one is given.
if [ -z "${DJANGO_SECRET_KEY:-}" ] && [ -z "${DJANGO_SECRET_KEY_FILE:-}" ]; then
  key=var/prod-local-secret-key
  [ -s "$key" ] || (umask 077 && "$BIN/python" -c "import secrets; print(secrets.token_urlsafe(50))" >"$key")
  DJANGO_SECRET_KEY_FILE="$PWD/$key"
  export DJANGO_SECRET_KEY_FILE
fi

# The notes' key the same way (MENTORSKAP_NOTE_KEYS), unless one is given.
if [ -z "${MENTORSKAP_NOTE_KEYS:-}" ] && [ -z "${MENTORSKAP_NOTE_KEYS_FILE:-}" ]; then
  notes=var/prod-local-note-keys
  [ -s "$notes" ] || (umask 077 && "$BIN/python" -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" >"$notes")
  MENTORSKAP_NOTE_KEYS_FILE="$PWD/$notes"
  export MENTORSKAP_NOTE_KEYS_FILE
fi

procfile=var/Procfile.prod-local
cp Procfile "$procfile"
# No SMTP server or e-mail service given: a local sink prints every e-mail.
if [ -z "${EMAIL_URL:-}" ] && [ -z "${EMAIL_SERVICE:-}" ]; then
  : "${SMTP_SINK_PORT:=8025}"
  EMAIL_URL="smtp://127.0.0.1:$SMTP_SINK_PORT"
  export EMAIL_URL
  echo "mail: python -m aiosmtpd -n -l 127.0.0.1:$SMTP_SINK_PORT -c aiosmtpd.handlers.Debugging" >>"$procfile"
fi

# Plain HTTP here, so the https warnings are expected; an error stops.
"$BIN/python" manage.py check --deploy
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py collectstatic --noinput -v0
if [ "${SEED_DEMO:-true}" = true ]; then "$BIN/python" manage.py seed_demo; fi
echo "Mentorskap in the production setup: http://127.0.0.1:$PORT/  (/healthz, /readyz)"
# The commands find gunicorn and celery on PATH, as on a server.
PATH="$PWD/$BIN:$PATH" exec "$BIN/honcho" -f "$procfile" -d . start -p "$PORT"
