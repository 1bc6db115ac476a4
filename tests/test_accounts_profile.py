"""Mina uppgifter: name and language, which e-mail follows."""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_person_sets_name_and_language(client_for, mentee):
    client = client_for(mentee)
    assert client.get(reverse("profile")).status_code == 200
    response = client.post(reverse("profile"), {"name": "Maja Månsson", "language": "en"})
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert (mentee.name, mentee.language) == ("Maja Månsson", "en")
    assert response.cookies["django_language"].value == "en"


@pytest.mark.parametrize(
    "data,field",
    [({"name": "x" * 151, "language": "sv"}, "name"), ({"name": "Maja", "language": "fi"}, "language")],
)
def test_bad_profile_input_is_refused(client_for, mentee, data, field):
    response = client_for(mentee).post(reverse("profile"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    mentee.refresh_from_db()
    assert mentee.name == "Maja Mentee"


def test_html_in_a_name_is_shown_as_text(client_for, mentee):
    client = client_for(mentee)
    client.post(reverse("profile"), {"name": "<script>alert(1)</script>", "language": "sv"})
    assert "<script>alert(1)</script>" not in client.get(reverse("profile")).content.decode()


def test_the_language_switch_remembers_the_choice_for_e_mail(client_for, mentee):
    client = client_for(mentee)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(pk=mentee.pk).language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert User.objects.get(pk=mentee.pk).language == "en"


def test_the_language_switch_works_for_anonymous_and_is_post_only(client):
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.get(reverse("set_language")).status_code == 405


def test_anonymous_cannot_see_a_profile(client):
    assert client.get(reverse("profile")).status_code == 302
