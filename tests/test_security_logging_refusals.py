"""The refusals and failed logins that went unlogged: another program's
object in the admin, an agreement's versions a coordinator may not read, and
a wrong e-mailed login code. Who, what and from where; never note text, never
the code."""

import logging

import pytest
from allauth.account.models import EmailAddress
from django.contrib import auth
from django.test import Client
from django.urls import reverse

from outbox.dispatch import dispatch_due_mail
from sessions.models import AgreementVersion, Confidentiality

from .factories import AgreementFactory, MeetingFactory
from .helpers.accounts import login_code_in

LOGGER = "mentorskap.security"
SECRET = "Hemlig-text-4b1d"


@pytest.fixture
def security(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    return lambda: [r.getMessage() for r in caplog.records if r.name == LOGGER]


@pytest.fixture
def agreement(mentorship):
    return AgreementFactory(mentorship=mentorship, purpose_and_goals=SECRET, summary=SECRET)


def refusals(messages, user):
    return [m for m in messages if m.startswith("access refused") and f"user={user.pk}" in m]


# --- The admin ------------------------------------------------------------------


@pytest.mark.parametrize("which", ["program", "mentorship", "agreement", "meeting"])
def test_another_programs_object_in_the_admin_is_logged(client_for, other_coordinator, agreement, security, which):
    mentorship = agreement.mentorship
    meeting = MeetingFactory(mentorship=mentorship, number=2, summary=SECRET)
    obj = {"program": mentorship.program, "mentorship": mentorship, "agreement": agreement, "meeting": meeting}[which]
    opts = type(obj)._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    response = client_for(other_coordinator).get(url, REMOTE_ADDR="192.0.2.20")

    assert response.status_code == 404
    [line] = refusals(security(), other_coordinator)
    assert "ip=192.0.2.20" in line and f"path={url}" in line
    assert f"what={opts.model_name} {obj.pk}" in line
    assert SECRET not in "\n".join(security())


def test_the_admins_history_page_is_logged_too(client_for, other_coordinator, mentorship, security):
    url = reverse("admin:programs_mentorship_history", args=[mentorship.pk])
    assert client_for(other_coordinator).get(url).status_code == 404
    assert refusals(security(), other_coordinator)


def test_the_coordinators_own_objects_log_nothing(client_for, coordinator, mentorship, security):
    url = reverse("admin:programs_mentorship_change", args=[mentorship.pk])
    assert client_for(coordinator).get(url).status_code == 200
    assert not refusals(security(), coordinator)


# --- The agreement's versions ---------------------------------------------------


def test_versions_of_a_private_agreement_are_refused_and_logged(client_for, coordinator, agreement, security):
    public_id = agreement.mentorship.public_id
    AgreementVersion.objects.create(agreement=agreement, version=1, content={"purpose_and_goals": SECRET})
    client = client_for(coordinator)

    for url in (
        reverse("agreement_versions", args=[public_id]),
        reverse("agreement_version_detail", args=[public_id, 1]),
    ):
        assert client.get(url).status_code == 404
        [line] = [m for m in refusals(security(), coordinator) if f"path={url}" in m]
        assert f"mentorship {public_id}" in line
    assert SECRET not in "\n".join(security())


def test_a_version_saved_while_private_is_refused_and_logged(client_for, coordinator, agreement, security):
    """The pair opened the agreement later; the old private version stays theirs."""
    agreement.confidentiality = agreement.shared_confidentiality = Confidentiality.AGREEMENT
    agreement.save()
    AgreementVersion.objects.create(
        agreement=agreement,
        version=1,
        content={"purpose_and_goals": SECRET, "confidentiality": Confidentiality.PRIVATE},
    )
    url = reverse("agreement_version_detail", args=[agreement.mentorship.public_id, 1])

    response = client_for(coordinator).get(url)

    assert response.status_code == 404
    [line] = refusals(security(), coordinator)
    assert "what=agreement version 1 of mentorship" in line
    assert SECRET not in "\n".join(security())


def test_a_party_asking_for_a_missing_version_is_not_a_refusal(client_for, mentee, agreement, security):
    url = reverse("agreement_version_detail", args=[agreement.mentorship.public_id, 99])
    assert client_for(mentee).get(url).status_code == 404
    assert not refusals(security(), mentee)


# --- A wrong login code ---------------------------------------------------------


def test_a_wrong_login_code_is_logged_without_the_code(mentee, mailoutbox, security):
    EmailAddress.objects.create(user=mentee, email=mentee.email, verified=False, primary=True)
    client = Client()
    client.post(reverse("account_request_login_code"), {"email": mentee.email}, REMOTE_ADDR="192.0.2.21")
    dispatch_due_mail()
    right = login_code_in(mailoutbox[-1])
    wrong = "QQQQ-QQQQ" if "-" in right else "QQQQQQ"
    assert wrong != right

    response = client.post(reverse("account_confirm_login_code"), {"code": wrong}, REMOTE_ADDR="192.0.2.21")

    assert response.status_code == 200 and not auth.get_user(client).is_authenticated
    [line] = [m for m in security() if m.startswith("login code failed")]
    assert f"user={mentee.pk}" in line and "ip=192.0.2.21" in line
    everything = "\n".join(security())
    assert wrong not in everything and right not in everything


def test_the_last_wrong_login_code_says_so(mentee, mailoutbox, security, settings):
    settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 1
    client = Client()
    client.post(reverse("account_request_login_code"), {"email": mentee.email})
    client.post(reverse("account_confirm_login_code"), {"code": "QQQQQQ"})
    [line] = [m for m in security() if m.startswith("login code failed")]
    assert "last_attempt=yes" in line
