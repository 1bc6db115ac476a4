"""Deleting a pair in the admin.

A pair whose journal has not started (a mistyped pair) is deleted by its
program's coordinators, with its invitations and outbox rows. A pair whose
journal has started is ended, not deleted; only a superuser erases one.
"""

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.db import connection, transaction
from django.urls import reverse

from accounts.models import Invitation
from outbox.models import OutgoingMail
from programs.models import Mentorship
from sessions.mail_kinds import SessionMail
from sessions.models import Agreement, Comment, Meeting, ReminderItem
from sessions.services.agreement import agreement_content, agreement_save

from .factories import AgreementFactory, MeetingFactory, MentorshipFactory, OutgoingMailFactory
from .helpers.admin_forms import pair_form
from .helpers.races import in_thread, wait_until_another_session_waits_for_a_lock
from .helpers.services import require

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def delete_url(pair):
    return reverse("admin:programs_mentorship_delete", args=[pair.pk])


CHANGELIST = reverse("admin:programs_mentorship_changelist")


def bulk_delete(client, *pairs, confirmed=True):
    data = {"action": "delete_selected", "_selected_action": [pair.pk for pair in pairs]}
    if confirmed:
        data["post"] = "yes"
    return client.post(CHANGELIST, data)


@pytest.fixture
def fresh_pair(client_for, coordinator, program):
    """A pair added in the admin, its two people invited, nothing written yet."""
    form = pair_form(program, mentor_email="felskriven.mentor@exmaple.org", mentee_email="ny.adept@example.org")
    client_for(coordinator).post(reverse("admin:programs_mentorship_add"), form)
    pair = Mentorship.objects.get(mentor__email="felskriven.mentor@exmaple.org")
    assert Invitation.objects.filter(mentorship=pair).count() == 2
    assert OutgoingMail.objects.filter(mentorship=pair).count() == 2
    return pair


@pytest.fixture
def started_pair(mentorship):
    AgreementFactory(mentorship=mentorship)
    return mentorship


def is_gone(pair):
    return not Mentorship.objects.filter(pk=pair.pk).exists()


def test_a_coordinator_deletes_a_fresh_pair_with_its_invitations_and_outbox(client_for, coordinator, fresh_pair):
    client = client_for(coordinator)

    page = client.get(delete_url(fresh_pair))
    assert page.status_code == 200
    assert not page.context["perms_lacking"]
    response = client.post(delete_url(fresh_pair), {"post": "yes"})

    assert response.status_code == 302
    assert is_gone(fresh_pair)
    assert not Invitation.objects.filter(mentorship_id=fresh_pair.pk).exists()
    assert not OutgoingMail.objects.filter(mentorship_id=fresh_pair.pk).exists()
    # The deletion is in the admin's history, as any other.
    assert LogEntry.objects.filter(object_id=str(fresh_pair.pk)).exists()


def test_a_coordinator_deletes_fresh_pairs_from_the_list(client_for, coordinator, fresh_pair, program):
    second = MentorshipFactory(program=program)
    client = client_for(coordinator)

    assert bulk_delete(client, fresh_pair, second, confirmed=False).status_code == 200
    response = bulk_delete(client, fresh_pair, second)

    assert response.status_code == 302
    assert is_gone(fresh_pair) and is_gone(second)


def test_a_coordinator_cannot_delete_a_pair_whose_journal_has_started(client_for, coordinator, started_pair):
    client = client_for(coordinator)

    change_page = client.get(reverse("admin:programs_mentorship_change", args=[started_pair.pk]))
    assert delete_url(started_pair) not in change_page.content.decode()
    assert client.get(delete_url(started_pair)).status_code == 403
    assert client.post(delete_url(started_pair), {"post": "yes"}).status_code == 403
    confirmation = bulk_delete(client, started_pair, confirmed=False)
    assert "end them instead" in confirmation.content.decode()
    assert bulk_delete(client, started_pair).status_code == 403

    assert not is_gone(started_pair)
    assert Agreement.objects.filter(mentorship=started_pair).exists()


def test_a_booked_meeting_is_a_started_journal_too(client_for, coordinator, mentorship):
    MeetingFactory(mentorship=mentorship, number=1)

    assert client_for(coordinator).post(delete_url(mentorship), {"post": "yes"}).status_code == 403
    assert not is_gone(mentorship)


def test_one_started_pair_among_the_selected_stops_the_whole_delete(client_for, coordinator, fresh_pair, started_pair):
    response = bulk_delete(client_for(coordinator), fresh_pair, started_pair)

    assert response.status_code == 403
    assert not is_gone(fresh_pair) and not is_gone(started_pair)


def test_another_programs_coordinator_gets_404_and_deletes_nothing(client_for, other_coordinator, fresh_pair):
    client = client_for(other_coordinator)

    assert client.get(delete_url(fresh_pair)).status_code == 404
    assert client.post(delete_url(fresh_pair), {"post": "yes"}).status_code == 404
    bulk_delete(client, fresh_pair)

    assert not is_gone(fresh_pair)


def test_a_superuser_erases_a_pair_with_its_journal(client_for, superuser, started_pair):
    meeting = MeetingFactory(mentorship=started_pair, number=2, summary="Hemlig-anteckning-77aa")
    ReminderItem.objects.create(meeting=meeting, text="Hemlig-kom-ihåg-77ab")
    Comment.objects.create(meeting=meeting, author=started_pair.mentor, text="Hemlig-kommentar-77ac")
    OutgoingMailFactory(
        recipient=started_pair.mentor, mentorship=started_pair, meeting=meeting, kind=SessionMail.MEETING_BOOKED
    )
    client = client_for(superuser)

    page = client.get(delete_url(started_pair))
    assert page.status_code == 200
    assert not page.context["perms_lacking"]
    html = page.content.decode()
    assert "Hemlig" not in html
    assert "Comment" in html  # named by its kind only
    names = (started_pair.mentee.name, started_pair.mentor.name)
    response = client.post(delete_url(started_pair), {"post": "yes"})

    assert response.status_code == 302
    assert is_gone(started_pair)
    # The admin's history keeps that a pair was deleted, by whom and when - not who was in it.
    entries = LogEntry.objects.filter(object_id=str(started_pair.pk), content_type__model="mentorship")
    assert entries.filter(action_flag=DELETION).exists()
    assert not any(name in entry.object_repr for entry in entries for name in names)
    assert not Agreement.objects.exists()
    assert not Meeting.objects.exists()
    assert not Comment.objects.exists()
    assert not OutgoingMail.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_journal_started_while_the_pair_is_deleted_stops_the_delete(client_for, coordinator, mentorship):
    """The mentee saves the agreement for the first time as the coordinator
    confirms the delete: the delete waits for the agreement, then is refused."""
    require(connection.vendor == "postgresql", "row locks need PostgreSQL: set DATABASE_URL")
    client = client_for(coordinator)
    content = {**agreement_content(Agreement()), "purpose_and_goals": "Att växa som ledare."}

    with transaction.atomic():
        agreement_save(mentorship=mentorship, user=mentorship.mentee, content=content, base_version=0)
        join = in_thread(lambda: client.post(delete_url(mentorship), {"post": "yes"}))
        wait_until_another_session_waits_for_a_lock()
    response = join()

    assert response.status_code == 403
    assert not is_gone(mentorship)
    assert Agreement.objects.filter(mentorship=mentorship, version=1).exists()
