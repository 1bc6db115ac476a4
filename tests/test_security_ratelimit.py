"""allauth's rate limits hold behind a proxy, and the admin login is allauth's."""

import pytest
from django.contrib import auth
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from outbox.dispatch import dispatch_due_mail

from .factories import PASSWORD

PROXY = "10.0.0.2"  # the load balancer: every request arrives from it
CLIENT_IP = "203.0.113.7"  # the attacker's real address, appended by the proxy


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def failed_login(client, n, **headers):
    # A different address each time: only the per-IP limit can stop this.
    return client.post(reverse("account_login"), {"login": f"gissning{n}@example.org", "password": "fel"}, **headers)


def is_rate_limited(response):
    """allauth answers 429 for a view's limit, and a form error (the same
    whether or not the address has an account) for failed logins and codes."""
    if response.status_code == 429:
        return True
    form = response.context and response.context.get("form")
    codes = {e.code for errors in form.errors.as_data().values() for e in errors} if form else set()
    return "too_many_login_attempts" in codes


@pytest.mark.parametrize("proxy_count", [0, 1])
def test_spoofed_forwarded_for_does_not_reset_the_login_limit(client, db, settings, proxy_count):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxy_count
    limited = []
    for n in range(12):
        spoofed = f"198.51.100.{n}"
        if proxy_count:
            # What the proxy forwards: the client's own header, then the address it saw.
            headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{spoofed}, {CLIENT_IP}"}
        else:
            headers = {"REMOTE_ADDR": CLIENT_IP, "HTTP_X_FORWARDED_FOR": spoofed}
        limited.append(is_rate_limited(failed_login(client, n, **headers)))
    # "5/5m/ip": the first five failures are answered, then the address is stopped.
    assert limited[:5] == [False] * 5
    assert all(limited[6:]), limited


def test_failed_logins_for_one_account_are_limited_from_many_addresses(client, mentee):
    responses = [
        client.post(
            reverse("account_login"),
            {"login": mentee.email, "password": "fel"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
        for n in range(8)
    ]
    assert is_rate_limited(responses[-1])
    # Even the right password is refused while the account's limit holds.
    response = client.post(
        reverse("account_login"), {"login": mentee.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.200"
    )
    assert not auth.get_user(client).is_authenticated
    assert response.status_code in (200, 429)


def test_password_reset_requests_are_limited(client, mentee):
    responses = [client.post(reverse("account_reset_password"), {"email": mentee.email}) for _n in range(7)]
    # "5/m/key": five requests a minute for one address.
    assert [is_rate_limited(r) for r in responses] == [False] * 5 + [True] * 2


def request_code(email):
    # A fresh browser each time, as an attacker would use.
    return Client().post(reverse("account_request_login_code"), {"email": email})


def test_login_code_requests_are_limited(mentee, mailoutbox):
    responses = [request_code(mentee.email) for _n in range(5)]
    # "3/m/key": three codes a minute for one address, then no more.
    assert [is_rate_limited(r) for r in responses] == [False, False, False, True, True]
    # An unknown address is limited the same way: the answer reveals nothing.
    unknown = [request_code("okand@example.org") for _n in range(5)]
    assert [is_rate_limited(r) for r in unknown] == [False, False, False, True, True]
    dispatch_due_mail()
    assert len([m for m in mailoutbox if any(mentee.email in to for to in m.to)]) == 3


def test_admin_login_is_allauths_login(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]
    # A POST to the admin login logs nobody in: it is the same redirect.
    response = client.post(reverse("admin:login"), {"username": "x@example.org", "password": "fel"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_index_sends_anonymous_people_to_allauth(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


def test_staff_logs_in_through_allauth_and_reaches_the_admin(client, coordinator):
    login_url = reverse("account_login") + "?next=" + reverse("admin:index")
    response = client.post(login_url, {"login": coordinator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_logged_in_non_staff_cannot_use_the_admin_login(client_for, outsider):
    assert client_for(outsider).get(reverse("admin:login")).status_code == 403


def test_behind_the_proxy_each_real_client_has_its_own_limit(client, db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(6):
        failed_login(client, n, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_IP)
    assert is_rate_limited(failed_login(client, 99, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_IP))
    # Someone else behind the same proxy is not stopped by the attacker.
    assert not is_rate_limited(failed_login(client, 100, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.55"))
