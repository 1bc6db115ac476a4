"""Role fixtures: the pair's mentee and mentor, a coordinator of that
program, a coordinator of another program, an outsider, and anonymous. And
the live Celery fixtures of the delivery test modules (one worker, beat and
SMTP server per module: tests/helpers/live_celery.py)."""

import datetime as dt
import types
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from sessions.models import MeetingStatus, ReminderItem

from .factories import AgreementFactory, MeetingFactory, MentorshipFactory, ProgramFactory, UserFactory
from .helpers.accounts import FROZEN
from .helpers.celery import MEMORY_BROKER, REAL_BROKER_URL, use_broker, use_queue
from .helpers.live_celery import Cluster
from .helpers.services import IN_CI, require
from .helpers.smtp import SMTPServer


def flushes_the_database(item):
    """A transactional test empties every table afterwards, the rows the
    migrations wrote (the focus areas) included."""
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    return bool(transactional) or bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """pytest-django runs the transactional tests after the others, since
    they empty the tables. Under xdist each file goes to one process
    (--dist loadfile), in order of first appearance: so every file with a
    transactional test goes after all files without, or a process would run
    a file that needs the migrations' rows after another file emptied them.
    The delivery tests lead those files: they mostly wait for their worker,
    so the other process gets through the browser tests meanwhile."""
    flushing = {item.path for item in items if flushes_the_database(item)}
    items.sort(key=lambda item: (item.path in flushing, item.get_closest_marker("celery") is None))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failure: a missing service or browser must
    not pass as green."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, which must run every test: {report.longrepr}"


@pytest.fixture(scope="session", autouse=True)
def _memory_broker():
    """No test needs a broker but the delivery tests, which set their own:
    a kick to the dispatcher stays in this process."""
    use_broker(MEMORY_BROKER)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests log in hundreds of times; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth keeps its rate-limit counts in the cache: each test starts at zero."""
    cache.clear()


@pytest.fixture
def frozen_totp_clock():
    with mock.patch("allauth.mfa.totp.internal.auth.time", types.SimpleNamespace(time=lambda: FROZEN)):
        yield


@pytest.fixture
def english(settings):
    """Messages compared in English, the source language; the Swedish
    catalogue is tested on its own (test_translations.py)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def program(db):
    return ProgramFactory(name="Ledarskap 2026")


@pytest.fixture
def other_program(db):
    return ProgramFactory(name="Föreningar i samverkan")


@pytest.fixture
def mentee(db):
    return UserFactory(email="mentee@example.org", name="Maja Mentee")


@pytest.fixture
def mentor(db):
    return UserFactory(email="mentor@example.org", name="Erik Mentor")


@pytest.fixture
def mentorship(program, mentee, mentor):
    return MentorshipFactory(program=program, mentee=mentee, mentor=mentor)


@pytest.fixture
def other_mentorship(program):
    """Another pair in the same program."""
    return MentorshipFactory(program=program)


@pytest.fixture
def coordinator(program):
    user = UserFactory(email="koordinator@example.org", name="Karin Koordinator", is_staff=True)
    program.coordinators.add(user)
    return user


@pytest.fixture
def other_coordinator(other_program):
    user = UserFactory(email="annan.koordinator@example.org", name="Olle Annan", is_staff=True)
    other_program.coordinators.add(user)
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(email="utomstaende@example.org", name="Ulla Utomstående")


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def held_meeting(mentorship):
    """Meeting 2, just past, after meeting 1 left two things to remember."""
    AgreementFactory(mentorship=mentorship, summary="Vi började.")
    first = MeetingFactory(mentorship=mentorship, number=1, status=MeetingStatus.HELD, starts_at=None, ends_at=None)
    ReminderItem.objects.create(meeting=first, text="Läsa stadgarna")
    ReminderItem.objects.create(meeting=first, text="Ringa kassören")
    past = timezone.now() - dt.timedelta(days=1)
    return MeetingFactory(mentorship=mentorship, number=2, starts_at=past, ends_at=past + dt.timedelta(hours=1))


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as user (None: anonymous)."""

    def make(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def postgres():
    """For the tests that make a race happen with row locks."""
    require(connection.vendor == "postgresql", "row locks need PostgreSQL: set DATABASE_URL")


# --- the live Celery tests (test_celery_delivery*.py) -------------------------
# Module-scoped: each module that uses them gets its own worker, beat, SMTP
# server and queue. Other modules have an `smtp` fixture of their own (Django's
# SMTP backend pointed at a server of the test), which takes precedence there.


@pytest.fixture(scope="module")
def services():
    require(connection.vendor == "postgresql", "the worker shares the database: set DATABASE_URL to PostgreSQL")
    require(
        REAL_BROKER_URL.startswith("redis://"),
        "a real broker is needed: set CELERY_BROKER_URL=redis://127.0.0.1:6379/<n>",
    )
    use_broker(REAL_BROKER_URL)
    yield
    use_broker(MEMORY_BROKER)


@pytest.fixture(scope="module")
def smtp_server(services):
    with SMTPServer() as server:
        yield server


@pytest.fixture(scope="module")
def cluster(services, smtp_server, django_db_setup, tmp_path_factory):
    runner = Cluster(tmp_path_factory.mktemp("celery"), smtp_server, REAL_BROKER_URL)
    use_queue(runner.queue)  # what the tests send goes to this module's worker
    yield runner
    runner.stop_all()
    use_queue(None)


@pytest.fixture
def smtp(smtp_server):
    smtp_server.handler.reset()
    return smtp_server


@pytest.fixture
def live(cluster, smtp, transactional_db):
    cluster.pause()
    yield cluster
    try:
        cluster.quiesce()
    finally:
        cluster.stop_own()
        print(cluster.logs())  # shown by pytest when the test failed
