"""Both parties say "Vi är överens" at the same instant on a version that
raises the level of confidentiality: the second confirmation must see the
first, so the agreed level is in force (and not left at the old one with
both confirmations stored). Made deterministic on PostgreSQL as in
test_admin_pair_races: this test holds the first confirmation's transaction
open until the second waits for the row."""

import pytest
from django.db import transaction

from sessions.models import Agreement, Confidentiality
from sessions.services import agreement_confirm
from tests.factories import AgreementFactory
from tests.helpers.races import in_thread, wait_until_another_session_waits_for_a_lock


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_put_the_agreed_level_in_force(postgres, mentorship):
    agreement = AgreementFactory(mentorship=mentorship, confidentiality=Confidentiality.OPEN)

    def mentor_confirms():
        return agreement_confirm(
            agreement=Agreement.objects.get(pk=agreement.pk), user=mentorship.mentor, version=agreement.version
        )

    with transaction.atomic():
        agreement_confirm(agreement=agreement, user=mentorship.mentee, version=agreement.version)
        join = in_thread(mentor_confirms)
        wait_until_another_session_waits_for_a_lock()
    join()

    agreement.refresh_from_db()
    assert agreement.is_confirmed
    assert agreement.shared_confidentiality == Confidentiality.OPEN
