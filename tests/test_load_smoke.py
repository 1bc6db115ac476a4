"""`make load` in small (10 people for 10 seconds), so the load test cannot
rot: the same runner, locustfile and production setup, no errors, every
note saved found in the database. And seed_demo's known password for the
generated people it needs."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from loadtest.stack import BASE_DIR
from programs.models import Program
from sessions.demo_pairs import demo_pairs_add

from .helpers.live_celery import database_url
from .helpers.services import require
from .helpers.smtp import free_port


@pytest.mark.django_db
def test_generated_people_log_in_with_the_password_given(program):
    pairs = demo_pairs_add(program=program, count=3, password="ett-lösenord-för-alla")
    people = [person for pair in pairs for person in (pair.mentee, pair.mentor)]
    assert all(person.check_password("ett-lösenord-för-alla") for person in people)
    assert not demo_pairs_add(program=program, count=1)[0].mentee.has_usable_password()


@pytest.mark.django_db(transaction=True)
def test_a_short_load_run_has_no_errors_and_loses_no_note(tmp_path):
    require(connection.vendor == "postgresql", "the load test runs on PostgreSQL: set DATABASE_URL")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MENTORSKAP_", "CELERY_"))},
        "DATABASE_URL": database_url(),  # pytest-django's test database, emptied afterwards
        "LOAD_USERS": "10",
        "LOAD_DURATION": "10s",
        "LOAD_SPAWN_RATE": "10",
        "WEB_CONCURRENCY": "2",
        "LOAD_WEB_PORT": str(free_port()),
        "LOAD_SMTP_PORT": str(free_port()),
        "LOAD_REDIS_PORT": str(free_port()),
        "LOAD_DIR": str(tmp_path),
    }
    completed = subprocess.run(  # noqa: S603 - our own runner
        [sys.executable, "-m", "loadtest"], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-5000:]
    assert "of them missing in the database: 0; errors: 0" in completed.stdout
    assert Program.objects.filter(name="Ledarskap i föreningslivet 2026").exists()
