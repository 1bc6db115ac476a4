"""The upgrade to encrypted notes (issue 12) on a database of the release
before it, on PostgreSQL like production: the migrations encrypt every note
already stored, without rewriting a table, and migrating back decrypts."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mentorskap import crypto
from programs.models import CheckIn
from sessions.models import Agreement, AgreementVersion, Comment, Meeting, ReminderItem

from .helpers.services import require

BEFORE = [("mentoring_sessions", "0004_agreement_confidentiality_in_force"), ("programs", "0006_pair_is_par")]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ITEM = "Ringa kassören " + "x" * 285  # the longest a "kom ihåg" item may be: 300


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_rows(old):
    User = old.get_model("accounts", "User")
    Program = old.get_model("programs", "Program")
    Mentorship = old.get_model("programs", "Mentorship")
    mentee = User.objects.create(email="adept@example.org", name="Ada Adept", password="!")
    mentor = User.objects.create(email="mentor@example.org", name="Mats Mentor", password="!")
    program = Program.objects.create(name="Före krypteringen", kind="individuals", starts_on=dt.date(2026, 1, 1))
    pair = Mentorship.objects.create(program=program, mentor=mentor, mentee=mentee, status="active")
    agreement = old.get_model("mentoring_sessions", "Agreement").objects.create(
        mentorship=pair, purpose_and_goals="Gammalt syfte", summary="", version=1
    )
    old.get_model("mentoring_sessions", "AgreementVersion").objects.create(
        agreement=agreement, version=1, content={"purpose_and_goals": "Gammalt syfte", "confidentiality": "private"}
    )
    meeting = old.get_model("mentoring_sessions", "Meeting").objects.create(
        mentorship=pair, number=2, status="held", summary="Gamla anteckningar", reflection=""
    )
    old.get_model("mentoring_sessions", "ReminderItem").objects.create(meeting=meeting, text=ITEM)
    old.get_model("mentoring_sessions", "Comment").objects.create(
        meeting=meeting, author=mentor, text="Gammal kommentar"
    )
    old.get_model("programs", "CheckIn").objects.create(
        mentorship=pair,
        held_on=dt.date(2026, 2, 1),
        with_whom="both",
        channel="phone",
        note="Gammal avstämning",
        recorded_by=mentor,
    )


def stored():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.purpose_and_goals, a.summary, v.content::text, m.summary, m.reflection, r.text, c.text, k.note"
            " FROM mentoring_sessions_agreement a, mentoring_sessions_agreementversion v,"
            " mentoring_sessions_meeting m, mentoring_sessions_reminderitem r, mentoring_sessions_comment c,"
            " programs_checkin k"
        )
        return cursor.fetchone()


def relfilenode(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT relfilenode FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_the_upgrade_encrypts_what_is_stored_and_the_way_back_decrypts():
    require(connection.vendor == "postgresql", "the upgrade is tested on PostgreSQL: set DATABASE_URL=postgres://…")
    try:
        old_rows(migrate(BEFORE))
        plain = stored()
        assert plain[0] == "Gammalt syfte" and plain[5] == ITEM
        tables = {
            table: relfilenode(table) for table in ("mentoring_sessions_reminderitem", "mentoring_sessions_meeting")
        }

        # Through every later migration too: the rows are read with today's models.
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        encrypted = stored()
        assert {table: relfilenode(table) for table in tables} == tables  # no table was rewritten
        assert encrypted[1] == encrypted[4] == ""  # empty stays empty
        for value in (encrypted[0], encrypted[3], encrypted[5], encrypted[6], encrypted[7]):
            assert value.startswith(crypto.PREFIX)
        assert "Gammalt" not in encrypted[2]
        assert Agreement.objects.get().purpose_and_goals == "Gammalt syfte"
        assert AgreementVersion.objects.get().content["purpose_and_goals"] == "Gammalt syfte"
        assert Meeting.objects.get().summary == "Gamla anteckningar"
        assert ReminderItem.objects.get().text == ITEM
        assert Comment.objects.get().text == "Gammal kommentar"
        assert CheckIn.objects.get().note == "Gammal avstämning"

        migrate(BEFORE)
        assert stored()[:2] == plain[:2] and stored()[3:] == plain[3:]
        assert '"purpose_and_goals": "Gammalt syfte"' in stored()[2]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
