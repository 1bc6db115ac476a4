"""One answer per person and survey, when two tabs send at once (PostgreSQL,
made to happen with the survey's row lock as in test_admin_pair_races)."""

import pytest
from django.db import connection, transaction

from outbox.models import OutgoingMail
from surveys.links import link_read
from surveys.models import Answer, Invitation
from surveys.services import AnsweredWithAnotherLink, answer_save
from tests.factories import MentorshipFactory
from tests.helpers.races import in_thread, wait_until_another_session_waits_for_a_lock
from tests.helpers.surveys import checkin_asked, link_in

DATA = {"value": 4, "frequency": "monthly", "best": "", "better": "", "recommend": 9, "extra": {}}


def _secret(row):
    return link_read(link_in(row).rstrip("/").rsplit("/", 1)[1])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("anonymous", [True, False])
def test_two_tabs_with_the_same_link_make_one_answer_the_second_wins(postgres, program, mentorship, anonymous):
    program.survey_anonymous = anonymous
    program.save()
    invitation_id, secret = _secret(checkin_asked(mentorship)[0])

    def second_tab():
        return answer_save(invitation_id=invitation_id, secret=secret, data={**DATA, "value": 2})

    with transaction.atomic():
        answer_save(invitation_id=invitation_id, secret=secret, data=DATA)
        join = in_thread(second_tab)
        wait_until_another_session_waits_for_a_lock()
    join()
    assert list(Answer.objects.values_list("value", flat=True)) == [2]
    assert Invitation.objects.filter(answered=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_links_of_one_person_at_once_make_one_answer(postgres, mentorship):
    row = checkin_asked(mentorship)[0]
    (invitation_id, first), (_same, second) = _secret(row), _secret(row)

    def other_link():
        return answer_save(invitation_id=invitation_id, secret=second, data={**DATA, "value": 1})

    with transaction.atomic():
        answer_save(invitation_id=invitation_id, secret=first, data=DATA)
        join = in_thread(other_link)
        wait_until_another_session_waits_for_a_lock()
    with pytest.raises(AnsweredWithAnotherLink):
        join()
    assert list(Answer.objects.values_list("value", flat=True)) == [4]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_every_row_of_an_anonymous_survey_carries_the_same_transaction_id(postgres, program, mentorship, client):
    """xmin would otherwise pair an answer with the invitation marked answered in the same transaction."""
    for pair in [mentorship, MentorshipFactory(program=program)]:
        checkin_asked(pair)
    rows = list(OutgoingMail.objects.filter(kind="survey_invitation"))
    for row in rows[:3]:
        invitation_id, secret = _secret(row)
        answer_save(invitation_id=invitation_id, secret=secret, data=DATA)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM surveys_invitation UNION SELECT DISTINCT xmin::text FROM surveys_answer"
        )
        assert len(cursor.fetchall()) == 1
