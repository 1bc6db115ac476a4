"""What the e-mails say: the product's name and a signature in every one
(the program's name where there is one), never the host; the invitation
names the program's coordinators; a comment tells the other party once per
burst; a booking change names who made it, and a move the old time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.mail_kinds import AccountMail
from accounts.services import invitation_create
from outbox.dispatch import dispatch_due_mail
from outbox.models import MailStatus, OutgoingMail
from outbox.preferences import preferences_update
from outbox.render import mail_render
from sessions.mail_kinds import SessionMail
from sessions.models import Meeting
from sessions.notifications import COMMENT_MAIL_DELAY, meeting_booked_notify

from .factories import MeetingFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SIGNATURE = {"sv": "Mentorskap, mentorskap för föreningar", "en": "Mentorskap, mentorship for associations"}
PROGRAM_SIGNATURE = {
    "sv": "Mentorskap, för mentorskapsprogrammet Ledarskap 2026",
    "en": "Mentorskap, for the mentorship program Ledarskap 2026",
}


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://mentorskap.example.org"


def speaks(person, language):
    person.language = language
    person.save(update_fields=["language"])


def html_of(message):
    return message.alternatives[0][0]


def rendered(kind, recipient):
    return mail_render(OutgoingMail.objects.get(kind=kind, recipient=recipient))


def make_due(kind):
    OutgoingMail.objects.filter(kind=kind).update(due_at=timezone.now() - dt.timedelta(seconds=1))


# --- issue 9 point 13: every e-mail looks finished --------------------------


@pytest.mark.parametrize(
    ("language", "greeting", "code_line"),
    [("sv", "Hej Maja!", "Din inloggningskod till Mentorskap"), ("en", "Hi Maja,", "Your login code for Mentorskap")],
)
def test_allauth_mail_speaks_as_mentorskap_not_as_the_host(client, mentee, language, greeting, code_line):
    speaks(mentee, language)
    EmailAddress.objects.create(user=mentee, email=mentee.email, verified=True, primary=True)
    client.post(reverse("account_request_login_code"), {"email": mentee.email})
    message = rendered(AccountMail.LOGIN_CODE, mentee)
    expected_subject = {"sv": "Mentorskap: Inloggningskod", "en": "Mentorskap: Sign-in code"}[language]
    assert message.subject == expected_subject
    assert message.body.startswith(greeting)
    assert code_line in message.body
    assert SIGNATURE[language] in message.body and SIGNATURE[language] in html_of(message)
    for host in ("testserver", "127.0.0.1", "Hej från", "Hello from"):
        assert host not in message.subject + message.body, host


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_unknown_address_mail_tells_how_people_get_an_account(db, language):
    Client(HTTP_ACCEPT_LANGUAGE=language).post(reverse("account_reset_password"), {"email": "okand@example.org"})
    message = mail_render(OutgoingMail.objects.get(kind=AccountMail.UNKNOWN_ACCOUNT))
    expected = {"sv": "fråga din samordnare", "en": "ask your coordinator"}[language]
    assert expected in message.body
    assert reverse("account_signup") not in message.body  # sign-up is closed: no link to it
    assert SIGNATURE[language] in message.body


@pytest.mark.parametrize("language", ["sv", "en"])
def test_e_mail_about_a_pair_is_signed_with_its_program(mentorship, mentee, language):
    speaks(mentee, language)
    meeting = MeetingFactory(mentorship=mentorship, number=2)
    meeting_booked_notify(meeting=meeting)
    message = rendered(SessionMail.MEETING_BOOKED, mentee)
    assert PROGRAM_SIGNATURE[language] in message.body
    assert PROGRAM_SIGNATURE[language] in html_of(message)
    assert "https://mentorskap.example.org" in message.body.split("-- \n")[1]


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("sv", "Din samordnare i programmet, som du kan fråga om allt:"),
        ("en", "Your coordinator in the program, whom you can ask anything:"),
    ],
)
def test_the_invitation_names_the_program_and_its_coordinator(mentorship, mentee, coordinator, language, heading):
    speaks(mentee, language)
    invitation_create(user=mentee, mentorship=mentorship)
    message = rendered(AccountMail.INVITATION, mentee)
    assert "Ledarskap 2026" in message.subject and "Ledarskap 2026" in message.body
    assert heading in message.body
    assert "Karin Koordinator <koordinator@example.org>" in message.body
    assert 'href="mailto:koordinator@example.org"' in html_of(message)
    assert PROGRAM_SIGNATURE[language] in message.body


def test_the_invitation_of_a_program_with_two_coordinators_names_both(mentorship, mentee, coordinator, program):
    second = coordinator.__class__.objects.create_user("andra@example.org", name="Anders Andra")
    program.coordinators.add(second)
    invitation_create(user=mentee, mentorship=mentorship)
    body = rendered(AccountMail.INVITATION, mentee).body
    assert "Dina samordnare i programmet" in body
    assert "Anders Andra <andra@example.org>" in body and "Karin Koordinator <koordinator@example.org>" in body


# --- issue 9 point 16: comments, and who changed a booking ------------------


@pytest.fixture
def held(mentorship):
    return MeetingFactory(mentorship=mentorship, number=2, starts_at=timezone.now() - dt.timedelta(days=1))


def comment(client_for, person, meeting, text):
    response = client_for(person).post(reverse("comment_add", args=[meeting.public_id]), {"text": text})
    assert response.status_code == 302


def test_a_burst_of_comments_is_one_e_mail_to_the_other_party(client_for, mentee, mentor, held):
    comment(client_for, mentee, held, "Tack för sist!")
    comment(client_for, mentee, held, "En sak till <script>")
    [row] = OutgoingMail.objects.filter(kind=SessionMail.COMMENT_ADDED)
    assert row.recipient == mentor  # not the one who wrote
    assert row.due_at >= timezone.now() + COMMENT_MAIL_DELAY - dt.timedelta(minutes=1)
    assert dispatch_due_mail()[MailStatus.SENT] == 0  # not before the burst is over

    make_due(SessionMail.COMMENT_ADDED)
    dispatch_due_mail()
    [message] = mail.outbox
    assert message.subject == "Maja Mentee har kommenterat tillfälle 2"
    assert "Maja Mentee har skrivit 2 kommentarer till era tillfällen i Ledarskap 2026." in message.body
    assert "Tack för sist" not in message.body + html_of(message)  # what they wrote stays in the journal
    assert reverse("meeting_detail", args=[held.public_id]) in message.body

    # After that e-mail, the next comment is news again.
    comment(client_for, mentee, held, "Och en till.")
    assert OutgoingMail.objects.filter(kind=SessionMail.COMMENT_ADDED, status=MailStatus.PENDING).count() == 1


def test_one_comment_names_its_meeting(client_for, mentee, mentor, held):
    comment(client_for, mentor, held, "Bra jobbat")
    make_due(SessionMail.COMMENT_ADDED)
    dispatch_due_mail()
    [message] = mail.outbox
    assert "Erik Mentor har skrivit en kommentar till tillfälle 2 i ert mentorskap i Ledarskap 2026." in message.body
    assert message.to == ["Maja Mentee <mentee@example.org>"]


def test_comment_e_mail_can_be_turned_off(client_for, mentee, mentor, held):
    preferences_update(user=mentor, reminders=True, nudges=True, comments=False)
    comment(client_for, mentee, held, "Hej")
    make_due(SessionMail.COMMENT_ADDED)
    dispatch_due_mail()
    assert not mail.outbox
    assert OutgoingMail.objects.get(kind=SessionMail.COMMENT_ADDED).status == MailStatus.CANCELLED


def test_the_settings_page_has_the_comments_switch(client_for, mentor):
    client = client_for(mentor)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert 'name="comments"' in page and "Kommentarer" in page
    client.post(reverse("notification_preferences"), {"reminders": "on", "nudges": "on"})
    mentor.notification_preferences.refresh_from_db()
    prefs = mentor.notification_preferences
    assert (prefs.reminders, prefs.nudges, prefs.comments) == (True, True, False)
    client.post(reverse("notification_preferences"), {"all_off": "1"})
    prefs.refresh_from_db()
    assert not (prefs.reminders or prefs.nudges or prefs.comments)


def booking_post(client, url, when, location="Café"):
    local = when.astimezone(STOCKHOLM)
    return client.post(
        url, {"date": local.date().isoformat(), "start_time": local.strftime("%H:%M"), "location": location}
    )


def at(days, hour):
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM)


def test_booked_moved_and_cancelled_say_who_and_the_old_time(client_for, mentee, mentor, mentorship):
    client = client_for(mentee)
    first = at(10, 18)
    assert booking_post(client, reverse("meeting_book", args=[mentorship.public_id]), first).status_code == 302
    meeting = Meeting.objects.get(mentorship=mentorship)
    booked = rendered(SessionMail.MEETING_BOOKED, mentor)
    assert "Ändringen gjordes av Maja Mentee." in booked.body and "Maja Mentee" in html_of(booked)
    assert "Det var du som gjorde ändringen." in rendered(SessionMail.MEETING_BOOKED, mentee).body

    booking_post(client_for(mentor), reverse("meeting_move", args=[meeting.public_id]), at(12, 9))
    moved = rendered(SessionMail.MEETING_MOVED, mentee)
    with translation.override("sv"):
        was = f"Tidigare var det {date_format(first, 'l j F Y')} kl. 18:00."
    assert "Ändringen gjordes av Erik Mentor." in moved.body
    assert was in moved.body and was in html_of(moved)

    OutgoingMail.objects.update(status=MailStatus.SENT)  # both were told of the move
    client_for(mentee).post(reverse("meeting_cancel", args=[meeting.public_id]))
    cancelled = rendered(SessionMail.MEETING_CANCELLED, mentor)
    assert "Ändringen gjordes av Maja Mentee." in cancelled.body
    assert "09:00" in cancelled.body  # the time it had, the one now cancelled
    row = OutgoingMail.objects.get(kind=SessionMail.MEETING_CANCELLED, recipient=mentor)
    assert dt.datetime.fromisoformat(row.context["previous_starts_at"]) == at(12, 9)
