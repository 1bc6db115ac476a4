"""Which broker the test process sends its tasks to.

Every test runs on kombu's in-memory broker (conftest.py): a booking's kick
to the dispatcher goes nowhere, so no test needs Redis and no test feeds a
worker of another test. The delivery tests switch the project's Celery app to
the real broker (CELERY_BROKER_URL from the environment) for their module,
and to a queue of their own (`use_queue`): under xdist two delivery modules
run at once on that broker, and a worker of one must not take the tasks of
the other (they would run against the other's test database and limits).
"""

import os

from django.conf import settings

from mentorskap.celery import app as celery_app

MEMORY_BROKER = "memory://"
# Read before anything changes the settings: what the environment asks for.
REAL_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")


def use_broker(url):
    """Send this process's tasks to `url` from now on."""
    # Celery reads CELERY_BROKER_URL from the environment before its own
    # setting (conf.broker_url, broker_write_url): left as the suite was
    # started with, the real broker would win over the memory one.
    os.environ["CELERY_BROKER_URL"] = url
    settings.CELERY_BROKER_URL = url
    celery_app.conf.broker_url = url
    # The app keeps the pools of the broker it first used; Celery drops them
    # the same way after a fork (app._after_fork, which would also fire the
    # fork signal). Not closed: kombu keeps one pool per broker for the
    # process and would hand the closed one back when the broker is used again.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def use_queue(queue, app=celery_app):
    """Route every task `app` sends to `queue` (None: the default queue).
    The router is built once and not rebuilt on a change of task_routes
    alone, so it is rebuilt here."""
    app.conf.task_routes = {"*": {"queue": queue}} if queue else None
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()
