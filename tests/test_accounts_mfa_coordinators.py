"""Required two-factor authentication covers coordinators who are not staff:
they read the pairs of a whole program, in the dashboard if not the admin."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import UserFactory


@pytest.fixture
def mfa_required(settings):
    settings.MENTORSKAP_MFA_REQUIRED_FOR_STAFF = True


@pytest.fixture
def plain_coordinator(program):
    user = UserFactory(email="samordnare.utan.admin@example.org", is_staff=False)
    program.coordinators.add(user)
    return user


@pytest.mark.parametrize("url_name", ["home", "program_dashboard"])
def test_a_coordinator_who_is_not_staff_is_sent_to_set_up_totp(client_for, plain_coordinator, mfa_required, url_name):
    response = client_for(plain_coordinator).get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_program_page_is_closed_too(client_for, plain_coordinator, program, mfa_required):
    response = client_for(plain_coordinator).get(reverse("program_detail", args=[program.pk]))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_coordinator_with_totp_reaches_the_dashboard(client_for, plain_coordinator, mfa_required):
    TOTP.activate(plain_coordinator, generate_totp_secret())
    assert client_for(plain_coordinator).get(reverse("program_dashboard")).status_code == 200


def test_the_account_pages_stay_open_for_the_coordinator(client_for, plain_coordinator, mfa_required):
    assert client_for(plain_coordinator).get(reverse("mfa_index")).status_code == 200


def test_asking_costs_a_mentee_at_most_one_query(client_for, mentee, mentorship, settings):
    client = client_for(mentee)
    client.get(reverse("home"))  # warm up: session, translations, content types

    def home_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    settings.MENTORSKAP_MFA_REQUIRED_FOR_STAFF = False
    without = home_queries()
    settings.MENTORSKAP_MFA_REQUIRED_FOR_STAFF = True
    assert home_queries() <= without + 1
