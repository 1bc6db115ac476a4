"""Sessions: a new key at login, expiry after inactivity and at logout, other
sessions ended by a password change or by the person, and a deactivated
account shut out at once."""

import datetime as dt

from allauth.usersessions.models import UserSession
from django.contrib import auth
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from .factories import PASSWORD
from .helpers.accounts import logged_in_client

NEW_PASSWORD = "Ny-höstlig-fras-31"


def is_logged_in(client):
    return auth.get_user(client).is_authenticated


def test_session_key_changes_at_login(client, mentee):
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    client.post(reverse("account_login"), {"login": mentee.email, "password": PASSWORD})
    assert is_logged_in(client)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


# Renewal of the inactivity timeout: tests/test_session_activity.py.


def test_an_expired_session_is_not_accepted(mentee):
    client = logged_in_client(mentee)
    key = client.session.session_key
    # As if two weeks had passed without a request.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("account_email")).status_code == 302
    assert not is_logged_in(client)


def test_logout_ends_the_session_on_the_server(mentee):
    client = logged_in_client(mentee)
    key = client.session.session_key
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not is_logged_in(client)


def test_changing_the_password_ends_other_sessions(mentee):
    here = logged_in_client(mentee, HTTP_USER_AGENT="Firefox")
    elsewhere = logged_in_client(mentee, HTTP_USER_AGENT="Safari")
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    # The session that changed it stays; the other one is out at once.
    assert here.get(reverse("account_email")).status_code == 200
    assert elsewhere.get(reverse("account_email")).status_code == 302
    assert not is_logged_in(elsewhere)


def test_a_deactivated_accounts_cookie_stops_working_at_once(mentee):
    client = logged_in_client(mentee)
    assert client.get(reverse("account_email")).status_code == 200
    mentee.is_active = False
    mentee.save(update_fields=["is_active"])
    assert client.get(reverse("account_email")).status_code == 302
    assert client.get("/").status_code == 302
    assert not is_logged_in(client)


def test_a_deactivated_account_cannot_log_in(client, mentee):
    mentee.is_active = False
    mentee.save(update_fields=["is_active"])
    client.post(reverse("account_login"), {"login": mentee.email, "password": PASSWORD})
    assert not is_logged_in(client)


def test_people_see_their_sessions_and_end_the_others(mentee, outsider):
    here = logged_in_client(mentee, HTTP_USER_AGENT="Firefox på jobbet")
    elsewhere = logged_in_client(mentee, HTTP_USER_AGENT="Safari hemma")
    someone_else = logged_in_client(outsider, HTTP_USER_AGENT="Chrome")

    page = here.get(reverse("usersessions_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Firefox på jobbet" in body and "Safari hemma" in body
    assert "Chrome" not in body  # only one's own sessions
    assert UserSession.objects.filter(user=mentee).count() == 2

    response = here.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert here.get(reverse("account_email")).status_code == 200
    assert elsewhere.get(reverse("account_email")).status_code == 302
    assert someone_else.get(reverse("account_email")).status_code == 200
    assert UserSession.objects.filter(user=mentee).count() == 1


def test_sessions_page_escapes_the_browser_name(mentee):
    client = logged_in_client(mentee, HTTP_USER_AGENT="<script>alert(1)</script>")
    body = client.get(reverse("usersessions_list")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
