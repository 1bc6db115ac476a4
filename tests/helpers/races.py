"""Two database sessions at once, for the race tests on PostgreSQL: run one
request in a thread of its own, and wait until PostgreSQL reports it waiting
for a row lock the test holds."""

import threading
import time

import pytest
from django.db import connection

WAIT = 30  # seconds: an upper bound for a slow machine, never a measurement


def in_thread(work):
    """Run `work` on its own database connection; returns a join() that gives
    its result or raises its error."""
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def join():
        thread.join(WAIT)
        assert not thread.is_alive(), "the other request never finished"
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]

    return join


def wait_until_another_session_waits_for_a_lock():
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # Statistics are a snapshot per transaction, and this test is in one.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    pytest.fail("the other request did not wait for the lock: the race is not serialised")
