"""A coordinator sees whose e-mail bounced, on the pairs of their programs:
a line under the person's name on the pair list, and a warning on the
pair's page with the server's answer. Another program's coordinator sees
nothing of it."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outbox.enqueue import mail_enqueue
from outbox.models import MailStatus, OutgoingMail
from programs.mail_kinds import ProgramMail
from tests.factories import MentorshipFactory
from tests.helpers.bounces import ANSWER, bounce

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:programs_mentorship_changelist")


def change_page(pair):
    return reverse("admin:programs_mentorship_change", args=[pair.public_id])


def test_the_coordinator_sees_the_bounce_on_the_list_and_the_pair(client_for, coordinator, mentorship, mentee):
    bounce(mentorship, mentee)
    client = client_for(coordinator)
    listed = client.get(CHANGELIST).content.decode()
    # In words under the name, in the mentee's cell (the list has no bounce column).
    assert re.search(
        rf'<th class="field-mentee_person"><a [^>]*>{re.escape(mentee.name)} '
        rf'<small class="pair-bounce">E-post studsar: {re.escape(mentee.email)}</small></a></th>',
        listed,
    )
    assert "field-mail_bounced" not in listed
    page = client.get(change_page(mentorship)).content.decode()
    assert f"E-post till {mentee.email} studsade: {ANSWER}" in page


def test_another_programs_coordinator_sees_nothing(client_for, other_coordinator, mentorship, mentee):
    bounce(mentorship, mentee)
    client = client_for(other_coordinator)
    assert "studsar" not in client.get(CHANGELIST).content.decode()
    assert client.get(change_page(mentorship)).status_code == 404


def test_a_later_e_mail_that_arrived_clears_the_bounce(client_for, coordinator, mentorship, mentee):
    old = bounce(mentorship, mentee)
    OutgoingMail.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    reached = mail_enqueue(recipient=mentee, kind=ProgramMail.PAIR_NOTICE, mentorship=mentorship)
    OutgoingMail.objects.filter(pk=reached.pk).update(status=MailStatus.SENT, sent_at=timezone.now())
    client = client_for(coordinator)
    assert "studsar" not in client.get(CHANGELIST).content.decode()
    assert ANSWER not in client.get(change_page(mentorship)).content.decode()


def test_the_servers_answer_is_shown_as_text(client_for, coordinator, mentorship, mentor):
    bounce(mentorship, mentor, answer="550 <script>alert(1)</script>")
    page = client_for(coordinator).get(change_page(mentorship)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_name_under_which_the_bounce_stands_is_shown_as_text(client_for, coordinator, program):
    pair = MentorshipFactory(program=program, mentor__name="Erik <b>Mentor</b>")
    bounce(pair, pair.mentor)
    page = client_for(coordinator).get(CHANGELIST).content.decode()
    assert 'Erik &lt;b&gt;Mentor&lt;/b&gt; <small class="pair-bounce">E-post studsar:' in page


def test_bounces_add_no_query_per_pair(client_for, coordinator, program, django_assert_max_num_queries):
    first = MentorshipFactory(program=program)
    bounce(first, first.mentee)
    client = client_for(coordinator)
    client.get(CHANGELIST)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one_pair:
        client.get(CHANGELIST)
    one_pair = len(one_pair)  # counted now: the next request starts the log afresh
    for _ in range(20):
        pair = MentorshipFactory(program=program)
        bounce(pair, pair.mentee)
        bounce(pair, pair.mentor)
    client.get(CHANGELIST)  # the filters' choices, kept with the program's figures, read afresh after the new pairs
    with django_assert_max_num_queries(one_pair):
        response = client.get(CHANGELIST)
    assert response.content.decode().count('<small class="pair-bounce">') == 41
