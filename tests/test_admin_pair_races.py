"""Two coordinators adding the same pair or the same new person at the same
instant: the second one gets a message or the existing person, never a
server error from a unique constraint.

The races are made deterministic on PostgreSQL: this test holds the row the
other request needs, waits until PostgreSQL reports that request as waiting
for the lock, does the clashing write and commits.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from programs.models import Mentorship, Program
from programs.pair_import import ImportResult, PairRow, import_pairs
from programs.services import mentorship_create, person_get_or_create
from sessions.models import Agreement

from .factories import UserFactory
from .helpers.admin_forms import pair_form
from .helpers.races import in_thread, wait_until_another_session_waits_for_a_lock


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_pair_added_twice_at_once_gives_the_second_a_message(postgres, client_for, coordinator, program):
    mentor = UserFactory(email="mentor.samtidig@example.org")
    mentee = UserFactory(email="mentee.samtidig@example.org")
    client = client_for(coordinator)
    form = pair_form(program, mentor_email=mentor.email, mentee_email=mentee.email)

    with transaction.atomic():
        Program.objects.select_for_update().get(pk=program.pk)  # the first coordinator, mid-save
        join = in_thread(lambda: client.post(reverse("admin:programs_mentorship_add"), form))
        wait_until_another_session_waits_for_a_lock()
        mentorship_create(program=program, mentor=mentor, mentee=mentee, notify=False)
    response = join()

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert Mentorship.objects.filter(program=program).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_new_person_added_twice_at_once_is_one_person(postgres):
    with transaction.atomic():
        first = UserFactory(email="ny.person@example.org", name="Ny Person")  # not committed yet
        join = in_thread(lambda: person_get_or_create(email="Ny.Person@example.org", name="Annat Namn"))
        wait_until_another_session_waits_for_a_lock()  # on the unique e-mail
    person, created = join()

    assert (person.pk, created) == (first.pk, False)
    assert User.objects.filter(email__iexact="ny.person@example.org").count() == 1


@pytest.mark.django_db
def test_a_pair_added_between_the_check_and_the_import_stops_the_whole_import(program):
    def row(line, mentor, mentee):
        people = {"mentor_email": mentor, "mentor_name": "", "mentee_email": mentee, "mentee_name": ""}
        return PairRow(line=line, program=program, mentor_organisation="", mentee_organisation="", **people)

    result = ImportResult([row(2, "a@example.org", "b@example.org"), row(3, "c@example.org", "d@example.org")], [])
    mentorship_create(
        program=program,
        mentor=UserFactory(email="c@example.org"),
        mentee=UserFactory(email="d@example.org"),
        notify=False,
    )

    with pytest.raises(ValidationError) as raised:
        import_pairs(result)

    assert "Rad 3" in " ".join(raised.value.messages)  # Swedish, the default language
    assert Mentorship.objects.count() == 1
    assert not User.objects.filter(email="a@example.org").exists()  # all or nothing


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_agreement_saved_while_its_pair_is_deleted_is_a_404_not_a_server_error(
    postgres, client_for, mentee, mentorship
):
    client = client_for(mentee)
    form = {"version": 0, "purpose_and_goals": "Mål", "confidentiality": "private"}
    with transaction.atomic():
        Mentorship.objects.select_for_update().filter(pk=mentorship.pk).order_by().first()  # the deleting admin
        join = in_thread(lambda: client.post(reverse("agreement_edit", args=[mentorship.public_id]), form))
        wait_until_another_session_waits_for_a_lock()
        Mentorship.objects.filter(pk=mentorship.pk).delete()
    response = join()

    assert response.status_code == 404
    assert not Agreement.objects.exists()
