"""The app served as in production (gunicorn, DJANGO_DEBUG=false, a shared
Redis cache), and a small HTTP client that times concurrent requests to it
on loopback."""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
LOG = BASE_DIR / "var" / "bench-gunicorn.log"
WORKERS = int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 2))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", WORKERS))
# A separate Redis database for the bench's cache (allauth's rate limits).
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(db):
    """The URL of the database this process uses (the bench's throwaway one)."""
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def production_env(db, secret_key):
    """Production settings as shipped. Two deviations, both because the bench
    speaks plain HTTP on loopback with no TLS proxy in front: no redirect to
    https (DJANGO_SECURE_SSL_REDIRECT=false) and cookies not marked Secure
    (DJANGO_SECURE_COOKIES=false). bench.wsgi serves bench.urls, the
    project's URLs plus the yardsticks."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentorskap.settings",
        "DJANGO_DEBUG": "false",
        # The bench's own process signs the sessions it creates with this key too.
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(db),
        "CACHE_URL": CACHE_URL,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        # The keys the bench's own process encrypted the seeded notes with.
        "MENTORSKAP_NOTE_KEYS": ",".join(settings.MENTORSKAP_NOTE_KEYS),
    }


@contextmanager
def served(db, secret_key):
    """gunicorn on a free loopback port, as `gunicorn mentorskap.wsgi` runs in
    production (sync workers, one per core), with bench.wsgi; yields the port."""
    env = production_env(db, secret_key)
    # The manifest storage of production needs collected static files.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=BASE_DIR, check=True
    )
    # The bench's database is new each run; what a run before it cached (people,
    # sessions, figures of rows with the same keys) must not outlive it.
    subprocess.run(
        [sys.executable, "manage.py", "cache_clear"], env=env, cwd=BASE_DIR, check=True, stdout=subprocess.DEVNULL
    )
    # BENCH_PORT: a fixed port (e.g. one of a range given to you on a shared machine).
    port = int(os.environ.get("BENCH_PORT") or free_port())
    LOG.parent.mkdir(exist_ok=True)
    with LOG.open("w") as log:
        server = subprocess.Popen(
            [GUNICORN, "bench.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)],
            env=env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(port, server)
            yield port
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_until_up(port, server, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped, see {LOG}")
        try:
            if get(port, "/ping/", None)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer in {timeout} s, see {LOG}")


def get(port, path, cookie):
    """One GET on a new connection (gunicorn's sync workers close each one)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def measure(port, path, cookie, *, requests, seconds):
    """`requests` GETs from CONCURRENCY threads, stopping early after
    `seconds`. Returns latencies (s), statuses, body size, wall time."""
    latencies, statuses, sizes = [], [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    remaining = [requests]

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            status, body = get(port, path, cookie)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses.append(status)
                sizes.append(len(body))

    for _ in range(CONCURRENCY):  # warm up: a worker's first request loads templates
        get(port, path, cookie)
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "p50": statistics.median(latencies),
        "p95": statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0],
        "rps": len(latencies) / wall,
        "requests": len(latencies),
        "status": max(set(statuses), key=statuses.count),
        "bytes": max(sizes),
    }
