"""Reading what allauth sends and computes: login codes, TOTP codes."""

import re

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from outbox.dispatch import dispatch_due_mail
from tests.factories import PASSWORD

# A fixed moment, so a TOTP code computed in a test is valid when the server
# checks it (the frozen_totp_clock fixture stops allauth's clock there).
FROZEN = 1_900_000_000.0


def login_code_in(mail):
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\s*$", mail.body, re.MULTILINE)
    return match and match.group(1)


def totp_code(secret, at=FROZEN):
    return format_hotp_value(hotp_value(secret, int(at) // 30))


def link_in(mail):
    return re.search(r"https?://\S+", mail.body).group(0)


def login_by_code(client, person, mailoutbox):
    response = client.post(reverse("account_request_login_code"), {"email": person.email})
    assert response["Location"] == reverse("account_confirm_login_code")
    dispatch_due_mail()  # the code is an outbox row, sent by the dispatcher
    code = login_code_in(mailoutbox[-1])
    assert code, mailoutbox[-1].body
    return client.post(reverse("account_confirm_login_code"), {"code": code})


def logged_in_client(user, password=PASSWORD, **headers):
    client = Client(**headers)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client
