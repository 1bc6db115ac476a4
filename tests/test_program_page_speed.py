"""How the program page stays fast at 10,000 pairs (issue 10, "Speed"),
held as behaviour: the rows read no note text, the count of pairs comes from
the program's figures when it can, the search finds either person by any
word, and on PostgreSQL the indexes the sort and the search read exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from programs.models import Mentorship, MentorshipStatus

from .factories import MentorshipFactory
from .helpers.program_pairs import many_pairs, page_url
from .helpers.services import require

pytestmark = pytest.mark.django_db


def test_the_rows_read_no_note_text_from_the_database(client_for, coordinator, program):
    many_pairs(program, 5)
    with CaptureQueriesContext(connection) as queries:
        response = client_for(coordinator).get(page_url(program))
    assert len(response.context["pairs"]) == 5
    sql = " ".join(query["sql"] for query in queries)
    for column in ("purpose_and_goals", '"summary"', "end_note", "confidentiality_notes"):
        assert column not in sql
    # What the rows show of the agreement is still there.
    assert all(pair.agreement.is_started for pair in response.context["pairs"])


def test_the_count_comes_from_the_figures_and_follows_a_new_pair(client_for, coordinator, program):
    pairs = many_pairs(program, 6)
    Mentorship.objects.filter(pk=pairs[0].pk).update(status=MentorshipStatus.ENDED)
    client = client_for(coordinator)
    client.get(page_url(program))  # the figures are computed and kept
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(program))
    assert response.context["page"].paginator.count == 6
    assert not any("COUNT(*)" in query["sql"] for query in queries)
    assert client.get(page_url(program, status="ended")).context["page"].paginator.count == 1
    assert client.get(page_url(program, status="active")).context["page"].paginator.count == 5
    MentorshipFactory(program=program, status=MentorshipStatus.ACTIVE)  # a save renews the figures
    assert client.get(page_url(program)).context["page"].paginator.count == 7
    assert client.get(page_url(program, status="active")).context["page"].paginator.count == 6


def test_the_search_finds_the_mentor_and_every_word_must_match(client_for, coordinator, program):
    pairs = many_pairs(program, 4)
    mentor = pairs[2].mentor
    mentor.name, mentor.email = "Örjan Lindqvist", "orjan@example.org"
    mentor.save()
    client = client_for(coordinator)
    for query in ("lindqvist", "ÖRJAN", "orjan@", "Örjan+Lindqvist"):
        assert [p.pk for p in client.get(page_url(program, q=query)).context["pairs"]] == [pairs[2].pk]
    assert client.get(page_url(program, q="Örjan+Nilsson")).context["pairs"] == []


def test_postgresql_has_the_sort_and_search_indexes():
    require(connection.vendor == "postgresql", "the indexes are PostgreSQL's: set DATABASE_URL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'accounts_user'")
        indexes = dict(cursor.fetchall())
    assert "(name, email)" in indexes["user_name_email"]
    assert "gin_trgm_ops" in indexes["user_name_trgm"] and "upper" in indexes["user_name_trgm"].lower()
    assert "gin_trgm_ops" in indexes["user_email_trgm"]
    # New people go straight into the index, not into a pending list the planner shies away from.
    assert "fastupdate=off" in indexes["user_name_trgm"] and "fastupdate=off" in indexes["user_email_trgm"]
    # The search's query is one the trigram index can answer.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM accounts_user WHERE UPPER(name::text) LIKE UPPER('%lindq%')")
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "user_name_trgm" in plan


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_rows_say_what_the_template_filters_would(client_for, coordinator, program, language):
    many_pairs(program, 3)
    client = client_for(coordinator)
    client.cookies["django_language"] = language
    coordinator.language = language
    coordinator.save()
    response = client.get(page_url(program), headers={"accept-language": language})
    assert response.status_code == 200 and response.headers["Content-Language"] == language
    with translation.override(language):
        for pair, row in zip(response.context["pairs"], response.context["rows"], strict=True):
            assert row["url"] == reverse("program_pair", args=[pair.public_id])
            assert row["last"] == date_format(timezone.localtime(pair.last_at), "j F Y")
            assert row["next"] == date_format(timezone.localtime(pair.next_at), "j F Y H:i")
            assert row["status"] == str(pair.get_status_display())
            assert row["url"] in response.content.decode()


def test_the_filter_reads_its_focus_areas_without_a_server_side_cursor(client_for, coordinator, program):
    pairs = many_pairs(program, 2)
    area = pairs[0].program.focus_areas.model.objects.first()
    pairs[0].focus_areas.add(area)
    with CaptureQueriesContext(connection) as queries:
        response = client_for(coordinator).get(page_url(program))
    assert f'<option value="{area.pk}">{area.name}</option>' in response.content.decode()
    assert not any("DECLARE" in query["sql"] for query in queries)
