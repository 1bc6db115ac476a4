"""Role fixtures: the pair's mentee and mentor, a coordinator of that
program, a coordinator of another program, an outsider, and anonymous."""

import os

import pytest

from .factories import MentorshipFactory, ProgramFactory, UserFactory

IN_CI = bool(os.environ.get("CI"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failure: a missing service or browser must
    not pass as green."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, which must run every test: {report.longrepr}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests log in hundreds of times; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth keeps its rate-limit counts in the cache: each test starts at zero."""
    from django.core.cache import cache

    cache.clear()


# A fixed moment, so a TOTP code computed in a test is valid when the server checks it.
FROZEN = 1_900_000_000.0


@pytest.fixture
def frozen_totp_clock():
    import types
    from unittest import mock

    with mock.patch("allauth.mfa.totp.internal.auth.time", types.SimpleNamespace(time=lambda: FROZEN)):
        yield


@pytest.fixture
def english(settings):
    """Messages compared in English, the source language; the Swedish
    catalogue is tested on its own (test_translations.py)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def require(condition, reason):
    """Skip locally when a service or browser is missing; in CI that fails."""
    if not condition:
        if IN_CI:
            pytest.fail(f"CI must run this test, but: {reason}")
        pytest.skip(reason)


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
def client_for(client):
    """client_for(user) -> a test client logged in as user (None: anonymous)."""

    def make(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return make
