"""An invitation link is for someone who has no password yet. Once the person
has one, by whichever way (a password reset, the invitation itself, a login
by e-mailed code, the admin's "set password", createsuperuser or
changepassword), an old link must not set another password and log its
holder in: that would be an account takeover. The link is checked when it is
used, so no way of getting a password has to remember to close it."""

import io
import os
from unittest import mock

import pytest
from django.contrib import auth
from django.contrib.auth.management.commands import changepassword
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation, User
from accounts.services import invitation_accept, invitation_create
from outbox.dispatch import dispatch_due_mail

from .helpers.accounts import link_in, login_by_code
from .helpers.races import in_thread, wait_until_another_session_waits_for_a_lock

NEW_PASSWORD = "Lönnlöv-i-november-7"
OWN_PASSWORD = "Egen-väg-över-isen-3"
STRANGERS_PASSWORD = "Främling-vid-dörren-9"


@pytest.fixture
def invited(db):
    person = User.objects.create_user("inbjuden@example.org")
    assert not person.has_usable_password()
    return person


def link_url(invitation):
    return reverse("invitation_accept", args=[invitation.public_id])


def assert_link_is_dead(invitation, *, password):
    """The old link: the page that says it no longer works, no way to ask for
    a new one, and a posted password neither set nor logged in."""
    stranger = Client()
    page = stranger.get(link_url(invitation))
    assert page.status_code == 410
    body = page.content.decode()
    assert "Inbjudningslänken kan inte användas" in body
    assert 'name="resend"' not in body
    assert reverse("account_login") in body
    response = stranger.post(
        link_url(invitation), {"new_password1": STRANGERS_PASSWORD, "new_password2": STRANGERS_PASSWORD}
    )
    assert response.status_code == 410
    assert not auth.get_user(stranger).is_authenticated
    person = User.objects.get(pk=invitation.user_id)
    assert not person.check_password(STRANGERS_PASSWORD)
    assert person.check_password(password)


def reset_password(person, mailoutbox):
    client = Client()
    client.post(reverse("account_reset_password"), {"email": person.email})
    dispatch_due_mail()  # allauth's e-mail is an outbox row too
    [mail] = [m for m in mailoutbox if person.email in m.to[0] and "/password/reset/key/" in m.body]
    form_url = client.get(link_in(mail))["Location"]
    response = client.post(form_url, {"password1": OWN_PASSWORD, "password2": OWN_PASSWORD})
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    return client


def test_a_password_reset_kills_the_invitation_link(invited, mentorship, mailoutbox):
    invitation = invitation_create(user=invited, mentorship=mentorship)
    client = reset_password(invited, mailoutbox)
    assert not auth.get_user(client).is_authenticated  # a reset does not log in
    invited.refresh_from_db()
    assert invited.last_login is None and invited.check_password(OWN_PASSWORD)

    invitation.refresh_from_db()
    assert not invitation.is_usable
    assert_link_is_dead(invitation, password=OWN_PASSWORD)
    body = Client().get(link_url(invitation)).content.decode()
    assert "Ett lösenord har redan valts för kontot" in body


def test_accepting_one_link_kills_another_even_if_left_open(client, invited, mentorship, other_mentorship):
    first = invitation_create(user=invited, mentorship=mentorship)
    second = invitation_create(user=invited, mentorship=other_mentorship)
    client.post(link_url(first), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert auth.get_user(client).pk == invited.pk
    client.logout()
    # Links of people registered before accepting closed the others stay open.
    Invitation.objects.filter(pk=second.pk).update(used_at=None)
    for invitation in (first, second):
        assert_link_is_dead(invitation, password=NEW_PASSWORD)


def test_a_login_by_code_kills_a_link_left_open(invited, mentorship, mailoutbox):
    invitation = invitation_create(user=invited, mentorship=mentorship)
    client = Client()
    login_by_code(client, invited, mailoutbox)
    assert auth.get_user(client).pk == invited.pk
    Invitation.objects.filter(pk=invitation.pk).update(used_at=None)
    invited.refresh_from_db()
    assert not invited.has_usable_password()

    page = Client().get(link_url(invitation))
    assert page.status_code == 410
    response = Client().post(
        link_url(invitation), {"new_password1": STRANGERS_PASSWORD, "new_password2": STRANGERS_PASSWORD}
    )
    assert response.status_code == 410
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_the_admins_set_password_kills_the_link(client_for, superuser, invited, mentorship):
    invitation = invitation_create(user=invited, mentorship=mentorship)
    url = reverse("admin:auth_user_password_change", args=[invited.pk])
    response = client_for(superuser).post(
        url, {"password1": OWN_PASSWORD, "password2": OWN_PASSWORD, "usable_password": "true"}
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert_link_is_dead(invitation, password=OWN_PASSWORD)


def test_changepassword_kills_the_link(invited, mentorship):
    invitation = invitation_create(user=invited, mentorship=mentorship)
    # The command reads the password from the terminal; this is its own seam.
    with mock.patch.object(changepassword.Command, "_get_pass", return_value=OWN_PASSWORD):
        call_command("changepassword", invited.email, stdout=io.StringIO())
    assert_link_is_dead(invitation, password=OWN_PASSWORD)


def test_createsuperuser_with_a_password_leaves_no_working_link(db, mentorship):
    with mock.patch.dict(os.environ, {"DJANGO_SUPERUSER_PASSWORD": OWN_PASSWORD}):
        call_command("createsuperuser", "--noinput", "--email", "chef@example.org", stdout=io.StringIO())
    person = User.objects.get(email="chef@example.org")
    # A coordinator, say, then puts them on a pair and a link is made all the same.
    invitation = invitation_create(user=person, mentorship=mentorship)
    assert_link_is_dead(invitation, password=OWN_PASSWORD)


def test_the_service_refuses_a_link_whose_person_has_a_password(invited, mentorship):
    """The view checks is_usable first; the claim must hold too, for a
    password set between the page and the post."""
    invitation = invitation_create(user=invited, mentorship=mentorship)
    invited.set_password(OWN_PASSWORD)
    invited.save()
    assert invitation_accept(invitation=invitation, password=STRANGERS_PASSWORD) is None
    invited.refresh_from_db()
    assert invited.check_password(OWN_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.used_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reset_saving_while_the_link_is_posted_wins(postgres, mentorship):  # noqa: F811
    """The reset's transaction holds the person's row when the link is
    posted: the link waits for it, then sees the new password and refuses."""
    invited = User.objects.create_user("inbjuden.samtidig@example.org")
    invitation = invitation_create(user=invited, mentorship=mentorship)
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=invited.pk)  # the reset, mid-save
        join = in_thread(lambda: invitation_accept(invitation=invitation, password=STRANGERS_PASSWORD))
        wait_until_another_session_waits_for_a_lock()
        person.set_password(OWN_PASSWORD)
        person.save()
    assert join() is None
    invited.refresh_from_db()
    assert invited.check_password(OWN_PASSWORD)
