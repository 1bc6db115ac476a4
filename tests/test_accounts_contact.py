"""The password-reset pages say whom to contact, not just "contact us":
MENTORSKAP_CONTACT_NAME and MENTORSKAP_CONTACT_EMAIL, from the environment."""

import pytest
from django.urls import reverse

from .helpers.settings import settings_of

PAGES = ["account_reset_password", "account_reset_password_done"]


@pytest.mark.parametrize("name", PAGES)
def test_the_contact_is_named_with_a_mail_link(client, db, settings, name):
    settings.MENTORSKAP_CONTACT_NAME = "Föreningens kansli"
    settings.MENTORSKAP_CONTACT_EMAIL = "kansli@forening.example.org"
    body = client.get(reverse(name)).content.decode()
    assert 'Kontakta Föreningens kansli (<a href="mailto:kansli@forening.example.org">' in body
    assert "kontakta oss" not in body.lower()


@pytest.mark.parametrize("name", PAGES)
def test_without_a_contact_the_coordinator_is_named(client, db, settings, name):
    settings.MENTORSKAP_CONTACT_NAME = ""
    settings.MENTORSKAP_CONTACT_EMAIL = ""
    body = client.get(reverse(name)).content.decode()
    assert "Kontakta samordnaren för ditt program" in body
    assert "mailto:" not in body


def test_an_address_alone_is_named_by_itself_and_in_english(client, db, settings, english):
    settings.MENTORSKAP_CONTACT_NAME = ""
    settings.MENTORSKAP_CONTACT_EMAIL = "hjalp@example.org"
    body = client.get(reverse("account_reset_password"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'contact <a href="mailto:hjalp@example.org">hjalp@example.org</a>.' in body


def test_the_contact_is_shown_escaped(client, db, settings):
    settings.MENTORSKAP_CONTACT_NAME = "<script>alert(1)</script>"
    settings.MENTORSKAP_CONTACT_EMAIL = 'a"b@example.org'
    body = client.get(reverse("account_reset_password")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert 'href="mailto:a&quot;b@example.org"' in body


def test_the_contact_comes_from_the_environment():
    names = ("MENTORSKAP_CONTACT_NAME", "MENTORSKAP_CONTACT_EMAIL")
    assert settings_of({}, *names) == dict.fromkeys(names, "")
    env = {"MENTORSKAP_CONTACT_NAME": "Kansliet", "MENTORSKAP_CONTACT_EMAIL": "kansli@example.org"}
    assert settings_of(env, *names) == env
