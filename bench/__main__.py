"""`python -m bench` (or `make bench`): the outbox's numbers on this machine.

1. Dispatch throughput: 10,000 due reminders sent by one dispatcher (the code
   a Celery worker runs) to a local SMTP server (aiosmtpd), in e-mails per
   second.
2. The dispatcher's scan on PostgreSQL: 1,000,000 meetings with one outbox
   row each, of which 1,000 are due. Prints the claim query's EXPLAIN (it
   must use the partial index outbox_pending_due, so the cost follows the
   due rows, not the table) and the time to find nothing and to claim 1,000.
   Needs DATABASE_URL=postgres://...; without it this part is skipped.

3. The pages at 10,000 pairs and 50,000 meetings in one program (and 100
   small programs around it), served by gunicorn in the production
   configuration and timed with concurrent requests on loopback: p50, p95,
   requests per second and bytes of each page as a ratio to a trivial view
   served in the same run (bench/pages.py); written to var/bench.json.
   Needs PostgreSQL and Redis (BENCH_CACHE_URL, default db 15).

BENCH_PARTS=pages (or throughput, scan; comma-separated) runs only those.

Each time is also given as a ratio to a trivial Django view timed in the same
run, so numbers from different machines can be compared. Everything runs in a
throwaway test database (test_<name>), created and dropped here.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorskap.settings")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from aiosmtpd.controller import Controller  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.pages import bench_pages  # noqa: E402

EMAILS = int(os.environ.get("BENCH_EMAILS", 10_000))
MEETINGS = 1_000_000
DUE = 1_000
PAIRS = 1_000
TRIVIAL_REQUESTS = 2_000
PARTS = os.environ.get("BENCH_PARTS", "throughput,pages,scan").split(",")


class CountingHandler:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def trivial_view_seconds():
    """Mean time of one request to a view that returns "ok", through the
    project's whole middleware stack."""
    client = Client()
    with override_settings(ROOT_URLCONF="bench.urls"):
        for _ in range(100):
            client.get("/ping/")
        started = time.perf_counter()
        for _ in range(TRIVIAL_REQUESTS):
            client.get("/ping/")
        return (time.perf_counter() - started) / TRIVIAL_REQUESTS


def people_and_pairs(count, tag):
    from accounts.models import User
    from programs.models import Mentorship, MentorshipStatus, Program

    program = Program.objects.create(name=f"Bench {time.time()}", kind="individuals", starts_on=timezone.localdate())
    users = User.objects.bulk_create(
        [User(email=f"{tag}{i}@example.org", name=f"Person {i}", password="!") for i in range(2 * count)]
    )
    return program, Mentorship.objects.bulk_create(
        [
            Mentorship(program=program, mentee=users[2 * i], mentor=users[2 * i + 1], status=MentorshipStatus.ACTIVE)
            for i in range(count)
        ]
    )


def bench_throughput(trivial):
    from outbox.dispatch import dispatch_due_mail
    from outbox.models import MailStatus, OutgoingMail
    from sessions.mail_kinds import SessionMail
    from sessions.models import Meeting

    print(f"\n== Dispatch throughput: {EMAILS:,} due reminders, one dispatcher, local SMTP ==")
    _program, pairs = people_and_pairs(100, "mail")
    starts = timezone.now() + timedelta(days=2)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(mentorship=m, number=1, starts_at=starts, ends_at=starts + timedelta(hours=1), location="Rum 1")
            for m in pairs
        ]
    )
    due = timezone.now() - timedelta(minutes=1)
    rows = []
    for i in range(EMAILS):
        meeting = meetings[i % len(meetings)]
        person = meeting.mentorship.mentee if i % 2 else meeting.mentorship.mentor
        rows.append(
            OutgoingMail(
                recipient=person,
                kind=SessionMail.MEETING_REMINDER,
                mentorship=meeting.mentorship,
                meeting=meeting,
                meeting_sequence=0,
                context={"lead": "hours:2"},
                due_at=due,
            )
        )
    OutgoingMail.objects.bulk_create(rows, batch_size=2000)

    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }
        with override_settings(**smtp):
            started = time.perf_counter()
            total = 0
            while True:
                sent = dispatch_due_mail()[MailStatus.SENT]
                if not sent:
                    break
                total += sent
            elapsed = time.perf_counter() - started
    finally:
        controller.stop()
    assert total == EMAILS == handler.count, (total, handler.count)
    per_email = elapsed / EMAILS
    print(f"sent {total:,} e-mails in {elapsed:.1f} s: {EMAILS / elapsed:,.0f} e-mails/s")
    print(f"one e-mail: {per_email * 1000:.2f} ms = {per_email / trivial:.1f} x the trivial view")


def bench_scan(trivial):
    from outbox.dispatch import mail_claim_due
    from outbox.models import MailStatus, OutgoingMail

    print(f"\n== Dispatcher scan: {MEETINGS:,} meetings on PostgreSQL, {DUE:,} e-mails due ==")
    if connection.vendor != "postgresql":
        print("skipped: needs PostgreSQL. Run with DATABASE_URL=postgres://user@host:5432/dbname make bench")
        return
    program, pairs = people_and_pairs(PAIRS, "scan")
    started = time.perf_counter()
    first_pair = pairs[0].pk
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        # One meeting per number per pair: 1,000 pairs x 1,000 meetings, spread
        # from a year ago to a year ahead. Generated in the database: fast.
        cursor.execute(
            """
            INSERT INTO mentoring_sessions_meeting
              (public_id, mentorship_id, number, starts_at, ends_at, location, status,
               reflection, summary, version, sequence, created_at, updated_at)
            SELECT gen_random_uuid(), %(first)s + (g %% %(pairs)s), 1 + g / %(pairs)s,
                   now() - interval '365 days' + (g * interval '730 days' / %(n)s),
                   now() - interval '365 days' + (g * interval '730 days' / %(n)s) + interval '1 hour',
                   'Rum 1', 'booked', '', '', 0, 0, now(), now()
            FROM generate_series(0, %(n)s - 1) AS g
            """,
            {"first": first_pair, "pairs": PAIRS, "n": MEETINGS},
        )
        # One reminder per meeting, due 2 hours before it: those of past
        # meetings are sent, the rest pending in the future...
        cursor.execute(
            """
            INSERT INTO mentoring_sessions_outgoingmail
              (recipient_id, kind, mentorship_id, meeting_id, meeting_sequence, context, due_at, status,
               attempts, last_error, created_at, sent_at, to_address)
            SELECT ms.mentee_id, 'meeting_reminder', m.mentorship_id, m.id, 0, '{"lead": "hours:2"}'::jsonb,
                   m.starts_at - interval '2 hours',
                   CASE WHEN m.starts_at < now() THEN 'sent' ELSE 'pending' END,
                   CASE WHEN m.starts_at < now() THEN 1 ELSE 0 END, '', now(),
                   CASE WHEN m.starts_at < now() THEN m.starts_at - interval '2 hours' END, ''
            FROM mentoring_sessions_meeting m JOIN programs_mentorship ms ON ms.id = m.mentorship_id
            WHERE ms.program_id = %(program)s
            """,
            {"program": program.pk},
        )
        # ... except the first 1,000 future ones, which are due now.
        cursor.execute(
            """
            UPDATE mentoring_sessions_outgoingmail SET due_at = now() - interval '1 minute'
            WHERE id IN (SELECT id FROM mentoring_sessions_outgoingmail
                         WHERE status = 'pending' ORDER BY due_at LIMIT %(due)s)
            """,
            {"due": DUE},
        )
        cursor.execute("ANALYZE mentoring_sessions_meeting")
        cursor.execute("ANALYZE mentoring_sessions_outgoingmail")
    print(f"data: {time.perf_counter() - started:.0f} s to write")
    counts = dict(OutgoingMail.objects.values_list("status").annotate(n=django.db.models.Count("id")))
    print("outbox rows:", ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))

    now = timezone.now()
    claim = (
        OutgoingMail.objects.filter(status=MailStatus.PENDING, due_at__lte=now)
        .order_by("due_at", "pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:50]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = claim.query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join("  " + row[0] for row in cursor.fetchall())
    print("\nthe claim query:\n  " + sql % tuple(repr(str(p)) for p in params))
    print("EXPLAIN (ANALYZE, BUFFERS):\n" + plan)
    print("uses the partial index outbox_pending_due:", "outbox_pending_due" in plan)

    empty = []
    for _ in range(20):
        started = time.perf_counter()
        with transaction.atomic():
            list(
                OutgoingMail.objects.filter(status=MailStatus.PENDING, due_at__lte=now - timedelta(days=30))
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:50]
            )
        empty.append(time.perf_counter() - started)
    idle = statistics.median(empty)
    print(f"\na scan that finds nothing due: {idle * 1000:.2f} ms = {idle / trivial:.1f} x the trivial view")

    started = time.perf_counter()
    claimed = 0
    while batch := mail_claim_due(limit=50):
        claimed += len(batch)
    elapsed = time.perf_counter() - started
    assert claimed == DUE, claimed
    print(
        f"claiming all {DUE:,} due rows (batches of 50, rows loaded): {elapsed * 1000:.0f} ms, "
        f"{elapsed / DUE * 1000:.3f} ms a row = {elapsed / DUE / trivial:.2f} x the trivial view"
    )


def main():
    import logging
    import warnings

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command otherwise
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, before collectstatic
    setup_test_environment()
    original = connection.settings_dict["NAME"]
    with override_settings(DEBUG=False):
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            print(
                f"database: {connection.vendor} ({connection.settings_dict['NAME']}), Python {sys.version.split()[0]}"
            )
            trivial = trivial_view_seconds()
            print(f"trivial view (through all middleware): {trivial * 1000:.3f} ms a request, the yardstick")
            if "throughput" in PARTS:
                bench_throughput(trivial)
            if "pages" in PARTS:
                bench_pages()
            if "scan" in PARTS:
                bench_scan(trivial)
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
