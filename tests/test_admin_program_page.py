"""The program's admin page at any number of pairs: its form stays the same
size (the pairs are not inline), saving it unchanged works, its queries do
not grow, and it counts the pairs and links to their list and add form."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Mentorship, Program

from .factories import MentorshipFactory
from .helpers.admin_forms import admin_url, change_url, rendered_form
from .helpers.program_pairs import many_pairs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Past Django's 1,000 fields (DATA_UPLOAD_MAX_NUMBER_FIELDS) with five a pair inline.
OVER_THE_FIELD_LIMIT = 210


def pair_list_url(program):
    return f"{admin_url(Mentorship)}?program__id__exact={program.pk}"


def pair_add_url(program):
    return f"{admin_url(Mentorship, 'add')}?program={program.pk}"


def unchanged_form(client, program):
    """The program's form as the admin renders it, to post back as it is."""
    page = client.get(change_url(program))
    assert page.status_code == 200
    return rendered_form(page.content.decode(), "program_form")


def saved_fields(program):
    fresh = Program.objects.get(pk=program.pk)
    return {f.name: getattr(fresh, f.attname) for f in Program._meta.concrete_fields}


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_saving_the_page_unchanged_works_with_more_pairs_than_the_form_limit(request, client_for, program, who):
    many_pairs(program, OVER_THE_FIELD_LIMIT)
    client = client_for(request.getfixturevalue(who))
    before = saved_fields(program)
    data = unchanged_form(client, program)

    response = client.post(change_url(program), data)

    assert response.status_code == 302, response.content.decode()[:500]
    assert sum(len(values) for values in data.values()) < 100
    assert response["Location"] == admin_url(Program)
    assert saved_fields(program) == before
    assert Mentorship.objects.filter(program=program).count() == OVER_THE_FIELD_LIMIT


def test_a_change_saved_on_the_page_is_kept(client_for, coordinator, program):
    many_pairs(program, 30)
    client = client_for(coordinator)
    data = {**unchanged_form(client, program), "name": ["Ledarskap 2026 (höst)"], "stalled_after_weeks": ["4"]}
    assert client.post(change_url(program), data).status_code == 302
    program.refresh_from_db()
    assert (program.name, program.stalled_after_weeks) == ("Ledarskap 2026 (höst)", 4)


def test_queries_and_form_do_not_grow_with_the_pairs(client_for, coordinator, program):
    client = client_for(coordinator)
    many_pairs(program, 10, tag="a")
    client.get(change_url(program))
    with CaptureQueriesContext(connection) as ten:
        ten_pairs = client.get(change_url(program))
    many_pairs(program, 90, tag="b")
    with CaptureQueriesContext(connection) as hundred:
        hundred_pairs = client.get(change_url(program))

    assert len(hundred) == len(ten), [q["sql"][:120] for q in hundred.captured_queries]
    assert [f.formset.prefix for f in hundred_pairs.context["inline_admin_formsets"]] == ["survey_questions"]
    forms = [rendered_form(page.content.decode(), "program_form") for page in (ten_pairs, hundred_pairs)]
    assert forms[0].keys() == forms[1].keys()
    assert re.search(r"\b10 pairs\s+·", ten_pairs.content.decode())
    assert re.search(r"\b100 pairs\s+·", hundred_pairs.content.decode())


def test_the_page_counts_the_pairs_and_links_their_list(client_for, superuser, program, other_program):
    MentorshipFactory(program=program)
    MentorshipFactory(program=other_program)
    client = client_for(superuser)
    html = client.get(change_url(program)).content.decode()
    assert re.search(r"\b1 pair\s+·", html)
    assert f'href="{pair_list_url(program)}"' in html

    listed = client.get(pair_list_url(program)).context["cl"]
    assert [pair.program_id for pair in listed.result_list] == [program.pk]


def test_the_add_link_opens_a_pair_form_for_this_program(client_for, coordinator, program):
    client = client_for(coordinator)
    html = client.get(change_url(program)).content.decode()
    assert f'href="{pair_add_url(program).replace("&", "&amp;")}"' in html

    form = client.get(pair_add_url(program))
    assert form.status_code == 200
    assert rendered_form(form.content.decode(), "mentorship_form")["program"] == [str(program.pk)]


def test_an_ended_program_links_its_pairs_but_offers_no_new_one(client_for, coordinator, program):
    Program.objects.filter(pk=program.pk).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    html = client_for(coordinator).get(change_url(program)).content.decode()
    assert pair_list_url(program) in html
    assert pair_add_url(program) not in html


def test_a_coordinator_of_another_program_gets_404_and_changes_nothing(
    client_for, coordinator, other_coordinator, program, mentorship
):
    data = {**unchanged_form(client_for(coordinator), program), "name": ["Kapad"]}
    client = client_for(other_coordinator)
    assert client.get(change_url(program)).status_code == 404
    assert client.post(change_url(program), data).status_code == 404
    assert Program.objects.get(pk=program.pk).name == "Ledarskap 2026"
    # The link's filter names the program; the list still holds only their own pairs.
    assert list(client.get(pair_list_url(program)).context["cl"].result_list) == []


@pytest.mark.parametrize("who", ["outsider", "mentee", "anonymous"])
def test_people_not_staff_are_sent_to_the_admin_login(request, client_for, program, mentorship, who):
    client = client_for(None if who == "anonymous" else request.getfixturevalue(who))
    for response in (client.get(change_url(program)), client.post(change_url(program), {"name": "Kapad"})):
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert Program.objects.get(pk=program.pk).name == "Ledarskap 2026"
