"""The translation catalogues stay complete.

Every .po under locale/ has no untranslated and no fuzzy entry, keeps the
placeholders of its msgids, and its committed .mo says exactly what the .po
says (a fresh machine uses the .mo without gettext, so a forgotten
compilemessages would ship old texts). And makemessages would find nothing
new: a string added to the code without a translation fails here, not in
front of a Swedish reader.
"""

import ast
import gettext
import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from programs.focus_area_names import TEMPLATE_FOCUS_AREA_NAMES
from programs.models import EndReason, MentorshipStatus
from sessions.models.meeting import MeetingStatus

from .helpers.services import require

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
MAKEMESSAGES_IGNORE = [".venv", "var", "tests", "static/bootstrap"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


class Entry:
    def __init__(self):
        self.msgctxt = None
        self.msgid = None
        self.msgid_plural = None
        self.msgstr = {}  # index -> text; a singular entry has only index 0
        self.flags = set()

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    def __repr__(self):
        return f"<{self.msgctxt + ' | ' if self.msgctxt else ''}{self.msgid!r}>"


def po_entries(path):
    """A small PO parser (polib is not a dependency): enough for the files
    makemessages writes. Obsolete (#~) entries are skipped."""
    entries, entry, field = [], Entry(), None

    def finish():
        nonlocal entry, field
        if entry.msgid is not None:
            entries.append(entry)
        entry, field = Entry(), None

    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry.msgstr[field[1]] += text
            else:
                setattr(entry, field[0], getattr(entry, field[0]) + text)
        else:
            match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")', line)
            assert match, f"{path}: cannot read {line!r}"
            keyword, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if keyword == "msgstr":
                field = ("msgstr", int(index or 0))
                entry.msgstr[field[1]] = text
            else:
                field = (keyword,)
                setattr(entry, keyword, text)
    finish()
    return entries


def messages(path):
    """The entries without the header."""
    return [entry for entry in po_entries(path) if entry.msgid != ""]


def catalogue_id(path):
    return str(Path(path).relative_to(LOCALE_DIR))


def test_both_languages_have_a_catalogue():
    assert LOCALE_DIR / "sv/LC_MESSAGES/django.po" in CATALOGUES
    assert LOCALE_DIR / "en/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_every_entry_is_translated_and_none_is_fuzzy(po):
    entries = messages(po)
    assert entries
    untranslated = [e for e in entries if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {catalogue_id(po)}: {untranslated}"
    assert not fuzzy, f"fuzzy in {catalogue_id(po)}: {fuzzy}"
    header = po_entries(po)[0]
    assert header.msgid == "" and "fuzzy" not in header.flags


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_translations_keep_the_placeholders(po):
    wrong = []
    for entry in messages(po):
        expected = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for index, text in entry.msgstr.items():
            found = set(PLACEHOLDER.findall(text))
            # A singular form may leave the number out ("i morgon" for 1 day);
            # it may never bring in a name the code does not give.
            ok = found <= expected if entry.msgid_plural is not None and index == 0 else found == expected
            if not ok:
                wrong.append((entry, index, text))
    assert not wrong


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_committed_mo_matches_the_po(po):
    """Compare contents, not mtimes: a git clone gives every file a new one."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{catalogue_id(po)} is not compiled: run `make messages`"
    with mo.open("rb") as handle:
        # _catalog is the parsed .mo; the public methods fall back to the
        # msgid, which would hide a missing English entry.
        compiled = dict(gettext.GNUTranslations(handle)._catalog)
    compiled.pop("", None)
    expected = {}
    for entry in messages(po):
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstr[0]
        else:
            expected.update({(msgid, index): text for index, text in entry.msgstr.items()})
    assert compiled == expected, f"{mo.relative_to(BASE_DIR)} is out of date: run `make messages`"


def _copy_project(target):
    """The parts makemessages reads: manage.py, the apps, templates, static,
    locale. Not .venv, var, tests or anything a running service writes."""
    target.mkdir()
    shutil.copy2(BASE_DIR / "manage.py", target / "manage.py")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "bootstrap")
    for child in sorted(BASE_DIR.iterdir()):
        is_app = child.is_dir() and (child / "__init__.py").exists() and child.name != "tests"
        if is_app or child.name in ("templates", "static", "locale"):
            shutil.copytree(child, target / child.name, ignore=ignore)


def _msgids(path):
    if not path.exists():
        return set()
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in messages(path)}


def test_makemessages_would_add_or_remove_nothing(tmp_path):
    require(
        all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msguniq")),
        "gettext (xgettext, msgmerge) is not installed: `apt-get install gettext`",
    )
    copy = tmp_path / "project"
    _copy_project(copy)
    ignores = [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORE]
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-d", domain, "-l", "sv", "--no-obsolete",
             "--no-location", *ignores],
            cwd=copy, check=True, capture_output=True, text=True,
        )  # fmt: skip
        committed = _msgids(LOCALE_DIR / f"sv/LC_MESSAGES/{domain}.po")
        extracted = _msgids(copy / f"locale/sv/LC_MESSAGES/{domain}.po")
        assert extracted - committed == set(), f"new strings for {domain}.po: run `make messages` and translate"
        assert committed - extracted == set(), f"strings no longer in the code, in {domain}.po: run `make messages`"


def test_focus_area_names_are_the_seeded_ones():
    seed = importlib.import_module("programs.migrations.0002_seed_focus_areas")
    assert [name for _kind, name in seed.TEMPLATE_FOCUS_AREAS] == TEMPLATE_FOCUS_AREA_NAMES
    with translation.override("sv"):
        assert [translation.gettext(n) for n in TEMPLATE_FOCUS_AREA_NAMES] == TEMPLATE_FOCUS_AREA_NAMES
    with translation.override("en"):
        assert translation.gettext("Samverkan") == "Collaboration"
        assert all(translation.gettext(n) != n for n in TEMPLATE_FOCUS_AREA_NAMES)


@pytest.mark.parametrize(
    ("english", "swedish"),
    [
        ("Purpose & goals", "Syfte & Mål"),
        ("Roles", "Roller"),
        ("Boundaries", "Gränsdragningar"),
        ("Arrangements", "Genomförande"),
        ("Meeting 1", "Tillfälle 1"),
        ("Summary notes from meeting 1", "Sammanfattande anteckningar från Träff 1"),
        ("Reflection on the previous meeting", "Reflektion från föregående tillfälle"),
        ("Summary notes from this meeting", "Sammanfattande anteckningar från detta tillfälle"),
        ("Remember for the next meeting", "Kom ihåg till kommande tillfälle"),
        ("Book the next meeting", "Boka nästa tillfälle"),
        ("Level of confidentiality", "Nivå av konfidens"),
        ("Mentorship", "Mentorskap"),
        ("We agree", "Vi är överens"),
        ("My mentorships", "Mina mentorskap"),
    ],
)
def test_the_paper_templates_words(english, swedish):
    with translation.override("sv"):
        assert translation.gettext(english) == swedish
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_meeting_number_and_statuses():
    with translation.override("sv"):
        assert translation.gettext("Meeting %(n)s") % {"n": 3} == "Tillfälle 3"
        assert str(MeetingStatus.CANCELLED.label) == "Inställd"
        assert str(MeetingStatus.HELD.label) == "Genomförd"
        # Not "Avbruten": a pair that stopped meeting is ended as "Avbrutet".
        assert str(MentorshipStatus.CANCELLED.label) == "Makulerad"
        assert str(EndReason.DISCONTINUED.label) == "Avbrutet"
        assert str(MentorshipStatus.INVITED.label) == "Inbjuden"
    with translation.override("en"):
        assert str(MeetingStatus.CANCELLED.label) == "Cancelled"


LOGIN_URL = "/konto/login/"
SWEDISH_LINE = "Programmets samordnare bjuder in dig via e-post."
ENGLISH_LINE = "Your program's coordinator invites you by e-mail."


@pytest.mark.django_db
def test_login_page_is_swedish_by_default(client):
    html = client.get(LOGIN_URL).content.decode()
    assert '<html lang="sv">' in html
    assert SWEDISH_LINE in html
    assert ENGLISH_LINE not in html


@pytest.mark.django_db
def test_login_page_follows_the_browsers_language(client):
    html = client.get(LOGIN_URL, headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in html
    assert ENGLISH_LINE in html


@pytest.mark.django_db
def test_language_can_be_chosen(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN_URL})
    assert response.status_code == 302
    html = client.get(LOGIN_URL).content.decode()
    assert ENGLISH_LINE in html
    client.post("/i18n/setlang/", {"language": "sv", "next": LOGIN_URL})
    assert SWEDISH_LINE in client.get(LOGIN_URL, headers={"accept-language": "en"}).content.decode()
