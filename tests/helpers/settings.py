"""Reading the settings in a subprocess with exactly a given environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Print the settings a case asks about as JSON; an error goes to stderr.
PROBE = """
import json, sys
from django.conf import settings
names = sys.argv[1:]
print(json.dumps({name: str(getattr(settings, name)) for name in names}))
"""
# A Fernet key for the notes (required in production), made for these tests.
NOTE_KEY = "tJ0sYc8yq7yq3c4m0Q9m5mZc2x1y6n8b4v7c1x3z5a0="
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "mentorskap.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/11",  # read, never connected to here
    "MENTORSKAP_NOTE_KEYS": NOTE_KEY,
}


def settings_run(env, *names):
    """Import the settings with exactly this environment (plus PATH/HOME)."""
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    clean.update(env, DJANGO_SETTINGS_MODULE="mentorskap.settings", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PROBE, *names], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=60
    )


def settings_of(env, *names):
    completed = settings_run(env, *names)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "prod-test-" + "k3y" * 20 + "-Zq9!xW2#vB7$",
    "DJANGO_ALLOWED_HOSTS": "mentorskap.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "CACHE_URL": "redis://127.0.0.1:6379/11",  # required in production; check does not connect
    "MENTORSKAP_NOTE_KEYS": NOTE_KEY,
}


def run_with_production_env(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MENTORSKAP_"))}
    env.update(PRODUCTION_ENV)
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
