"""An invitation link is for someone who has never been in. Once the person
has logged in by any way (a password, an e-mailed code), an old link must not
set a new password and log in past their second factor."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib import auth
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.mail_kinds import AccountMail
from accounts.models import Invitation, User
from accounts.services import invitation_accept, invitation_create
from outbox.dispatch import dispatch_due_mail
from outbox.models import MailStatus, OutgoingMail
from tests.helpers.accounts import login_by_code

from .helpers.accounts import totp_code

NEW_PASSWORD = "Lönnlöv-i-november-7"


@pytest.fixture
def invited(db):
    person = User.objects.create_user("inbjuden@example.org")
    assert not person.has_usable_password()
    return person


def accept(client, invitation, password=NEW_PASSWORD):
    url = reverse("invitation_accept", args=[invitation.public_id])
    return client.post(url, {"new_password1": password, "new_password2": password})


def test_after_a_login_by_code_with_totp_the_old_link_opens_nothing(
    invited, mentorship, other_mentorship, mailoutbox, frozen_totp_clock
):
    first = invitation_create(user=invited, mentorship=mentorship)
    second = invitation_create(user=invited, mentorship=other_mentorship)
    # The person never follows the link: they log in by code, and have an authenticator app.
    EmailAddress.objects.create(user=invited, email=invited.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(invited, secret)

    client = Client()
    response = login_by_code(client, invited, mailoutbox)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert auth.get_user(client).pk == invited.pk

    # Logging in closed both links.
    for invitation in (first, second):
        invitation.refresh_from_db()
        assert invitation.used_at is not None and not invitation.is_usable

    # Someone holding the 14-day-old e-mail gets neither a password nor a session.
    stranger = Client()
    page = stranger.get(reverse("invitation_accept", args=[first.public_id]))
    assert page.status_code == 410
    assert reverse("account_login") in page.content.decode()
    assert 'name="resend"' not in page.content.decode()
    assert accept(stranger, first).status_code == 410
    assert not auth.get_user(stranger).is_authenticated
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_a_link_left_open_by_an_earlier_login_is_not_usable(client, invited, mentorship):
    """Links of people who logged in before logins closed them stay open in
    the database; last_login alone makes them unusable."""
    invitation = invitation_create(user=invited, mentorship=mentorship)
    User.objects.filter(pk=invited.pk).update(last_login=timezone.now())
    invitation.refresh_from_db()
    assert invitation.used_at is None and not invitation.is_usable

    url = reverse("invitation_accept", args=[invitation.public_id])
    page = client.get(url)
    assert page.status_code == 410
    body = page.content.decode()
    # It says why, and points to the login, not to a new invitation.
    assert "already logged in" in body or "redan loggat in" in body
    assert reverse("account_login") in body
    assert 'name="resend"' not in body

    assert accept(client, invitation).status_code == 410
    assert not auth.get_user(client).is_authenticated
    invited.refresh_from_db()
    assert not invited.has_usable_password()
    client.post(url, {"resend": ""})
    assert Invitation.objects.filter(user=invited).count() == 1


def test_the_service_refuses_a_link_whose_person_has_logged_in(invited, mentorship):
    """The view checks is_usable first; the claim itself must hold too, for
    a login that lands between the check and the claim."""
    invitation = invitation_create(user=invited, mentorship=mentorship)
    User.objects.filter(pk=invited.pk).update(last_login=timezone.now())
    assert invitation_accept(invitation=invitation, password=NEW_PASSWORD) is None
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_an_unsent_invitation_is_dropped_once_the_person_has_logged_in(client, invited, mentorship, mailoutbox):
    invitation_create(user=invited, mentorship=mentorship)
    [row] = OutgoingMail.objects.filter(recipient=invited, kind=AccountMail.INVITATION)
    # The e-mail is still waiting (e.g. the broker was down) when the person
    # logs in; it is not due while the login code goes out.
    later = timezone.now() + timezone.timedelta(hours=1)
    OutgoingMail.objects.filter(pk=row.pk).update(status=MailStatus.PENDING, due_at=later)
    mailoutbox.clear()
    login_by_code(client, invited, mailoutbox)
    assert auth.get_user(client).pk == invited.pk
    mailoutbox.clear()
    OutgoingMail.objects.filter(pk=row.pk).update(due_at=timezone.now())

    dispatch_due_mail()
    row.refresh_from_db()
    assert row.status == MailStatus.CANCELLED
    assert not mailoutbox


def test_accepting_the_link_still_works_for_someone_never_logged_in(client, invited, mentorship):
    invitation = invitation_create(user=invited, mentorship=mentorship)
    assert invitation.is_usable
    response = accept(client, invitation)
    assert response.status_code == 302
    assert auth.get_user(client).pk == invited.pk
    invitation.refresh_from_db()
    assert invitation.used_at is not None
