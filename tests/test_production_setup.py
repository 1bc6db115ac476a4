"""The production setup, started from the Procfile (gunicorn with 2 workers,
2 Celery workers, beat) against PostgreSQL, a redis-server of the test's own
as broker and a local SMTP server: a mentee books a meeting over HTTP and the
invitations arrive; a Celery worker is killed in the middle of an e-mail and
a gunicorn worker while more bookings come in, and a second beat is started
by mistake: every e-mail arrives once (each Message-ID once, as many as the
outbox says it sent). /healthz and /readyz answer, and /readyz says 503
while the broker is stopped and 200 when it is back.

Bounded in time: every wait polls with a deadline (loadtest.stack.WAIT)."""

import datetime as dt
import json
import os
import signal
import threading
from collections import Counter

import pytest
import redis as redis_client
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from accounts.models import User
from loadtest.stack import RedisServer, Stack, collect_static, gunicorn_workers, http_status, socket_owner, wait_until
from outbox.models import MailStatus, OutgoingMail
from outbox.render import message_id
from sessions.mail_kinds import SessionMail
from sessions.models import Meeting

from .factories import MentorshipFactory, ProgramFactory, UserFactory
from .helpers.live_celery import database_url
from .helpers.people import Person, production_hash
from .helpers.services import require
from .helpers.settings import NOTE_KEY
from .helpers.smtp import Recorder, SMTPServer, free_port

CACHE_URL = "redis://127.0.0.1:6379/9"  # the shared Redis: only the broker is stopped below
PAIRS = 7

pytestmark = pytest.mark.django_db(transaction=True)


class PeerRecorder(Recorder):
    """Also notes who is held before MAIL FROM: which process is sending."""

    def reset(self, refuse=()):
        super().reset(refuse)
        self.held_peers = []

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if not self.released.is_set():
            self.held_peers.append(session.peer)
        return await super().handle_MAIL(server, session, envelope, address, mail_options)


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    server.handler = PeerRecorder()
    server.controller = Controller(server.handler, hostname="127.0.0.1", port=server.port)
    with server:
        yield server


@pytest.fixture
def stack(tmp_path, smtp_server):
    require(connection.vendor == "postgresql", "the processes share the database: set DATABASE_URL to PostgreSQL")
    redis = RedisServer(free_port(), tmp_path).start()
    web_port = free_port()
    env = {
        "DJANGO_SETTINGS_MODULE": "mentorskap.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "production-test-" + "s3cr3t" * 8,
        "MENTORSKAP_NOTE_KEYS": NOTE_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{web_port}",
        # Plain HTTP on loopback: no TLS proxy in front.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis.url(0),
        "CACHE_URL": CACHE_URL,
        "EMAIL_URL": smtp_server.url,
        "WEB_HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "CELERY_CONCURRENCY": "2",
        "BEAT_SCHEDULE": str(tmp_path / "beat-schedule"),
        # Seconds, so the test is short: a claimed e-mail of a killed worker
        # comes back after the lease (more than twice 8 answers of 2 s).
        "MENTORSKAP_DISPATCH_INTERVAL": "1",
        "EMAIL_TIMEOUT": "2",
        "MENTORSKAP_MAIL_LEASE_SECONDS": "36",
        "MENTORSKAP_MAIL_RETRY_SECONDS": "1",
        "MENTORSKAP_MAIL_MAX_BACKOFF_SECONDS": "2",
        "DJANGO_LOG_LEVEL": "INFO",
    }
    runner = Stack(tmp_path / "logs", env, web_port)
    runner.redis = redis
    redis_client.Redis.from_url(CACHE_URL).flushdb()  # no rate-limit counts of an earlier run
    collect_static(runner.env)
    try:
        yield runner
    finally:
        smtp_server.handler.released.set()
        runner.stop_all()
        redis.stop()
        print(runner.logs())  # shown by pytest when the test failed


def pairs(count):
    program = ProgramFactory(name="Ledarskap i produktion")
    made = [MentorshipFactory(program=program, mentee=UserFactory(), mentor=UserFactory()) for _ in range(count)]
    User.objects.filter(pk__in=[m.mentee_id for m in made]).update(password=production_hash())
    return made


def book(stack, mentorship, days):
    """The mentee logs in and books a meeting `days` ahead at 18:00."""
    person = Person(stack.url, mentorship.mentee.email).log_in()
    day = timezone.localdate() + dt.timedelta(days=days)
    response = person.post(
        f"/mentorskap/{mentorship.public_id}/boka/",
        {"date": day.isoformat(), "start_time": "18:00", "end_time": "19:30", "location": "Föreningshuset"},
    )
    assert response.status_code == 302, (response.status_code, response.text[-3000:])
    return response


def invitations():
    return OutgoingMail.objects.filter(kind=SessionMail.MEETING_BOOKED)


def all_sent():
    """Every invitation is out (a retried one may wait with its due time ahead)."""
    return not invitations().exclude(status=MailStatus.SENT).exists()


def test_production_setup(stack, smtp_server):
    made = pairs(PAIRS)
    web = stack.web()
    assert len(gunicorn_workers(web)) == 2
    workers = [stack.worker(), stack.worker()]
    stack.beat()

    # Health: the process answers; everything is ready once beat was seen.
    assert http_status(stack.url + "/healthz")[0] == 200
    wait_until(lambda: http_status(stack.url + "/readyz")[0] == 200, "/readyz to say ready", logs=[web.log])

    # A booking over HTTP; both invitations arrive.
    book(stack, made[0], days=7)
    received = smtp_server.handler.wait_for(2, timeout=60)
    assert sorted(m["To"].addresses[0].addr_spec for m in received) == sorted(
        [made[0].mentee.email, made[0].mentor.email]
    )
    assert all(m["Subject"] for m in received)

    # A second beat, started by mistake, runs from now on.
    stack.beat(BEAT_SCHEDULE=str(stack.logdir / "second-beat-schedule"))

    # The SMTP server holds every conversation: a worker is caught mid-send.
    smtp_server.handler.released.clear()
    errors = []

    def book_the_rest():
        try:
            for i, mentorship in enumerate(made[1:]):
                book(stack, mentorship, days=8 + i)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    bookings = threading.Thread(target=book_the_rest)
    bookings.start()

    def sending_worker():
        """The worker holding a conversation with the SMTP server now (each
        held one times out after EMAIL_TIMEOUT and opens another)."""
        for _host, port in reversed(smtp_server.handler.held_peers):
            for worker in workers:
                if socket_owner(port, worker.descendants()):
                    return worker
        return None

    found = []
    wait_until(
        lambda: found.append(sending_worker()) or found[-1], "a worker caught sending", logs=[w.log for w in workers]
    )
    found[-1].kill()
    # And one of gunicorn's workers while the bookings go on.
    os.kill(gunicorn_workers(web)[0], signal.SIGKILL)
    smtp_server.handler.released.set()
    bookings.join(timeout=120)
    assert not bookings.is_alive()
    assert errors == []
    wait_until(lambda: len(gunicorn_workers(web)) == 2, "gunicorn to replace its worker")

    # Everything due is sent: the killed worker's claim is taken over after its lease.
    booked = Meeting.objects.filter(mentorship__in=made).count()
    assert booked == PAIRS
    wait_until(all_sent, "every due e-mail to be sent", timeout=120, logs=[p.log for p in stack.processes])
    assert invitations().count() == 2 * PAIRS
    sent = list(OutgoingMail.objects.filter(status=MailStatus.SENT))
    assert len(sent) == 2 * PAIRS  # the invitations; the reminders are due later
    wait_until(lambda: len(smtp_server.handler.messages) >= len(sent), "the last e-mails to arrive")
    ids = Counter(m["Message-ID"] for m in smtp_server.handler.parsed())
    assert ids == Counter(message_id(row) for row in sent), "an e-mail lost or sent twice"
    assert any(row.attempts > 1 for row in sent), "no e-mail was taken over from the killed worker"

    # /readyz: 503 while the broker is stopped, 200 when it is back.
    stack.redis.stop()
    wait_until(lambda: http_status(stack.url + "/readyz")[0] == 503, "/readyz to say not ready")
    status, body = http_status(stack.url + "/readyz")
    checks = json.loads(body)["checks"]
    assert checks["broker"] == "unavailable"
    assert checks["database"] == checks["cache"] == "ok"
    assert http_status(stack.url + "/healthz")[0] == 200
    stack.redis.start()
    wait_until(lambda: http_status(stack.url + "/readyz")[0] == 200, "/readyz to be ready again")
