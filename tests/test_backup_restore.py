"""Backup and restore as docs/deploy.md ("Backups and restore") says: a
seeded database dumped with pg_dump --format=custom, dropped, created empty
and restored with pg_restore; the restored database holds the same rows in
every table, its migrations are all applied, and the app (gunicorn in the
production configuration) serves a mentee the same pages as before."""

import os
import re
import shutil
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

from loadtest.stack import BASE_DIR, Stack, collect_static

from .helpers.live_celery import database_url
from .helpers.people import Person
from .helpers.services import require
from .helpers.settings import NOTE_KEY
from .helpers.smtp import free_port

DEMO_PASSWORD = "mentorskap-demo"  # seed_demo's logins


@pytest.fixture
def scratch():
    """A database of its own beside the test database: the one dumped, dropped and restored."""
    require(connection.vendor == "postgresql", "pg_dump needs PostgreSQL: set DATABASE_URL")
    require(shutil.which("pg_dump") and shutil.which("pg_restore"), "pg_dump and pg_restore are needed")
    parts = urlsplit(database_url())
    name = parts.path.lstrip("/") + "_backup"
    admin = urlunsplit(parts._replace(path="/postgres"))

    def sql(statement):
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(statement)

    sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sql(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))
    yield url, sql, name
    sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(url, tmp_path, port):
    return {
        "DJANGO_SETTINGS_MODULE": "mentorskap.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "backup-test-" + "k3y" * 20,
        "MENTORSKAP_NOTE_KEYS": NOTE_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DATABASE_URL": url,
        "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
        "CELERY_BROKER_URL": "memory://",
        "EMAIL_URL": "dummymail://",
        "WEB_HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "SITE_URL": f"http://127.0.0.1:{port}",
    }


def table_digests(url):
    """Each table's row count and a digest of all its rows."""
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        ]
        return {
            table: conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM \"{table}\" t"
            ).fetchone()
            for table in tables
        }


def pages(stack):
    """What the mentee sees: the start page and their mentorship's page."""
    mentee = Person(stack.url, "mentee@example.org", DEMO_PASSWORD).log_in()
    home = mentee.get("/")
    assert home.status_code == 200
    link = re.search(r'href="(/mentorskap/[0-9a-f-]{36}/)"', home.text).group(1)
    detail = mentee.get(link)
    assert detail.status_code == 200
    # The CSRF token differs on every answer; nothing else may.
    return [re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.text) for page in (home, detail)]


def serve(url, tmp_path, port):
    stack = Stack(tmp_path / "logs", production_env(url, tmp_path, port), port)
    stack.web()
    return stack


def test_dump_drop_restore_serves_the_same(scratch, tmp_path):
    url, sql, name = scratch
    port = free_port()
    env = {**os.environ, **production_env(url, tmp_path, port)}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=BASE_DIR, check=True)  # noqa: S603
    subprocess.run([*manage, "seed_demo", "--pairs", "20"], env=env, cwd=BASE_DIR, check=True)  # noqa: S603
    collect_static(env)
    stack = serve(url, tmp_path, port)
    try:
        before = pages(stack)
    finally:
        stack.stop_all()
    # The session the login wrote is data too: digests after the pages.
    digests = table_digests(url)
    assert digests["programs_mentorship"][0] == 22

    dump = tmp_path / "mentorskap.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", url], check=True)  # noqa: S603, S607
    sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    sql(f'CREATE DATABASE "{name}"')
    assert table_digests(url) == {}
    subprocess.run(  # noqa: S603
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url}", str(dump)],  # noqa: S607
        check=True,
    )

    assert table_digests(url) == digests
    check = subprocess.run([*manage, "migrate", "--check"], env=env, cwd=BASE_DIR, capture_output=True, text=True)  # noqa: S603
    assert check.returncode == 0, check.stdout + check.stderr
    subprocess.run([*manage, "cache_clear"], env=env, cwd=BASE_DIR, check=True, capture_output=True)  # noqa: S603
    stack = serve(url, tmp_path, port)
    try:
        assert pages(stack) == before
    finally:
        stack.stop_all()
