"""The notification settings page: a signed link from any e-mail works
without logging in and turns reminders and nudges off in one click."""

import pytest
from django.urls import reverse

from outbox.models import NotificationPreferences
from outbox.preferences import preferences_for, preferences_token


def signed_url(user):
    return reverse("notification_preferences_signed", args=[preferences_token(user)])


def test_signed_link_opens_the_page_without_login(client, mentee):
    response = client.get(signed_url(mentee))
    assert response.status_code == 200
    assert mentee.email in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_one_click_turns_reminders_and_nudges_off(client, mentee):
    response = client.post(signed_url(mentee), {"all_off": "1"})
    assert response.status_code == 302
    prefs = NotificationPreferences.objects.get(user=mentee)
    assert not prefs.reminders and not prefs.nudges


def test_mail_program_one_click_post_rfc8058(client, mentee):
    client.post(signed_url(mentee), {"List-Unsubscribe": "One-Click"})
    assert not preferences_for(mentee).reminders


def test_opening_the_link_changes_nothing(client, mentee):
    """Mail scanners follow links; only a POST changes anything."""
    client.get(signed_url(mentee))
    assert not NotificationPreferences.objects.filter(user=mentee).exists()


def test_the_form_sets_each_switch(client, mentee):
    client.post(signed_url(mentee), {"reminders": "on"})
    prefs = preferences_for(mentee)
    assert prefs.reminders and not prefs.nudges


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ:1xXF13:forged-signature-aaaaaaaaaaaaaaaaaaaaaaaaaaaa"])
def test_a_forged_link_is_refused(client, mentee, token):
    response = client.post(reverse("notification_preferences_signed", args=[token]), {"all_off": "1"})
    assert response.status_code == 404
    assert preferences_for(mentee).reminders


def test_a_link_for_one_person_changes_only_theirs(client, mentee, mentor):
    client.post(signed_url(mentee), {"all_off": "1"})
    assert preferences_for(mentor).reminders


def test_logged_in_page(client_for, mentor):
    client = client_for(mentor)
    assert client.get(reverse("notification_preferences")).status_code == 200
    client.post(reverse("notification_preferences"), {"nudges": "on"})
    prefs = preferences_for(mentor)
    assert not prefs.reminders and prefs.nudges


def test_logged_in_page_needs_login(client):
    response = client.get(reverse("notification_preferences"))
    assert response.status_code == 302


def test_deactivated_person_link_is_refused(client, mentee):
    url = signed_url(mentee)
    mentee.is_active = False
    mentee.save()
    assert client.get(url).status_code == 404
