"""Ending a mentorship (issue 11): a party proposes with a reason, the other
confirms or declines, the proposer may withdraw, a coordinator ends a pair
at once; each step that concerns someone else writes one outbox row for
them, and an ended pair's journal is read-only and its pending e-mail is
cancelled. The certificate is for the two parties and the coordinators."""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentorskap.localtime import local_date
from outbox.dispatch import dispatch_due_mail
from outbox.enqueue import mail_enqueue
from outbox.models import MailStatus, OutgoingMail
from programs.mail_kinds import ProgramMail
from programs.models import EndReason, Mentorship, MentorshipStatus
from programs.services import (
    EndRefused,
    mentorship_end,
    mentorship_end_confirm,
    mentorship_end_propose,
    mentorship_end_withdraw,
    mentorships_end_when_due,
)
from sessions.mail_kinds import SessionMail
from sessions.models import MeetingStatus
from sessions.nudges import inactivity_mails_enqueue
from tests.factories import AgreementFactory, MeetingFactory, OrganisationFactory
from tests.helpers.admin_forms import pair_edit_form
from tests.helpers.races import in_thread, wait_until_another_session_waits_for_a_lock

pytestmark = pytest.mark.django_db

END_KINDS = (ProgramMail.END_PROPOSED, ProgramMail.END_WITHDRAWN, ProgramMail.ENDED, ProgramMail.INACTIVE)


def rows(kind=None):
    qs = OutgoingMail.objects.filter(kind__in=END_KINDS) if kind is None else OutgoingMail.objects.filter(kind=kind)
    return list(qs.order_by("id"))


def test_propose_then_confirm_ends_the_pair_today_with_the_reason(mentorship, mentee, mentor):
    mentorship_end_propose(mentorship=mentorship, by=mentee, reason=EndReason.GOALS_REACHED, note=" Klart! ")
    proposed = rows(ProgramMail.END_PROPOSED)
    assert [r.recipient for r in proposed] == [mentor]
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE or mentorship.status == MentorshipStatus.INVITED
    assert mentorship.end_proposed_by == mentee and mentorship.end_note == "Klart!"

    mentorship_end_confirm(mentorship=mentorship, by=mentor)
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED
    assert mentorship.ends_on == local_date(timezone.now())
    assert mentorship.end_reason == EndReason.GOALS_REACHED and mentorship.ended_by == mentor
    assert [r.recipient for r in rows(ProgramMail.ENDED)] == [mentee]


def test_the_proposer_cannot_confirm_their_own_proposal(mentorship, mentee):
    mentorship_end_propose(mentorship=mentorship, by=mentee, reason=EndReason.TIME_OVER)
    with pytest.raises(EndRefused):
        mentorship_end_confirm(mentorship=mentorship, by=mentee)
    mentorship.refresh_from_db()
    assert not mentorship.is_closed


def test_withdraw_and_decline_keep_the_pair_and_tell_the_other(mentorship, mentee, mentor):
    mentorship_end_propose(mentorship=mentorship, by=mentee, reason=EndReason.NOT_WORKING)
    mentorship_end_withdraw(mentorship=mentorship, by=mentee)
    mentorship_end_withdraw(mentorship=mentorship, by=mentee)  # a second tab: nothing more
    mentorship_end_propose(mentorship=mentorship, by=mentee, reason=EndReason.OTHER, note="Flyttar")
    mentorship_end_withdraw(mentorship=mentorship, by=mentor)  # the mentor would like to go on
    mentorship.refresh_from_db()
    assert not mentorship.is_closed and mentorship.end_proposed_by is None and mentorship.end_reason == ""
    withdrawn = rows(ProgramMail.END_WITHDRAWN)
    assert [(r.recipient, r.context["declined"]) for r in withdrawn] == [(mentor, False), (mentee, True)]
    assert len(rows(ProgramMail.END_PROPOSED)) == 2


def test_a_proposal_answered_before_its_mail_went_is_not_sent(mentorship, mentee, mentor):
    mentorship_end_propose(mentorship=mentorship, by=mentee, reason=EndReason.TIME_OVER)
    mentorship_end_withdraw(mentorship=mentorship, by=mentee)
    dispatch_due_mail()
    assert rows(ProgramMail.END_PROPOSED)[0].status == MailStatus.CANCELLED
    assert rows(ProgramMail.END_WITHDRAWN)[0].status == MailStatus.SENT


def test_both_proposing_ends_the_pair_once(mentorship, mentee, mentor):
    mentorship_end_propose(mentorship=mentorship, by=mentee, reason=EndReason.TIME_OVER)
    pair = mentorship_end_propose(mentorship=mentorship, by=mentor, reason=EndReason.GOALS_REACHED)
    assert pair.status == MentorshipStatus.ENDED and pair.end_reason == EndReason.TIME_OVER
    assert [r.recipient for r in rows(ProgramMail.ENDED)] == [mentee]


def test_the_coordinator_ends_a_pair_and_both_are_told(mentorship, mentee, mentor, coordinator):
    mentorship_end(mentorship=mentorship, by=coordinator, reason=EndReason.DISCONTINUED, note="Slutat träffas")
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED and mentorship.end_reason == EndReason.DISCONTINUED
    assert {r.recipient for r in rows(ProgramMail.ENDED)} == {mentee, mentor}
    mentorship_end(mentorship=mentorship, by=coordinator, reason=EndReason.OTHER)  # again: nothing changes
    assert len(rows(ProgramMail.ENDED)) == 2
    mentorship.refresh_from_db()
    assert mentorship.end_reason == EndReason.DISCONTINUED


def test_a_party_may_not_give_discontinued_nor_act_on_an_ended_pair(mentorship, mentee, mentor, coordinator):
    with pytest.raises(EndRefused):
        mentorship_end_propose(mentorship=mentorship, by=mentee, reason=EndReason.DISCONTINUED)
    with pytest.raises(EndRefused):
        mentorship_end_propose(mentorship=mentorship, by=coordinator, reason=EndReason.TIME_OVER)
    mentorship_end(mentorship=mentorship, by=coordinator, reason=EndReason.DISCONTINUED)
    with pytest.raises(EndRefused):
        mentorship_end_propose(mentorship=mentorship, by=mentee, reason=EndReason.TIME_OVER)
    with pytest.raises(EndRefused):
        mentorship_end_withdraw(mentorship=mentorship, by=mentor)


def test_every_end_mail_goes_out_once_in_the_recipients_language(mentorship, mentee, mentor, mailoutbox):
    mentor.language = "en"
    mentor.save()
    mentorship_end_propose(mentorship=mentorship, by=mentee, reason=EndReason.GOALS_REACHED)
    dispatch_due_mail()
    mentorship_end_confirm(mentorship=mentorship, by=mentor)
    dispatch_due_mail()
    dispatch_due_mail()
    assert len(mailoutbox) == 2
    to_mentor = next(m for m in mailoutbox if mentor.email in m.to[0])
    assert "proposes to end" in to_mentor.subject
    ended = next(m for m in mailoutbox if mentee.email in m.to[0])
    assert reverse("mentorship_certificate", args=[mentorship.public_id]) in ended.body


def test_pending_mail_about_the_pair_is_cancelled_when_it_ends(mentorship, mentee, coordinator):
    pending = mail_enqueue(recipient=mentee, kind=SessionMail.NUDGE_BOOKING, mentorship=mentorship)
    mentorship_end(mentorship=mentorship, by=coordinator, reason=EndReason.DISCONTINUED)
    dispatch_due_mail()
    pending.refresh_from_db()
    assert pending.status == MailStatus.CANCELLED


def test_the_journal_is_read_only_after_the_end(client_for, mentorship, mentee, coordinator):
    AgreementFactory(mentorship=mentorship)
    mentorship_end(mentorship=mentorship, by=coordinator, reason=EndReason.TIME_OVER)
    client = client_for(mentee)
    page = client.get(reverse("mentorship_detail", args=[mentorship.public_id])).content.decode()
    assert f'href="{reverse("agreement_edit", args=[mentorship.public_id])}"' not in page
    assert reverse("mentorship_certificate", args=[mentorship.public_id]) in page
    assert client.get(reverse("meeting_book", args=[mentorship.public_id])).status_code == 403
    assert client.post(reverse("agreement_edit", args=[mentorship.public_id]), {}).status_code == 403


def test_when_due_ends_with_the_agreed_time_over(mentorship):
    Mentorship.objects.filter(pk=mentorship.pk).update(ends_on=local_date(timezone.now()) - dt.timedelta(days=1))
    assert mentorships_end_when_due(today=local_date(timezone.now())) == 1
    mentorship.refresh_from_db()
    assert mentorship.end_reason == EndReason.TIME_OVER


# --- the pages ----------------------------------------------------------------


def end_url(pair):
    return reverse("mentorship_end", args=[pair.public_id])


def certificate_url(pair):
    return reverse("mentorship_certificate", args=[pair.public_id])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mentee", 200),
        ("mentor", 200),
        ("coordinator", 404),
        ("other_coordinator", 404),
        ("outsider", 404),
        ("superuser", 404),
        (None, 302),
    ],
)
def test_who_reaches_the_end_page(request, client_for, mentorship, who, status):
    user = request.getfixturevalue(who) if who else None
    assert client_for(user).get(end_url(mentorship)).status_code == status
    assert client_for(user).post(end_url(mentorship), {"action": "withdraw"}).status_code in (status, 302)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mentee", 200),
        ("mentor", 200),
        ("coordinator", 200),
        ("superuser", 200),
        ("other_coordinator", 404),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_who_sees_the_certificate(request, client_for, mentorship, coordinator, who, status):
    mentorship_end(mentorship=mentorship, by=coordinator, reason=EndReason.GOALS_REACHED)
    user = request.getfixturevalue(who) if who else None
    assert client_for(user).get(certificate_url(mentorship)).status_code == status


def test_no_certificate_before_the_end(client_for, mentorship, mentee):
    assert client_for(mentee).get(certificate_url(mentorship)).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 302),
        ("superuser", 302),
        ("other_coordinator", 404),
        ("mentee", 404),
        ("mentor", 404),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_who_may_end_from_the_program_page(request, client_for, mentorship, who, status):
    user = request.getfixturevalue(who) if who else None
    answer = client_for(user).post(
        reverse("program_pair_end", args=[mentorship.public_id]), {"reason": "discontinued", "confirm": "on"}
    )
    assert answer.status_code == status
    mentorship.refresh_from_db()
    assert mentorship.is_closed == (who in ("coordinator", "superuser"))


def test_the_pages_propose_and_confirm(client_for, mentorship, mentee, mentor):
    answer = client_for(mentee).post(
        end_url(mentorship), {"action": "propose", "reason": "time_over", "note": "Ett år"}
    )
    assert answer.status_code == 302
    page = client_for(mentor).get(end_url(mentorship)).content.decode()
    assert "Ett år" in page and 'value="confirm"' in page
    client_for(mentor).post(end_url(mentorship), {"action": "confirm"})
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED


@pytest.mark.parametrize(
    "data",
    [
        {"action": "propose"},
        {"action": "propose", "reason": "discontinued"},
        {"action": "propose", "reason": "nonsense"},
        {"action": "propose", "reason": "other", "note": "x" * 301},
        {"action": "propose", "reason": ["other", "time_over"], "note": "\x00"},
    ],
)
def test_bad_proposals_are_refused_with_a_message(client_for, mentorship, mentee, data):
    answer = client_for(mentee).post(end_url(mentorship), data)
    assert answer.status_code == 400
    mentorship.refresh_from_db()
    assert mentorship.end_proposed_by is None and not rows()


@pytest.mark.parametrize("data", [{}, {"action": "sudo"}, {"action": "confirm"}])
def test_other_bad_posts_change_nothing(client_for, mentorship, mentee, data):
    answer = client_for(mentee).post(end_url(mentorship), data)
    assert answer.status_code == 302
    mentorship.refresh_from_db()
    assert not mentorship.is_closed and not rows()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"confirm": "on"}, "Detta fält måste fyllas i."),
        ({"reason": "gone", "confirm": "on"}, "Välj ett giltigt alternativ."),
        ({"reason": "other", "note": "x" * 301, "confirm": "on"}, "som mest 300 tecken"),
        ({"reason": "discontinued"}, "Kryssa i rutan för att bekräfta att paret ska avslutas i dag."),
    ],
)
def test_bad_coordinator_endings_change_nothing_and_say_why(client_for, mentorship, coordinator, data, message):
    answer = client_for(coordinator).post(reverse("program_pair_end", args=[mentorship.public_id]), data)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Paret är inte avslutat." in html and message in html
    assert "x" * 300 in html if "note" in data else True  # what was typed is kept
    mentorship.refresh_from_db()
    assert not mentorship.is_closed and not rows()


def test_no_reason_is_chosen_for_the_coordinator(client_for, mentorship, coordinator):
    html = client_for(coordinator).get(reverse("program_pair", args=[mentorship.public_id])).content.decode()
    radios = [tag for tag in html.split("<input") if 'name="reason"' in tag]
    assert len(radios) == 5 and not any("checked" in tag for tag in radios)
    assert 'name="confirm"' in html


def test_the_pair_page_has_no_id_twice(client_for, mentorship, coordinator):
    """The check-in's note and the ending's note: each label leads to its own field."""
    html = client_for(coordinator).get(reverse("program_pair", args=[mentorship.public_id])).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert 'for="id_end_note"' in html and 'id="id_end_note"' in html


def test_the_certificate_says_who_what_and_how_long(client_for, mentorship, mentee, coordinator):
    mentorship.mentee_organisation = OrganisationFactory(name="Idrottsföreningen Kula")
    mentorship.starts_on = local_date(timezone.now()) - dt.timedelta(days=200)
    mentorship.save()
    past = timezone.now() - dt.timedelta(days=10)
    MeetingFactory(mentorship=mentorship, number=1, status=MeetingStatus.HELD, starts_at=None, ends_at=None)
    MeetingFactory(mentorship=mentorship, number=2, starts_at=past, ends_at=past + dt.timedelta(hours=1))
    MeetingFactory(mentorship=mentorship, number=3, starts_at=past, ends_at=None, status=MeetingStatus.CANCELLED)
    mentorship_end(mentorship=mentorship, by=coordinator, reason=EndReason.GOALS_REACHED)
    page = client_for(mentee).get(certificate_url(mentorship)).content.decode()
    for text in (
        mentee.display_name,
        mentorship.mentor.display_name,
        mentorship.program.name,
        "Idrottsföreningen Kula",
        coordinator.display_name,
    ):
        assert text in page, text
    assert "<dd>2</dd>" in page


def test_the_new_pages_read_a_fixed_number_of_queries(
    client_for, mentorship, mentee, coordinator, django_assert_max_num_queries
):
    client = client_for(mentee)
    with django_assert_max_num_queries(13):
        client.get(end_url(mentorship))
    mentorship_end(mentorship=mentorship, by=coordinator, reason=EndReason.GOALS_REACHED)
    with django_assert_max_num_queries(8):
        client.get(certificate_url(mentorship))


# --- inactivity ---------------------------------------------------------------


def test_an_inactive_pair_is_asked_once(mentorship, mentee, mentor):
    AgreementFactory(mentorship=mentorship)
    Mentorship.objects.filter(pk=mentorship.pk).update(status=MentorshipStatus.ACTIVE)
    long_ago = timezone.now() - dt.timedelta(weeks=13)
    MeetingFactory(mentorship=mentorship, number=1, status=MeetingStatus.HELD, starts_at=long_ago, ends_at=None)
    now = timezone.now()
    assert inactivity_mails_enqueue(now=now) == 2
    assert inactivity_mails_enqueue(now=now) == 0
    assert inactivity_mails_enqueue(now=now + dt.timedelta(weeks=20)) == 0
    assert {r.recipient for r in rows(ProgramMail.INACTIVE)} == {mentee, mentor}
    mentorship.refresh_from_db()
    assert mentorship.inactivity_mail_at is not None


def test_a_pair_that_met_lately_is_not_asked(mentorship):
    Mentorship.objects.filter(pk=mentorship.pk).update(status=MentorshipStatus.ACTIVE)
    lately = timezone.now() - dt.timedelta(weeks=2)
    MeetingFactory(mentorship=mentorship, number=1, status=MeetingStatus.HELD, starts_at=lately, ends_at=None)
    assert inactivity_mails_enqueue(now=timezone.now()) == 0


# --- two people at once, on PostgreSQL -----------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_end_the_pair_once(postgres, mentorship, mentee, mentor):
    mentorship_end_propose(mentorship=mentorship, by=mentee, reason=EndReason.TIME_OVER)

    def second_tab():
        return mentorship_end_confirm(mentorship=Mentorship.objects.get(pk=mentorship.pk), by=mentor)

    with transaction.atomic():
        mentorship_end_confirm(mentorship=mentorship, by=mentor)
        join = in_thread(second_tab)
        wait_until_another_session_waits_for_a_lock()
    assert join().status == MentorshipStatus.ENDED
    assert len(rows(ProgramMail.ENDED)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_proposals_at_once_end_the_pair_once(postgres, mentorship, mentee, mentor):
    def mentor_proposes():
        return mentorship_end_propose(
            mentorship=Mentorship.objects.get(pk=mentorship.pk), by=mentor, reason=EndReason.GOALS_REACHED
        )

    with transaction.atomic():
        mentorship_end_propose(mentorship=mentorship, by=mentee, reason=EndReason.TIME_OVER)
        join = in_thread(mentor_proposes)
        wait_until_another_session_waits_for_a_lock()
    assert join().status == MentorshipStatus.ENDED
    assert len(rows(ProgramMail.END_PROPOSED)) == 1 and len(rows(ProgramMail.ENDED)) == 1


# --- the closing meeting -------------------------------------------------------


def test_a_closing_meeting_is_booked_like_any_other_and_asks_the_closing_questions(client_for, mentee, mentorship):
    AgreementFactory(mentorship=mentorship)
    MeetingFactory(mentorship=mentorship, number=1, status=MeetingStatus.HELD, starts_at=None, ends_at=None)
    when = timezone.localtime(timezone.now() + dt.timedelta(days=5))
    client = client_for(mentee)
    form = client.get(reverse("meeting_book", args=[mentorship.public_id])).content.decode()
    assert 'name="closing"' in form
    answer = client.post(
        reverse("meeting_book", args=[mentorship.public_id]),
        {"date": when.date().isoformat(), "start_time": "18:00", "closing": "on"},
    )
    assert answer.status_code == 302
    closing = mentorship.meetings.get(number=2)
    assert closing.is_closing
    moving = client.get(reverse("meeting_move", args=[closing.public_id])).content.decode()
    assert 'name="closing"' in moving and "checked" in moving.split('name="closing"')[1].split(">")[0]
    notes = client.get(reverse("meeting_notes", args=[closing.public_id])).content.decode()
    assert "vad har du lärt dig" in notes.lower() and "vad tar du med dig" in notes.lower()


def test_an_ordinary_booking_is_not_a_closing_meeting(client_for, mentee, mentorship):
    when = timezone.localtime(timezone.now() + dt.timedelta(days=5))
    client_for(mentee).post(
        reverse("meeting_book", args=[mentorship.public_id]),
        {"date": when.date().isoformat(), "start_time": "18:00", "closing": ""},
    )
    assert not mentorship.meetings.get().is_closing


def _move_form(meeting, **changes):
    start = timezone.localtime(meeting.starts_at)
    form = {
        "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": timezone.localtime(meeting.ends_at).strftime("%H:%M"),
        "location": meeting.location,
        "closing": "on" if meeting.is_closing else "",
    }
    return {**form, **changes}


@pytest.fixture
def booked_from_the_notes(mentorship):
    """Meeting 3, booked as the notes form books it: an ordinary meeting, on the hour."""
    start = (timezone.localtime(timezone.now()) + dt.timedelta(days=6)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    return MeetingFactory(
        mentorship=mentorship, number=3, starts_at=start, ends_at=start + dt.timedelta(hours=1), location="Café"
    )


def test_a_booked_meeting_becomes_the_closing_one_without_news_to_the_calendars(
    client_for, mentee, booked_from_the_notes
):
    meeting = booked_from_the_notes
    client = client_for(mentee)
    answer = client.post(
        reverse("meeting_move", args=[meeting.public_id]), _move_form(meeting, closing="on"), follow=True
    )
    assert "Tillfälle 3 är nu ert avslutande tillfälle." in answer.content.decode()
    meeting.refresh_from_db()
    assert (
        meeting.is_closing
        and meeting.sequence == 0
        and (meeting.starts_at, meeting.location)
        == (
            booked_from_the_notes.starts_at,
            "Café",
        )
    )
    assert not OutgoingMail.objects.filter(kind=SessionMail.MEETING_MOVED).exists()
    notes = client.get(reverse("meeting_notes", args=[meeting.public_id])).content.decode()
    assert "vad tar du med dig" in notes.lower()
    # And back: an ordinary meeting again.
    answer = client.post(
        reverse("meeting_move", args=[meeting.public_id]), _move_form(meeting, closing=""), follow=True
    )
    assert "Tillfälle 3 är inte längre ert avslutande tillfälle." in answer.content.decode()
    meeting.refresh_from_db()
    assert not meeting.is_closing


def test_the_change_form_sent_unchanged_sends_nothing(client_for, mentor, booked_from_the_notes):
    meeting = booked_from_the_notes
    answer = client_for(mentor).post(
        reverse("meeting_move", args=[meeting.public_id]), _move_form(meeting), follow=True
    )
    assert "Inget ändrades." in answer.content.decode()
    meeting.refresh_from_db()
    assert meeting.sequence == 0 and not OutgoingMail.objects.filter(kind=SessionMail.MEETING_MOVED).exists()


def test_a_new_time_and_the_closing_flag_together(client_for, mentor, booked_from_the_notes):
    meeting = booked_from_the_notes
    answer = client_for(mentor).post(
        reverse("meeting_move", args=[meeting.public_id]),
        _move_form(meeting, start_time="19:00", end_time="20:00", closing="on"),
        follow=True,
    )
    assert "Tillfället är flyttat." in answer.content.decode()
    meeting.refresh_from_db()
    assert meeting.is_closing and meeting.sequence == 1
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "19:00"
    assert OutgoingMail.objects.filter(kind=SessionMail.MEETING_MOVED).count() == 2  # one to each party


def test_ending_in_the_admin_goes_through_the_one_service(client_for, coordinator, mentorship, mentee, mentor):
    answer = client_for(coordinator).post(
        reverse("admin:programs_mentorship_change", args=[mentorship.pk]),
        pair_edit_form(mentorship, status="ended", end_reason="goals_reached", end_note="Bra jobbat"),
    )
    assert answer.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED and mentorship.ended_by == coordinator
    assert mentorship.ends_on == local_date(timezone.now()) and mentorship.end_reason == EndReason.GOALS_REACHED
    assert {r.recipient for r in rows(ProgramMail.ENDED)} == {mentee, mentor}
