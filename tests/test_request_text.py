"""Text the database cannot take is refused before any view sees it.

PostgreSQL refuses a NUL character in any query, so a %00 in a search term,
a form field or a URL answered 500; now it is a 400 page in the person's
language that says what was wrong and that nothing was saved.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from sessions.models import Agreement
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "innehöll ett tecken som inte kan sparas"


def refused_with_the_swedish_page(response):
    assert response.status_code == 400
    html = response.content.decode()
    assert NUL_MESSAGE in html
    assert "Ingenting sparades." in html
    return html


def autocomplete(client, term):
    query = {"app_label": "programs", "model_name": "mentorship", "field_name": "program", "term": term}
    return client.get("/admin/autocomplete/", query)


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_the_admins_autocomplete_refuses_a_nul_in_the_search_term(client_for, request, program, who):
    client = client_for(request.getfixturevalue(who))
    assert autocomplete(client, "Ledar").json()["results"][0]["text"] == program.name
    refused_with_the_swedish_page(autocomplete(client, "Led\x00ar"))


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_the_admins_search_refuses_a_nul(client_for, request, mentorship, who):
    client = client_for(request.getfixturevalue(who))
    url = reverse("admin:programs_mentorship_changelist")
    assert client.get(url, {"q": "Maja"}).status_code == 200
    refused_with_the_swedish_page(client.get(url, {"q": "\x00"}))


def test_a_form_post_with_a_nul_saves_nothing(client_for, mentee, mentorship):
    AgreementFactory(mentorship=mentorship, roles="Jag driver.")
    data = {"version": 1, "confidentiality": "private", "roles": "Jag\x00 driver, mentorn stöttar."}
    response = client_for(mentee).post(reverse("agreement_edit", args=[mentorship.public_id]), data)
    refused_with_the_swedish_page(response)
    assert Agreement.objects.get(mentorship=mentorship).roles == "Jag driver."


def test_a_nul_in_a_field_name_is_refused_too(client_for, mentee, mentorship):
    data = {"version": 0, "confidentiality": "private", "ro\x00les": "Roller"}
    response = client_for(mentee).post(reverse("agreement_edit", args=[mentorship.public_id]), data)
    refused_with_the_swedish_page(response)


def test_the_login_form_refuses_a_nul_in_the_address(client, mentee):
    response = client.post(reverse("account_login"), {"login": "mentee@example.org\x00", "password": "x"})
    refused_with_the_swedish_page(response)


def test_a_get_parameter_with_a_nul_is_refused_on_any_page(client_for, mentee, mentorship):
    client = client_for(mentee)
    refused_with_the_swedish_page(client.get(reverse("home"), {"sida": "2\x00"}))
    refused_with_the_swedish_page(client.get(reverse("mentorship_detail", args=[mentorship.public_id]) + "?x=%00"))
    refused_with_the_swedish_page(client.get(reverse("account_login"), {"next": "/\x00"}))


def test_a_nul_in_the_path_is_refused(client_for, mentee):
    refused_with_the_swedish_page(client_for(mentee).get("/program/%00/"))


def test_the_page_is_in_english_for_an_english_reader(client_for, mentee):
    response = client_for(mentee).get(reverse("home"), {"q": "\x00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "contained a character that cannot be saved" in response.content.decode()


def test_the_page_keeps_the_site_frame_and_headers(client_for, mentee, django_assert_num_queries):
    client = client_for(mentee)
    # The session and the user read (the session is not saved on every
    # request any more: accounts.session_activity); nothing for the page.
    with django_assert_num_queries(2):
        response = client.get(reverse("home"), {"q": "\x00"})
    assert 'href="/"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_ordinary_text_passes(client_for, mentee, mentorship):
    client = client_for(mentee)
    assert client.get(reverse("home"), {"q": "0 \\0 %00 ␀"}).status_code == 200


# --- a form over Django's size limits ------------------------------------------

TOO_BIG_MESSAGE = "Texten var för lång för att skickas"


def refused_as_too_much(response, status):
    assert response.status_code == status
    html = response.content.decode()
    assert TOO_BIG_MESSAGE in html
    assert "ingenting sparades" in html
    assert "Gå tillbaka, korta texten och skicka den igen." in html


def test_a_journal_form_over_the_size_limit_gets_a_page_that_says_so(client_for, mentee, mentorship, settings):
    AgreementFactory(mentorship=mentorship, roles="Jag driver.")
    huge = "Långa anteckningar. " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 20 + 1)
    data = {"version": 1, "confidentiality": "private", "roles": huge}
    response = client_for(mentee).post(reverse("agreement_edit", args=[mentorship.public_id]), data)
    refused_as_too_much(response, 413)
    assert Agreement.objects.get(mentorship=mentorship).roles == "Jag driver."


def test_the_login_page_over_the_size_limit_gets_the_page_too(client, db, settings):
    body = urlencode({"login": "mentee@example.org", "password": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = client.post(reverse("account_login"), body, content_type="application/x-www-form-urlencoded")
    refused_as_too_much(response, 413)


def test_a_form_with_too_many_fields_gets_the_page(client_for, mentee, mentorship, settings):
    data = {f"items-{n}-text": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    body = urlencode({"version": 0, **data})
    response = client_for(mentee).post(
        reverse("agreement_edit", args=[mentorship.public_id]), body, content_type="application/x-www-form-urlencoded"
    )
    refused_as_too_much(response, 400)


def test_the_size_page_is_in_english_for_an_english_reader(client, db, settings):
    body = urlencode({"login": "a@example.org", "password": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = client.post(
        reverse("account_login"), body, content_type="application/x-www-form-urlencoded", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The text was too long to send" in response.content.decode()


def test_a_long_text_under_the_limit_is_the_forms_business(client_for, mentee, mentorship):
    data = {"version": 0, "confidentiality": "private", "roles": "Roller. " * 5000}
    response = client_for(mentee).post(reverse("agreement_edit", args=[mentorship.public_id]), data)
    assert response.status_code in (200, 302)
    assert TOO_BIG_MESSAGE not in response.content.decode()
