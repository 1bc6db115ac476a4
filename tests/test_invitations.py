"""The invitation path: a pair created in the admin → an invitation in the
outbox → the link → a password → logged in → the mentorship on the home page;
and what a used or expired link, or an already registered person, gets."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.contrib import auth
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.mail_kinds import AccountMail
from accounts.models import Invitation, User
from accounts.services import invitation_create, invitation_resend
from outbox.dispatch import dispatch_due_mail
from outbox.models import OutgoingMail
from programs.mail_kinds import ProgramMail
from programs.models import Mentorship, MentorshipStatus
from programs.services import mentorship_announce

from .factories import InvitationFactory, MentorshipFactory, UserFactory

NEW_PASSWORD = "Lönnlöv-i-november-7"


def invitation_rows(email, kind=AccountMail.INVITATION):
    return OutgoingMail.objects.filter(recipient__email=email, kind=kind).order_by("created_at", "id")


def invitation_url(row):
    return reverse("invitation_accept", args=[row.context["invitation"]])


def admin_add_pair(client, program, *, mentor_email, mentee_email, mentee_name="Nora Ny"):
    return client.post(
        reverse("admin:programs_mentorship_add"),
        {
            "mentor_email": mentor_email,
            "mentor_name": "",
            "mentee_email": mentee_email,
            "mentee_name": mentee_name,
            "program": program.pk,
            "status": MentorshipStatus.INVITED,
            "starts_on": "",
            "ends_on": "",
        },
    )


def accept(client, url, password=NEW_PASSWORD):
    return client.post(url, {"new_password1": password, "new_password2": password})


def test_whole_path_from_admin_to_the_home_page(client_for, coordinator, program, mentor):
    client = client_for(coordinator)
    response = admin_add_pair(client, program, mentor_email=mentor.email, mentee_email="Nora.Ny@Example.org")
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    pair = Mentorship.objects.get(program=program, mentee__email="nora.ny@example.org")

    # The new person gets an invitation; the registered mentor a notice.
    [row] = invitation_rows("nora.ny@example.org")
    assert row.mentorship == pair
    assert not invitation_rows(mentor.email).exists()
    assert invitation_rows(mentor.email, ProgramMail.PAIR_NOTICE).count() == 1

    client.logout()
    url = invitation_url(row)
    page = client.get(url)
    assert page.status_code == 200
    assert "nora.ny@example.org" in page.content.decode()

    response = accept(client, url)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = auth.get_user(client)
    assert user.is_authenticated and user.email == "nora.ny@example.org"
    assert user.check_password(NEW_PASSWORD)
    # The link came by e-mail: the address counts as verified (needed for 2FA).
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()

    home = client.get("/")
    assert home.status_code == 200
    assert mentor.display_name in home.content.decode()
    assert program.name in home.content.decode()

    # From now on the e-mail address and the password are the login.
    client.logout()
    response = client.post(reverse("account_login"), {"login": "nora.ny@example.org", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert auth.get_user(client).pk == user.pk


def test_a_used_link_says_so_and_offers_no_second_use(client, mentorship):
    person = UserFactory(email="ny@example.org", password=None)
    person.set_unusable_password()
    person.save()
    invitation = invitation_create(user=person, mentorship=mentorship)
    url = reverse("invitation_accept", args=[invitation.public_id])
    assert accept(client, url).status_code == 302
    client.logout()

    page = client.get(url)
    assert page.status_code == 410
    body = page.content.decode()
    assert "already been used" in body or "redan" in body
    # A second use cannot set the password again.
    assert accept(client, url, password="Ett-annat-lösen-99").status_code == 410
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_accepting_one_link_closes_the_persons_other_links(client, mentorship, other_mentorship):
    person = User.objects.create_user("tva.par@example.org")
    person.set_unusable_password()
    person.save()
    first = invitation_create(user=person, mentorship=mentorship)
    second = invitation_create(user=person, mentorship=other_mentorship)
    assert accept(client, reverse("invitation_accept", args=[first.public_id])).status_code == 302
    client.logout()
    second.refresh_from_db()
    assert second.used_at is not None
    assert client.get(reverse("invitation_accept", args=[second.public_id])).status_code == 410


@pytest.fixture
def unregistered(db):
    person = User.objects.create_user("inbjuden@example.org")
    assert not person.has_usable_password()
    return person


@pytest.fixture
def expired_invitation(unregistered, mentorship):
    """A link made 20 days ago that expired 6 days ago."""
    return InvitationFactory(
        user=unregistered,
        mentorship=mentorship,
        created_at=timezone.now() - dt.timedelta(days=20),
        expires_at=timezone.now() - dt.timedelta(days=6),
    )


def test_an_expired_link_says_so_and_offers_a_new_one(client, expired_invitation, unregistered):
    url = reverse("invitation_accept", args=[expired_invitation.public_id])
    page = client.get(url)
    assert page.status_code == 410
    body = page.content.decode()
    assert 'name="resend"' in body
    assert "expired" in body or "gått ut" in body
    # The expired link cannot set a password.
    assert accept(client, url).status_code == 410
    unregistered.refresh_from_db()
    assert not unregistered.has_usable_password()

    before = invitation_rows(unregistered.email).count()
    response = client.post(url, {"resend": ""})
    assert response.status_code == 302
    assert Invitation.objects.filter(user=unregistered).count() == 2
    assert invitation_rows(unregistered.email).count() == before + 1
    new = Invitation.objects.filter(user=unregistered).latest("created_at")
    assert new.is_usable and new.mentorship_id == expired_invitation.mentorship_id

    # Asking again at once sends nothing more (at most one per 5 minutes),
    # and the answer is the same.
    again = client.post(url, {"resend": ""})
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert Invitation.objects.filter(user=unregistered).count() == 2


def test_resend_is_allowed_again_after_five_minutes(client, expired_invitation, unregistered):
    url = reverse("invitation_accept", args=[expired_invitation.public_id])
    client.post(url, {"resend": ""})
    Invitation.objects.filter(user=unregistered).update(created_at=timezone.now() - dt.timedelta(minutes=6))
    client.post(url, {"resend": ""})
    assert Invitation.objects.filter(user=unregistered).count() == 3


def test_a_registered_person_gets_a_notice_not_an_invitation(mentor, mentee, program):
    pair = MentorshipFactory(program=program, mentor=mentor, mentee=mentee)
    mentorship_announce(mentorship=pair)
    for person in (mentor, mentee):
        assert not invitation_rows(person.email).exists()
        assert invitation_rows(person.email, ProgramMail.PAIR_NOTICE).filter(mentorship=pair).count() == 1
    assert not Invitation.objects.exists()


def test_registered_person_added_in_the_admin_gets_a_notice(client_for, coordinator, program, mentor, mentee):
    response = admin_add_pair(client_for(coordinator), program, mentor_email=mentor.email, mentee_email=mentee.email)
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert invitation_rows(mentee.email, ProgramMail.PAIR_NOTICE).count() == 1


def test_unknown_link_is_404(client, db):
    assert client.get(reverse("invitation_accept", args=["6f1c0d8e-0000-4000-8000-000000000000"])).status_code == 404


def test_coordinator_resends_from_the_admin(client_for, coordinator, program, mentor, unregistered):
    pair = MentorshipFactory(program=program, mentor=mentor, mentee=unregistered)
    response = client_for(coordinator).post(
        reverse("admin:programs_mentorship_changelist"),
        {"action": "resend_invitations", "_selected_action": [pair.pk]},
    )
    assert response.status_code == 302
    [invitation] = Invitation.objects.filter(user=unregistered)
    assert invitation.mentorship == pair
    assert invitation_rows(unregistered.email).count() == 1
    # The registered mentor needs no link.
    assert not Invitation.objects.filter(user=mentor).exists()


def test_coordinator_cannot_resend_for_another_programs_pair(client_for, other_coordinator, program, unregistered):
    pair = MentorshipFactory(program=program, mentee=unregistered)
    client_for(other_coordinator).post(
        reverse("admin:programs_mentorship_changelist"),
        {"action": "resend_invitations", "_selected_action": [pair.pk]},
    )
    assert not Invitation.objects.exists()


def test_resend_skips_registered_and_inactive_people(program, mentor):
    inactive = User.objects.create_user("slutat@example.org", is_active=False)
    pair = MentorshipFactory(program=program, mentor=mentor, mentee=inactive)
    assert invitation_resend(mentorship=pair) == []
    assert not Invitation.objects.exists()


def test_invitation_admin_is_read_only_and_for_superusers(client_for, superuser, coordinator, unregistered):
    invitation = invitation_create(user=unregistered)
    url = reverse("admin:accounts_invitation_changelist")
    response = client_for(superuser).get(url)
    assert response.status_code == 200
    assert unregistered.email in response.content.decode()
    # The link itself is a secret: never shown in the admin.
    assert str(invitation.public_id) not in response.content.decode()
    change = client_for(superuser).get(reverse("admin:accounts_invitation_change", args=[invitation.pk]))
    assert str(invitation.public_id) not in change.content.decode()
    assert client_for(superuser).get(reverse("admin:accounts_invitation_add")).status_code == 403
    assert client_for(coordinator).get(url).status_code == 403


def test_invitation_page_escapes_what_people_typed(client, mentorship):
    person = User.objects.create_user("xss@example.org", name="<script>alert(1)</script>")
    invitation = invitation_create(user=person, mentorship=mentorship)
    body = client.get(reverse("invitation_accept", args=[invitation.public_id])).content.decode()
    assert "<script>alert(1)</script>" not in body
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    body = client.get(reverse("invitation_accept", args=[invitation.public_id])).content.decode()
    assert "<script>alert(1)</script>" not in body


def test_admin_refuses_an_invalid_email(client_for, coordinator, program):
    response = admin_add_pair(client_for(coordinator), program, mentor_email="inte-en-adress", mentee_email="a@b.se")
    assert response.status_code == 200
    assert not Mentorship.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_sending_an_invitation_reads_it_once(mentorship):
    person = User.objects.create_user("ny.inbjuden@example.org")  # no password yet: the link is usable
    invitation_create(user=person, mentorship=mentorship)
    with CaptureQueriesContext(connection) as queries:
        dispatch_due_mail()

    assert len(mail.outbox) == 1 and "ny.inbjuden@example.org" in mail.outbox[0].to[0]
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and '"accounts_invitation"' in q["sql"]]
    assert len(reads) == 1, reads
