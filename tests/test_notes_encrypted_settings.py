"""The note keys come from the environment (or a file, for container
secrets); production refuses to start without a good one; a development
machine gets one of its own, kept in var/, with a warning."""

import json

import pytest

from mentorskap import crypto
from mentorskap.settings import NOTE_KEY_DEVELOPMENT_FILE, development_note_key

from .helpers.settings import NOTE_KEY, PRODUCTION, settings_of, settings_run

MISSING = "MENTORSKAP_NOTE_KEYS (or MENTORSKAP_NOTE_KEYS_FILE) must be set when DJANGO_DEBUG is false"


def without_keys():
    return {key: value for key, value in PRODUCTION.items() if key != "MENTORSKAP_NOTE_KEYS"}


@pytest.mark.parametrize("how", ["unset", "empty", "only commas"])
def test_production_without_a_note_key_refuses_to_start_and_names_the_variable(how):
    env = without_keys()
    if how == "empty":
        env["MENTORSKAP_NOTE_KEYS"] = ""
    elif how == "only commas":
        env["MENTORSKAP_NOTE_KEYS"] = " , ,"
    completed = settings_run(env, "DEBUG")
    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr
    assert MISSING in completed.stderr or "MENTORSKAP_NOTE_KEYS holds no key" in completed.stderr
    assert "Fernet.generate_key()" in completed.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not-a-key-at-all", "MENTORSKAP_NOTE_KEYS: key 1 of 1 is not a Fernet key"),
        (NOTE_KEY + ",tooshort", "MENTORSKAP_NOTE_KEYS: key 2 of 2 is not a Fernet key"),
    ],
)
def test_production_with_a_wrong_key_refuses_to_start_without_showing_it(value, message):
    completed = settings_run({**without_keys(), "MENTORSKAP_NOTE_KEYS": value}, "DEBUG")
    assert completed.returncode != 0
    assert message in completed.stderr
    assert "not-a-key-at-all" not in completed.stderr and "tooshort" not in completed.stderr


def test_production_with_keys_starts_and_the_first_one_encrypts():
    new, old = crypto.generate_key(), crypto.generate_key()
    values = settings_of({**without_keys(), "MENTORSKAP_NOTE_KEYS": f"{new}, {old},"}, "MENTORSKAP_NOTE_KEYS")
    assert values["MENTORSKAP_NOTE_KEYS"] == str([new, old])


def test_the_keys_can_come_from_a_file(tmp_path):
    new, old = crypto.generate_key(), crypto.generate_key()
    secret = tmp_path / "note-keys"
    secret.write_text(f"{new}\n{old}\n")
    values = settings_of({**without_keys(), "MENTORSKAP_NOTE_KEYS_FILE": str(secret)}, "MENTORSKAP_NOTE_KEYS")
    assert values["MENTORSKAP_NOTE_KEYS"] == str([new, old])


def test_a_file_that_cannot_be_read_or_both_ways_at_once_refuse_to_start(tmp_path):
    missing = settings_run({**without_keys(), "MENTORSKAP_NOTE_KEYS_FILE": str(tmp_path / "none")}, "DEBUG")
    assert "MENTORSKAP_NOTE_KEYS_FILE names a file that cannot be read" in missing.stderr
    secret = tmp_path / "note-keys"
    secret.write_text(crypto.generate_key())
    both = settings_run({**PRODUCTION, "MENTORSKAP_NOTE_KEYS_FILE": str(secret)}, "DEBUG")
    assert "Set MENTORSKAP_NOTE_KEYS or MENTORSKAP_NOTE_KEYS_FILE, not both." in both.stderr


def test_development_gets_a_key_kept_in_var_with_a_warning():
    first = settings_run({}, "MENTORSKAP_NOTE_KEYS")
    assert first.returncode == 0, first.stderr
    assert "Notes are encrypted with a development key kept in" in first.stderr
    assert "Set MENTORSKAP_NOTE_KEYS in production" in first.stderr
    again = settings_of({}, "MENTORSKAP_NOTE_KEYS")
    keys = json.loads(first.stdout.strip().splitlines()[-1])["MENTORSKAP_NOTE_KEYS"]
    assert keys == again["MENTORSKAP_NOTE_KEYS"] == str([NOTE_KEY_DEVELOPMENT_FILE.read_text().strip()])


def test_the_development_key_is_made_once_and_readable_only_by_its_owner(tmp_path):
    path = tmp_path / "var" / "note-key"
    key = development_note_key(path)
    assert development_note_key(path) == key
    assert path.stat().st_mode & 0o777 == 0o600
    crypto._fernets(tuple(key))  # a real Fernet key
    assert list(path.parent.iterdir()) == [path]  # no temporary file left
