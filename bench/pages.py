"""The pages at the size of a large program: 10,000 pairs with 50,000
meetings in one program and 100 small programs around it, served as in
production and timed with concurrent requests as ratios to /ping/.

Each page is also fetched once in this process to count its queries, which
is what a goal not met is usually about.
"""

import json
import os
import platform
import secrets
import time
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.serve import CONCURRENCY, WORKERS, get, measure, served
from programs.models import Mentorship, MentorshipStatus, Program, ProgramKind
from sessions.demo_pairs import demo_pairs_add
from sessions.models import Meeting, MeetingStatus

PAIRS = int(os.environ.get("BENCH_PAIRS", 10_000))
SMALL_PROGRAMS = 100
SMALL_PAIRS = 10
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 100))
SECONDS = float(os.environ.get("BENCH_SECONDS", 20))
OUTPUT = Path(__file__).resolve().parent.parent / "var" / "bench.json"
BUDGET_BYTES = 300_000
# Goals as ratios of p50 to the trivial view's, by kind of page.
GOALS = {"floor": 2, "mentee": 10, "coordinator": 10, "admin": 15}


def seed():
    started = time.perf_counter()
    call_command("seed_demo", pairs=PAIRS, stdout=open(os.devnull, "w"))  # noqa: SIM115
    big = Program.objects.get(name="Ledarskap i föreningslivet 2026")
    User = get_user_model()
    for i in range(SMALL_PROGRAMS):
        small = Program.objects.create(
            name=f"Litet program {i + 1}", kind=ProgramKind.INDIVIDUALS, starts_on=big.starts_on
        )
        small.coordinators.add(User.objects.create(email=f"samordnare{i + 1}@example.org", name=f"Samordnare {i + 1}"))
        demo_pairs_add(program=small, count=SMALL_PAIRS, meetings_per_pair=3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"data: {time.perf_counter() - started:.0f} s to write")
    return big


def session_cookie(user):
    """A session created in the database, as the login form would leave it."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def pages(big):
    pair = (
        Mentorship.objects.filter(program=big, status=MentorshipStatus.ACTIVE, meetings__status=MeetingStatus.BOOKED)
        .exclude(mentee__email="mentee@example.org")
        .select_related("mentee")
        .order_by("pk")
        .first()
    )
    meeting = pair.meetings.filter(status=MeetingStatus.HELD).order_by("-number").first()
    coordinator = big.coordinators.get()
    program = f"/program/{big.pk}/"
    mentee = session_cookie(pair.mentee)
    staff = session_cookie(coordinator)
    return [
        # name, kind, path, session
        ("trivial view (/ping/)", None, "/ping/", None),
        ("floor: request.user resolved", "floor", "/ping/user/", mentee),
        ("mentee: start page", "mentee", "/", mentee),
        ("mentee: mentorship page", "mentee", f"/mentorskap/{pair.public_id}/", mentee),
        ("mentee: notes form", "mentee", f"/tillfalle/{meeting.public_id}/anteckningar/", mentee),
        ("coordinator: Mina program", "coordinator", "/program/", staff),
        ("coordinator: program page", "coordinator", program, staff),
        ("coordinator: program ?status=active", "coordinator", program + "?status=active", staff),
        ("coordinator: program ?q=<name>", "coordinator", program + "?q=" + quote(pair.mentee.name), staff),
        ("coordinator: funder report", "coordinator", program + "aterrapport/", staff),
        ("admin: pair list", "admin", f"/admin/programs/mentorship/?program__id__exact={big.pk}", staff),
    ]


def query_count(path, cookie):
    client = Client()
    if cookie:
        client.cookies["sessionid"] = cookie
    with override_settings(ROOT_URLCONF="bench.urls"):
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
    return len(queries)


def row(name, kind, path, cookie, port):
    if path == "/ping/user/":
        assert get(port, path, cookie)[1] == b"ok", "the bench's session is not accepted by the served app"
    result = measure(port, path, cookie, requests=REQUESTS, seconds=SECONDS)
    result.update(name=name, kind=kind, path=path)
    if result["status"] == 404:
        result["built"] = False
    else:
        result["built"] = True
        result["queries"] = query_count(path, cookie)
    return result


def judge(result, trivial):
    result["ratio"] = result["p50"] / trivial["p50"]
    goal = GOALS.get(result["kind"])
    if goal is None or not result["built"]:
        result["goal"] = None
        return result
    result["goal"] = f"≤{goal}×" + (" and <300 KB" if result["kind"] == "coordinator" else "")
    result["met"] = (
        result["status"] == 200
        and result["ratio"] <= goal
        and (result["kind"] != "coordinator" or result["bytes"] < BUDGET_BYTES)
    )
    return result


def print_table(rows):
    print(
        f"\n{'page':<40} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'× ping':>7} {'KB':>7} "
        f"{'queries':>7}  goal"
    )
    for r in rows:
        if not r["built"]:
            print(f"{r['name']:<40} {'not built':>6}")
            continue
        verdict = "" if r["goal"] is None else f"{r['goal']} {'met' if r['met'] else 'NOT MET'}"
        print(
            f"{r['name']:<40} {r['status']:>6} {r['p50'] * 1000:>8.1f} {r['p95'] * 1000:>8.1f} {r['rps']:>7.1f} "
            f"{r['ratio']:>7.1f} {r['bytes'] / 1000:>7.1f} {r.get('queries', ''):>7}  {verdict}"
        )


def machine():
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    memory = next((line.split()[1] for line in meminfo if line.startswith("MemTotal")), "0")
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
    }


def bench_pages():
    print(f"\n== Pages at {PAIRS:,} pairs, served by gunicorn in the production configuration ==")
    if connection.vendor != "postgresql":
        print("skipped: needs PostgreSQL. Run with DATABASE_URL=postgres://user@host:5432/dbname make bench")
        return
    big = seed()
    secret_key = secrets.token_urlsafe(50)
    with override_settings(SECRET_KEY=secret_key), served(connection.settings_dict, secret_key) as port:
        print(
            f"gunicorn: {WORKERS} sync workers; client: {CONCURRENCY} threads, "
            f"{REQUESTS} requests or {SECONDS:.0f} s a page"
        )
        rows = [row(*page, port) for page in pages(big)]
        # The yardstick timed once more at the end: from run to run it moves
        # by half, and every ratio with it. The ratios stay to the first.
        trivial_after = measure(port, "/ping/", None, requests=REQUESTS, seconds=SECONDS)
    rows = [judge(r, rows[0]) for r in rows]
    print_table(rows)
    print(
        f"trivial view again after the pages: p50 {trivial_after['p50'] * 1000:.2f} ms "
        f"(before them: {rows[0]['p50'] * 1000:.2f} ms)"
    )
    report = {
        "date": timezone.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "pairs": PAIRS,
        "meetings": Meeting.objects.filter(mentorship__program=big).count(),
        "small_programs": SMALL_PROGRAMS,
        "workers": WORKERS,
        "concurrency": CONCURRENCY,
        "rows": rows,
        "trivial_after": {"p50": trivial_after["p50"], "p95": trivial_after["p95"]},
    }
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    print(f"written to {OUTPUT}")
