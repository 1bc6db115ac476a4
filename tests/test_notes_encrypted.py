"""Notes encrypted at rest (issue 12): a database dump holds no note text,
the app reads every note back, key rotation keeps every note readable, and
a changed ciphertext is a clear error, never garbage."""

import shutil
import subprocess
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import FieldError, ValidationError
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mentorskap import crypto
from mentorskap.encrypted_rows import decrypt_stored, encrypt_stored, migrate_decrypt, migrate_encrypt, rewrite
from programs.models import CheckIn
from sessions.models import Agreement, AgreementVersion, Comment, Meeting, ReminderItem

from .factories import AgreementFactory, MeetingFactory
from .helpers.agreement import agreement_post
from .helpers.journal import notes_post
from .helpers.services import require

OLD_KEY = crypto.generate_key()
NEW_KEY = crypto.generate_key()

# Text written through the app, each piece findable in a dump if it were there.
AGREEMENT = {
    "purpose_and_goals": "Syftet§q7: att leda styrelsen med lugn",
    "roles": "Rollerna§q7: Maja driver, Erik frågar",
    "communication": "Kontakten§q7: e-post varannan vecka",
    "areas": "Områdena§q7: ekonomi och familjesituation",
    "confidentiality_notes": "Konfidensen§q7: bara vi två",
    "meeting_arrangements": "Träffarna§q7: en gång i månaden",
    "costs": "Kostnaderna§q7: var och en sitt fika",
    "summary": "Sammanfattningen§q7 från första träffen",
}
NOTES = {"reflection": "Reflektionen§q7 om förra gången", "summary": "Anteckningen§q7 om delegering"}
ITEM = "Komihåg§q7 ringa kassören"
COMMENT = "Kommentaren§q7 från mentorn"
CHECKIN = "Avstämningen§q7 allt väl"
ALL_TEXT = [*AGREEMENT.values(), *NOTES.values(), ITEM, COMMENT, CHECKIN]


def write_everything(client_for, mentorship, held_meeting, mentor, coordinator):
    """Every kind of note, written as people write them: the forms."""
    mentee = client_for(mentorship.mentee)
    assert (
        agreement_post(mentee, mentorship, version=held_meeting.mentorship.agreement.version, **AGREEMENT).status_code
        == 302
    )
    assert notes_post(mentee, held_meeting, items=[ITEM], **NOTES).status_code == 302
    response = client_for(mentor).post(reverse("comment_add", args=[held_meeting.public_id]), {"text": COMMENT})
    assert response.status_code == 302
    response = client_for(coordinator).post(
        reverse("program_pair", args=[mentorship.public_id]),
        {"held_on": timezone.localdate().isoformat(), "with_whom": "both", "channel": "meeting", "note": CHECKIN},
    )
    assert response.status_code == 302


def stored(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - our own names
        return cursor.fetchone()[0]


def every_note():
    """Every encrypted value, read through the models."""
    values = []
    for agreement in Agreement.objects.all():
        values += [getattr(agreement, name) for name in AGREEMENT]
    values += [version.content for version in AgreementVersion.objects.all()]
    for meeting in Meeting.objects.all():
        values += [meeting.reflection, meeting.summary]
    values += list(ReminderItem.objects.values_list("text", flat=True))
    values += list(Comment.objects.values_list("text", flat=True))
    values += list(CheckIn.objects.values_list("note", flat=True))
    return values


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_note_text_and_the_app_reads_it_all_back(
    client_for, mentorship, held_meeting, mentor, coordinator
):
    require(connection.vendor == "postgresql", "the dump is PostgreSQL's pg_dump: set DATABASE_URL=postgres://…")
    require(shutil.which("pg_dump"), "pg_dump is not installed")
    write_everything(client_for, mentorship, held_meeting, mentor, coordinator)

    db = connection.settings_dict
    dump = subprocess.run(  # noqa: S603 - pg_dump of the test database
        [
            "pg_dump",
            "--data-only",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            db["NAME"],
        ],
        capture_output=True,
        check=True,
        env={"PGPASSWORD": db["PASSWORD"] or "", "PATH": "/usr/bin:/bin"},
    ).stdout.decode("utf-8")
    assert "Maja Mentee" in dump  # the dump is of this database, names and all
    assert "§q7" not in dump, [line for line in dump.splitlines() if "§q7" in line][:5]
    assert dump.count(crypto.PREFIX) >= len(ALL_TEXT)

    # ... and the people read every word of it again.
    page = client_for(mentorship.mentee).get(reverse("mentorship_detail", args=[mentorship.public_id])).content.decode()
    for text in AGREEMENT.values():
        assert text in page
    meeting = client_for(mentor).get(reverse("meeting_detail", args=[held_meeting.public_id])).content.decode()
    for text in [*NOTES.values(), COMMENT]:
        assert text in meeting
    follow_up = client_for(coordinator).get(reverse("program_pair", args=[mentorship.public_id])).content.decode()
    assert CHECKIN in follow_up
    assert ReminderItem.objects.get(meeting=held_meeting).text == ITEM
    version = AgreementVersion.objects.order_by("-version").first()
    assert {name: version.content[name] for name in AGREEMENT} == AGREEMENT


def test_rotation_keeps_every_note_readable_and_then_needs_only_the_new_key(
    client_for, mentorship, held_meeting, mentor, coordinator
):
    # The fixtures' rows were written with the suite's key: first all under OLD_KEY.
    with override_settings(MENTORSKAP_NOTE_KEYS=[OLD_KEY, *settings.MENTORSKAP_NOTE_KEYS]):
        _rotate()
    with override_settings(MENTORSKAP_NOTE_KEYS=[OLD_KEY]):
        write_everything(client_for, mentorship, held_meeting, mentor, coordinator)
        before = every_note()
    assert set(ALL_TEXT) <= {value for value in before if isinstance(value, str)}
    summary_id = held_meeting.pk

    with override_settings(MENTORSKAP_NOTE_KEYS=[NEW_KEY, OLD_KEY]):
        assert every_note() == before  # the new key first, the old still reads
        out = _rotate()
        assert "values re-encrypted" in out and "0 values re-encrypted" not in out
        assert "mentoring_sessions.Meeting.summary" in out and "programs.CheckIn.note" in out
        assert _rotate().count(", 0 rewritten") == out.count("rows,")  # a second run changes nothing
        assert "0 values re-encrypted" in _rotate()

    with override_settings(MENTORSKAP_NOTE_KEYS=[NEW_KEY]):
        assert every_note() == before
    with override_settings(MENTORSKAP_NOTE_KEYS=[OLD_KEY]), pytest.raises(crypto.NoteDecryptionError):
        Meeting.objects.get(pk=summary_id)


def _rotate():
    out = StringIO()
    call_command("rotate_note_keys", batch_size=2, stdout=out)
    return out.getvalue()


def test_a_changed_ciphertext_is_a_clear_error_not_garbage(held_meeting):
    Meeting.objects.filter(pk=held_meeting.pk).update(summary="Hemliga anteckningar")
    token = stored("mentoring_sessions_meeting", "summary", held_meeting.pk)
    assert token.startswith(crypto.PREFIX) and "Hemliga" not in token
    changed = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE mentoring_sessions_meeting SET summary = %s WHERE id = %s", [changed, held_meeting.pk])

    with pytest.raises(crypto.NoteDecryptionError) as error:
        Meeting.objects.get(pk=held_meeting.pk)
    assert "mentoring_sessions.Meeting.summary" in str(error.value)
    assert "could not be decrypted" in str(error.value) and "MENTORSKAP_NOTE_KEYS" in str(error.value)
    with pytest.raises(CommandError, match="could not be read"):
        call_command("rotate_note_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert stored("mentoring_sessions_meeting", "summary", held_meeting.pk) == changed  # left as it was


def test_a_key_that_was_not_configured_is_the_same_clear_error(held_meeting):
    with override_settings(MENTORSKAP_NOTE_KEYS=[OLD_KEY]):
        Meeting.objects.filter(pk=held_meeting.pk).update(reflection="Skrivet med den gamla nyckeln")
    with override_settings(MENTORSKAP_NOTE_KEYS=[NEW_KEY]), pytest.raises(crypto.NoteDecryptionError):
        Meeting.objects.get(pk=held_meeting.pk)


def test_empty_stays_empty_so_has_notes_is_still_a_query(mentorship):
    empty = MeetingFactory(mentorship=mentorship, number=2, summary="", reflection="")
    written = MeetingFactory(mentorship=mentorship, number=3, summary="Något", reflection="")
    assert stored("mentoring_sessions_meeting", "summary", empty.pk) == ""
    assert list(Meeting.objects.filter(summary="", reflection="")) == [empty]
    assert list(Meeting.objects.exclude(summary="")) == [written]


@pytest.mark.parametrize(
    "lookup",
    [{"summary__icontains": "a"}, {"summary": "Något"}, {"summary__in": ["", "a"]}, {"summary__startswith": "a"}],
)
def test_the_database_cannot_search_encrypted_text_and_says_so(db, lookup):
    with pytest.raises(FieldError, match="Meeting.summary is encrypted at rest"):
        list(Meeting.objects.filter(**lookup))


def test_no_lookup_into_an_encrypted_agreement_version(db):
    with pytest.raises(FieldError, match="AgreementVersion.content is encrypted at rest"):
        list(AgreementVersion.objects.filter(content__confidentiality="open"))


def test_the_length_limit_is_on_the_plain_text(held_meeting):
    item = ReminderItem(meeting=held_meeting, text="x" * 300)
    item.full_clean()
    item.save()
    assert len(stored("mentoring_sessions_reminderitem", "text", item.pk)) > 300  # the column takes the token
    with pytest.raises(ValidationError) as error:
        ReminderItem(meeting=held_meeting, text="x" * 301).full_clean()
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError):
        Comment(meeting=held_meeting, author=held_meeting.mentorship.mentor, text="y" * 5001).full_clean()


NOTE_MODELS = {"meeting": ["reflection", "summary"], "agreementversion": ["content"], "reminderitem": ["text"]}


def test_the_data_migration_encrypts_plain_rows_in_batches_and_its_reverse_decrypts(held_meeting):
    """Rows as an older version left them (plain text, and a JSON object),
    encrypted by the migration's function and back."""
    agreement = held_meeting.mentorship.agreement
    version = AgreementVersion.objects.create(agreement=agreement, version=1, content={})
    with connection.cursor() as cursor:
        cursor.execute("UPDATE mentoring_sessions_meeting SET summary = 'Gammal text', reflection = ''")
        cursor.execute("UPDATE mentoring_sessions_reminderitem SET text = 'Gammal punkt'")
        cursor.execute(
            "UPDATE mentoring_sessions_agreementversion SET content = %s WHERE id = %s",
            ['{"roles": "Gamla roller"}', version.pk],
        )
    # An older version's plain text reads as it is.
    assert Meeting.objects.get(pk=held_meeting.pk).summary == "Gammal text"
    assert AgreementVersion.objects.get(pk=version.pk).content == {"roles": "Gamla roller"}

    migrate_encrypt("mentoring_sessions", NOTE_MODELS)(apps, None)
    assert stored("mentoring_sessions_meeting", "summary", held_meeting.pk).startswith(crypto.PREFIX)
    assert stored("mentoring_sessions_meeting", "reflection", held_meeting.pk) == ""
    assert "Gamla" not in str(stored("mentoring_sessions_agreementversion", "content", version.pk))
    assert Meeting.objects.get(pk=held_meeting.pk).summary == "Gammal text"
    assert AgreementVersion.objects.get(pk=version.pk).content == {"roles": "Gamla roller"}
    assert set(ReminderItem.objects.values_list("text", flat=True)) == {"Gammal punkt"}

    # Again, in batches of one: nothing left to change.
    reports = rewrite(ReminderItem, ["text"], encrypt_stored, batch_size=1)
    assert [(r.rows, r.changed) for r in reports] == [(2, 0)]

    migrate_decrypt("mentoring_sessions", NOTE_MODELS)(apps, None)
    assert stored("mentoring_sessions_meeting", "summary", held_meeting.pk) == "Gammal text"
    assert "Gamla roller" in str(stored("mentoring_sessions_agreementversion", "content", version.pk))
    assert [r.changed for r in rewrite(ReminderItem, ["text"], decrypt_stored, batch_size=1)] == [0]


def test_rotation_encrypts_what_an_older_version_wrote_in_plain_text(held_meeting):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE mentoring_sessions_meeting SET summary = 'Skrivet av den gamla versionen'")
    _rotate()
    assert stored("mentoring_sessions_meeting", "summary", held_meeting.pk).startswith(crypto.PREFIX)
    assert Meeting.objects.get(pk=held_meeting.pk).summary == "Skrivet av den gamla versionen"


def test_an_agreement_made_in_a_factory_is_encrypted_too(mentorship):
    agreement = AgreementFactory(mentorship=mentorship, roles="Roller ur fabriken")
    assert stored("mentoring_sessions_agreement", "roles", agreement.pk).startswith(crypto.PREFIX)


def test_deploying_with_a_key_that_does_not_open_the_notes_stops_at_migrate(held_meeting):
    """A Fernet key that is not the notes' key passes settings.py; the
    database checks that every deploy's `migrate` runs stop on it."""
    written_with = list(settings.MENTORSKAP_NOTE_KEYS)
    with override_settings(MENTORSKAP_NOTE_KEYS=[NEW_KEY]):
        errors = [e for e in run_checks(databases=["default"]) if e.id == "mentoring_sessions.E001"]
        assert any("mentoring_sessions.ReminderItem.text" in e.msg for e in errors)
        assert "cannot be decrypted with the keys in MENTORSKAP_NOTE_KEYS" in errors[0].msg
        with pytest.raises(SystemCheckError):
            call_command("migrate", skip_checks=False, verbosity=0)
    with override_settings(MENTORSKAP_NOTE_KEYS=[NEW_KEY, *written_with]):
        assert not [e for e in run_checks(databases=["default"]) if e.id == "mentoring_sessions.E001"]
