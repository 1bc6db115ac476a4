"""allauth's pages: the site's frame and Bootstrap, Swedish and English, the
flows (password, one-time code, password reset, e-mail change), and answers
that never tell whether an address has an account."""

import re
from email.utils import parseaddr

import pytest
from allauth.account.models import EmailAddress
from django.contrib import auth
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from outbox.dispatch import dispatch_due_mail
from tests.helpers.accounts import link_in

from .factories import PASSWORD
from .helpers.accounts import login_code_in

NEW_PASSWORD = "Vinter-ljus-över-sjön-8"


def template_names(response):
    return {t.name for t in response.templates}


def without_tokens(html):
    """A page with its per-request secrets (CSRF tokens) blanked out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def delivered(mailoutbox):
    """allauth's e-mail is an outbox row: the dispatcher sends it."""
    dispatch_due_mail()
    return mailoutbox


def addresses(mail):
    return [parseaddr(to)[1] for to in mail.to]


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_request_login_code", "account_reset_password", "account_reset_password_done"],
)
def test_entrance_pages_use_the_site_frame_and_bootstrap(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert {"base.html", "allauth/layouts/base.html"} <= template_names(response)
    body = response.content.decode()
    assert 'class="skip-link' in body or "skip-link" in body
    assert "bootstrap/css/bootstrap.min.css" in body
    if name != "account_reset_password_done":
        assert 'class="form-control' in body or "form-control" in body
        assert "btn btn-primary" in body or "btn btn-outline-primary" in body


@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "mfa_index", "usersessions_list", "account_logout"]
)
def test_account_pages_use_the_site_frame_and_link_each_other(client_for, mentee, name):
    response = client_for(mentee).get(reverse(name))
    assert response.status_code == 200
    assert {"base.html", "allauth/layouts/base.html"} <= template_names(response)
    body = response.content.decode()
    for other in ("account_email", "account_change_password", "mfa_index", "usersessions_list"):
        assert f'href="{reverse(other)}"' in body, other


def test_pages_are_swedish_by_default_and_english_on_request(db):
    swedish = Client().get(reverse("account_login")).content.decode()
    assert 'lang="sv"' in swedish and "Logga in" in swedish
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("account_login")).content.decode()
    assert 'lang="en"' in english and "Sign in" in english


def test_login_page_offers_a_code_and_no_sign_up_when_closed(client, db):
    body = client.get(reverse("account_login")).content.decode()
    assert reverse("account_request_login_code") in body
    assert reverse("account_signup") not in body
    assert client.get(reverse("account_signup")).templates[0].name == "account/signup_closed.html"
    response = client.post(
        reverse("account_signup"), {"email": "ny@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert not auth.get_user_model().objects.filter(email="ny@example.org").exists()
    assert response.status_code == 200


def test_sign_up_when_the_setting_opens_it(client, db, settings):
    settings.MENTORSKAP_OPEN_SIGNUP = True
    assert reverse("account_signup") in client.get(reverse("account_login")).content.decode()
    response = client.post(
        reverse("account_signup"), {"email": "ny@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert auth.get_user_model().objects.filter(email="ny@example.org").exists()


def test_login_with_password(client, mentee):
    response = client.post(reverse("account_login"), {"login": "Mentee@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert auth.get_user(client).pk == mentee.pk


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(db, mentee):
    known = Client().post(reverse("account_login"), {"login": mentee.email, "password": "fel"})
    unknown = Client().post(reverse("account_login"), {"login": "okand@example.org", "password": "fel"})
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_login_by_code(client, mentee, mailoutbox):
    # The address as allauth records it once the person has seen an account page.
    EmailAddress.objects.create(user=mentee, email=mentee.email, verified=False, primary=True)
    response = client.post(reverse("account_request_login_code"), {"email": mentee.email})
    assert response["Location"] == reverse("account_confirm_login_code")
    [mail] = delivered(mailoutbox)
    assert addresses(mail) == [mentee.email]
    code = login_code_in(mail)
    assert code, mail.body
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert auth.get_user(client).pk == mentee.pk
    # A code from the address's inbox proves the address.
    assert EmailAddress.objects.filter(user=mentee, email=mentee.email, verified=True).exists()


def test_login_by_code_answers_the_same_for_unknown_addresses(db, mentee, mailoutbox):
    known_client, unknown_client = Client(), Client()
    known = known_client.post(reverse("account_request_login_code"), {"email": mentee.email})
    unknown = unknown_client.post(reverse("account_request_login_code"), {"email": "okand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    known_page = known_client.get(known["Location"])
    unknown_page = unknown_client.get(unknown["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    assert without_tokens(known_page.content.decode()).replace(mentee.email, "X") == without_tokens(
        unknown_page.content.decode()
    ).replace("okand@example.org", "X")
    # Only the real account gets a code.
    assert not any(login_code_in(m) for m in delivered(mailoutbox) if "okand@example.org" in addresses(m))


def test_password_reset_answers_the_same_for_unknown_addresses(db, mentee, mailoutbox):
    known = Client().post(reverse("account_reset_password"), {"email": mentee.email})
    unknown = Client().post(reverse("account_reset_password"), {"email": "okand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    known_done = Client().get(known["Location"]).content.decode()
    unknown_done = Client().get(unknown["Location"]).content.decode()
    assert without_tokens(known_done) == without_tokens(unknown_done)
    [reset_mail] = [m for m in delivered(mailoutbox) if addresses(m) == [mentee.email]]
    assert "/password/reset/key/" in reset_mail.body


def test_password_reset_from_the_mail_link(client, mentee, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": mentee.email})
    [mail] = delivered(mailoutbox)
    link = link_in(mail)
    response = client.get(link)
    assert response.status_code == 302  # allauth hides the key from the address bar
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.status_code == 200
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert client.get(response["Location"]).status_code == 200
    mentee.refresh_from_db()
    assert mentee.check_password(NEW_PASSWORD)
    # The link works once: the password changed, so its token no longer fits.
    client.post(form_url, {"password1": "Ett-tredje-lösen-1", "password2": "Ett-tredje-lösen-1"})
    Client().post(link, {"password1": "Ett-tredje-lösen-1", "password2": "Ett-tredje-lösen-1"})
    mentee.refresh_from_db()
    assert mentee.check_password(NEW_PASSWORD)


def test_email_change_waits_for_verification(client, mentee, mailoutbox):
    EmailAddress.objects.create(user=mentee, email=mentee.email, verified=True, primary=True)
    client.force_login(mentee)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "maja.ny@example.org"})
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.email == "mentee@example.org"  # not before the new address is confirmed
    [mail] = [m for m in delivered(mailoutbox) if addresses(m) == ["maja.ny@example.org"]]
    confirm_url = link_in(mail)
    page = client.get(confirm_url)
    assert page.status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.email == "maja.ny@example.org"
    assert not EmailAddress.objects.filter(user=mentee, email="mentee@example.org").exists()


def test_email_change_keeps_an_unverified_login_address_until_confirmed(client, mentee, mailoutbox):
    # As for a person added by a coordinator who logged in with a password.
    client.force_login(mentee)
    client.post(reverse("account_email"), {"action_add": "", "email": "maja.ny@example.org"})
    mentee.refresh_from_db()
    assert mentee.email == "mentee@example.org"
    client.logout()
    assert client.post(reverse("account_login"), {"login": mentee.email, "password": PASSWORD}).status_code == 302
    [mail] = [m for m in delivered(mailoutbox) if addresses(m) == ["maja.ny@example.org"]]
    client.post(link_in(mail))
    mentee.refresh_from_db()
    assert mentee.email == "maja.ny@example.org"


def test_email_change_to_an_address_in_use_answers_the_same_and_changes_nothing(client, mentee, mentor, mailoutbox):
    client.force_login(mentee)
    taken = client.post(reverse("account_email"), {"action_add": "", "email": mentor.email}, follow=True)
    free = client.post(reverse("account_email"), {"action_add": "", "email": "ledig@example.org"}, follow=True)
    taken_messages = [str(m).replace(mentor.email, "X") for m in taken.context["messages"]]
    free_messages = [str(m).replace("ledig@example.org", "X") for m in free.context["messages"]]
    assert taken_messages == free_messages
    mentee.refresh_from_db()
    mentor.refresh_from_db()
    assert mentee.email == "mentee@example.org" and mentor.email == "mentor@example.org"
    assert not EmailAddress.objects.filter(user=mentee, email=mentor.email).exists()
    assert not [m for m in delivered(mailoutbox) if addresses(m) == [mentor.email]]


def test_email_change_validates_and_escapes_what_was_typed(client, mentee):
    client.force_login(mentee)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "<script>alert(1)</script>"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert response.context["form"].errors
    mentee.refresh_from_db()
    assert mentee.email == "mentee@example.org"


def test_a_name_with_markup_is_shown_as_text(client_for, mentor, mentee, mentorship):
    mentee.name = "<script>alert(1)</script>"
    mentee.save(update_fields=["name"])
    client = client_for(mentor)
    for url in ("/", reverse("account_email"), reverse("usersessions_list")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<script>alert(1)</script>" not in response.content.decode(), url


def test_login_page_escapes_a_typed_address(client, db):
    response = client.post(reverse("account_login"), {"login": '"><script>alert(1)</script>', "password": "x"})
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_password_change(client, mentee):
    client.post(reverse("account_login"), {"login": mentee.email, "password": PASSWORD})
    page = client.get(reverse("account_change_password"))
    assert "form-control" in page.content.decode()
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.check_password(NEW_PASSWORD)


def test_pages_name_our_own_icon(client, db):
    """Browsers otherwise ask for /favicon.ico on every first visit and log a 404."""
    assert 'rel="icon"' in client.get(reverse("account_login")).content.decode()
    assert finders.find("favicon.svg")
    # Pages without the link (the admin's) make browsers ask for /favicon.ico.
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
