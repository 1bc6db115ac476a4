"""/healthz and /readyz: what a load balancer and monitoring get.

Each readiness check is made to fail for real: a migration unapplied, an
e-mail late, beat not seen, the broker at an address where nothing
listens, and the database at one (in a fresh interpreter, as a web process
started against a database that is down would be).
"""

import datetime as dt
import json
import os
import socket
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from mentorskap.health import beat_window
from outbox.heartbeat import heartbeat_record
from outbox.models import Heartbeat, MailStatus
from outbox.tasks import beat_heartbeat_task

from .factories import OutgoingMailFactory
from .helpers.celery import MEMORY_BROKER, use_broker
from .helpers.services import require
from .helpers.settings import BASE_DIR

CHECKS = ["database", "cache", "broker", "migrations", "outbox", "beat"]
NOWHERE = "redis://127.0.0.1:1/0"  # port 1: nothing listens, the connection is refused at once


def ready(client, **extra):
    response = client.get("/readyz", **extra)
    return response.status_code, json.loads(response.content)


def failing(body):
    return [name for name, word in body["checks"].items() if word != "ok"]


@pytest.fixture
def beat_alive(db):
    heartbeat_record()


def test_healthz_answers_without_the_database(client):
    # No db fixture: pytest-django fails the test on any query.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_readyz_is_200_with_a_status_word_for_each_check_and_nothing_else(client, beat_alive):
    status, body = ready(client)
    assert status == 200
    assert body == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_a_load_balancer_calling_by_ip_over_plain_http(client, settings, beat_alive, path):
    """Not redirected to HTTPS, not refused for a host outside ALLOWED_HOSTS."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["mentorskap.example.org"]
    response = client.get(path, HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    # ... while any other page still is
    assert client.get("/konto/login/", HTTP_HOST="10.1.2.3:8000").status_code == 400


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_open_no_session_and_are_not_rate_limited(client, beat_alive, path):
    for _ in range(60):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_take_get_and_head_only(client, beat_alive, path):
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    post = client.post(path)
    assert post.status_code == 405
    assert post["Allow"] == "GET, HEAD"


def test_readyz_is_503_when_a_migration_is_not_applied(client, beat_alive):
    latest = MigrationRecorder.Migration.objects.filter(app="outbox").order_by("-id").first()
    latest.delete()  # undone with the test's transaction
    status, body = ready(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert failing(body) == ["migrations"]


def test_readyz_is_503_when_an_email_is_ten_minutes_late(client, settings, beat_alive):
    assert settings.MENTORSKAP_READY_MAIL_LATE_SECONDS == 600
    OutgoingMailFactory(due_at=timezone.now() - dt.timedelta(minutes=9))
    assert ready(client)[0] == 200
    OutgoingMailFactory(due_at=timezone.now() - dt.timedelta(minutes=10, seconds=5))
    status, body = ready(client)
    assert status == 503
    assert failing(body) == ["outbox"]


def test_an_email_sent_or_failed_long_ago_is_not_late(client, beat_alive):
    long_ago = timezone.now() - dt.timedelta(days=3)
    for status in (MailStatus.SENT, MailStatus.FAILED, MailStatus.CANCELLED, MailStatus.EXPIRED):
        OutgoingMailFactory(due_at=long_ago, status=status)
    assert ready(client)[0] == 200


def test_readyz_is_503_when_a_claimed_email_has_been_stuck_past_its_lease(client, beat_alive):
    now = timezone.now()
    OutgoingMailFactory(due_at=now, status=MailStatus.SENDING, lease_until=now - dt.timedelta(minutes=5))
    assert ready(client)[0] == 200
    OutgoingMailFactory(due_at=now, status=MailStatus.SENDING, lease_until=now - dt.timedelta(minutes=11))
    status, body = ready(client)
    assert status == 503 and failing(body) == ["outbox"]


def test_readyz_is_503_until_beat_has_been_seen(client, db):
    status, body = ready(client)
    assert status == 503
    assert failing(body) == ["beat"]
    heartbeat_record()
    assert ready(client)[0] == 200


def test_readyz_is_503_when_beat_was_last_seen_more_than_two_intervals_ago(client, settings, db):
    settings.MENTORSKAP_DISPATCH_INTERVAL = 60
    assert beat_window() == dt.timedelta(seconds=120)
    Heartbeat.objects.create(name="beat", seen_at=timezone.now() - dt.timedelta(seconds=110))
    assert ready(client)[0] == 200
    Heartbeat.objects.filter(name="beat").update(seen_at=timezone.now() - dt.timedelta(seconds=125))
    status, body = ready(client)
    assert status == 503 and failing(body) == ["beat"]


def test_the_beat_window_is_never_shorter_than_a_minute(settings):
    settings.MENTORSKAP_DISPATCH_INTERVAL = 2
    assert beat_window() == dt.timedelta(seconds=60)


def test_the_heartbeat_is_one_row_however_often_it_is_recorded(db):
    heartbeat_record()
    first = Heartbeat.objects.get().seen_at
    heartbeat_record()
    assert Heartbeat.objects.get().seen_at >= first


def test_beat_schedules_the_heartbeat_at_the_dispatch_interval(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
    assert entry["task"] == "outbox.beat_heartbeat"
    assert entry["schedule"] == settings.MENTORSKAP_DISPATCH_INTERVAL


def test_send_due_mail_from_cron_counts_as_beat_seen(client, db):
    call_command("send_due_mail", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert ready(client)[0] == 200


def test_readyz_is_503_when_the_broker_does_not_answer(client, beat_alive):
    use_broker(NOWHERE)
    try:
        status, body = ready(client)
    finally:
        use_broker(MEMORY_BROKER)
    assert status == 503
    assert failing(body) == ["broker"]
    # and the address of the broker is not in the answer
    assert "6379" not in json.dumps(body) and "127.0.0.1" not in json.dumps(body)


PROBE = """
import django, json
django.setup()
from django.test import Client
client = Client()
for path in ("/healthz", "/readyz"):
    response = client.get(path)
    print(json.dumps([path, response.status_code, response.content.decode()]))
"""


def test_with_the_database_down_readyz_is_503_and_healthz_still_200():
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="mentorskap.settings",
        DATABASE_URL="postgres://mentorskap:secret-pw@127.0.0.1:1/mentorskap",
        CELERY_BROKER_URL="memory://",
        PYTHONDONTWRITEBYTECODE="1",
    )
    completed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    # (the log lines of the failing checks go to standard output too)
    lines = [line for line in completed.stdout.splitlines() if line.startswith('["/')]
    answers = {path: (status, text) for path, status, text in map(json.loads, lines)}
    assert answers["/healthz"] == (200, "ok\n")
    status, text = answers["/readyz"]
    body = json.loads(text)
    assert status == 503
    assert body["checks"]["database"] == "unavailable"
    assert {"migrations", "outbox", "beat"} <= set(failing(body))
    assert "secret-pw" not in text and "127.0.0.1" not in text


def test_readyz_takes_rabbitmq_as_the_broker_too(client, beat_alive):
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=1).close()
        reachable = True
    except OSError:
        reachable = False
    require(reachable, "RabbitMQ is not running on 127.0.0.1:5672")
    use_broker("amqp://guest:guest@127.0.0.1:5672//")
    try:
        status, body = ready(client)
    finally:
        use_broker(MEMORY_BROKER)
    assert status == 200, body


def test_the_heartbeat_task_records_beat_as_seen(client, db):
    assert ready(client)[0] == 503
    beat_heartbeat_task.apply()
    assert ready(client)[0] == 200
