"""A page view writes no session and no allauth user-session row when
nothing changed; both are renewed once the renewal interval has passed, so
the session still ends two weeks after the last request and "Mina
inloggningar" says when it was last used to the nearest few minutes."""

import datetime as dt
import json
import time

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.session_activity import RENEWED_AT

from .helpers.accounts import logged_in_client
from .helpers.settings import run_with_production_env

pytestmark = pytest.mark.django_db


def writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]


def age_the_session(key, *, renewed_seconds_ago, expires_in):
    """As if the session had last been renewed that long ago."""
    store = SessionStore(session_key=key)
    store[RENEWED_AT] = int(time.time()) - renewed_seconds_ago
    store.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + expires_in)
    UserSession.objects.filter(session_key=key).update(
        last_seen_at=timezone.now() - dt.timedelta(seconds=renewed_seconds_ago)
    )


def test_a_page_view_writes_nothing_when_nothing_changed(mentee, mentorship):
    client = logged_in_client(mentee)
    client.get(reverse("home"))  # the first page after login may still settle things
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("mentorship_detail", args=[mentorship.public_id])).status_code == 200
    assert writes(queries) == []


def test_the_expiry_and_last_seen_move_once_the_interval_has_passed(mentee):
    client = logged_in_client(mentee)
    key = client.session.session_key
    age_the_session(
        key, renewed_seconds_ago=settings.MENTORSKAP_SESSION_RENEW_SECONDS + 1, expires_in=dt.timedelta(days=13)
    )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert writes(queries), "the session and its user-session row are renewed"
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + dt.timedelta(days=13, hours=23)
    assert UserSession.objects.get(session_key=key).last_seen_at > timezone.now() - dt.timedelta(minutes=1)


def test_within_the_interval_the_expiry_stays(mentee):
    client = logged_in_client(mentee)
    key = client.session.session_key
    age_the_session(key, renewed_seconds_ago=60, expires_in=dt.timedelta(days=13))
    before = Session.objects.get(session_key=key).expire_date
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == before


def test_inactivity_past_two_weeks_logs_out(mentee):
    client = logged_in_client(mentee)
    key = client.session.session_key
    # Renewed two weeks and a second ago, the last time anyone used it.
    age_the_session(key, renewed_seconds_ago=settings.SESSION_COOKIE_AGE + 1, expires_in=-dt.timedelta(seconds=1))
    assert client.get(reverse("account_email")).status_code == 302
    assert not auth.get_user(client).is_authenticated


def test_logging_out_leaves_no_session_behind(mentee):
    client = logged_in_client(mentee)
    client.post(reverse("account_logout"))
    assert not Session.objects.exists()
    assert not auth.get_user(client).is_authenticated


def test_an_anonymous_visit_creates_no_session(db):
    client = Client()
    client.get(reverse("account_login"))
    assert not Session.objects.exists()


def test_production_keeps_database_connections_and_does_not_save_every_session():
    script = (
        "import json, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mentorskap.settings');"
        "django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS'],"
        " s.SESSION_SAVE_EVERY_REQUEST, s.USERSESSIONS_TRACK_ACTIVITY, s.MIDDLEWARE]))"
    )
    result = run_with_production_env("-c", script)
    assert result.returncode == 0, result.stderr
    conn_max_age, health_checks, save_every, track, middleware = json.loads(result.stdout.strip().splitlines()[-1])
    assert conn_max_age == 60 and health_checks
    # "Mina inloggningar" still shows when each session was last used...
    assert track and not save_every
    # ... recorded by our throttled middleware instead of allauth's, which writes on every request.
    assert "accounts.session_activity.SessionActivityMiddleware" in middleware
    assert "allauth.usersessions.middleware.UserSessionsMiddleware" not in middleware
