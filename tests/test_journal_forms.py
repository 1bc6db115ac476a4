"""Bad input to every journal form: clear messages, nothing saved is lost."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from outbox.dispatch import dispatch_due_mail
from outbox.models import MailStatus, OutgoingMail
from programs.models import FocusArea
from sessions.forms import BookingForm
from sessions.mail_kinds import SessionMail
from sessions.models import Agreement, AgreementVersion, Meeting, MeetingStatus, ReminderItem
from sessions.nudges import nudges_scan
from tests.factories import MeetingFactory
from tests.helpers.agreement import AGREEMENT_FIELDS, agreement_post
from tests.helpers.journal import future, notes_post

pytestmark = pytest.mark.django_db


def test_mentee_saves_the_agreement_and_books_meeting_two(client_for, mentee, mentorship):
    day, start = future()
    response = agreement_post(
        client_for(mentee),
        mentorship,
        **{"next-date": day, "next-start_time": start, "next-end_time": "19:30", "next-location": "Zoom"},
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(mentorship=mentorship)
    assert agreement.purpose_and_goals == AGREEMENT_FIELDS["purpose_and_goals"]
    assert agreement.version == 1
    first, second = mentorship.meetings.order_by("number")
    assert (first.number, first.status) == (1, MeetingStatus.HELD)
    assert (second.number, second.status, second.location) == (2, MeetingStatus.BOOKED, "Zoom")
    assert timezone.localtime(second.starts_at).strftime("%H:%M") == "18:00"
    mentorship.refresh_from_db()
    assert mentorship.status == "active"


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"purpose_and_goals": "x" * 10001}, "purpose_and_goals"),
        ({"confidentiality": "everyone"}, "confidentiality"),
        ({"version": ""}, "version"),
        ({"focus_areas": ["999999"]}, "focus_areas"),
    ],
)
def test_bad_agreement_input_keeps_the_text(client_for, mentee, mentorship, overrides, field):
    response = agreement_post(client_for(mentee), mentorship, **{**overrides, "roles": "Min långa text om roller"})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Min långa text om roller" in response.content.decode()
    assert not Agreement.objects.filter(mentorship=mentorship, version__gt=0).exists()


def test_focus_areas_of_another_program_are_refused(client_for, mentee, mentorship, other_program):
    foreign = FocusArea.objects.create(name="Annat programs område", kind="individuals")
    other_program.focus_areas.add(foreign)
    mentorship.program.focus_areas.set(FocusArea.objects.filter(kind="individuals").exclude(pk=foreign.pk))
    response = agreement_post(client_for(mentee), mentorship, focus_areas=[foreign.pk])
    assert "focus_areas" in response.context["form"].errors


def test_focus_areas_of_the_other_kind_are_refused_when_the_program_names_none(client_for, mentee, mentorship):
    associations_only = FocusArea.objects.filter(kind="associations").first()
    response = agreement_post(client_for(mentee), mentorship, focus_areas=[associations_only.pk])
    assert "focus_areas" in response.context["form"].errors


def test_a_program_that_names_no_focus_areas_offers_those_of_its_kind_and_keeps_the_pairs(
    client_for, mentee, mentorship
):
    """The coordinator set an area on the pair; the mentee's first save of
    the agreement must not drop it."""
    set_by_coordinator = FocusArea.objects.filter(kind="individuals").first()
    mentorship.focus_areas.set([set_by_coordinator])
    client = client_for(mentee)
    page = client.get(reverse("agreement_edit", args=[mentorship.public_id])).content.decode()
    for area in FocusArea.objects.filter(kind="individuals"):
        assert f'value="{area.pk}"' in page
    assert f'value="{FocusArea.objects.filter(kind="associations").first().pk}"' not in page

    agreement_post(client, mentorship, focus_areas=[set_by_coordinator.pk])
    assert list(mentorship.focus_areas.all()) == [set_by_coordinator]


def test_an_area_the_program_no_longer_offers_stays_a_choice_for_the_pair(client_for, mentee, mentorship):
    kept, offered = FocusArea.objects.filter(kind="individuals")[:2]
    mentorship.focus_areas.set([kept])
    mentorship.program.focus_areas.set([offered])
    client = client_for(mentee)
    assert f'value="{kept.pk}"' in client.get(reverse("agreement_edit", args=[mentorship.public_id])).content.decode()

    agreement_post(client, mentorship, focus_areas=[kept.pk, offered.pk])
    assert set(mentorship.focus_areas.all()) == {kept, offered}


def test_html_and_script_are_stored_as_text_and_escaped(client_for, mentee, mentor, mentorship):
    script = "<script>alert('x')</script>"
    agreement_post(client_for(mentee), mentorship, purpose_and_goals=script)
    html = client_for(mentor).get(reverse("mentorship_detail", args=[mentorship.public_id])).content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_a_bad_booking_saves_nothing_and_explains(client_for, mentee, mentorship):
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = agreement_post(client_for(mentee), mentorship, **{"next-date": yesterday, "next-start_time": "18:00"})
    assert response.status_code == 200
    assert "date" in response.context["booking"].errors
    assert not Agreement.objects.filter(mentorship=mentorship, version__gt=0).exists()
    assert not mentorship.meetings.exists()


def test_second_writer_sees_the_conflict_and_loses_nothing(client_for, mentee, mentor, mentorship):
    client = client_for(mentee)
    agreement_post(client, mentorship, version=0, roles="Första versionen")
    response = agreement_post(client, mentorship, version=0, roles="Andra skrivarens text")
    assert response.status_code == 200
    assert response.context["conflict"]
    html = response.content.decode()
    assert "Första versionen" in html and "Andra skrivarens text" in html
    assert Agreement.objects.get(mentorship=mentorship).roles == "Första versionen"
    # Saving again from the shown version merges on purpose.
    agreement_post(client, mentorship, version=1, roles="Sammanslagen text")
    agreement = Agreement.objects.get(mentorship=mentorship)
    assert (agreement.roles, agreement.version) == ("Sammanslagen text", 2)
    assert list(AgreementVersion.objects.filter(agreement=agreement).values_list("version", flat=True)) == [2, 1]


def test_confirmation_is_cleared_by_a_change_and_the_other_party_is_told(client_for, mentee, mentor, mentorship):
    agreement_post(client_for(mentee), mentorship, version=0)
    client_for(mentor).post(reverse("agreement_confirm", args=[mentorship.public_id]), {"version": 1})
    client_for(mentee).post(reverse("agreement_confirm", args=[mentorship.public_id]), {"version": 1})
    agreement = Agreement.objects.get(mentorship=mentorship)
    assert agreement.is_confirmed
    page = client_for(mentee).get(reverse("mentorship_detail", args=[mentorship.public_id])).content.decode()
    assert mentor.display_name in page and "✓" in page
    agreement_post(client_for(mentee), mentorship, version=1, costs="Föreningen betalar resor.")
    agreement.refresh_from_db()
    assert agreement.mentor_confirmed_at is None and agreement.mentee_confirmed_at is None
    assert OutgoingMail.objects.filter(kind=SessionMail.AGREEMENT_CHANGED, recipient=mentor).exists()


def test_confirming_an_outdated_version_is_refused(client_for, mentee, mentor, mentorship):
    agreement_post(client_for(mentee), mentorship, version=0)
    agreement_post(client_for(mentee), mentorship, version=1, costs="Nytt")
    client_for(mentor).post(reverse("agreement_confirm", args=[mentorship.public_id]), {"version": 1})
    assert Agreement.objects.get(mentorship=mentorship).mentor_confirmed_at is None


def test_every_version_can_be_viewed(client_for, mentee, mentor, mentorship):
    agreement_post(client_for(mentee), mentorship, version=0, roles="Version ett")
    agreement_post(client_for(mentee), mentorship, version=1, roles="Version två")
    page = client_for(mentor).get(reverse("agreement_version_detail", args=[mentorship.public_id, 1]))
    assert "Version ett" in page.content.decode()
    assert (
        client_for(mentor).get(reverse("agreement_version_detail", args=[mentorship.public_id, 9])).status_code == 404
    )


# --- Notes of a follow-up meeting ------------------------------------------


def test_notes_tick_off_last_time_add_items_mark_held_and_book(client_for, mentee, mentorship, held_meeting):
    first_items = list(mentorship.meetings.get(number=1).reminder_items.all())
    day, start = future(days=20)
    response = notes_post(
        client_for(mentee),
        held_meeting,
        items=["Skissa ansvarskort", "", "Boka kassören"],
        done_items=[first_items[0].pk],
        **{"next-date": day, "next-start_time": start},
    )
    assert response.status_code == 302
    held_meeting.refresh_from_db()
    assert held_meeting.status == MeetingStatus.HELD
    assert held_meeting.summary == "Vi pratade om delegering."
    assert [i.text for i in held_meeting.reminder_items.all()] == ["Skissa ansvarskort", "Boka kassören"]
    assert [i.done for i in first_items[0].meeting.reminder_items.order_by("id")] == [True, False]
    assert mentorship.meetings.get(number=3).status == MeetingStatus.BOOKED


def test_notes_can_remove_an_item(client_for, mentee, held_meeting):
    item = ReminderItem.objects.create(meeting=held_meeting, text="Ta bort mig")
    data = {"items-0-id": item.pk, "items-0-DELETE": "on"}
    notes_post(client_for(mentee), held_meeting, items=["Ta bort mig"], **data)
    assert not ReminderItem.objects.filter(pk=item.pk).exists()


def test_notes_cannot_touch_another_meetings_items(client_for, mentee, held_meeting, other_mentorship):
    foreign_meeting = MeetingFactory(mentorship=other_mentorship, number=2)
    foreign = ReminderItem.objects.create(meeting=foreign_meeting, text="Någon annans")
    notes_post(
        client_for(mentee),
        held_meeting,
        items=["Min egen"],
        done_items=[foreign.pk],
        **{"items-0-id": foreign.pk, "items-0-DELETE": "on"},
    )
    foreign.refresh_from_db()
    assert foreign.text == "Någon annans" and not foreign.done


@pytest.mark.parametrize(
    "extra,where",
    [
        ({"summary": "y" * 20001}, "form"),
        ({"items-0-text": "z" * 301}, "items"),
        ({"next-date": "2027-03-28", "next-start_time": "02:30"}, "booking"),
        ({"next-start_time": "18:00"}, "booking"),
    ],
)
def test_bad_notes_input_keeps_the_text(client_for, mentee, held_meeting, extra, where):
    response = notes_post(client_for(mentee), held_meeting, items=["x"], reflection="Min reflektion", **extra)
    assert response.status_code == 200
    context = response.context
    errors = {"form": context["form"].errors, "items": context["items"].errors, "booking": context["booking"].errors}
    assert any(errors[where]) if where == "items" else errors[where]
    assert "Min reflektion" in response.content.decode()
    held_meeting.refresh_from_db()
    assert held_meeting.version == 0 and held_meeting.reflection == ""


def test_add_row_without_javascript_keeps_what_was_typed(client_for, mentee, held_meeting):
    response = notes_post(client_for(mentee), held_meeting, items=["Första"], add_item="1")
    assert response.status_code == 200
    assert len(response.context["items"].forms) >= 2
    assert "Första" in response.content.decode()


def test_notes_conflict(client_for, mentee, held_meeting):
    client = client_for(mentee)
    notes_post(client, held_meeting, version=0, summary="Först sparat")
    response = notes_post(client, held_meeting, version=0, summary="Andra fliken")
    assert response.context["conflict"]
    held_meeting.refresh_from_db()
    assert held_meeting.summary == "Först sparat"


def test_comment_form_rejects_empty_and_too_long(client_for, mentor, held_meeting):
    url = reverse("comment_add", args=[held_meeting.public_id])
    assert client_for(mentor).post(url, {"text": ""}).status_code == 400
    assert client_for(mentor).post(url, {"text": "k" * 5001}).status_code == 400
    assert not held_meeting.comments.exists()


# --- Booking on its own -----------------------------------------------------


def booking(day, start, end="", location="Storgatan 1"):
    return BookingForm({"date": day, "start_time": start, "end_time": end, "location": location})


@pytest.mark.parametrize(
    "day,start,end,field",
    [
        ("2027-03-28", "02:30", "", "start_time"),  # the clocks jump from 02:00 to 03:00
        ("2027-10-31", "02:30", "", "start_time"),  # 02:30 happens twice
        ("", "18:00", "", "date"),
        ("2026-13-01", "18:00", "", "date"),
        ("not a date", "18:00", "", "date"),
    ],
)
def test_booking_refuses_impossible_times(day, start, end, field):
    form = booking(day, start, end)
    assert not form.is_valid()
    assert field in form.errors


def test_booking_refuses_past_far_future_and_end_before_start():
    assert "date" in booking((timezone.localdate() - dt.timedelta(days=2)).isoformat(), "10:00").errors
    assert "date" in booking((timezone.localdate() + dt.timedelta(days=400)).isoformat(), "10:00").errors
    day, start = future()
    assert "end_time" in booking(day, start, "17:00").errors


def test_booking_is_in_stockholm_time_and_cleans_line_breaks():
    form = booking("2027-06-15", "18:00", "19:30", "Rum 1\r\nBcc: evil@example.org")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"].astimezone(dt.UTC).hour == 16  # CEST is UTC+2
    assert "\n" not in form.cleaned_data["location"]


def test_a_meeting_without_end_time_lasts_the_default_length_across_the_spring_clock_change():
    """01:30 on 28 March 2027, the night the clocks go forward: one and a half
    hours of real time, not 30 minutes (issue 9, point 10)."""
    form = booking("2027-03-28", "01:30")
    assert form.is_valid(), form.errors
    starts, ends = form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]
    assert ends.astimezone(dt.UTC) - starts.astimezone(dt.UTC) == dt.timedelta(minutes=90)
    assert timezone.localtime(ends).strftime("%H:%M") == "04:00"  # 02:00-03:00 does not exist that night


def test_move_and_cancel(client_for, mentor, mentorship):
    meeting = MeetingFactory(mentorship=mentorship, number=2)
    day, start = future(days=12, hour=9)
    client = client_for(mentor)
    response = client.post(
        reverse("meeting_move", args=[meeting.public_id]),
        {"date": day, "start_time": start, "end_time": "10:00", "location": "Café"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.location) == (1, "Café")
    assert client.get(reverse("meeting_cancel", args=[meeting.public_id])).status_code == 200
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.BOOKED  # GET changes nothing
    client.post(reverse("meeting_cancel", args=[meeting.public_id]))
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (MeetingStatus.CANCELLED, 2)
    assert client.get(reverse("meeting_move", args=[meeting.public_id])).status_code == 404


def offered_focus_areas(mentorship):
    areas = [FocusArea.objects.create(name=name, kind="individuals") for name in ("Område A", "Område B")]
    mentorship.program.focus_areas.add(*areas)
    return areas


def test_changing_only_the_focus_areas_is_a_change_of_the_agreement(client_for, mentee, mentor, mentorship):
    """Focus areas are part of what both confirmed: a new version, confirmations cleared, the other party told."""
    first, second = offered_focus_areas(mentorship)
    agreement_post(client_for(mentee), mentorship, version=0, focus_areas=[first.pk])
    client_for(mentor).post(reverse("agreement_confirm", args=[mentorship.public_id]), {"version": 1})
    agreement_post(client_for(mentee), mentorship, version=1, focus_areas=[first.pk, second.pk])
    agreement = Agreement.objects.get(mentorship=mentorship)
    assert agreement.version == 2 and agreement.mentor_confirmed_at is None
    assert set(mentorship.focus_areas.all()) == {first, second}
    assert OutgoingMail.objects.filter(kind=SessionMail.AGREEMENT_CHANGED, recipient=mentor).exists()
    saved = AgreementVersion.objects.get(agreement=agreement, version=2)
    assert saved.content["focus_areas"] == sorted([first.name, second.name])
    page = client_for(mentor).get(reverse("agreement_version_detail", args=[mentorship.public_id, 1]))
    assert page.status_code == 200
    assert second.name not in page.content.decode().split("<dl>")[1]


def test_saving_the_same_focus_areas_again_changes_nothing(client_for, mentee, mentorship):
    first, _second = offered_focus_areas(mentorship)
    agreement_post(client_for(mentee), mentorship, version=0, focus_areas=[first.pk])
    agreement_post(client_for(mentee), mentorship, version=1, focus_areas=[first.pk])
    assert Agreement.objects.get(mentorship=mentorship).version == 1


def test_the_agreement_form_books_meeting_two_only_once(client_for, mentee, mentorship):
    day, start = future()
    booking = {"next-date": day, "next-start_time": start}
    agreement_post(client_for(mentee), mentorship, **booking)
    page = client_for(mentee).get(reverse("agreement_edit", args=[mentorship.public_id])).content.decode()
    assert 'name="next-date"' not in page
    agreement_post(client_for(mentee), mentorship, version=1, roles="Ändrat", **booking)
    assert mentorship.meetings.filter(number__gte=2).count() == 1
    assert Agreement.objects.get(mentorship=mentorship).roles == "Ändrat"


def test_the_notes_form_books_the_next_meeting_only_once(client_for, mentee, mentorship, held_meeting):
    """A double submit: the second post is a conflict, and the page shown
    with it must not book meeting 3 again when saved."""
    day, start = future(days=20)
    next_meeting = {"next-date": day, "next-start_time": start}
    client = client_for(mentee)
    assert notes_post(client, held_meeting, **next_meeting).status_code == 302
    again = notes_post(client, held_meeting, **next_meeting)
    assert again.status_code == 200 and again.context["conflict"]
    assert 'name="next-date"' not in again.content.decode()
    notes_post(client, held_meeting, version=1, **next_meeting)

    assert list(mentorship.meetings.filter(number__gte=3).values_list("number", flat=True)) == [3]
    assert OutgoingMail.objects.filter(kind=SessionMail.MEETING_BOOKED).count() == 2  # one to each


def test_booking_the_same_time_twice_books_one_meeting(client_for, mentor, mentorship):
    day, start = future(days=12, hour=9)
    form = {"date": day, "start_time": start, "end_time": "10:00", "location": "Café"}
    client = client_for(mentor)
    for _ in range(2):
        assert client.post(reverse("meeting_book", args=[mentorship.public_id]), form).status_code == 302

    assert mentorship.meetings.count() == 1
    assert OutgoingMail.objects.filter(kind=SessionMail.MEETING_BOOKED).count() == 2  # one to each


def test_a_cancelled_meeting_booked_again_keeps_its_number(client_for, mentee, mentor, mentorship):
    """Book Tillfälle 1, cancel it, book a new time: still Tillfälle 1, so the
    agreement is made at meeting 1 and the form still offers meeting 2."""
    client = client_for(mentor)
    day, start = future(days=5)
    client.post(reverse("meeting_book", args=[mentorship.public_id]), {"date": day, "start_time": start})
    dispatch_due_mail()  # the invitations have gone out
    first = mentorship.meetings.get()
    client.post(reverse("meeting_cancel", args=[first.public_id]))
    assert OutgoingMail.objects.filter(kind=SessionMail.MEETING_CANCELLED, status=MailStatus.PENDING).count() == 2
    day, start = future(days=9)
    client.post(reverse("meeting_book", args=[mentorship.public_id]), {"date": day, "start_time": start})

    assert list(mentorship.meetings.values_list("number", "status", "sequence")) == [(1, MeetingStatus.BOOKED, 2)]
    booked = OutgoingMail.objects.filter(kind=SessionMail.MEETING_BOOKED, meeting_sequence=2)
    assert booked.count() == 2
    # The cancellation nobody had received yet is replaced by the new invitation.
    assert not OutgoingMail.objects.filter(kind=SessionMail.MEETING_CANCELLED, status=MailStatus.PENDING).exists()

    page = client_for(mentee).get(reverse("agreement_edit", args=[mentorship.public_id])).content.decode()
    assert 'name="next-date"' in page
    day, start = future(days=30)
    agreement_post(client_for(mentee), mentorship, **{"next-date": day, "next-start_time": start})
    assert list(mentorship.meetings.values_list("number", flat=True)) == [1, 2]


def test_an_agreement_made_after_meeting_one_was_cancelled_makes_it_held(client_for, mentee, mentor, mentorship):
    client = client_for(mentor)
    day, start = future(days=5)
    client.post(reverse("meeting_book", args=[mentorship.public_id]), {"date": day, "start_time": start})
    client.post(reverse("meeting_cancel", args=[mentorship.meetings.get().public_id]))

    agreement_post(client_for(mentee), mentorship)

    first = mentorship.meetings.get()
    assert (first.number, first.status, first.starts_at) == (1, MeetingStatus.HELD, None)


def test_the_conflict_shows_the_other_writers_focus_areas(client_for, mentee, mentorship):
    theirs, mine = FocusArea.objects.filter(kind="individuals")[:2]
    client = client_for(mentee)
    agreement_post(client, mentorship, version=0, focus_areas=[theirs.pk])
    response = agreement_post(client, mentorship, version=0, focus_areas=[mine.pk])

    labels = [label for label, _value in response.context["conflict"]["fields"]]
    assert "Fokusområden" in labels
    assert theirs.name in dict(response.context["conflict"]["fields"])["Fokusområden"]


def test_a_meeting_booked_again_and_cancelled_before_anyone_heard_sends_no_cancellation(client_for, mentor, mentorship):
    client = client_for(mentor)
    book = reverse("meeting_book", args=[mentorship.public_id])
    day, start = future(days=5)
    client.post(book, {"date": day, "start_time": start})
    dispatch_due_mail()  # invited
    meeting = mentorship.meetings.get()
    client.post(reverse("meeting_cancel", args=[meeting.public_id]))
    dispatch_due_mail()  # told it is cancelled
    day, start = future(days=9)
    client.post(book, {"date": day, "start_time": start})  # booked again, invitation not sent yet
    client.post(reverse("meeting_cancel", args=[meeting.public_id]))

    cancellations = OutgoingMail.objects.filter(kind=SessionMail.MEETING_CANCELLED)
    assert cancellations.count() == 2  # only the first cancellation, one to each
    assert not cancellations.filter(status=MailStatus.PENDING).exists()


def test_an_agreement_after_a_cancelled_meeting_one_counts_from_when_it_is_saved(client_for, mentee, mentorship):
    meeting = MeetingFactory(mentorship=mentorship, number=1, status=MeetingStatus.CANCELLED)
    Meeting.objects.filter(pk=meeting.pk).update(created_at=timezone.now() - dt.timedelta(days=20))
    agreement_post(client_for(mentee), mentorship)
    assert nudges_scan()["booking"] == 0


def test_a_time_typed_while_the_other_party_booked_the_meeting_is_not_dropped_unseen(
    client_for, mentee, mentor, mentorship, held_meeting
):
    client = client_for(mentee)
    client.get(reverse("meeting_notes", args=[held_meeting.public_id]))  # the mentee starts writing
    other = Client()
    other.force_login(mentor)
    day, start = future(days=14, hour=9)
    other.post(reverse("meeting_book", args=[mentorship.public_id]), {"date": day, "start_time": start})
    day, start = future(days=20)
    response = notes_post(client, held_meeting, **{"next-date": day, "next-start_time": start})

    assert response.status_code == 302, response.status_code
    assert list(mentorship.meetings.filter(number__gte=3).values_list("number", flat=True)) == [3]
    shown = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert any("Tillfälle 3 var redan bokat" in m or "Meeting 3 was already booked" in m for m in shown), shown


def test_a_cancellation_nobody_received_does_not_hide_the_next_one(client_for, mentor, mentorship):
    """Invited, cancelled (not yet sent), booked again (not yet sent), cancelled
    again: both still hold the first invitation and must be told it is off."""
    client = client_for(mentor)
    book = reverse("meeting_book", args=[mentorship.public_id])
    day, start = future(days=5)
    client.post(book, {"date": day, "start_time": start})
    dispatch_due_mail()  # invited
    meeting = mentorship.meetings.get()
    client.post(reverse("meeting_cancel", args=[meeting.public_id]))  # the cancellation waits in the outbox
    day, start = future(days=9)
    client.post(book, {"date": day, "start_time": start})  # ...and is replaced by this booking
    client.post(reverse("meeting_cancel", args=[meeting.public_id]))
    dispatch_due_mail()

    sent = OutgoingMail.objects.filter(kind=SessionMail.MEETING_CANCELLED, status="sent")
    assert sent.count() == 2  # one to each
