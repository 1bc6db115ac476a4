"""Error pages speak the site's language and point the way on."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_404_uses_the_site_frame(client_for, mentee):
    response = client_for(mentee).get("/mentorskap/00000000-0000-4000-8000-000000000000/")
    assert response.status_code == 404
    assert 'href="/"' in response.content.decode()


def test_csrf_failure_explains_that_text_is_kept(mentee, mentorship, settings):
    settings.LANGUAGE_CODE = "en"
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee)
    response = client.post(reverse("agreement_edit", args=[mentorship.public_id]), {"roles": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert reverse("account_login") in html
    assert "session" in html.lower()


def test_a_saved_form_tells_the_browser_to_drop_its_draft(client_for, mentee, mentorship):
    client = client_for(mentee)
    data = {"version": 0, "confidentiality": "private", "roles": "Roller"}
    response = client.post(reverse("agreement_edit", args=[mentorship.public_id]), data, follow=True)
    assert f'data-saved-draft="agreement-{mentorship.public_id}"' in response.content.decode()


def test_a_request_django_cannot_take_gets_the_site_frame_in_swedish(client):
    """templates/400.html, in the site's frame, rather than Django's bare
    'Bad Request (400)'."""
    response = client.get("/", HTTP_HOST="okand.example.com")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Förfrågan kunde inte läsas" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'lang="sv"' in html
