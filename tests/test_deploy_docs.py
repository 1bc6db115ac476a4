"""docs/deploy.md's one table and .env.example name every setting the
settings read, and nothing else; .env.example as it is passes
`check --deploy --fail-level WARNING`."""

import os
import re
import subprocess
import sys

from cryptography.fernet import Fernet

from .helpers.settings import BASE_DIR

SETTINGS = (BASE_DIR / "mentorskap" / "settings.py").read_text()
DOC = (BASE_DIR / "docs" / "deploy.md").read_text()
EXAMPLE = (BASE_DIR / ".env.example").read_text()
NAME = re.compile(r"`([A-Z][A-Z0-9_]+)`")


def names_read_by_the_settings():
    names = set(re.findall(r'(?:env_[a-z_]+|_raw|_production_needs)\(\s*"([A-Z][A-Z0-9_]+)"', SETTINGS))
    # env_secret also reads NAME_FILE
    names |= {f"{name}_FILE" for name in re.findall(r'env_secret\(\s*"([A-Z][A-Z0-9_]+)"', SETTINGS)}
    # env_fernet_keys reads its keys from NAME or from the file the second name gives
    names |= set(re.findall(r'env_fernet_keys\(\s*"[A-Z][A-Z0-9_]+",\s*"([A-Z][A-Z0-9_]+)"', SETTINGS))
    return names


def names_in_the_table():
    section = DOC.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `") or line.startswith("| (")]
    return {name for row in rows for name in NAME.findall(row.split(" | ")[0])}


def names_in_the_example():
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", EXAMPLE, flags=re.MULTILINE))


def test_the_table_names_every_setting_and_no_other():
    read, table = names_read_by_the_settings(), names_in_the_table()
    assert read - table == set(), "settings read but not in docs/deploy.md's table"
    assert table - read == set(), "in docs/deploy.md's table but not read by the settings"


def test_the_example_names_every_setting_and_no_other():
    read, example = names_read_by_the_settings(), names_in_the_example()
    assert read - example == set(), "settings read but not in .env.example"
    assert example - read == set(), "in .env.example but not read by the settings"


def test_the_example_passes_check_deploy(tmp_path):
    key = tmp_path / "secret_key"
    key.write_text("an-example-secret-key-that-is-long-and-random-enough-0123456789-abcdef\n")
    env = {}
    for line in EXAMPLE.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    env["DJANGO_SECRET_KEY_FILE"] = str(key)
    note_keys = tmp_path / "note_keys"
    note_keys.write_text(Fernet.generate_key().decode() + "\n")
    env["MENTORSKAP_NOTE_KEYS_FILE"] = str(note_keys)
    env.update({key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ})
    completed = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "no issues" in completed.stdout
