"""Two-factor authentication: available to everyone, required for staff
when MENTORSKAP_MFA_REQUIRED_FOR_STAFF is on."""

import logging
import types
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib import auth
from django.test import Client
from django.urls import reverse

from .factories import PASSWORD
from .helpers.accounts import FROZEN, totp_code


def verified(user):
    # allauth offers 2FA only on a verified address; the invitation verifies it.
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def password_login(user):
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client, response


def activate_totp(client):
    # Setting up 2FA asks for the password again (allauth's reauthentication).
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.context and response.context["form"].errors
    return secret


def test_everyone_can_set_up_totp_and_recovery_codes(mentee, frozen_totp_clock):
    verified(mentee)
    client, _response = password_login(mentee)
    # The account pages link to the 2FA page.
    assert reverse("mfa_index") in client.get(reverse("account_email")).content.decode()
    secret = activate_totp(client)
    assert Authenticator.objects.filter(user=mentee, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=mentee, type=Authenticator.Type.RECOVERY_CODES).exists()
    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    assert codes_page.status_code == 200

    # The next login asks for the code after the password.
    second = Client()
    response = second.post(reverse("account_login"), {"login": mentee.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert not auth.get_user(second).is_authenticated
    wrong = second.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and not auth.get_user(second).is_authenticated
    later = FROZEN + 30  # a fresh code: each code works once
    with mock.patch("allauth.mfa.totp.internal.auth.time", types.SimpleNamespace(time=lambda: later)):
        response = second.post(reverse("mfa_authenticate"), {"code": totp_code(secret, later)})
    assert response.status_code == 302
    assert auth.get_user(second).pk == mentee.pk


def test_totp_can_be_deactivated(mentee, frozen_totp_clock):
    verified(mentee)
    client, _response = password_login(mentee)
    activate_totp(client)
    assert client.get(reverse("mfa_deactivate_totp")).status_code == 200
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=mentee, type=Authenticator.Type.TOTP).exists()


@pytest.fixture
def mfa_required(settings):
    settings.MENTORSKAP_MFA_REQUIRED_FOR_STAFF = True


def test_staff_without_2fa_may_work_when_not_required(client_for, coordinator):
    client = client_for(coordinator)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("url_name", ["admin:index", "home", "program_dashboard"])
def test_staff_without_2fa_are_sent_to_set_it_up(client_for, coordinator, mfa_required, url_name):
    response = client_for(coordinator).get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_superuser_without_2fa_is_sent_to_set_it_up(client_for, superuser, mfa_required):
    response = client_for(superuser).get(reverse("admin:index"))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_account_pages_stay_open_while_2fa_is_missing(client_for, coordinator, mfa_required):
    verified(coordinator)
    client = client_for(coordinator)
    for name in ("account_email", "mfa_index", "usersessions_list", "account_logout"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.post(reverse("account_logout")).status_code == 302


def test_people_who_are_not_staff_are_not_asked(client_for, mentee, mfa_required):
    assert client_for(mentee).get(reverse("home")).status_code == 200


def test_staff_with_2fa_reach_the_admin(coordinator, mfa_required, frozen_totp_clock):
    verified(coordinator)
    client, _response = password_login(coordinator)
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")
    activate_totp(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_second_factor_is_logged_without_the_code(mentee, frozen_totp_clock, caplog):
    verified(mentee)
    client, _response = password_login(mentee)
    activate_totp(client)
    second = Client()
    second.post(reverse("account_login"), {"login": mentee.email, "password": PASSWORD})
    caplog.set_level(logging.INFO, logger="mentorskap.security")
    second.post(reverse("mfa_authenticate"), {"code": "012345"}, REMOTE_ADDR="192.0.2.7")

    [line] = [r.getMessage() for r in caplog.records if "second factor failed" in r.getMessage()]
    assert f"user={mentee.pk}" in line and "192.0.2.7" in line and "kind=totp" in line
    assert "012345" not in caplog.text
