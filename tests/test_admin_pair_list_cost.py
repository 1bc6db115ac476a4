"""The admin's pair list at its cost: rows written as Django writes them, no
note text decrypted, no pair read for the filters' choices, the same queries
at 10 pairs as at 50 (the list's page)."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from mentorskap import crypto
from programs.admin.pair_rows import COLUMNS, pair_rows
from programs.models import FocusArea, Mentorship, MentorshipStatus
from sessions.models import Agreement, MeetingStatus
from tests.helpers.admin_forms import admin_url
from tests.helpers.bounces import bounce

from .factories import AgreementFactory, MeetingFactory, MentorshipFactory, UserFactory


def _pairs_with_journals(program, count):
    for _ in range(count):
        pair = MentorshipFactory(program=program)
        pair.focus_areas.add(*FocusArea.objects.filter(kind=program.kind)[:2])
        AgreementFactory(mentorship=pair, mentee_confirmed_at=timezone.now(), mentor_confirmed_at=timezone.now())
        MeetingFactory(mentorship=pair, number=1, starts_at=timezone.now() - dt.timedelta(days=7), summary="Vi möttes.")
        MeetingFactory(mentorship=pair, number=2)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("filtered", [False, True], ids=["all", "one-program"])
def test_the_rows_are_djangos_own(client_for, coordinator, program, mentorship, language, filtered):
    """programs.admin.pair_rows writes each cell as Django's items_for_result
    does: every kind of cell (a name to escape, a bounce, no agreement, an
    agreement half confirmed, a meeting ahead or none, an ended pair)."""
    _pairs_with_journals(program, 2)
    AgreementFactory(mentorship=mentorship, mentee_confirmed_at=timezone.now())
    MeetingFactory(mentorship=mentorship, number=2, starts_at=timezone.now() + dt.timedelta(days=3))
    MeetingFactory(mentorship=mentorship, number=3, status=MeetingStatus.CANCELLED)
    odd = MentorshipFactory(program=program, status=MentorshipStatus.ENDED, mentee=UserFactory(name='Ann "<b>" & Co'))
    bounce(odd, odd.mentee, answer="550 <script>alert(1)</script>")
    params = {"program__id__exact": program.pk, "status__exact": "ended"} if filtered else {}
    with translation.override(language):
        cl = client_for(coordinator).get(admin_url(Mentorship), params).context["cl"]
        assert len(cl.result_list) == (1 if filtered else 4)
        assert list(cl.list_display) == COLUMNS  # written by pair_rows, not handed back to Django
        djangos = ["".join(items_for_result(cl, row, None)) for row in cl.result_list]
        assert ["".join(row) for row in pair_rows(cl)] == djangos


def test_the_list_decrypts_no_notes_and_reads_no_pairs_for_its_filters(client_for, coordinator, program):
    """The list shows no note text: no agreement or meeting is decrypted for
    it. Its filters' choices are kept with the program's figures: a view with
    them kept reads no pair's focus areas (Django's RelatedOnlyFieldListFilter
    read them for every pair in scope). And 50 pairs cost the queries 10 do."""
    client = client_for(coordinator)
    params = {"program__id__exact": program.pk}

    def view():
        client.get(admin_url(Mentorship), params)  # after a write: the filters' choices read afresh
        decrypting = mock.patch.object(crypto, "decrypt", wraps=crypto.decrypt)
        with decrypting as decrypt, CaptureQueriesContext(connection) as queries:
            response = client.get(admin_url(Mentorship), params)
        assert response.status_code == 200
        assert decrypt.call_count == 0
        read = [query["sql"] for query in queries.captured_queries]
        assert not [sql for sql in read if "programs_mentorship_focus_areas" in sql or "DISTINCT" in sql]
        return len(response.context["cl"].result_list), len(read)

    _pairs_with_journals(program, 10)
    rows, at_ten = view()
    assert rows == 10
    _pairs_with_journals(program, 40)
    assert view() == (50, at_ten)
    # The count of decrypts counts: reading the agreements decrypts their texts.
    with mock.patch.object(crypto, "decrypt", wraps=crypto.decrypt) as decrypt:
        list(Agreement.objects.all())
    assert decrypt.call_count >= 50
