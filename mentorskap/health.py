"""/healthz and /readyz: for load balancers, orchestrators and monitoring.

/healthz says the process is up and answers: it touches neither the
database nor the broker, so a database outage does not get every web
process restarted. /readyz says the service works: the database and the
shared cache answer, the broker takes connections, every migration is
applied, the outbox keeps up (no e-mail more than
MENTORSKAP_READY_MAIL_LATE_SECONDS late) and beat was seen lately.

The checks run on django-health-check (its runner gives every check a time
limit and turns a failure into a logged warning); the database and cache
checks are its own, the rest are ours. The answer names each check with a
status word only, never an error text, a host or a count: the endpoints
need no login, so they must tell an outsider nothing. The reasons go to
the log (logger "health_check").

Both are answered by HealthProbeMiddleware, which stands at the top of
MIDDLEWARE: a probe is not redirected to HTTPS, not checked against
ALLOWED_HOSTS (load balancers call by IP address), opens no session, picks
no language and is never rate-limited. Nothing in the answer depends on the
Host header, so skipping its check exposes nothing.
"""

import asyncio
import dataclasses
import datetime

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from kombu.exceptions import KombuError

from mentorskap.celery import app as celery_app
from outbox.heartbeat import heartbeat_seen_at
from outbox.selectors import mail_late_exists

OK = "ok"
FAILING = "unavailable"
# Beat's heartbeat may wait for a worker busy with a long dispatch run: the
# window is two intervals, and never less than this.
BEAT_WINDOW_FLOOR = datetime.timedelta(seconds=60)


def beat_window() -> datetime.timedelta:
    """How long ago beat must have been seen, at most."""
    return max(datetime.timedelta(seconds=2 * settings.MENTORSKAP_DISPATCH_INTERVAL), BEAT_WINDOW_FLOOR)


class _InRequestThread(HealthCheck):
    """A check that reads the database in the request's own thread, on the
    request's connection (closed or kept by Django as for any request, and
    the one a test's transaction is on). The library would run a plain
    function in a thread of its pool, whose connection nobody closes."""

    async def run(self) -> None:
        await sync_to_async(self.check, thread_sensitive=True)()

    def check(self) -> None:
        raise NotImplementedError


@dataclasses.dataclass
class Migrations(_InRequestThread):
    """Every migration this code has is applied (what `migrate --check` asks)."""

    def check(self) -> None:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise ServiceUnavailable("migrations are not applied")


@dataclasses.dataclass
class OutboxOnTime(_InRequestThread):
    """No e-mail is more than MENTORSKAP_READY_MAIL_LATE_SECONDS past due."""

    def check(self) -> None:
        if mail_late_exists(late_by=datetime.timedelta(seconds=settings.MENTORSKAP_READY_MAIL_LATE_SECONDS)):
            raise ServiceUnavailable("e-mail is late: are the workers and beat running, does SMTP answer?")


@dataclasses.dataclass
class BeatSeen(_InRequestThread):
    """Beat's heartbeat (outbox.beat_heartbeat, or send_due_mail from cron)
    was recorded within two dispatch intervals."""

    def check(self) -> None:
        seen = heartbeat_seen_at()
        if seen is None or timezone.now() - seen > beat_window():
            raise ServiceUnavailable("beat has not been seen: is exactly one beat (or the cron job) running?")


@dataclasses.dataclass
class Broker(HealthCheck):
    """The broker takes a connection. Not whether a worker answers: a ping
    to the workers waits for the slowest, and the outbox check already says
    when nothing is being sent."""

    timeout = datetime.timedelta(seconds=3)

    def run(self) -> None:
        seconds = self.timeout.total_seconds()
        try:
            with celery_app.connection_for_write(connect_timeout=seconds) as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=seconds)
        except (OSError, KombuError) as error:
            raise ServiceUnavailable("the broker does not answer") from error


# The name each check has in the answer.
READY_CHECKS = {
    "database": Database,
    "cache": Cache,
    "broker": Broker,
    "migrations": Migrations,
    "outbox": OutboxOnTime,
    "beat": BeatSeen,
}
NAMES = {check: name for name, check in READY_CHECKS.items()}


class ReadyView(HealthCheckView):
    checks = tuple(READY_CHECKS.values())

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        words = {NAMES[type(result.check)]: FAILING if result.error else OK for result in self.results}
        ready = all(word == OK for word in words.values())
        return _answer(
            request,
            JsonResponse({"status": OK if ready else FAILING, "checks": words}, status=200 if ready else 503),
        )


def healthz(request):
    return _answer(request, HttpResponse(f"{OK}\n", content_type="text/plain; charset=utf-8"))


def _answer(request, response):
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if request.method == "HEAD":
        response.content = b""
    return response


readyz = async_to_sync(ReadyView.as_view())
PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthProbeMiddleware:
    """Answers the probes before the rest of MIDDLEWARE (see the module's
    docstring); every other request goes on as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return probe(request)
