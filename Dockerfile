# Mentorskap: one image for web, worker and beat (compose.yaml shows all three).
# Written with care but NOT built on the machine this project is developed
# on (it has no container engine): build and try it before you rely on it.
#   docker build -t mentorskap .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# No compiler needed: psycopg comes as a binary wheel, the .mo files are committed.
RUN groupadd --system --gid 10001 mentorskap \
 && useradd --system --uid 10001 --gid mentorskap --home-dir /app --shell /usr/sbin/nologin mentorskap

WORKDIR /app
# The pinned versions first, so a code change does not reinstall them.
COPY requirements/base.txt requirements/base.txt
RUN python -m pip install -r requirements/base.txt

COPY --chown=root:root . .
# Static files are part of the image (whitenoise serves them). The values
# below exist only for this step: nothing connects, nothing is kept.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-time-only-collectstatic-not-a-secret-0123456789abcdef \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    CACHE_URL=redis://build.invalid:6379/0 \
    MENTORSKAP_NOTE_KEYS=YnVpbGQtdGltZS1vbmx5LW5vdC1hLXNlY3JldC1rZXk= \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/run && chown mentorskap:mentorskap /app/var/run

USER mentorskap
EXPOSE 8000

# /healthz needs no database: a container is restarted only when the
# process itself is stuck. Worker and beat containers turn this off (compose.yaml).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# Web by default; compose.yaml gives worker and beat their own commands.
CMD ["gunicorn", "mentorskap.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", \
     "--timeout", "30", "--graceful-timeout", "30", "--access-logfile", "-", "--no-control-socket", \
     "--logger-class", "mentorskap.gunicorn_logs.RedactingLogger"]
