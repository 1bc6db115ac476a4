"""Which broker the test process sends its tasks to.

Every test runs on kombu's in-memory broker (conftest.py): a booking's kick
to the dispatcher goes nowhere, so no test needs Redis and no test feeds a
worker of another test. The delivery tests switch the project's Celery app to
the real broker (CELERY_BROKER_URL from the environment) for their module.
"""

import os

from django.conf import settings

from mentorskap.celery import app as celery_app

MEMORY_BROKER = "memory://"
# Read before anything changes the settings: what the environment asks for.
REAL_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")


def use_broker(url):
    """Send this process's tasks to `url` from now on."""
    settings.CELERY_BROKER_URL = url
    celery_app.conf.broker_url = url
    # The app keeps the pools of the broker it first used; Celery drops them
    # the same way after a fork (app._after_fork, which would also fire the
    # fork signal). Not closed: kombu keeps one pool per broker for the
    # process and would hand the closed one back when the broker is used again.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
