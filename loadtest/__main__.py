"""`make load`: the load test against the production setup on this machine.

1. Migrates the database in DATABASE_URL (PostgreSQL, one the test may fill)
   and seeds LOAD_USERS pairs more (`seed_demo --pairs`) whose people log in
   with a known password.
2. Starts the Procfile's web (WEB_CONCURRENCY gunicorn workers), a Celery
   worker and beat, with production settings, on a redis-server of its own
   (broker and cache), e-mail to a local SMTP server that keeps nothing.
3. Runs locust (loadtest/locustfile.py): LOAD_USERS simulated mentees for
   LOAD_DURATION, each logging in and then reading their mentorship page and
   saving notes, with 1-3 s to think between.
4. Reports requests per second, p50 and p95 (in all and per step) and the
   errors, and checks that every note a person saved is in the database.
   Exits non-zero on any error or any note missing.

Environment (all optional but DATABASE_URL): LOAD_USERS (200), LOAD_DURATION
(2m), LOAD_SPAWN_RATE (10 a second), LOAD_WAIT_MIN/LOAD_WAIT_MAX (1/3 s),
WEB_CONCURRENCY (4), LOAD_WEB_PORT (8720), LOAD_REDIS_PORT (8795),
LOAD_SMTP_PORT (8721), LOAD_DIR (var/load).
"""

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import django
from cryptography.fernet import Fernet

from .stack import BASE_DIR, BIN, RedisServer, Stack, collect_static, http_status, wait_until

PASSWORD = "mentorskap-load-test"
PROGRAM = "Ledarskap i föreningslivet 2026"  # where seed_demo adds its pairs


def main():
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("make load needs DATABASE_URL=postgres://... (a database the load test may fill).")
    users = int(os.environ.get("LOAD_USERS", "200"))
    duration = os.environ.get("LOAD_DURATION", "2m")
    spawn_rate = os.environ.get("LOAD_SPAWN_RATE", "10")
    web_port = int(os.environ.get("LOAD_WEB_PORT", "8720"))
    smtp_port = int(os.environ.get("LOAD_SMTP_PORT", "8721"))
    workdir = Path(os.environ.get("LOAD_DIR", BASE_DIR / "var" / "load"))
    workdir.mkdir(parents=True, exist_ok=True)
    redis = RedisServer(int(os.environ.get("LOAD_REDIS_PORT", "8795")), workdir)
    env = production_env(database_url, redis, web_port, smtp_port)
    env["WEB_CONCURRENCY"] = os.environ.get("WEB_CONCURRENCY", "4")
    env["BEAT_SCHEDULE"] = str(workdir / "beat-schedule")  # beat's own file, beside the run's other files

    manage = [str(BIN / "python"), "manage.py"]
    run = {"env": {**os.environ, **env}, "cwd": BASE_DIR, "check": True}
    # The cache is up before the seeding: every write renews a program's cached figures there.
    redis.start()
    try:
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], **run)  # noqa: S603
        # Of the generated pairs one in ten has ended (read-only), one in ten has
        # stalled after its first meeting and one in twenty is still invited:
        # about three in four have the meeting after the first that the test needs.
        subprocess.run([*manage, "seed_demo", "--pairs", str(users + users // 2 + 1), "--password", PASSWORD], **run)  # noqa: S603
    except BaseException:
        redis.stop()
        raise
    people = people_of_the_test(env, users)
    people_file = workdir / "people.json"
    people_file.write_text(json.dumps(people))
    collect_static(run["env"])

    smtp = subprocess.Popen(  # noqa: S603 - a sink: the test reads nothing it is sent
        [str(BIN / "python"), "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}", "-c", "aiosmtpd.handlers.Sink"],
        cwd=BASE_DIR,
    )
    stack = Stack(workdir / "logs", env, web_port)
    try:
        stack.web()
        stack.worker()
        stack.beat()
        wait_until(
            lambda: http_status(stack.url + "/readyz")[0] == 200, "/readyz", logs=[p.log for p in stack.processes]
        )
        markers_file = workdir / "markers.json"
        started = time.monotonic()
        locust = subprocess.run(  # noqa: S603 - the pinned locust
            [
                str(BIN / "locust"),
                "-f",
                str(BASE_DIR / "loadtest" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                spawn_rate,
                "--run-time",
                duration,
                "--host",
                stack.url,
                "--csv",
                str(workdir / "stats"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={
                **os.environ,
                "LOAD_PEOPLE": str(people_file),
                "LOAD_PASSWORD": PASSWORD,
                "LOAD_MARKERS": str(markers_file),
            },
            cwd=BASE_DIR,
        )
        elapsed = time.monotonic() - started
    finally:
        stack.stop_all()
        redis.stop()
        smtp.terminate()
        smtp.wait(timeout=30)
    saved = json.loads(markers_file.read_text())
    missing = markers_missing(env, saved)
    ok = report(workdir / "stats_stats.csv", users, duration, elapsed, saved, missing, env["WEB_CONCURRENCY"])
    sys.exit(0 if ok and locust.returncode == 0 else 1)


def production_env(database_url, redis, web_port, smtp_port):
    """Production settings as shipped; plain HTTP on loopback (no TLS proxy):
    no redirect to https, cookies not marked Secure. The login rate limits
    are production's: each simulated person has an address of their own."""
    return {
        "DJANGO_SETTINGS_MODULE": "mentorskap.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "load-test-only-" + os.urandom(24).hex(),
        "MENTORSKAP_NOTE_KEYS": Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{web_port}",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "CELERY_BROKER_URL": redis.url(0),
        "CACHE_URL": redis.url(1),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "WEB_HOST": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "BEAT_SCHEDULE": str(BASE_DIR / "var" / "load" / "beat-schedule"),
    }


def _django(env):
    os.environ.update(env)
    django.setup()


def people_of_the_test(env, users):
    """`users` mentees with a password, each with a meeting after the first
    whose notes they may write (an active pair, a meeting held)."""
    _django(env)
    from django.db.models import Max

    from programs.models import MentorshipStatus
    from sessions.models import Meeting, MeetingStatus

    meetings = (
        Meeting.objects.filter(
            mentorship__program__name=PROGRAM,
            mentorship__status=MentorshipStatus.ACTIVE,
            mentorship__mentee__password__startswith="pbkdf2",
            status=MeetingStatus.HELD,
            number__gte=2,
        )
        .values("mentorship_id")
        .annotate(latest=Max("number"))
        .order_by("-mentorship_id")[:users]
    )
    chosen = {row["mentorship_id"]: row["latest"] for row in meetings}
    rows = Meeting.objects.filter(mentorship_id__in=chosen).select_related("mentorship__mentee")
    people = [
        {
            "email": m.mentorship.mentee.email,
            "mentorship": str(m.mentorship.public_id),
            "meeting": str(m.public_id),
        }
        for m in rows
        if m.number == chosen[m.mentorship_id]
    ]
    if len(people) < users:
        sys.exit(f"only {len(people)} people to simulate, {users} asked for")
    return people


def markers_missing(env, saved):
    from sessions.models import Meeting

    summaries = dict(Meeting.objects.filter(public_id__in={m for m, _ in saved}).values_list("public_id", "summary"))
    return [(m, marker) for m, marker in saved if marker not in summaries.get(_uuid(m), "")]


def _uuid(text):
    import uuid

    return uuid.UUID(text)


def report(stats_csv, users, duration, elapsed, saved, missing, web_workers):
    with open(stats_csv) as stats:  # noqa: PTH123
        rows = list(csv.DictReader(stats))
    print(f"\nLoad test: {users} simulated people for {duration} ({elapsed:.0f} s), {web_workers} gunicorn workers")
    print(f"{'step':<18} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>8}")
    for row in rows:
        print(
            f"{row['Name']:<18} {row['Request Count']:>9} {row['Failure Count']:>7} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['95%']:>7} {float(row['Max Response Time']):>8.0f}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    errors = int(total["Failure Count"])
    print(f"notes saved: {len(saved)}, of them missing in the database: {len(missing)}; errors: {errors}")
    return errors == 0 and not missing and saved


if __name__ == "__main__":
    main()
