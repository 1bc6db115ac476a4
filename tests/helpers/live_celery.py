"""A real Celery worker and beat (subprocesses) for the delivery tests, kept
for a whole test module: starting a worker costs seconds, a test needs
milliseconds of it.

Between tests the processes are stopped with SIGSTOP, so each test starts
with "no worker is running" as if none had been started, and resumes
(SIGCONT) the ones it needs at the moment it would have started them. A
process a test kills (a worker dying mid-send) is started for that test only.

The processes read pytest-django's test database (its name is passed in
DATABASE_URL), so the tests use transactional_db: what a test writes is
committed and visible to them, and the tables are emptied after each test.
Before they are, `quiesce` waits until nothing is being sent, so no e-mail of
one test reaches the SMTP server during the next.

Each Cluster has a queue of its own on the broker (tests/helpers/celery.py):
the delivery modules run at the same time under xdist, and a test that needs
a worker with other settings starts a Cluster of its own beside the module's.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone

from mentorskap.celery import app as celery_app
from outbox.models import MailStatus, OutgoingMail

WAIT = 90  # seconds: an upper bound for slow machines, never a measurement
LEASE_SECONDS = 6
MAX_ATTEMPTS = 3
SHARED = ("worker", "worker-b")  # the workers kept for the module, by name
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def wait_until(condition, what, timeout=WAIT, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    detail = log.read_text(errors="replace")[-3000:] if log else ""
    raise AssertionError(f"timed out waiting for {what}\n{detail}")


def database_url():
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def settled():
    """Nothing due is left to send, and nothing is being sent."""
    busy = OutgoingMail.objects.filter(status=MailStatus.SENDING).exists()
    due = OutgoingMail.objects.filter(status=MailStatus.PENDING, due_at__lte=timezone.now()).exists()
    return not busy and not due


def wait_settled(extra_ticks=3):
    """Wait until the outbox is settled, then let beat run the dispatcher a few
    more times: a duplicate would show up then."""
    wait_until(settled, "the outbox to settle")
    time.sleep(extra_ticks * 1.0)
    wait_until(settled, "the outbox to settle again")


def addresses(messages):
    return sorted(m["To"].addresses[0].addr_spec for m in messages)


def in_days(days, hour=17):
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM)


class Cluster:
    """The worker and beat processes of one test module, or of one test
    that needs other settings: `env` is added to (a value of None removes a
    setting, so the project's default applies)."""

    def __init__(self, tmp_path, smtp, broker_url, env=None):
        self.tmp_path = tmp_path
        self.smtp = smtp
        self.queue = f"live-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.shared = {}  # name -> process, kept until the module ends
        self.own = []  # processes of the running test only
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mentorskap.settings",
            "DATABASE_URL": database_url(),  # pytest-django's test database
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_URL": smtp.url,
            "EMAIL_TIMEOUT": "20",
            "MENTORSKAP_DISPATCH_INTERVAL": "1",
            "MENTORSKAP_NUDGE_INTERVAL": "3600",
            "MENTORSKAP_MAIL_LEASE_SECONDS": str(LEASE_SECONDS),
            "MENTORSKAP_MAIL_RETRY_SECONDS": "1",
            "MENTORSKAP_MAIL_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
            "SITE_URL": settings.SITE_URL,
            "PYTHONUNBUFFERED": "1",
            "LIVE_TEST_QUEUE": self.queue,
        }
        for key, value in (env or {}).items():
            if value is None:
                self.env.pop(key, None)
            else:
                self.env[key] = value

    # --- what a test calls ---------------------------------------------------

    def worker(self, name="worker"):
        """A running worker: a shared one resumed (or started the first
        time), any other name started for this test."""
        if name in SHARED:
            return self._shared(name, self._worker_args(name), ready="ready.")
        process = self._start(name, *self._worker_args(name), ready="ready.")
        self.own.append(process)
        return process

    def beat(self):
        args = (
            "beat",
            "--loglevel=INFO",
            f"--schedule={self.tmp_path / 'beat-schedule'}",
            f"--pidfile={self.tmp_path / 'beat.pid'}",
        )
        return self._shared("beat", args, ready="beat: Starting")

    def kill(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    # --- between tests -------------------------------------------------------

    def pause(self):
        """No worker or beat runs, as before a test starts any."""
        for process in self.shared.values():
            os.killpg(process.pid, signal.SIGSTOP)

    def resume(self):
        for process in self.shared.values():
            os.killpg(process.pid, signal.SIGCONT)

    def quiesce(self):
        """Let every e-mail being sent finish, and none start: the rows still
        waiting are put off, so the next test's SMTP server hears nothing of
        this one. Rows can go sending -> pending (a failure) at any moment, so
        quiet means: none sending, then none due, then still none sending."""
        self.smtp.handler.released.set()
        self.resume()

        def quiet():
            sending = OutgoingMail.objects.filter(status=MailStatus.SENDING)
            if sending.exists():
                return False
            pending = OutgoingMail.objects.filter(status=MailStatus.PENDING)
            due = pending.filter(due_at__lte=timezone.now() + dt.timedelta(seconds=5)).count()
            pending.update(due_at=timezone.now() + dt.timedelta(days=365))
            return not due and not sending.exists()

        wait_until(quiet, "the workers to finish sending")

    def stop_own(self):
        stop(self.own)
        self.own = []

    def stop_all(self):
        self.resume()
        stop([*self.own, *self.shared.values()])
        self._forget_queue()

    def queued(self):
        """How many tasks wait in this cluster's queue."""
        with celery_app.connection_for_read() as connection:
            return connection.default_channel.client.llen(self.queue)

    def logs(self):
        processes = [*self.shared.values(), *self.own]
        return "\n".join(f"--- {p.log.name}\n{p.log.read_text(errors='replace')[-4000:]}" for p in processes)

    def _forget_queue(self):
        """Remove the queue and kombu's bindings of it from Redis: the name is
        never used again. (queue_delete would remove only the bindings this
        connection declared, which are none.)"""
        with celery_app.connection_for_write() as connection:
            client = connection.default_channel.client
            client.delete(self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}")

    # --- processes -----------------------------------------------------------

    def _worker_args(self, name):
        return (
            "worker",
            "--loglevel=INFO",
            "--concurrency=2",
            "--pool=prefork",
            f"--hostname=h5-{name}-{self.queue}@%h",
            "--without-mingle",
            "--without-gossip",
            f"--queues={self.queue}",
        )

    def _shared(self, name, args, ready):
        process = self.shared.get(name)
        if process is None:
            process = self.shared[name] = self._start(name, *args, ready=ready)
        else:
            os.killpg(process.pid, signal.SIGCONT)
        return process

    def _start(self, name, *args, ready):
        log = self.tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.helpers.worker_app", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a signal reaches the pool too
        )
        process.log = log
        wait_until(lambda: ready in log.read_text(errors="replace"), f"{name} to start", log=log)
        return process


def stop(processes):
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
