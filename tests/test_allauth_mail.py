"""allauth's own e-mail (login code, password reset, confirming an address,
the "no account here" mail, the notices of changes) goes through the outbox:
the pages answer the same with the SMTP server down, a row waits, and the
dispatcher sends it with a code or link that works. The code is cleared from
the row once it is out."""

import datetime as dt
import re
from email.utils import parseaddr

import pytest
from allauth.account.models import EmailAddress
from django.contrib import auth
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.mail_kinds import AccountMail
from outbox.dispatch import dispatch_due_mail
from outbox.models import MailStatus, OutgoingMail
from outbox.secrets import mail_secrets_clear
from outbox.tasks import dispatch_due_mail_task

from .factories import PASSWORD
from .helpers.smtp import SMTPServer, free_port

NEW_PASSWORD = "Vinter-ljus-över-sjön-8"


def use_smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_down(settings):
    """Nothing listens on the port: a send fails at once with 'connection refused'."""
    use_smtp(settings, free_port())


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        use_smtp(settings, server.port)
        yield server


@pytest.fixture
def known(mentee):
    # The address as allauth records it once the person has seen an account page.
    EmailAddress.objects.create(user=mentee, email=mentee.email, verified=True, primary=True)
    return mentee


def pending(kind):
    return OutgoingMail.objects.filter(kind=kind, status=MailStatus.PENDING)


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def code_in(message):
    return re.search(r"^\s*([A-Z0-9]{6,8}|[A-Z0-9]{4}-[A-Z0-9]{4})\s*$", text_of(message), re.MULTILINE).group(1)


def link_in(message, path):
    return re.search(rf"https?://\S+{re.escape(path)}\S*", text_of(message)).group(0)


# --- the pages answer with the SMTP server down ------------------------------


def test_login_code_page_answers_with_smtp_down_and_leaves_a_row(client, known, smtp_down):
    response = client.post(reverse("account_request_login_code"), {"email": known.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    [row] = pending(AccountMail.LOGIN_CODE)
    assert row.recipient == known and row.address == known.email
    assert row.secrets and row.secrets["code"]
    assert "code" not in row.context  # the code is kept apart, to be cleared


def test_password_reset_page_answers_with_smtp_down_known_or_not(db, known, smtp_down):
    known_answer = Client().post(reverse("account_reset_password"), {"email": known.email})
    unknown_answer = Client().post(reverse("account_reset_password"), {"email": "okand@example.org"})
    assert known_answer.status_code == unknown_answer.status_code == 302
    assert known_answer["Location"] == unknown_answer["Location"] == reverse("account_reset_password_done")
    assert pending(AccountMail.PASSWORD_RESET_KEY).get().recipient == known
    # The address nobody has gets its own e-mail, to the address alone.
    nobody = pending(AccountMail.UNKNOWN_ACCOUNT).get()
    assert nobody.recipient is None and nobody.to_address == "okand@example.org"


def test_email_change_page_answers_with_smtp_down(client, known, smtp_down):
    client.force_login(known)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "maja.ny@example.org"})
    assert response.status_code == 302
    row = pending(AccountMail.EMAIL_CONFIRMATION).get()
    assert row.recipient == known and row.to_address == "maja.ny@example.org"


def test_password_change_notice_waits_in_the_outbox_with_smtp_down(client, known, smtp_down):
    client.force_login(known)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert pending(AccountMail.PASSWORD_CHANGED).get().recipient == known


def test_sending_kicks_the_dispatcher_after_commit(client, known, smtp_down, django_capture_on_commit_callbacks):
    """A login code is awaited: the row is not left for the next beat tick."""
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("account_request_login_code"), {"email": known.email})
    assert any(getattr(cb, "__name__", "") == "_dispatch_kick" for cb in callbacks)


# --- the dispatcher sends it, and what it carries works ----------------------


def test_login_by_code_through_the_outbox(client, known, smtp):
    client.post(reverse("account_request_login_code"), {"email": known.email})
    assert auth.get_user(client).is_anonymous
    dispatch_due_mail_task()
    [message] = smtp.handler.wait_for(1)
    assert parseaddr(message["To"])[1] == known.email
    response = client.post(reverse("account_confirm_login_code"), {"code": code_in(message)})
    assert response.status_code == 302
    assert auth.get_user(client).pk == known.pk
    # Out, so the code is no longer in the database.
    row = OutgoingMail.objects.get(kind=AccountMail.LOGIN_CODE)
    assert row.status == MailStatus.SENT and row.secrets is None


def test_password_reset_end_to_end_through_the_outbox(client, known, smtp):
    client.post(reverse("account_reset_password"), {"email": known.email})
    dispatch_due_mail()
    [message] = smtp.handler.wait_for(1)
    response = client.get(link_in(message, "/password/reset/key/"))
    assert response.status_code == 302  # allauth hides the key from the address bar
    form_url = response["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    known.refresh_from_db()
    assert known.check_password(NEW_PASSWORD)
    mail_secrets_clear()
    assert OutgoingMail.objects.get(kind=AccountMail.PASSWORD_RESET_KEY).secrets is None


def test_the_unknown_address_mail_reaches_the_address(db, smtp, settings):
    Client(HTTP_ACCEPT_LANGUAGE="en").post(reverse("account_reset_password"), {"email": "okand@example.org"})
    dispatch_due_mail()
    [message] = smtp.handler.wait_for(1)
    assert message["To"] == "okand@example.org"
    # In the language of the page it was asked for on.
    assert "There is no account with that address" in text_of(message)
    assert OutgoingMail.objects.get().status == MailStatus.SENT


def test_a_failed_e_mail_loses_its_code_and_is_not_sent_empty_on_retry(client, known, smtp_down, settings):
    settings.MENTORSKAP_MAIL_MAX_ATTEMPTS = 1
    client.post(reverse("account_request_login_code"), {"email": known.email})
    dispatch_due_mail_task()
    row = OutgoingMail.objects.get(kind=AccountMail.LOGIN_CODE)
    assert row.status == MailStatus.FAILED and row.secrets is None
    # The operator retries it from the admin: it would arrive without a code.
    OutgoingMail.objects.filter(pk=row.pk).update(status=MailStatus.PENDING, attempts=0)
    dispatch_due_mail()
    row.refresh_from_db()
    assert row.status == MailStatus.CANCELLED


def test_a_login_code_that_could_not_go_out_in_time_is_not_sent(client, known, smtp):
    client.post(reverse("account_request_login_code"), {"email": known.email})
    # The worker was down longer than the code works.
    OutgoingMail.objects.update(created_at=timezone.now() - dt.timedelta(hours=1))
    dispatch_due_mail()
    assert OutgoingMail.objects.get().status == MailStatus.EXPIRED
    assert not smtp.handler.messages


def test_the_outbox_admin_never_shows_the_code(client, known, superuser, smtp_down):
    Client().post(reverse("account_request_login_code"), {"email": known.email})
    row = OutgoingMail.objects.get(kind=AccountMail.LOGIN_CODE)
    client.force_login(superuser)
    page = client.get(reverse("admin:outbox_outgoingmail_change", args=[row.pk]))
    assert page.status_code == 200
    assert row.secrets["code"] not in page.content.decode()
