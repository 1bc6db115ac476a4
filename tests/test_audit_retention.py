"""The trail's part in retention and erasure (issue 12): the functions the
privacy app calls. trail_purge drops a program's or some pairs' entries
(older than a date); trail_forget_person takes a person's name and address
out of every entry."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import note_read_record, trail_forget_person, trail_purge
from tests.factories import AgreementFactory, MeetingFactory, MentorshipFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_purging_a_program_takes_its_pairs_and_their_journal_with_it(program, mentorship):
    AgreementFactory(mentorship=mentorship)
    MeetingFactory(mentorship=mentorship, number=2)
    deleted_pair = MentorshipFactory(program=program)
    deleted_pk = deleted_pair.pk
    deleted_pair.delete()
    other = MentorshipFactory()
    MeetingFactory(mentorship=other, number=2)
    ours = AuditEntry.objects.filter(mentorship_id__in=[mentorship.pk, deleted_pk]).count()
    kept = AuditEntry.objects.filter(mentorship_id=other.pk).count()
    assert ours and kept
    assert trail_purge(program_id=program.pk, mentorship_ids=[mentorship.pk]) >= ours
    assert not AuditEntry.objects.filter(program_id=program.pk).exists()
    assert not AuditEntry.objects.filter(mentorship_id__in=[mentorship.pk, deleted_pk]).exists()
    assert AuditEntry.objects.filter(mentorship_id=other.pk).count() == kept


def test_purging_only_what_is_older_than_a_date(mentorship):
    MeetingFactory(mentorship=mentorship, number=2)
    old = AuditEntry.objects.filter(mentorship_id=mentorship.pk)
    old.update(timestamp=timezone.now() - dt.timedelta(days=800))
    MeetingFactory(mentorship=mentorship, number=3)
    recent = AuditEntry.objects.filter(
        mentorship_id=mentorship.pk, timestamp__gte=timezone.now() - dt.timedelta(days=1)
    )
    recent_ids = set(recent.values_list("pk", flat=True))
    assert recent_ids
    trail_purge(mentorship_ids=[mentorship.pk], before=timezone.now() - dt.timedelta(days=730))
    assert set(AuditEntry.objects.filter(mentorship_id=mentorship.pk).values_list("pk", flat=True)) == recent_ids
    assert trail_purge(mentorship_ids=[]) == 0


def _every_text_in_the_trail():
    return " ".join(
        str(value) for row in AuditEntry.objects.values() for value in row.values() if value is not None
    ).lower()


def test_forgetting_a_person_leaves_neither_name_nor_address(client_for, program):
    person = UserFactory(email="Åsa.Öberg@example.org".lower(), name="Åsa Öberg")
    coordinator = UserFactory(email="samordnare@example.org", name="Sara Samordnare", is_staff=True)
    program.coordinators.add(coordinator, person)
    pair = MentorshipFactory(program=program, mentor=person)
    pair.ends_on = pair.starts_on
    pair.save()
    AgreementFactory(mentorship=pair)
    note_read_record(reader=person, instance=pair, read=["agreement"], page="mentorship")
    # What the erasure does first: the person's own row anonymised (itself an entry "Åsa → ...").
    person.name, person.email = "Anonym", f"anonym-{person.pk}@invalid"
    person.save()
    assert "åsa öberg" in _every_text_in_the_trail()
    changed = trail_forget_person(name="Åsa Öberg", email="åsa.öberg@example.org", placeholder="[borttagen]")
    assert changed > 0
    trail = _every_text_in_the_trail()
    assert "åsa" not in trail and "öberg" not in trail
    assert trail_forget_person(name="Åsa Öberg", email="åsa.öberg@example.org", placeholder="[borttagen]") == 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_auditentry t WHERE t::text ILIKE %s", ["%öberg%"])
            assert cursor.fetchone()[0] == 0


def test_forgetting_no_name_changes_nothing(db):
    ProgramFactory()
    assert trail_forget_person(name="", email="", placeholder="x") == 0
