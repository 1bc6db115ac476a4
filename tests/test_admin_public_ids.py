"""The admin names pairs and meetings by public id, never by integer key
(GUIDE: "integer primary keys stay internal")."""

import re
import uuid

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Mentorship

from .factories import MeetingFactory, MentorshipFactory
from .helpers.admin_forms import pair_form

pytestmark = pytest.mark.django_db


def hrefs(html, model):
    return re.findall(rf'href="(/admin/[a-z_]+/{model}/[^"]*)"', html)


def test_lists_link_pairs_and_meetings_by_public_id(client_for, coordinator, mentorship):
    meeting = MeetingFactory(mentorship=mentorship, number=2)
    client = client_for(coordinator)

    pairs = client.get(reverse("admin:programs_mentorship_changelist")).content.decode()
    meetings = client.get(reverse("admin:mentoring_sessions_meeting_changelist")).content.decode()
    pair_links, meeting_links = hrefs(pairs, "mentorship"), hrefs(meetings, "meeting")

    assert f"/admin/programs/mentorship/{mentorship.public_id}/change/" in pair_links
    assert f"/admin/mentoring_sessions/meeting/{meeting.public_id}/change/" in meeting_links
    assert not [link for link in pair_links + meeting_links if re.search(r"/\d+/", link)]


@pytest.mark.parametrize("action", ["change", "history", "delete", ""])
def test_an_integer_key_in_the_address_is_a_404_even_for_ones_own_pair(client_for, coordinator, mentorship, action):
    meeting = MeetingFactory(mentorship=mentorship, number=2)
    client = client_for(coordinator)
    for model, obj in (("programs/mentorship", mentorship), ("mentoring_sessions/meeting", meeting)):
        suffix = f"{action}/" if action else ""
        assert client.get(f"/admin/{model}/{obj.pk}/{suffix}").status_code == 404
        by_public_id = client.get(f"/admin/{model}/{obj.public_id}/{suffix}", follow=True)
        # A pair with a meeting is ended, not deleted; meetings are read-only.
        assert by_public_id.status_code == (403 if action == "delete" else 200)


def test_the_program_page_links_its_pairs_list_not_a_pair_by_its_key(client_for, coordinator, program, mentorship):
    html = client_for(coordinator).get(reverse("admin:programs_program_change", args=[program.pk])).content.decode()
    assert f"/admin/programs/mentorship/?program__id__exact={program.pk}" in html
    assert f"/admin/programs/mentorship/{mentorship.pk}/" not in html


def test_the_program_page_costs_the_same_queries_for_many_pairs(client_for, coordinator, program):
    client = client_for(coordinator)
    url = reverse("admin:programs_program_change", args=[program.pk])
    MentorshipFactory(program=program)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(10):
        MentorshipFactory(program=program)
    with CaptureQueriesContext(connection) as eleven:
        client.get(url)
    assert len(eleven) == len(one)


def test_saving_a_pair_returns_to_it_by_public_id_and_the_history_names_it_so(client_for, coordinator, program):
    client = client_for(coordinator)
    form = pair_form(program, mentee_email="ny.mentee@example.org", _continue="1")
    del form["_save"]
    response = client.post(reverse("admin:programs_mentorship_add"), form)
    pair = Mentorship.objects.get(mentee__email="ny.mentee@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/programs/mentorship/{pair.public_id}/change/"
    index = client.get(reverse("admin:index")).content.decode()
    assert f"/admin/programs/mentorship/{pair.public_id}/change/" in index  # "recent actions"


@pytest.mark.parametrize("suffix", ["change/", "history/", ""])
def test_an_unknown_public_id_is_answered_like_one_of_another_program(
    client_for, other_coordinator, mentorship, suffix
):
    meeting = MeetingFactory(mentorship=mentorship, number=2)
    client = client_for(other_coordinator)
    for model, theirs in (("programs/mentorship", mentorship), ("mentoring_sessions/meeting", meeting)):
        unknown = client.get(f"/admin/{model}/{uuid.uuid4()}/{suffix}", follow=True)
        not_theirs = client.get(f"/admin/{model}/{theirs.public_id}/{suffix}", follow=True)
        assert unknown.status_code == not_theirs.status_code == 404
        assert len(unknown.redirect_chain) == len(not_theirs.redirect_chain)


def test_the_history_of_a_deleted_pair_links_nowhere(client_for, superuser, program):
    """The admin's "recent actions" keep entries of deleted pairs; like
    Django's own, they must not link to a page that is not there."""
    client = client_for(superuser)
    pair = MentorshipFactory(program=program)
    changed = LogEntry.objects.create(
        user=superuser,
        content_type=ContentType.objects.get_for_model(Mentorship),
        object_id=str(pair.pk),
        object_repr="par",
        action_flag=CHANGE,
    )
    assert changed.get_admin_url() == f"/admin/programs/mentorship/{pair.public_id}/change/"
    pair.delete()

    assert changed.get_admin_url() is None
    html = client.get(reverse("admin:index")).content.decode()
    assert "/admin/programs/mentorship/00000000-" not in html
