"""The Celery app of the live tests' worker and beat processes: the project's
app, sending to the queue of their test module (LIVE_TEST_QUEUE), which
the worker also consumes (-Q). See tests/helpers/celery.py for why."""

import os

from mentorskap.celery import app

from .celery import use_queue

use_queue(os.environ["LIVE_TEST_QUEUE"], app)

__all__ = ["app"]
