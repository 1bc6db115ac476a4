"""Words a coordinator and a person read: one name for a pair, good Swedish
in the admin, good English, and English account pages in sentence case like
the Swedish ones."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

# allauth's Title Case msgids we translate (templates/allauth/sentence_case.html).
TITLE_CASE = re.findall(
    r'{% translate "([^"]+)" %}', (settings.BASE_DIR / "templates/allauth/sentence_case.html").read_text()
)


# --- A pair is "par" ----------------------------------------------------------


def test_the_admin_calls_a_pair_par_as_the_pages_do(client_for, coordinator, program):
    client = client_for(coordinator)
    index = client.get(reverse("admin:index")).content.decode()
    changelist_url = reverse("admin:programs_mentorship_changelist")
    assert re.search(rf'<a href="{changelist_url}"[^>]*>Par</a>', index)
    assert not re.search(r">Mentorskap</a>", index)
    changelist = client.get(changelist_url).content.decode()
    assert "Välj par att ändra" in changelist
    assert "mentorskap att ändra" not in changelist.lower()
    add = client.get(reverse("admin:programs_mentorship_add")).content.decode()
    assert "Lägg till par" in add


def test_the_english_admin_says_pairs(client_for, coordinator, program):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    with translation.override("en"):
        client = client_for(coordinator)
        index = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(rf'<a href="{reverse("admin:programs_mentorship_changelist")}"[^>]*>Pairs</a>', index)
    assert ">Mentorships</a>" not in index


# --- Focus areas in the admin -------------------------------------------------


@pytest.mark.parametrize("page", ["program", "pair"])
def test_focus_areas_are_checkboxes_without_broken_swedish(client_for, coordinator, program, page):
    url = (
        reverse("admin:programs_program_change", args=[program.pk])
        if page == "program"
        else reverse("admin:programs_mentorship_add")
    )
    html = client_for(coordinator).get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="focus_areas"', html)
    assert "SelectFilter2.js" not in html
    assert "Välj vald" not in html
    assert "att välja bland" not in html
    if page == "program":
        assert "Fokusområden som programmet erbjuder" in html


# --- English ------------------------------------------------------------------


def test_english_agreement_says_which_areas_the_mentorship_covers(client_for, mentee, mentorship):
    AgreementFactory(mentorship=mentorship)
    mentee.language = "en"
    mentee.save(update_fields=["language"])
    client = client_for(mentee)
    for name in ("agreement_edit", "mentorship_detail"):
        html = client.get(reverse(name, args=[mentorship.public_id]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Which areas the mentorship covers" in html or "Areas the mentorship covers" in html, name
        assert "mentorship cover " not in html and "mentorship cover<" not in html


ANONYMOUS_PAGES = ["account_login", "account_reset_password", "account_request_login_code", "account_signup"]
PERSON_PAGES = ["account_change_password", "account_email", "mfa_index", "usersessions_list", "account_logout"]


def test_english_account_pages_are_in_sentence_case(mentee):
    mentee.language = "en"
    mentee.save(update_fields=["language"])
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    person = Client(HTTP_ACCEPT_LANGUAGE="en")
    person.force_login(mentee)
    pages = [(anonymous, name) for name in ANONYMOUS_PAGES] + [(person, name) for name in PERSON_PAGES]
    for client, name in pages:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'lang="en"' in html, name
        found = [msgid for msgid in TITLE_CASE if re.search(rf">\s*{re.escape(msgid)}\s*<", html)]
        assert found == [], name
    login = anonymous.get(reverse("account_login")).content.decode()
    assert re.search(r"<h1[^>]*>\s*Sign in\s*</h1>", login)
    change = person.get(reverse("account_change_password")).content.decode()
    assert "Change password" in change and "Current password" in change


def test_swedish_account_pages_are_unchanged_by_the_english_wording(mentee):
    person = Client()
    person.force_login(mentee)
    assert "Byt lösenord" in person.get(reverse("account_change_password")).content.decode()
    assert "Logga in" in Client().get(reverse("account_login")).content.decode()
