"""Coordinators see how far each of a pair's people has come in: invited,
link expired, has chosen a password, logged in. One rule
(accounts.selectors.invitation_state), shown on the program page and on the
pair's admin page, where "Send the invitation" (or "Resend invitation", once
one was sent) sends a new link; after a pair
is saved, the admin says who was invited and who was told."""

import datetime as dt
import re

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Invitation, User
from accounts.selectors import InvitationState, invitation_state, invitation_states
from accounts.services import invitation_create
from programs.models import Mentorship

from .factories import MentorshipFactory, UserFactory
from .helpers.admin_forms import pair_edit_form, pair_form

pytestmark = pytest.mark.django_db

STATES_SV = {
    InvitationState.INVITED: "Inbjuden, har inte tackat ja",
    InvitationState.EXPIRED: "Inbjudningslänken har gått ut",
    InvitationState.LOGGED_IN: "Har loggat in",
    InvitationState.REGISTERED: "Har valt lösenord, inte loggat in än",
}


def no_password(email):
    return User.objects.create_user(email)


def expire(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))


def state_of(user):
    user.refresh_from_db()
    return invitation_state(user, list(user.invitations.all()))


def usable_now(user):
    return any(invitation.is_usable for invitation in Invitation.objects.filter(user=user).select_related("user"))


# --- The rule ------------------------------------------------------------------


def test_each_state(mentorship):
    nobody = no_password("aldrig.inbjuden@example.org")
    assert state_of(nobody) == InvitationState.NOT_INVITED

    invited = no_password("inbjuden@example.org")
    invitation_create(user=invited, mentorship=mentorship)
    assert state_of(invited) == InvitationState.INVITED

    expired = no_password("gammal.lank@example.org")
    expire(invitation_create(user=expired, mentorship=mentorship))
    assert state_of(expired) == InvitationState.EXPIRED
    # A new link makes them invited again.
    invitation_create(user=expired, mentorship=mentorship)
    assert state_of(expired) == InvitationState.INVITED

    reset = no_password("aterstallt@example.org")
    invitation_create(user=reset, mentorship=mentorship)
    reset.set_password("Eget-lösen-123")  # a password reset: not logged in
    reset.save()
    assert state_of(reset) == InvitationState.REGISTERED

    logged_in = no_password("inloggad@example.org")
    invitation_create(user=logged_in, mentorship=mentorship)
    User.objects.filter(pk=logged_in.pk).update(last_login=timezone.now())
    assert state_of(logged_in) == InvitationState.LOGGED_IN

    gone = no_password("slutat@example.org")
    invitation_create(user=gone, mentorship=mentorship)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    assert state_of(gone) == InvitationState.INACTIVE

    # "Invited" is exactly "a link of theirs works now", and only those
    # would get a new link.
    for person in (nobody, invited, expired, reset, logged_in, gone):
        state = state_of(person)
        assert (state == InvitationState.INVITED) == usable_now(person), person
        assert state.needs_invitation == (state in (InvitationState.INVITED, InvitationState.EXPIRED, "not_invited"))


def test_states_of_many_people_in_one_query(mentorship):
    people = [no_password(f"person.{n}@example.org") for n in range(5)]
    for person in people:
        invitation_create(user=person, mentorship=mentorship)
        invitation_create(user=person, mentorship=mentorship)
    with CaptureQueriesContext(connection) as captured:
        states = invitation_states(people)
    assert len(captured) == 1
    assert set(states.values()) == {InvitationState.INVITED}
    assert invitation_states([]) == {}


# --- The program page ----------------------------------------------------------


def test_the_program_page_shows_each_persons_state(client_for, coordinator, program, mentor):
    invited = no_password("ny.mentee@example.org")
    pair = MentorshipFactory(program=program, mentor=mentor, mentee=invited, status="invited")
    invitation_create(user=invited, mentorship=pair)
    User.objects.filter(pk=mentor.pk).update(last_login=timezone.now())
    expired = no_password("sen.mentee@example.org")
    expire(invitation_create(user=expired, mentorship=MentorshipFactory(program=program, mentee=expired)))

    response = client_for(coordinator).get(reverse("program_detail", args=[program.pk]))
    states = {(p.mentee.email, p.mentor.email): (p.mentee_state, p.mentor_state) for p in response.context["pairs"]}
    assert states[(invited.email, mentor.email)] == (InvitationState.INVITED, InvitationState.LOGGED_IN)
    [(expired_state, other_mentor_state)] = [v for (mentee, _m), v in states.items() if mentee == expired.email]
    # The factory's mentor has a password but has never logged in.
    assert (expired_state, other_mentor_state) == (InvitationState.EXPIRED, InvitationState.REGISTERED)
    html = response.content.decode()
    for state in STATES_SV.values():
        assert state in html


def test_program_page_query_count_does_not_grow_with_invited_people(client_for, coordinator, program):
    client = client_for(coordinator)
    url = reverse("program_detail", args=[program.pk])

    def add_pair(n):
        mentee = no_password(f"mentee.{n}@example.org")
        pair = MentorshipFactory(program=program, mentee=mentee)
        invitation_create(user=mentee, mentorship=pair)
        expire(invitation_create(user=mentee, mentorship=pair))

    add_pair(0)
    client.get(url)

    def count():
        """A view that computes the figures, and the next, from the cache."""
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(url).status_code == 200
        return len(cold), len(warm)

    few = count()
    for n in range(1, 26):
        add_pair(n)
    assert count() == few


# --- The pair's admin page -----------------------------------------------------


def change_url(pair):
    return reverse("admin:programs_mentorship_change", args=[pair.public_id])


def resend_url(pair):
    return reverse("admin:programs_mentorship_resend_invitation", args=[pair.public_id])


@pytest.fixture
def invited_pair(program, mentor):
    invited = no_password("ny.mentee@example.org")
    pair = MentorshipFactory(program=program, mentor=mentor, mentee=invited, status="invited")
    expire(invitation_create(user=invited, mentorship=pair))
    return pair


def test_the_pair_admin_page_shows_each_persons_state_and_the_resend_button(client_for, coordinator, invited_pair):
    response = client_for(coordinator).get(change_url(invited_pair))
    assert response.status_code == 200
    html = response.content.decode()
    assert STATES_SV[InvitationState.EXPIRED] in html
    assert STATES_SV[InvitationState.REGISTERED] in html  # the mentor
    assert f'action="{resend_url(invited_pair)}"' in html
    assert "Skicka inbjudan igen" in html


def button(html):
    """The text of the pair page's invitation button."""
    return re.search(r'<button type="submit" class="button">([^<]*)</button>', html).group(1)


def test_the_button_says_send_not_again_for_someone_never_invited(client_for, coordinator, program, mentor):
    pair = MentorshipFactory(program=program, mentor=mentor, mentee=no_password("aldrig@example.org"), status="invited")
    client = client_for(coordinator)
    assert button(client.get(change_url(pair)).content.decode()) == "Skicka inbjudan"
    with translation.override("en"):
        assert button(client.get(change_url(pair), HTTP_ACCEPT_LANGUAGE="en").content.decode()) == "Send the invitation"

    page = client.post(resend_url(pair), follow=True)
    assert [str(m) for m in page.context["messages"]] == ["En inbjudan har skickats till aldrig@example.org."]
    assert button(page.content.decode()) == "Skicka inbjudan igen"  # now it has been sent


def test_the_button_says_send_when_one_of_the_two_was_never_invited(client_for, coordinator, program, invited_pair):
    pair = MentorshipFactory(program=program, mentor=no_password("ny.mentor@example.org"), mentee=invited_pair.mentee)
    assert button(client_for(coordinator).get(change_url(pair)).content.decode()) == "Skicka inbjudan"


def test_the_button_says_again_when_everyone_waiting_was_invited(client_for, coordinator, invited_pair):
    assert button(client_for(coordinator).get(change_url(invited_pair)).content.decode()) == "Skicka inbjudan igen"


def test_no_resend_button_when_both_are_registered(client_for, coordinator, mentorship):
    html = client_for(coordinator).get(change_url(mentorship)).content.decode()
    assert resend_url(mentorship) not in html


def test_the_add_page_has_no_state(client_for, coordinator):
    response = client_for(coordinator).get(reverse("admin:programs_mentorship_add"))
    assert response.status_code == 200
    assert "mentor_account" not in str(response.context["adminform"].readonly_fields)


def test_resend_from_the_pair_page_sends_a_new_link(client_for, coordinator, invited_pair, mentor):
    client = client_for(coordinator)
    response = client.post(resend_url(invited_pair))
    assert response.status_code == 302 and response["Location"] == change_url(invited_pair)
    mentee = invited_pair.mentee
    assert Invitation.objects.filter(user=mentee).count() == 2
    assert not Invitation.objects.filter(user=mentor).exists()
    page = client.get(response["Location"])
    texts = [str(m) for m in page.context["messages"]]
    assert any(mentee.email in text for text in texts), texts
    assert STATES_SV[InvitationState.INVITED] in page.content.decode()


def test_resend_when_nobody_needs_a_link_sends_nothing(client_for, coordinator, mentorship):
    response = client_for(coordinator).post(resend_url(mentorship), follow=True)
    assert not Invitation.objects.exists()
    [message] = list(response.context["messages"])
    assert message.level == messages.INFO


def test_resend_is_a_post(client_for, coordinator, invited_pair):
    assert client_for(coordinator).get(resend_url(invited_pair)).status_code == 405
    assert Invitation.objects.filter(user=invited_pair.mentee).count() == 1


@pytest.mark.parametrize("who", ["other_coordinator", "superuser_unknown_id"])
def test_resend_for_a_pair_not_theirs_is_404(request, client_for, invited_pair, who):
    if who == "other_coordinator":
        client, url = client_for(request.getfixturevalue("other_coordinator")), resend_url(invited_pair)
        assert client.get(change_url(invited_pair)).status_code == 404
    else:
        client = client_for(request.getfixturevalue("superuser"))
        url = reverse("admin:programs_mentorship_resend_invitation", args=["6f1c0d8e-0000-4000-8000-000000000000"])
    assert client.post(url).status_code == 404
    assert Invitation.objects.filter(user=invited_pair.mentee).count() == 1


@pytest.mark.parametrize("who", ["outsider", "mentee_of_the_pair", "anonymous"])
def test_resend_for_non_staff_goes_to_the_admin_login(request, client_for, invited_pair, who):
    user = {"outsider": lambda: request.getfixturevalue("outsider"), "mentee_of_the_pair": lambda: invited_pair.mentee}
    client = client_for(user[who]() if who in user else None)
    response = client.post(resend_url(invited_pair))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert Invitation.objects.filter(user=invited_pair.mentee).count() == 1


def test_the_superuser_resends_too(client_for, superuser, invited_pair):
    assert client_for(superuser).post(resend_url(invited_pair)).status_code == 302
    assert Invitation.objects.filter(user=invited_pair.mentee).count() == 2


def test_an_integer_key_finds_no_pair(client_for, coordinator, invited_pair):
    url = resend_url(invited_pair).replace(str(invited_pair.public_id), str(invited_pair.pk))
    assert client_for(coordinator).post(url).status_code == 404


# --- After a save --------------------------------------------------------------


def test_after_adding_a_pair_the_admin_says_who_was_invited_and_who_told(client_for, coordinator, program, mentor):
    response = client_for(coordinator).post(
        reverse("admin:programs_mentorship_add"),
        pair_form(program, mentor_email=mentor.email, mentee_email="nora.ny@example.org"),
        follow=True,
    )
    assert Mentorship.objects.filter(program=program).exists()
    texts = [str(m) for m in response.context["messages"]]
    assert "En inbjudan har skickats till nora.ny@example.org." in texts, texts
    assert f"{mentor} hade redan ett konto och fick ett mejl om paret." in texts, texts


def test_after_changing_a_person_only_the_new_one_is_named(client_for, coordinator, program, mentorship):
    response = client_for(coordinator).post(
        change_url(mentorship), pair_edit_form(mentorship, mentee_email="ersattare@example.org"), follow=True
    )
    texts = [str(m) for m in response.context["messages"]]
    assert "En inbjudan har skickats till ersattare@example.org." in texts, texts
    assert not any("hade redan ett konto" in text for text in texts), texts


def test_editing_without_changing_people_names_nobody(client_for, coordinator, mentorship):
    response = client_for(coordinator).post(change_url(mentorship), pair_edit_form(mentorship), follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert not any("inbjudan" in text.lower() or "konto" in text for text in texts), texts


def test_names_are_escaped_on_both_pages(client_for, coordinator, program):
    person = UserFactory(email="xss@example.org", name="<script>alert(1)</script>")
    pair = MentorshipFactory(program=program, mentee=person)
    for url in (change_url(pair), reverse("program_detail", args=[program.pk])):
        assert "<script>alert(1)</script>" not in client_for(coordinator).get(url).content.decode()


def test_pair_admin_page_query_count_does_not_grow_with_links(client_for, coordinator, invited_pair):
    client = client_for(coordinator)
    client.get(change_url(invited_pair))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(change_url(invited_pair)).status_code == 200
        return len(captured)

    few = count()
    for _n in range(10):
        expire(invitation_create(user=invited_pair.mentee, mentorship=invited_pair))
    assert count() == few
