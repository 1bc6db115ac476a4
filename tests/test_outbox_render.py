"""Every kind of e-mail renders in Swedish and English, as text and HTML,
with absolute links to the page and to the signed settings page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.allauth_mail import allauth_mail_enqueue
from accounts.mail_kinds import ALLAUTH_KINDS, AccountMail
from accounts.services import invitation_create
from outbox.enqueue import mail_enqueue
from outbox.kinds import all_kinds
from outbox.models import OutgoingMail
from outbox.render import mail_render
from privacy.mail_kinds import PrivacyMail
from privacy.services import erasure_request
from programs.mail_kinds import ProgramMail
from programs.models import BackgroundCheck
from sessions.mail_kinds import SessionMail
from sessions.notifications import agreement_changed_notify, meeting_booked_notify
from sessions.services import comment_add
from tests.factories import AgreementFactory, MeetingFactory
from tests.helpers.surveys import survey_mail

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def meeting(mentorship):
    starts = dt.datetime(2027, 3, 28, 10, 0, tzinfo=STOCKHOLM)  # the day summer time starts
    return MeetingFactory(mentorship=mentorship, number=3, starts_at=starts, location="Föreningshuset & café")


def rows_of_every_kind(mentorship, meeting, mentee, mentor, coordinator):
    meeting_booked_notify(meeting=meeting)
    agreement_changed_notify(agreement=AgreementFactory(mentorship=mentorship), changed_by=mentee)
    invitation_create(user=mentor, mentorship=mentorship)
    mail_enqueue(recipient=mentee, kind=ProgramMail.PAIR_NOTICE, mentorship=mentorship)
    for kind in (SessionMail.MEETING_MOVED, SessionMail.MEETING_CANCELLED, SessionMail.NUDGE_NOTES):
        mail_enqueue(recipient=mentee, kind=kind, mentorship=mentorship, meeting=meeting)
    mail_enqueue(recipient=mentee, kind=SessionMail.NUDGE_BOOKING, mentorship=mentorship)
    mail_enqueue(
        recipient=coordinator, kind=ProgramMail.COORDINATOR_DIGEST, context={"pairs": [[mentorship.pk, "no_meeting"]]}
    )
    comment_add(meeting=meeting, author=mentor, text="Hemlig-kommentar-e2")
    check = BackgroundCheck.objects.create(
        person=mentor, extract_date=dt.date(2026, 3, 1), shown_on=dt.date(2026, 3, 2), checked_by=coordinator
    )
    mail_enqueue(
        recipient=coordinator,
        kind=ProgramMail.BACKGROUND_CHECK_EXPIRING,
        context={"check": check.pk, "extract_date": "2026-03-01", "pair": mentorship.pk},
    )
    for kind in ("survey_invitation", "survey_reminder"):
        survey_mail(mentorship, mentee, kind)
    # Ending a mentorship: a proposal open (so its e-mail still applies), then its news.
    mentorship.end_proposed_by, mentorship.end_reason = mentor, "goals_reached"
    mentorship.save(update_fields=["end_proposed_by", "end_reason"])
    for kind in (ProgramMail.END_PROPOSED, ProgramMail.END_WITHDRAWN, ProgramMail.INACTIVE, ProgramMail.ENDED):
        mail_enqueue(recipient=mentee, kind=kind, mentorship=mentorship, context={"by": mentor.pk})
    allauth_rows_of_every_kind(mentee)
    erasure_request(user=mentee)
    mail_enqueue(
        recipient=coordinator,
        kind=PrivacyMail.RETENTION_WARNING,
        context={"program": mentorship.program_id, "on": "2028-01-31", "pairs": 3},
    )
    return OutgoingMail.objects.all()


def allauth_rows_of_every_kind(person):
    """allauth's e-mail as its flows write it (accounts.adapter), with the
    context each is given; the unknown-address one goes to nobody's address."""
    context = {
        "code": "ABC123",
        "password_reset_url": "https://x.example/reset/",
        "activate_url": "https://x.example/confirm/",
        "signup_url": "https://x.example/signup/",
        "timestamp": timezone.now(),
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "from_email": "gammal@example.org",
        "to_email": person.email,
        "deleted_email": "gammal@example.org",
    }
    for prefix in ALLAUTH_KINDS:
        email = "okand@example.org" if prefix.endswith("unknown_account") else person.email
        # The page's language: the e-mail's when the address is nobody's.
        with translation.override(person.language):
            allauth_mail_enqueue(template_prefix=prefix, email=email, context=context)
    # A kind allauth may add later is sent all the same.
    allauth_mail_enqueue(template_prefix="account/email/email_confirm", email=person.email, context=context)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_kind_renders_with_links(mentorship, meeting, mentee, mentor, coordinator, settings, language):
    settings.SITE_URL = "https://mentorskap.example.org"
    for person in (mentee, mentor, coordinator):
        person.language = language
        person.save()
    rows = rows_of_every_kind(mentorship, meeting, mentee, mentor, coordinator)
    assert {r.kind for r in rows} == {kind.name for kind in all_kinds()}
    for row in rows:
        message = mail_render(row)
        html = message.alternatives[0][0]
        assert message.subject and "\n" not in message.subject, row.kind
        assert "{%" not in message.body and "{{" not in html
        prefs_link = "https://mentorskap.example.org/notiser/"
        if row.recipient_id:  # an address without a person has no settings
            assert prefs_link in message.body and prefs_link in html, row.kind
        assert "&amp;" not in message.body, "plain text is not HTML-escaped"
        assert f'<html lang="{language}">' in html, row.kind
        if row.meeting_id:
            page = "meeting_notes" if row.kind == SessionMail.NUDGE_NOTES else "meeting_detail"
            url = "https://mentorskap.example.org" + reverse(page, args=[meeting.public_id])
            assert url in message.body and url in html, row.kind


def test_meeting_mail_shows_local_time_place_and_other_party(mentorship, meeting, mentee, mentor):
    mentee.language = "en"
    mentee.save()
    meeting_booked_notify(meeting=meeting)
    message = mail_render(OutgoingMail.objects.get(recipient=mentee, kind=SessionMail.MEETING_BOOKED))
    assert "10:00" in message.subject and "10:00" in message.body
    assert "Föreningshuset & café" in message.body and mentor.display_name in message.body
    assert "Meeting 3" in message.body


def test_booking_mail_carries_an_invitation_ics(mentorship, meeting, mentee):
    meeting_booked_notify(meeting=meeting)
    message = mail_render(OutgoingMail.objects.get(recipient=mentee, kind=SessionMail.MEETING_BOOKED)).message()
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST"
    assert parts[0].get_filename() == "invite.ics"
    assert b"UID:" + str(meeting.public_id).encode() in parts[0].get_payload(decode=True)


def test_reminders_and_nudges_offer_one_click_unsubscribe_booking_mail_does_not(mentorship, mentee):
    meeting = MeetingFactory(mentorship=mentorship, starts_at=timezone.now() + dt.timedelta(days=5))
    meeting_booked_notify(meeting=meeting)
    reminder = mail_render(OutgoingMail.objects.filter(kind=SessionMail.MEETING_REMINDER).first())
    booked = mail_render(OutgoingMail.objects.filter(kind=SessionMail.MEETING_BOOKED).first())
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe" not in booked.extra_headers


def test_invitation_mail_names_program_other_party_link_and_expiry(mentorship, mentor, mentee, settings):
    settings.MENTORSKAP_INVITATION_DAYS = 14
    mentor.language = "en"
    mentor.save()
    invitation = invitation_create(user=mentor, mentorship=mentorship)
    message = mail_render(OutgoingMail.objects.get(kind=AccountMail.INVITATION))
    accept = settings.SITE_URL + reverse("invitation_accept", args=[invitation.public_id])
    assert accept in message.body and accept in message.alternatives[0][0]
    assert mentorship.program.name in message.body and mentee.display_name in message.body
    assert "14 days" in message.body


def test_swedish_is_the_default_language(mentorship, meeting, mentee):
    mentee.language = "xx"
    mentee.save()
    meeting_booked_notify(meeting=meeting)
    message = mail_render(OutgoingMail.objects.get(recipient=mentee, kind=SessionMail.MEETING_BOOKED))
    assert message.body  # rendered under LANGUAGE_CODE without error


def test_no_e_mail_carries_agreement_or_note_text(mentorship, meeting, mentee, mentor, coordinator):
    """A mailbox is less private than the journal: e-mails name the meeting, never its content."""
    secrets = {"purpose_and_goals": "Hemligt-syfte-e2", "summary": "Hemlig-sammanfattning-e2"}
    rows = rows_of_every_kind(mentorship, meeting, mentee, mentor, coordinator)
    AgreementFactory._meta.model.objects.filter(mentorship=mentorship).update(**secrets)
    meeting.summary, meeting.reflection = "Hemlig-anteckning-e2", "Hemlig-reflektion-e2"
    meeting.save()
    meeting.reminder_items.create(text="Hemligt-kom-ihåg-e2")
    for row in rows:
        message = mail_render(row)
        parts = [p.get_payload(decode=True) for p in message.message().walk() if not p.is_multipart()]
        everything = message.subject + b"".join(parts).decode("utf-8")
        assert "Hemlig" not in everything, row.kind


def test_subjects_are_plain_text_not_html(mentorship, meeting, mentee, mentor, coordinator):
    """A program called "Styrelse & ledarskap" is not "Styrelse &amp; ledarskap" in the inbox."""
    mentorship.program.name = "Styrelse & ledarskap <2027>"
    mentorship.program.save()
    mentee.name = "Åsa O'Neil"
    mentee.save()
    invitation_create(user=mentor, mentorship=mentorship)
    mail_enqueue(recipient=mentee, kind=SessionMail.NUDGE_BOOKING, mentorship=mentorship)
    subjects = [mail_render(row).subject for row in OutgoingMail.objects.all()]
    assert any("Styrelse & ledarskap <2027>" in subject for subject in subjects), subjects
    assert not any("&amp;" in s or "&#x27;" in s or "&lt;" in s for s in subjects), subjects


def test_e_mail_greets_by_first_name_when_known_and_never_by_address(mentorship, mentor):
    mentor.name = "Erik Mentor"
    mentor.save()
    invitation_create(user=mentor, mentorship=mentorship)
    named = mail_render(OutgoingMail.objects.get(recipient=mentor))
    assert named.body.startswith("Hej Erik!")

    mentor.name = ""
    mentor.save()
    nameless = mail_render(OutgoingMail.objects.get(recipient=mentor))
    assert nameless.body.startswith("Hej!") and mentor.email not in nameless.body.splitlines()[0]
