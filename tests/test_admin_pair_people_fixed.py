"""Once a pair has written in its journal, its people are fixed in the admin.

Whoever is put on a pair reads everything the pair has written, so a
coordinator who could put their own address on a pair with a journal could
read the notes the pair keeps from them. Before the journal starts, putting
one person in place of another is how a mistyped address is fixed.
"""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from programs.models import Mentorship
from sessions.models import Agreement
from sessions.services.agreement import agreement_content, agreement_save

from .factories import AgreementFactory, MeetingFactory
from .helpers.admin_forms import pair_edit_form
from .helpers.races import in_thread, wait_until_another_session_waits_for_a_lock
from .helpers.services import require

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SECRET_NOTE = "Hemlig-anteckning-b17e"


def change_url(mentorship):
    return reverse("admin:programs_mentorship_change", args=[mentorship.pk])


@pytest.fixture
def private_journal(mentorship):
    """An agreement kept between the two (the default level) and a meeting with notes."""
    AgreementFactory(mentorship=mentorship, summary=SECRET_NOTE)
    MeetingFactory(mentorship=mentorship, number=2, summary=SECRET_NOTE)
    return mentorship


def people(mentorship):
    mentorship.refresh_from_db()
    return mentorship.mentor_id, mentorship.mentee_id


@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_a_coordinator_cannot_put_themselves_on_a_pair_with_a_journal(client_for, coordinator, private_journal, role):
    pair = private_journal
    before = people(pair)
    client = client_for(coordinator)

    response = client.post(change_url(pair), pair_edit_form(pair, **{f"{role}_email": coordinator.email}))

    assert response.status_code == 200
    assert f"{role}_email" in response.context["adminform"].form.errors
    assert people(pair) == before
    detail = client.get(reverse("mentorship_detail", args=[pair.public_id]))
    assert detail.status_code == 200
    assert SECRET_NOTE not in detail.content.decode()


def test_the_people_of_a_pair_with_only_a_meeting_are_fixed_too(client_for, coordinator, mentorship):
    MeetingFactory(mentorship=mentorship, number=1)
    before = people(mentorship)

    response = client_for(coordinator).post(
        change_url(mentorship), pair_edit_form(mentorship, mentee_email="ny.adept@example.org", mentee_name="Ny")
    )

    assert response.status_code == 200
    assert people(mentorship) == before


def test_a_superuser_cannot_change_the_people_either(client_for, superuser, private_journal):
    before = people(private_journal)

    response = client_for(superuser).post(
        change_url(private_journal),
        pair_edit_form(private_journal, mentor_email=private_journal.mentee.email, mentee_email="x@example.org"),
    )

    assert response.status_code == 200
    assert people(private_journal) == before


def test_the_people_are_shown_read_only_with_the_reason(client_for, coordinator, private_journal):
    response = client_for(coordinator).get(change_url(private_journal))

    form = response.context["adminform"].form
    assert all(form.fields[name].disabled for name in ("mentor_email", "mentor_name", "mentee_email", "mentee_name"))
    assert "end this pair and create a new one" in response.content.decode()


def test_the_rest_of_a_pair_with_a_journal_can_still_be_changed(client_for, coordinator, private_journal):
    # A browser does not send disabled fields.
    data = pair_edit_form(private_journal, status="ended", ends_on="2026-06-30")
    for name in ("mentor_email", "mentor_name", "mentee_email", "mentee_name"):
        del data[name]

    response = client_for(coordinator).post(change_url(private_journal), data)

    assert response.status_code == 302
    private_journal.refresh_from_db()
    assert private_journal.status == "ended"


def test_an_address_written_differently_is_not_a_change(client_for, coordinator, private_journal):
    mentor = private_journal.mentor
    data = pair_edit_form(
        private_journal, mentor_email=f"  {mentor.email.upper()} ", mentor_name=mentor.name, status="active"
    )

    response = client_for(coordinator).post(change_url(private_journal), data)

    assert response.status_code == 302


def test_an_agreement_never_saved_does_not_fix_the_people(client_for, coordinator, mentorship):
    AgreementFactory(mentorship=mentorship, version=0, purpose_and_goals="", roles="")

    response = client_for(coordinator).post(
        change_url(mentorship), pair_edit_form(mentorship, mentor_email="ratt@example.org")
    )

    assert response.status_code == 302
    assert Mentorship.objects.get(pk=mentorship.pk).mentor.email == "ratt@example.org"


def test_a_mistyped_person_on_a_pair_without_journal_can_still_be_replaced(client_for, coordinator, mentorship):
    page = client_for(coordinator).get(change_url(mentorship))
    assert not page.context["adminform"].form.fields["mentor_email"].disabled

    response = client_for(coordinator).post(
        change_url(mentorship), pair_edit_form(mentorship, mentor_email="ratt@example.org")
    )

    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.mentor.email == "ratt@example.org"


def test_a_coordinator_may_still_be_a_party_of_a_new_pair_in_their_program(client_for, coordinator, mentorship):
    # Associations do that: the coordinator is also one side's contact person.
    response = client_for(coordinator).post(
        change_url(mentorship), pair_edit_form(mentorship, mentor_email=coordinator.email)
    )

    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.mentor == coordinator


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_journal_started_while_the_form_is_saved_still_fixes_the_people(client_for, coordinator, mentorship):
    """The mentee saves the agreement for the first time while the coordinator
    saves a swap: the admin waits for the agreement, then refuses the swap."""
    require(connection.vendor == "postgresql", "row locks need PostgreSQL: set DATABASE_URL")
    before = people(mentorship)
    client = client_for(coordinator)
    content = {**agreement_content(Agreement()), "purpose_and_goals": SECRET_NOTE}

    with transaction.atomic():
        agreement_save(mentorship=mentorship, user=mentorship.mentee, content=content, base_version=0)
        join = in_thread(
            lambda: client.post(change_url(mentorship), pair_edit_form(mentorship, mentor_email=coordinator.email))
        )
        wait_until_another_session_waits_for_a_lock()
    response = join()

    assert response.status_code == 200
    assert "mentor_email" in response.context["adminform"].form.errors
    assert people(mentorship) == before
