"""Django's and allauth's private APIs, each used in one wrapper: these tests
fail when the library changes under the wrapper, before a person notices."""

import inspect
from email.utils import parseaddr

import pytest
from allauth.account.internal.flows import email_verification
from allauth.account.models import EmailAddress
from allauth.usersessions.internal import usersessionkit
from django.contrib.admin import ModelAdmin
from django.db import transaction
from django.urls import reverse

from mentorskap.transactions import on_commit_once
from outbox.dispatch import dispatch_due_mail

from .factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_django_keeps_pending_callbacks_as_savepoints_func_robust():
    """on_commit_once reads connection.run_on_commit as (sids, func, robust)."""

    def callback():
        pass

    with transaction.atomic():
        transaction.on_commit(callback)
        entries = transaction.get_connection().run_on_commit
        assert len(entries) == 1 and len(entries[0]) == 3
        sids, func, robust = entries[0]
        assert func is callback and isinstance(robust, bool)


def test_on_commit_once_runs_once_per_transaction():
    calls = []

    def callback():
        calls.append(1)

    with transaction.atomic():
        on_commit_once(callback)
        on_commit_once(callback)
        assert calls == []
    assert calls == [1]


def test_on_commit_once_registers_again_after_a_rolled_back_savepoint():
    calls = []

    def callback():
        calls.append(1)

    with transaction.atomic():
        try:
            with transaction.atomic():
                on_commit_once(callback)
                raise RuntimeError
        except RuntimeError:
            pass
        on_commit_once(callback)
    assert calls == [1]


def test_on_commit_once_outside_a_transaction_runs_now():
    calls = []
    on_commit_once(lambda: calls.append(1))
    assert calls == [1]


def test_the_admin_still_has_the_does_not_exist_hook_we_override():
    """programs.admin_scope.CoordinatorScopedAdmin overrides it to answer 404."""
    hook = ModelAdmin._get_obj_does_not_exist_redirect
    assert list(inspect.signature(hook).parameters) == ["self", "request", "opts", "object_id"]


def test_allauth_still_sends_a_confirmation_link_for_an_address(client, mailoutbox):
    """accounts.allauth_flows.verification_email_send, through the page that uses it."""
    params = list(inspect.signature(email_verification.send_verification_email_to_address).parameters)
    assert params[:2] == ["request", "address"]
    user = UserFactory(email="gammal@example.org")
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ny.adress@example.org"})
    assert response.status_code in (200, 302)
    assert EmailAddress.objects.filter(user=user, email="ny.adress@example.org", verified=False).exists()
    dispatch_due_mail()
    assert [parseaddr(m.to[0])[1] for m in mailoutbox] == ["ny.adress@example.org"]


def test_allauth_tracks_a_sessions_activity_with_request_user_and_session():
    """accounts.allauth_flows.usersession_touch calls allauth's internal
    usersessionkit.track_activity(request, *, user, session)."""
    parameters = inspect.signature(usersessionkit.track_activity).parameters
    assert list(parameters) == ["request", "user", "session"]
    assert parameters["user"].kind is parameters["session"].kind is inspect.Parameter.KEYWORD_ONLY
