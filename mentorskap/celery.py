"""The Celery app. Tasks are thin: they take ids and call services."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.conf import settings

from mentorskap.logs import request_id_var

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorskap.settings")

app = Celery("mentorskap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _filesystem_transport_options():
    """kombu's filesystem transport needs its folders to exist before use."""
    base = settings.CELERY_FILESYSTEM_DIR
    folders = {
        "data_folder_in": base / "out",
        "data_folder_out": base / "out",
        "processed_folder": base / "processed",
        "control_folder": base / "control",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {**{k: str(v) for k, v in folders.items()}, "store_processed": False}


if app.conf.broker_url.startswith("filesystem://"):
    app.conf.broker_transport_options = _filesystem_transport_options()


# A task's log lines carry its id where a request's carry the request id.
@task_prerun.connect
def _log_task_id(task_id=None, task=None, **kwargs):
    task.request.mentorskap_log_token = request_id_var.set(task_id or "-")


@task_postrun.connect
def _forget_task_id(task=None, **kwargs):
    token = getattr(task.request, "mentorskap_log_token", None)
    if token is not None:
        request_id_var.reset(token)
